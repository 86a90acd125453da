package dev.distillery.ui;

/**
 * What "Distill for this challenge" hands the Distill wizard: the challenge's teacher (by hash), a run name, and
 * one line about the challenge's limits shown above every step, its latency budget (the Student step times
 * the presets against it), the class groups it asks for and the student input it expects. Lives here so the Network and Distill screens
 * need not know each other.
 */
public record ChallengePrefill(String teacherSha256, String runName, String note, double latencyBudgetMs,
                               java.util.List<String> groups, int inputWidth, int inputHeight) {
    /**
     * @param groups      the class groups the challenge asks for ({@code NAME=SPEC}); empty: none
     * @param inputWidth  the student input the challenge asks for, 0 for the preset's own
     */
    public ChallengePrefill {
        groups = groups == null ? java.util.List.of() : java.util.List.copyOf(groups);
    }

    /** Without a latency budget, groups or input of its own (the wizard then uses the devnet challenge's budget). */
    public ChallengePrefill(String teacherSha256, String runName, String note) {
        this(teacherSha256, runName, note, Double.NaN, java.util.List.of(), 0, 0);
    }
}
