package dev.distillery.distill.cache;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.distillery.onnx.OrtSessions;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import dev.distillery.vision.Images;
import dev.distillery.vision.Preprocessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Teacher-output labelling throughput against a bare ONNX Runtime loop on the same model, images, batch size and
 * threads. The bare loop does only what labelling cannot avoid (decode each file, preprocess into a direct buffer,
 * {@code session.run}, copy the outputs out), so the ratio is the labeller's own overhead: cache lookups, record
 * writes, fsyncs and index appends. Both run in alternating rounds in the same process; the best round of each
 * counts. Every labelling round starts from an empty cache.
 */
public final class LabellingBenchmark {
    /** Images per second; {@code ratio} = labeller ÷ bare. */
    public record Result(int images, int batch, int threads, int rounds, double bareImagesPerSecond,
                         double labellerImagesPerSecond) {
        public double ratio() {
            return labellerImagesPerSecond / bareImagesPerSecond;
        }
    }

    private LabellingBenchmark() {
    }

    public static Result measure(Path model, String teacherSha, TeacherProfile profile, List<TeacherLabeller.Item> items,
                                 int batch, int threads, int rounds, Path scratch) {
        double bestBare = 0;
        double bestLabel = 0;
        for (int round = 0; round <= rounds; round++) { // round 0 warms up both
            double bare = bare(model, profile, items, batch, threads);
            double label = labelled(model, teacherSha, profile, items, batch, threads,
                    scratch.resolve("cache-" + round));
            if (round > 0) {
                bestBare = Math.max(bestBare, bare);
                bestLabel = Math.max(bestLabel, label);
            }
        }
        return new Result(items.size(), batch, threads, rounds, bestBare, bestLabel);
    }

    static double labelled(Path model, String sha, TeacherProfile profile, List<TeacherLabeller.Item> items, int batch,
                           int threads, Path root) {
        try (OrtBatchInference ort = OrtBatchInference.open(model, profile, threads)) {
            int outputSize;
            try (Mat probe = Images.read(items.get(0).image())) {
                outputSize = ort.infer(List.of(probe)).get(0).length;
            }
            try (TeacherOutputCache cache = TeacherOutputCache.open(root, sha, profile.preprocessing(), outputSize)) {
                long t0 = System.nanoTime();
                TeacherLabeller.Report r = new TeacherLabeller(ort, cache, batch).label(items);
                double s = (System.nanoTime() - t0) / 1e9;
                if (r.computed() != items.size()) {
                    throw new IllegalStateException("labelled " + r.computed() + " of " + items.size() + " images");
                }
                return items.size() / s;
            }
        } finally {
            dev.distillery.core.Folders.deleteTree(root);
        }
    }

    /** Decode, preprocess and session.run in a plain loop with the same batch size and session settings. */
    static double bare(Path model, TeacherProfile profile, List<TeacherLabeller.Item> items, int batch, int threads) {
        Preprocessing p = profile.preprocessing();
        boolean uint8 = Preprocessor.isUint8(p);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = OrtSessions.create(model, OrtSessions.Spec.threads(threads).interOp(1)
                .optLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT));
             Preprocessor pre = new Preprocessor()) {
            String input = session.getInputNames().iterator().next();
            String output = profile.task().outputName() != null && !profile.task().outputName().isBlank()
                    && session.getOutputNames().contains(profile.task().outputName())
                    ? profile.task().outputName() : session.getOutputNames().iterator().next();
            int per = Preprocessor.elementsPerImage(p);
            ByteBuffer raw = ByteBuffer.allocateDirect(batch * per * (uint8 ? 1 : Float.BYTES))
                    .order(ByteOrder.nativeOrder());
            FloatBuffer floats = raw.asFloatBuffer();
            long sink = 0;
            long t0 = System.nanoTime();
            for (int from = 0; from < items.size(); from += batch) {
                int n = Math.min(batch, items.size() - from);
                for (int i = 0; i < n; i++) {
                    try (Mat bgr = Images.read(items.get(from + i).image())) {
                        if (uint8) {
                            pre.prepareInto(bgr, p, raw.position(i * per));
                        } else {
                            pre.prepareInto(bgr, p, floats.position(i * per));
                        }
                    }
                }
                long[] shape = p.layout() == Preprocessing.Layout.NCHW
                        ? new long[] {n, 3, p.height(), p.width()} : new long[] {n, p.height(), p.width(), 3};
                try (OnnxTensor t = uint8
                        ? OnnxTensor.createTensor(env, raw.position(0).limit(n * per), shape, OnnxJavaType.UINT8)
                        : OnnxTensor.createTensor(env, floats.position(0).limit(n * per), shape);
                     OrtSession.Result r = session.run(Map.of(input, t), Set.of(output))) {
                    FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    float[] v = new float[out.remaining()];
                    out.get(v);
                    sink += Float.floatToIntBits(v[0]);
                }
                raw.clear();
                floats.clear();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (sink == Long.MIN_VALUE) {
                throw new IllegalStateException("unreachable: keeps the outputs alive");
            }
            return items.size() / s;
        } catch (OrtException e) {
            throw new TeacherException("ONNX Runtime failed in the labelling benchmark: " + e.getMessage(), e);
        }
    }

}
