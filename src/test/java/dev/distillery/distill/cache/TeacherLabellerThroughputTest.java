package dev.distillery.distill.cache;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.distillery.vision.Images;
import dev.distillery.vision.Preprocessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints labelling throughput against a bare ONNX Runtime loop on the same model, images and batch size. The bare
 * loop does what labelling cannot avoid (decode each file, preprocess into a direct buffer, {@code session.run},
 * copy the outputs out) and nothing else, so the ratio is the labeller's own overhead: cache lookups, the
 * per-batch fsync and index appends. No timing assertions: machines differ.
 */
class TeacherLabellerThroughputTest {
    static final int IMAGES = 480;
    static final int BATCH = 16;
    static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void tinyModelWorstCaseForOverhead() throws Exception {
        compare("colour classifier (about 3 kFLOP/image)",
                dev.distillery.testing.TinyModels.colourClassifier(dir.resolve("colours.onnx")), IMAGES);
    }

    @Test
    void convModelCloserToARealTeacher() throws Exception {
        compare("two 3×3 convolutions, 32 channels (about 20 MFLOP/image)", convModel(dir.resolve("conv.onnx")), 192);
    }

    static Path convModel(Path file) throws java.io.IOException {
        return dev.distillery.testing.TinyModels.convClassifier(file, 32, 32, 32, 3);
    }

    private void compare(String name, Path model, int count) throws Exception {
        List<TeacherLabeller.Item> items = TeacherLabellerTest.writeImages(dir.resolve("images"), count, 11);
        double bestBare = 0;
        double bestLabel = 0;
        long checksum = 0;
        for (int round = 0; round <= ROUNDS; round++) { // round 0 warms up
            double bare = bare(model, items);
            double label = labelled(model, items, dir.resolve("cache-" + name.hashCode() + "-" + round));
            if (round > 0) {
                bestBare = Math.max(bestBare, bare);
                bestLabel = Math.max(bestLabel, label);
            }
            checksum += round;
        }
        System.out.printf("Teacher labelling throughput, %s (%d images, batch %d, 1 thread, best of %d):%n"
                        + "  bare ONNX Runtime loop: %8.1f images/s%n"
                        + "  TeacherLabeller:        %8.1f images/s  (%.2f× bare)%n",
                name, count, BATCH, ROUNDS, bestBare, bestLabel, bestLabel / bestBare);
        assertThat(checksum).isPositive();
    }

    private static double labelled(Path model, List<TeacherLabeller.Item> items, Path root) {
        try (OrtBatchInference ort = OrtBatchInference.open(model, TeacherLabellerTest.PROFILE, 1);
             TeacherOutputCache cache = TeacherOutputCache.open(root, TeacherLabellerTest.TEACHER,
                     TeacherLabellerTest.PRE, 3)) {
            long t0 = System.nanoTime();
            TeacherLabeller.Report r = new TeacherLabeller(ort, cache, BATCH).label(items);
            double s = (System.nanoTime() - t0) / 1e9;
            assertThat(r.computed()).isEqualTo(items.size());
            return items.size() / s;
        }
    }

    /** Decode, preprocess and session.run in a plain loop with the same batch size and session settings. */
    private static double bare(Path model, List<TeacherLabeller.Item> items) throws Exception {
        var p = TeacherLabellerTest.PRE;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(model.toString(), o);
                 Preprocessor pre = new Preprocessor()) {
                int per = Preprocessor.elementsPerImage(p);
                FloatBuffer input = ByteBuffer.allocateDirect(BATCH * per * Float.BYTES).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                long sink = 0;
                long t0 = System.nanoTime();
                for (int from = 0; from < items.size(); from += BATCH) {
                    int n = Math.min(BATCH, items.size() - from);
                    for (int i = 0; i < n; i++) {
                        try (Mat bgr = Images.read(items.get(from + i).image())) {
                            pre.prepareInto(bgr, p, input.position(i * per));
                        }
                    }
                    try (OnnxTensor t = OnnxTensor.createTensor(env, input.position(0).limit(n * per),
                            new long[] {n, 3, p.height(), p.width()});
                         OrtSession.Result r = session.run(Map.of("image", t), Set.of("logits"))) {
                        FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
                        for (int i = 0; i < n; i++) {
                            float[] v = new float[3];
                            out.get(i * 3, v);
                            sink += Float.floatToIntBits(v[0]);
                        }
                    }
                    input.clear();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                assertThat(sink).isNotZero();
                return items.size() / s;
            }
        }
    }
}
