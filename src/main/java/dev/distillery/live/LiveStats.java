package dev.distillery.live;

import java.util.List;

/**
 * An immutable snapshot of a {@link LivePipeline}'s statistics.
 *
 * @param models           per model, in pipeline order
 * @param framesDecoded    frames read from the source so far
 * @param agreement        rolling agreement rate in [0, 1] between the two models over their last commonly
 *                         processed frames, or NaN with fewer than two models or no common frame yet
 * @param agreementSamples how many common frames the agreement rate is based on (at most
 *                         {@link Agreement#WINDOW})
 */
public record LiveStats(List<ModelStats> models, long framesDecoded, double agreement, int agreementSamples) {
    public LiveStats {
        models = List.copyOf(models);
    }

    /**
     * @param name    model display name
     * @param frames  frames completed
     * @param fps     frames completed per second over the last two seconds
     * @param p50Ms   median latency over the last ~100 frames, milliseconds (NaN before the first frame)
     * @param p95Ms   95th percentile latency over the same frames (NaN before the first frame)
     * @param dropped source frames this model never saw because it was busy
     */
    public record ModelStats(String name, long frames, double fps, double p50Ms, double p95Ms, long dropped) {
    }
}
