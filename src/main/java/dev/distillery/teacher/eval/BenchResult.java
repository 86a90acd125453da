package dev.distillery.teacher.eval;

/**
 * A teacher benchmark on this machine.
 *
 * @param threads          intra-op threads ONNX Runtime used
 * @param latencyBatch     batch size of the latency runs (1, or the model's fixed batch)
 * @param p50Ms            median latency of one run
 * @param p95Ms            95th percentile latency
 * @param latencyRuns      how many timed runs
 * @param throughputBatch  batch size of the throughput runs (8, or the model's fixed batch)
 * @param imagesPerSecond  images per second at that batch
 * @param peakRssMb        highest resident memory of the process during the benchmark, in MiB
 * @param baselineP50Ms    median latency of {@link ReferenceModel} at batch 1, same threads, same run
 * @param inputWidth       input width used
 * @param inputHeight      input height used
 */
public record BenchResult(int threads, int latencyBatch, double p50Ms, double p95Ms, int latencyRuns,
                          int throughputBatch, double imagesPerSecond, double peakRssMb, double baselineP50Ms,
                          int inputWidth, int inputHeight) {
    /** Teacher latency over the reference model's: machine-independent-ish. */
    public double ratioToBaseline() {
        return baselineP50Ms > 0 ? p50Ms / baselineP50Ms : Double.NaN;
    }
}
