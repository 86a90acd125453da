package dev.distillery.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.distillery.core.Int8Precision;

/**
 * The one place that makes ONNX Runtime sessions. Each caller keeps its own threads, execution mode and
 * optimization level (a {@link Spec}); this adds what every session must share: on x86 CPUs without VNNI,
 * {@code session.x64quantprecision=1}, so an int8 model gives the same answers there as on a VNNI CPU
 * (see {@link Int8Precision}).
 */
public final class OrtSessions {
    private OrtSessions() {
    }

    /**
     * How one caller wants its session.
     *
     * @param intraOpThreads threads inside an operator (≥ 1)
     * @param interOpThreads threads across operators, 0 for ONNX Runtime's default
     * @param executionMode  null for ONNX Runtime's default (sequential)
     * @param optLevel       null for ONNX Runtime's default (all optimizations)
     * @param int8Precision  null for the process's {@link Int8Precision#current() choice}; true/false to force
     *                       it (tests and benchmarks comparing the two)
     */
    public record Spec(int intraOpThreads, int interOpThreads, ExecutionMode executionMode, OptLevel optLevel,
            Boolean int8Precision) {
        public Spec {
            if (intraOpThreads < 1) {
                throw new IllegalArgumentException("intra-op threads must be at least 1, not " + intraOpThreads);
            }
            if (interOpThreads < 0) {
                throw new IllegalArgumentException("inter-op threads must be 0 (default) or more");
            }
        }

        /** {@code intraOpThreads} threads, everything else ONNX Runtime's default. */
        public static Spec threads(int intraOpThreads) {
            return new Spec(intraOpThreads, 0, null, null, null);
        }

        /**
         * The usual inference session: {@code intraOpThreads}, one inter-op thread, sequential, all
         * optimizations.
         */
        public static Spec inference(int intraOpThreads) {
            return new Spec(intraOpThreads, 1, ExecutionMode.SEQUENTIAL, OptLevel.ALL_OPT, null);
        }

        public Spec interOp(int n) {
            return new Spec(intraOpThreads, n, executionMode, optLevel, int8Precision);
        }

        public Spec executionMode(ExecutionMode m) {
            return new Spec(intraOpThreads, interOpThreads, m, optLevel, int8Precision);
        }

        public Spec optLevel(OptLevel level) {
            return new Spec(intraOpThreads, interOpThreads, executionMode, level, int8Precision);
        }

        /** Forces int8 precision on or off for this session, whatever the process's choice. */
        public Spec int8Precision(boolean on) {
            return new Spec(intraOpThreads, interOpThreads, executionMode, optLevel, on);
        }

        /** Whether this session gets {@code session.x64quantprecision=1}. */
        public boolean precisionOn() {
            return int8Precision != null ? int8Precision : Int8Precision.current().on();
        }
    }

    /** New session options for {@code spec}; the caller closes them (after creating its session). */
    public static OrtSession.SessionOptions options(Spec spec) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setIntraOpNumThreads(spec.intraOpThreads());
            if (spec.interOpThreads() > 0) {
                o.setInterOpNumThreads(spec.interOpThreads());
            }
            if (spec.executionMode() != null) {
                o.setExecutionMode(spec.executionMode());
            }
            if (spec.optLevel() != null) {
                o.setOptimizationLevel(spec.optLevel());
            }
            if (spec.precisionOn()) {
                o.addConfigEntry(Int8Precision.ORT_CONFIG_KEY, "1");
            }
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** A session over the model file at {@code path}. */
    public static OrtSession create(String path, Spec spec) throws OrtException {
        try (OrtSession.SessionOptions o = options(spec)) {
            return OrtEnvironment.getEnvironment().createSession(path, o);
        }
    }

    /** A session over the model file {@code path}. */
    public static OrtSession create(java.nio.file.Path path, Spec spec) throws OrtException {
        return create(path.toString(), spec);
    }

    /** A session over a model held in memory. */
    public static OrtSession create(byte[] model, Spec spec) throws OrtException {
        try (OrtSession.SessionOptions o = options(spec)) {
            return OrtEnvironment.getEnvironment().createSession(model, o);
        }
    }
}
