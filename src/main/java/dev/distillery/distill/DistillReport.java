package dev.distillery.distill;

/**
 * What a run produced, teacher against student: the figures a miner asks for.
 *
 * @param metricName      "agreement" (classes) or "IoU@0.3" (maps)
 * @param valMetric       the exported student's validation metric, measured in ONNX Runtime
 * @param valAccuracy     accuracy against ground-truth folders, null when the data has none
 * @param teacherP50Ms    CPU latency p50 at batch 1 with {@code threads} threads (same method for both)
 * @param parityMaxAbsDiff ONNX Runtime vs DJL on validation inputs
 * @param int8            the quantized variant, null when not asked for
 */
public record DistillReport(String teacherName, long teacherBytes, long teacherParams, double teacherP50Ms,
                            String studentPath, String preset, int inputWidth, int inputHeight, long studentBytes,
                            long studentParams, double studentP50Ms, int threads, String metricName, double valMetric,
                            Double valAccuracy, int valImages, int epochs, int bestEpoch, String stopReason,
                            double trainSeconds, double samplesPerSecond, double parityMaxAbsDiff, Int8 int8) {
    /** The int8 variant next to the float one. */
    public record Int8(String path, long bytes, double p50Ms, double valMetric) {
    }

    public double sizeRatio() {
        return teacherBytes > 0 ? (double) studentBytes / teacherBytes : Double.NaN;
    }

    public double latencyRatio() {
        return teacherP50Ms > 0 ? studentP50Ms / teacherP50Ms : Double.NaN;
    }
}
