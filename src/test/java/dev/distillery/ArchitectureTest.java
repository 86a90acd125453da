package dev.distillery;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.distillery.distill.StudentTask;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md §2, enforced. */
class ArchitectureTest {
    /** Feature packages: they never know about the UI or the CLI. */
    static final String[] FEATURES = {
        "dev.distillery.core..", "dev.distillery.store..", "dev.distillery.boot..", "dev.distillery.model..",
        "dev.distillery.onnx..", "dev.distillery.teacher..",
        "dev.distillery.vision..", "dev.distillery.distill..", "dev.distillery.live..", "dev.distillery.network..",
        "dev.distillery.metrics.."};
    static final List<String> SCREENS = List.of("dashboard", "teachers", "distill", "live", "network", "earnings", "history",
            "settings");

    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.distillery");
    }

    @Test
    void featuresNeverDependOnUiOrCli() {
        noClasses().that().resideInAnyPackage(FEATURES)
                .should().dependOnClassesThat().resideInAnyPackage("dev.distillery.ui..", "dev.distillery.cli..")
                .check(classes);
    }

    @Test
    void onlyUiUsesJavaFx() {
        noClasses().that().resideInAnyPackage(FEATURES)
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "io.fair_acc..")
                .because("features run headless (CLI, validator on a server); the UI adapts them")
                .check(classes);
    }

    @Test
    void sqlLivesOnlyInStore() {
        noClasses().that().resideOutsideOfPackage("dev.distillery.store..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.h2..",
                        "org.jdbi..", "org.flywaydb..")
                .because("one place owns SQL (DESIGN.md §2)")
                .check(classes);
    }

    @Test
    void metricsIsALeaf() {
        noClasses().that().resideInAPackage("dev.distillery.metrics..")
                .should().dependOnClassesThat(resideInAnyPackage("dev.distillery..", "ai.onnxruntime..", "ai.djl..",
                        "org.bytedeco..").and(not(resideInAPackage("dev.distillery.metrics.."))))
                .because("every figure is defined once, in plain Java, for training, compare, validators and Live")
                .check(classes);
    }

    @Test
    void uiDoesNotReachIntoTheCli() {
        noClasses().that().resideInAPackage("dev.distillery.ui..")
                .should().dependOnClassesThat().resideInAPackage("dev.distillery.cli..")
                .check(classes);
    }

    @Test
    void onnxRuntimeSessionsAreMadeOnlyByTheFactory() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.distillery.onnx.OrtSessions")
                .should().callConstructor(OrtSession.SessionOptions.class)
                .orShould().callMethodWhere(DescribedPredicate.describe("OrtEnvironment.createSession",
                        (JavaMethodCall call) -> call.getTarget().getName().equals("createSession")
                                && call.getTarget().getOwner().isAssignableTo(OrtEnvironment.class)))
                .because("every session goes through OrtSessions, which sets int8 precision on CPUs without VNNI "
                        + "(issue 14)")
                .check(classes);
    }

    /**
     * Classes that still branch on the student's task themselves (a {@code switch}, or {@code ==} with a constant),
     * named by their top-level class. Each is a place to move into {@link StudentTask} (issue 16, point 1); the
     * list may only shrink: {@link #theClassesStillBranchingOnTheTaskAreListedExactly} fails when one stops. Empty:
     * code that needs one answer per task implements {@link StudentTask.Visitor} (as StudentComparison does).
     */
    static final java.util.Set<String> STILL_BRANCHING_ON_THE_TASK = java.util.Set.of();

    /** Classes that name a task to declare something of it (a preset, a challenge), without branching. */
    static final java.util.Set<String> DECLARING_A_TASK = java.util.Set.of(
            "dev.distillery.distill.StudentZoo",
            "dev.distillery.network.score.Challenge",
            "dev.distillery.network.devnet.DevnetChallenges");

    static boolean mayReadTheTask(String topLevelClass) {
        return topLevelClass.equals(StudentTask.class.getName()) || DECLARING_A_TASK.contains(topLevelClass)
                || STILL_BRANCHING_ON_THE_TASK.contains(topLevelClass);
    }

    /** Reading a constant of StudentTask: what a switch (through its synthetic $SwitchMap$ class) and == compile to. */
    static final DescribedPredicate<com.tngtech.archunit.core.domain.JavaFieldAccess> READS_A_TASK =
            DescribedPredicate.describe("reads a StudentTask constant", a -> a.getTarget().getOwner()
                    .isEquivalentTo(StudentTask.class) && !a.getTarget().getName().startsWith("$"));

    static final com.tngtech.archunit.lang.ArchRule ONLY_THE_TASK_BRANCHES_ON_THE_TASK = noClasses()
            .that(DescribedPredicate.describe("are not StudentTask nor listed as declaring or still branching",
                    (com.tngtech.archunit.core.domain.JavaClass c) -> !mayReadTheTask(topLevel(c))))
            .should().accessFieldWhere(READS_A_TASK)
            .because("what differs between tasks lives in StudentTask: ask it, don't switch on it "
                    + "(docs/architecture.md, \"Adding a task\")");

    static String topLevel(com.tngtech.archunit.core.domain.JavaClass c) {
        String n = c.getName();
        int d = n.indexOf('$');
        return d < 0 ? n : n.substring(0, d);
    }

    @Test
    void onlyTheTaskBranchesOnTheTask() {
        ONLY_THE_TASK_BRANCHES_ON_THE_TASK.check(classes);
    }

    @Test
    void aSwitchOrComparisonOnTheTaskIsCaught() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.distillery.archfixture");
        var result = ONLY_THE_TASK_BRANCHES_ON_THE_TASK.evaluate(fixture);
        org.assertj.core.api.Assertions.assertThat(result.hasViolation()).isTrue();
        String report = String.join("\n", result.getFailureReport().getDetails());
        org.assertj.core.api.Assertions.assertThat(report).contains("StudentTask.DETECTION")
                .contains("StudentTask.DENSE").contains("BranchesOnTheTask.compares");
    }

    @Test
    void theClassesStillBranchingOnTheTaskAreListedExactly() {
        java.util.Set<String> branching = new java.util.TreeSet<>();
        for (com.tngtech.archunit.core.domain.JavaClass c : classes) {
            String top = topLevel(c);
            if (!top.equals(StudentTask.class.getName()) && !DECLARING_A_TASK.contains(top)
                    && c.getFieldAccessesFromSelf().stream().anyMatch(READS_A_TASK)) {
                branching.add(top);
            }
        }
        org.assertj.core.api.Assertions.assertThat(branching)
                .as("classes branching on StudentTask (remove a class from the list once it asks the task instead)")
                .containsExactlyInAnyOrderElementsOf(STILL_BRANCHING_ON_THE_TASK);
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("dev.distillery.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void screensDoNotDependOnEachOther() {
        for (String screen : SCREENS) {
            String[] others = SCREENS.stream().filter(s -> !s.equals(screen))
                    .map(s -> "dev.distillery.ui." + s + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("dev.distillery.ui." + screen + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("screens talk through the Navigator and feature services, not to each other")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }
}
