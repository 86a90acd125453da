package dev.distillery.distill.quant;

import java.nio.file.Path;
import java.util.List;

/**
 * What int8 quantization did to a student: file sizes, CPU latency (p50 at batch 1, 2 intra-op threads,
 * both models timed in the same process on the same inputs after a warm-up) and how well the int8
 * outputs agree with the float ones on the validation inputs.
 *
 * @param agreement    top-1 agreement (classifier, output rank 2) or mean IoU of the maps binarized at the
 *                     student's map threshold (dense, output rank 4); see {@link Agreement}
 * @param bnFoldMaxAbsDiff largest |output change| that BatchNorm folding caused, in float, on the calibration inputs
 * @param floatOps     node types the quantizer did not know and left in float (empty for a plain student)
 */
public record QuantReport(Path file, long floatBytes, long int8Bytes, double floatP50Millis, double int8P50Millis,
                          Agreement.Metric metric, double agreement, int validationSamples, int calibrationSamples,
                          int foldedBatchNorms, double bnFoldMaxAbsDiff, List<String> floatOps) {
    public QuantReport {
        floatOps = List.copyOf(floatOps);
    }

    /** int8 size / float size. */
    public double sizeRatio() {
        return int8Bytes / (double) floatBytes;
    }

    /** float p50 / int8 p50 (above 1: the int8 model is faster). */
    public double speedup() {
        return floatP50Millis / int8P50Millis;
    }

    public String summary() {
        return String.format("int8: %,d → %,d bytes (%.2f×), p50 %.2f → %.2f ms (speed-up ×%.2f), %s %.3f on %d samples"
                        + " (%d calibration, %d BN folded, max fold diff %.1e)%s",
                floatBytes, int8Bytes, sizeRatio(), floatP50Millis, int8P50Millis, speedup(), metric.label(),
                agreement, validationSamples, calibrationSamples, foldedBatchNorms, bnFoldMaxAbsDiff,
                floatOps.isEmpty() ? "" : ", left in float: " + floatOps);
    }
}
