package dev.distillery.ui;

/**
 * What "Distill for this challenge" hands the Distill wizard: the challenge's teacher (by hash), a run name, and
 * one line about the challenge's limits shown above every step, and its latency budget (the Student step times
 * the presets against it). Lives here so the Network and Distill screens
 * need not know each other.
 */
public record ChallengePrefill(String teacherSha256, String runName, String note, double latencyBudgetMs) {
    /** Without a latency budget of its own (the wizard then checks presets against the devnet challenge's). */
    public ChallengePrefill(String teacherSha256, String runName, String note) {
        this(teacherSha256, runName, note, Double.NaN);
    }
}
