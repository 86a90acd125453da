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
