package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distillery.teacher.library.Json;
import dev.distillery.testing.CameraFrames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A specialist distilled from camera frames of real photos and judged on later frames of the same scene, as a user
 * filming their own pets would: the shared 1000-class MobileNetV2 → cat / dog / elephant / other, trained on the
 * early part of a hand-held recording (subjects in front of cluttered rooms, where the teacher is unsure) and
 * compared on the late part. Before the grouped targets were fixed, such a student answered "other" for almost
 * everything. Skipped when ../shared is absent.
 */
class RealFramesSpecialistTest {
    @TempDir
    Path dir;

    @Test
    void specialistOnCameraFramesBeatsTheMajorityBaselineOnLaterFrames() throws Exception {
        assumeTrue(SharedImageNet.present(),
                SharedImageNet.SHARED + " not found: skipping the camera-frames specialist test");
        List<Path> cats = new ArrayList<>();
        List<Path> dogs = new ArrayList<>();
        List<Path> elephants = new ArrayList<>();
        List<Path> others = new ArrayList<>();
        SharedImageNet.classes().forEach((p, c) -> (c >= 281 && c <= 285 ? cats : c >= 151 && c <= 268 ? dogs
                : c == 101 || c == 385 || c == 386 ? elephants : others).add(p));
        Map<String, List<Path>> subjects = new LinkedHashMap<>();
        subjects.put("cat", cats);
        subjects.put("dog", List.of(dogs.get(3), dogs.get(29), dogs.get(57), dogs.get(80), dogs.get(111)));
        subjects.put("elephant", elephants);
        List<Path> otherSubjects = new ArrayList<>();
        List<Path> rooms = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            (i % 97 == 5 && otherSubjects.size() < 8 ? otherSubjects : rooms).add(others.get(i));
        }
        subjects.put("other", otherSubjects);
        CameraFrames.Split frames = CameraFrames.film(subjects, rooms.subList(0, 200), dir.resolve("camera"), 640,
                480, 24, 10, 7);

        Path data = dir.resolve("data");
        CliTest.Result imp = CliTest.runIn(data, SharedImageNet.importArgs().toArray(String[]::new));
        assertThat(imp.code()).as(imp.err()).isZero();
        Path student = dir.resolve("pets.onnx");
        CliTest.Result r = CliTest.runIn(data, "distill", "--teacher", "1", "--data", frames.early().toString(),
                "--group", "cat=281-285", "--group", "dog=151-268", "--group", "elephant=101,385,386",
                "--preset", "cls-small", "--minutes", "2", "--out", student.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        System.out.println("camera frames → cat/dog/elephant/other: " + Json.mapper().readTree(r.out()));

        CliTest.Result c = CliTest.runIn(data, "compare", "--teacher", "1", "--student", student.toString(),
                "--images", frames.late().toString(), "--json");
        assertThat(c.code()).as(c.err()).isZero();
        JsonNode report = Json.mapper().readTree(c.out());
        JsonNode cls = report.get("classification");
        System.out.println("later frames: " + cls);
        double baseline = cls.get("majorityBaseline").asDouble();
        double agreement = cls.get("agreement").asDouble();
        assertThat(cls.get("classes").toString()).contains("cat", "dog", "elephant", "other");
        // a student that answers the majority class has kappa 0 and balanced agreement 1/4; the student the old
        // grouped targets made on such frames had kappa 0.07 and recall 0 for cats and elephants
        assertThat(agreement).as("agreement on later frames, majority baseline %.3f", baseline).isGreaterThan(baseline);
        assertThat(cls.get("kappa").asDouble()).as("Cohen's kappa against the teacher").isGreaterThanOrEqualTo(0.2);
        assertThat(cls.get("balancedAgreement").asDouble()).as("balanced agreement").isGreaterThanOrEqualTo(0.35);
        assertThat(cls.get("verdict").asText()).isEqualTo("PASSED");
        assertThat(report.get("ratios").get("latency").asDouble()).as("student latency / teacher latency")
                .isLessThanOrEqualTo(0.5);
    }
}
