package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distillery.teacher.library.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared MobileNetV2 teacher distilled into a class-subset student ("dog" = ImageNet 151–268, "cat" found by
 * searching label names, everything else "other") on images the test assembles from ../shared/images; the
 * student is then compared on images it never saw. Skipped when ../shared is absent.
 */
class SharedGroupsDistillTest {
    static final Path SHARED = Path.of(System.getProperty("distillery.shared", "../shared"));

    @TempDir
    Path dir;

    CliTest.Result run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = dir.resolve("data").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliTest.run(all);
    }

    @Test
    void classSubsetStudentAgreesWithTheTeacherWellAboveTheMajorityBaseline() throws Exception {
        Path teacher = SHARED.resolve("teachers/mobilenetv2-12-int8_imagenet1k.onnx");
        Path images = SHARED.resolve("images/imagenet_sample_1000");
        Path labels = SHARED.resolve("labels/imagenet1k_index_wnid_name.tsv");
        assumeTrue(Files.isRegularFile(teacher) && Files.isDirectory(images) && Files.isRegularFile(labels),
                SHARED + " not found: skipping the shared-teacher distillation test");
        Map<String, Integer> index = new HashMap<>();
        for (String line : Files.readAllLines(labels)) {
            String[] f = line.split("\t");
            index.put(f[1], Integer.parseInt(f[0]));
        }
        List<Path> dogs = new ArrayList<>();
        List<Path> cats = new ArrayList<>();
        List<Path> others = new ArrayList<>();
        try (Stream<Path> files = Files.list(images)) {
            for (Path p : files.sorted().toList()) {
                Integer c = index.get(p.getFileName().toString().split("_")[0]);
                if (c == null) {
                    continue;
                }
                (c >= 151 && c <= 268 ? dogs : c >= 281 && c <= 285 ? cats : others).add(p);
            }
        }
        // every other image for training, the rest held out; as many "other" images as dogs
        Path train = dir.resolve("train");
        Path held = dir.resolve("held-out");
        int nOther = dogs.size();
        for (int i = 0; i < dogs.size(); i++) {
            link(dogs.get(i), (i % 3 == 2 ? held : train).resolve("dog"));
        }
        for (int i = 0; i < cats.size(); i++) {
            link(cats.get(i), train.resolve("cat"));
        }
        for (int i = 0; i < nOther; i++) {
            link(others.get(i * others.size() / nOther), (i % 3 == 2 ? held : train).resolve("other"));
        }

        CliTest.Result imp = run("teacher", "import", teacher.toString(), "--labels", labels.toString());
        assertThat(imp.code()).as(imp.err()).isZero();
        Path student = dir.resolve("dogs.onnx");
        CliTest.Result r = run("distill", "--teacher", "1", "--data", train.toString(), "--preset", "cls-mini",
                "--group", "dog=151-268", "--group", "cat=/tabby|tiger_cat|Persian|Siamese|Egyptian/",
                "--minutes", "1", "--out", student.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = Json.mapper().readTree(r.out());
        System.out.println("MobileNetV2 → dog/cat/other: " + report);

        CliTest.Result c = run("compare", "--teacher", "1", "--student", student.toString(), "--images",
                held.toString(), "--json");
        assertThat(c.code()).as(c.err()).isZero();
        JsonNode cls = Json.mapper().readTree(c.out()).get("classification");
        System.out.println("held-out comparison: " + cls);
        assertThat(cls.get("classes").toString()).contains("dog", "cat", "other");
        double baseline = cls.get("majorityBaseline").asDouble();
        assertThat(cls.get("agreement").asDouble()).isGreaterThanOrEqualTo(Math.min(0.95, baseline + 0.1));
    }

    static void link(Path image, Path folder) throws Exception {
        Files.createDirectories(folder);
        Files.copy(image, folder.resolve(image.getFileName()));
    }
}
