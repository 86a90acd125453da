package dev.distillery.archfixture;

import dev.distillery.distill.StudentTask;

/** What ArchitectureTest must catch outside StudentTask: a switch on the task, and a comparison with one. */
public final class BranchesOnTheTask {
    private BranchesOnTheTask() {
    }

    public static int switches(StudentTask t) {
        switch (t) {
            case DETECTION:
                return 1;
            default:
                return 0;
        }
    }

    public static boolean compares(StudentTask t) {
        return t == StudentTask.DENSE;
    }

    /** Asking the task is fine. */
    public static String asks(StudentTask t) {
        return t.metricName();
    }
}
