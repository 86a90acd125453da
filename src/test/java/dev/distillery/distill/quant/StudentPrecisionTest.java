package dev.distillery.distill.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.distillery.core.Int8Precision;
import dev.distillery.distill.StudentSpec;
import dev.distillery.distill.StudentZoo;
import dev.distillery.onnx.OrtSessions;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A student the project quantizes gives the same outputs with ONNX Runtime's exact int8 mode on and off, on
 * any CPU: its weights hold 7 bits, so the u8×s8 pair sums of the AVX2 kernels (CPUs without VNNI) cannot
 * saturate. Nothing here depends on which kind of CPU runs it.
 */
class StudentPrecisionTest {
    static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void quantizedStudentAnswersAlikeWithPrecisionOnAndOff() throws Exception {
        StudentSpec spec = StudentZoo.preset("cls-mini");
        Path floatFile = QuantFixtures.initialiseAndExport(spec, manager, 23, dir.resolve("mini.onnx"));
        // large inputs: activations spread over the whole uint8 range, where 8-bit weights would saturate
        List<float[]> calibration = QuantFixtures.uniform(16, QuantFixtures.sampleSize(spec), 3);
        Path out = dir.resolve("mini-int8.onnx");
        new Int8Quantizer().quantize(floatFile, calibration, out);

        ModelProto q = QuantFixtures.read(out);
        List<TensorProto> weights = QuantFixtures.initializersOfType(q, TensorProto.DataType.INT8);
        assertThat(weights).isNotEmpty();
        int lo = 0;
        int hi = 0;
        for (TensorProto w : weights) {
            for (byte b : w.getRawData().toByteArray()) {
                lo = Math.min(lo, b);
                hi = Math.max(hi, b);
            }
        }
        assertThat(lo).as("smallest int8 weight").isGreaterThanOrEqualTo(-64);
        assertThat(hi).as("largest int8 weight").isLessThanOrEqualTo(63).isGreaterThanOrEqualTo(60);

        List<float[]> samples = QuantFixtures.uniform(12, QuantFixtures.sampleSize(spec), 4);
        byte[] model = Files.readAllBytes(out);
        float[] on = run(model, spec, samples, true);
        float[] off = run(model, spec, samples, false);
        double diff = 0;
        for (int i = 0; i < on.length; i++) {
            diff = Math.max(diff, Math.abs(on[i] - off[i]));
        }
        System.out.printf("%s%nint8 cls-mini: max |on - off| = %.3g over %d outputs%n", Int8Precision.describe(), diff,
                on.length);
        assertThat(diff).isLessThanOrEqualTo(1e-6);
    }

    private static float[] run(byte[] model, StudentSpec spec, List<float[]> samples, boolean precision)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] one = QuantFixtures.sampleShape(spec);
        long[] shape = new long[one.length + 1];
        shape[0] = samples.size();
        System.arraycopy(one, 0, shape, 1, one.length);
        try (OrtSession s = OrtSessions.create(model, OrtSessions.Spec.threads(1).interOp(1).int8Precision(precision));
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(QuantFixtures.flat(samples)), shape);
             OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), x))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] v = new float[fb.remaining()];
            fb.get(v);
            return v;
        }
    }
}
