package dev.distillery.network.score;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.distill.data.SyntheticData;
import dev.distillery.model.TeacherProfile;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import dev.distillery.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A detection challenge: validators draw fresh, augmented frames from their pool every epoch, and judge a
 * detector by mAP@0.5 of its boxes against the teacher's, in the sandbox.
 */
class DetectionChallengeTest {
    @TempDir
    static Path dir;
    static Path teacher;
    static TeacherProfile teacherProfile;
    static Path pool;

    @BeforeAll
    static void setUp() throws Exception {
        teacher = TinyModels.detector(dir.resolve("teacher.onnx"));
        teacherProfile = ProfileInference.infer(OnnxModelReader.read(teacher));
        pool = dir.resolve("pool");
        SyntheticData.write(SyntheticData.Kind.SCENES, 12, 5, 256, pool);
    }

    static Challenge challenge(List<String> classes, int frames) {
        return new Challenge("detect", "0".repeat(64), StudentTask.DETECTION, classes,
                new Challenge.InputSpec(256, 256, 3), 1000, 10_000_000, 0, 0, null,
                Challenge.EvalData.pool(pool.toString(), frames), 0.3);
    }

    static List<byte[]> files(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void everyEpochDrawsFreshAugmentedFramesFromThePoolAndTheSameEpochTheSame() throws Exception {
        Challenge c = challenge(List.of("ball=2"), 5);
        byte[] secret = {1, 2, 3};
        Challenge e1 = c.forEpoch(1, secret);
        Challenge e2 = c.forEpoch(2, secret);
        assertThat(e1.data().isPool()).isTrue();
        assertThat(e1.data().folder()).isEqualTo(pool.toString());
        assertThat(e1.data().seed()).isNotEqualTo(e2.data().seed());
        EvalImages.sample(e1.data(), dir.resolve("a"));
        EvalImages.sample(c.forEpoch(1, secret).data(), dir.resolve("b"));
        EvalImages.sample(e2.data(), dir.resolve("c"));
        List<byte[]> a = files(dir.resolve("a"));
        List<byte[]> b = files(dir.resolve("b"));
        List<byte[]> other = files(dir.resolve("c"));
        assertThat(a).hasSize(5);
        for (int i = 0; i < a.size(); i++) {
            assertThat(Arrays.equals(a.get(i), b.get(i))).as("frame %d of the same epoch", i).isTrue();
        }
        assertThat(a.stream().filter(x -> other.stream().anyMatch(y -> Arrays.equals(x, y)))).isEmpty();
        // no frame is a pool image as it is: each is a crop, a mirror or a change of light
        List<byte[]> originals = files(pool);
        assertThat(a.stream().filter(x -> originals.stream().anyMatch(y -> Arrays.equals(x, y)))).isEmpty();
        // the challenge's JSON keeps the pool
        assertThat(Challenge.fromJson(e1.toJson()).data()).isEqualTo(e1.data());
    }

    @Test
    void aPoolOfClipsGivesFramesFromAcrossTheClipAndADamagedClipIsPassedOver() throws Exception {
        Path clips = Files.createDirectories(dir.resolve("clips"));
        // frame i is one grey level, so frames far apart in the clip differ however they are cropped or relit
        dev.distillery.vision.TestVideos.write(clips.resolve("walk.avi"), "avi", "mjpeg", 120, i -> new
                org.bytedeco.opencv.opencv_core.Mat(120, 160, org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                org.bytedeco.opencv.opencv_core.Scalar.all(2 * i)));
        Files.write(clips.resolve("broken.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 1, 2, 3});
        Challenge.EvalData d = new Challenge.EvalData("pool", 16, 42, clips.toString());
        EvalImages.sample(d, dir.resolve("v1"));
        EvalImages.sample(d, dir.resolve("v2"));
        List<byte[]> a = files(dir.resolve("v1"));
        assertThat(a).hasSize(16);
        List<byte[]> b = files(dir.resolve("v2"));
        for (int i = 0; i < a.size(); i++) {
            assertThat(Arrays.equals(a.get(i), b.get(i))).as("frame %d of the same seed", i).isTrue();
        }
        // the mean grey of the drawn frames spans the clip, not only its start
        double[] means = new double[a.size()];
        try (Stream<Path> s = Files.list(dir.resolve("v1"))) {
            List<Path> written = s.sorted().toList();
            for (int i = 0; i < written.size(); i++) {
                try (var m = dev.distillery.vision.Images.read(written.get(i))) {
                    means[i] = org.bytedeco.opencv.global.opencv_core.mean(m).get(0);
                }
            }
        }
        double lo = Arrays.stream(means).min().orElseThrow();
        double hi = Arrays.stream(means).max().orElseThrow();
        assertThat(hi - lo).as("grey levels of the drawn frames").isGreaterThan(100);
        // another epoch's seed draws other frames
        EvalImages.sample(new Challenge.EvalData("pool", 16, 43, clips.toString()), dir.resolve("v3"));
        List<byte[]> other = files(dir.resolve("v3"));
        assertThat(a.stream().filter(x -> other.stream().anyMatch(y -> Arrays.equals(x, y)))).isEmpty();
    }

    @Test
    void aPoolWithNothingReadableSaysWhatItNeeds() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-pool"));
        Files.writeString(empty.resolve("notes.txt"), "no frames here");
        Challenge.EvalData d = Challenge.EvalData.pool(empty.toString(), 5);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EvalImages.sample(d, dir.resolve("none")))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("no images")
                .hasMessageContaining("video clips");
        Challenge.EvalData missing = Challenge.EvalData.pool(dir.resolve("nowhere").toString(), 5);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EvalImages.sample(missing, dir.resolve("none")))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("not a folder");
    }

    @Test
    void theExampleDetectionChallengeReads() throws Exception {
        Challenge c = Challenge.fromJson(Files.readString(Path.of("app/challenge-detection.example.json")));
        assertThat(c.task()).isEqualTo(StudentTask.DETECTION);
        assertThat(c.classes()).containsExactly("person=0");
        assertThat(c.data().isPool()).isTrue();
        assertThat(c.data().isGenerated()).isFalse();
        assertThat(c.input().width()).isEqualTo(320);
    }

    @Test
    void aDetectorIsJudgedByMapAgainstTheTeachersBoxesAndAWrongOneIsRefusedWithAReason() throws Exception {
        SandboxEvaluator evaluator = new SandboxEvaluator(new SandboxEvaluator.Limits(512, 4096, 120));
        Challenge c = challenge(List.of("person=0", "car=1", "ball=2"), 6).forEpoch(3, new byte[] {9});
        Path images = EvalImages.prepare(c, dir.resolve("scratch"), null);
        // the teacher itself as the student: the same boxes, so the whole quality term
        Path same = Files.copy(teacher, dir.resolve("same.onnx"));
        Scorer.Verdict v = evaluator.evaluate(same, c, teacher, teacherProfile, images);
        assertThat(v.scored()).as(v.reason()).isTrue();
        assertThat(v.quality()).isGreaterThan(0.99);
        assertThat(v.score()).isGreaterThan(0.8 * 0.99);

        // a detector of other classes than the challenge's is refused before it is run
        Scorer.Verdict wrong = evaluator.evaluate(same, challenge(List.of("ball=2"), 6), teacher, teacherProfile,
                images);
        assertThat(wrong.scored()).isFalse();
        assertThat(wrong.reason()).contains("wrong I/O").contains("[1, 5, N]");
    }
}
