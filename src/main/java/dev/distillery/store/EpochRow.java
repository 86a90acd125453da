package dev.distillery.store;

/** Metrics of one finished epoch of a run; {@code valAccuracy} is null without ground truth. */
public record EpochRow(long runId, int epoch, double trainLoss, double valMetric, Double valAccuracy,
                       double learningRate, double samplesPerSecond, double elapsedSeconds) {
}
