package dev.distillery.distill.train;

/**
 * Learning rate over a run's progress p ∈ [0, 1]: linear warm-up from {@code base·warmupStart} to
 * {@code base} over the first {@code warmup} of the run, then a cosine decay to {@code base·floor}.
 * Progress rather than step count, so a run bounded by wall time (steps unknown in advance) gets the same
 * shape as one bounded by epochs.
 */
public record Schedule(float base, double warmup, double warmupStart, double floor) {
    public Schedule {
        if (!(base > 0) || warmup < 0 || warmup >= 1 || floor < 0 || floor > 1) {
            throw new IllegalArgumentException("bad schedule");
        }
    }

    public static Schedule cosine(float base) {
        return new Schedule(base, 0.05, 0.1, 0.02);
    }

    public float rate(double progress) {
        double p = Math.max(0, Math.min(1, progress));
        if (warmup > 0 && p < warmup) {
            return (float) (base * (warmupStart + (1 - warmupStart) * p / warmup));
        }
        double q = warmup >= 1 ? 1 : (p - warmup) / (1 - warmup);
        return (float) (base * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * q))));
    }
}
