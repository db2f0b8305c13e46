package dev.gpuemu.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/// Enforces the three-worlds boundaries of DEVELOPERS.md over every module's main code, and
/// proves with a fixture of deliberate violations that each rule can fail.
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.gpuemu");
    private static final JavaClasses FIXTURE = new ClassFileImporter().importPackages("dev.gpuemu.archfixture");

    @Test
    void shouldImportClassesOfEveryWorld() {
        for (String world : List.of("machine", "regs", "hw", "kernel", "board")) {
            assertTrue(MAIN.stream().anyMatch(c -> c.getPackageName().startsWith("dev.gpuemu." + world)),
                    "no classes imported for world " + world);
        }
    }

    @Test
    void shouldKeepEveryWorldInsideItsBoundaries() {
        for (ArchRule rule : WorldRules.forRoot("dev.gpuemu")) {
            rule.check(MAIN.that(com.tngtech.archunit.base.DescribedPredicate.describe("not fixture",
                    c -> !c.getPackageName().startsWith("dev.gpuemu.archfixture"))));
        }
    }

    @Test
    void shouldDetectEachKindOfViolationInTheFixture() {
        List<ArchRule> rules = WorldRules.forRoot("dev.gpuemu.archfixture");
        List<Boolean> violated = rules.stream().map(r -> r.evaluate(FIXTURE)).map(EvaluationResult::hasViolation).toList();
        // machine, regs (no fixture classes), hw, kernel, user
        assertEquals(List.of(true, false, true, true, true), violated);
        EvaluationResult user = rules.get(4).evaluate(FIXTURE);
        assertFalse(user.getFailureReport().getDetails().stream().anyMatch(d -> d.contains("GoodUserProgram")),
                "a program using only kernel.uapi passes");
    }

    @Test
    void shouldKeepTheWorkloadUserspaceLayerOnTheSyscallApi() {
        // The userspace layer of workload scripts is a user program: kernel only through
        // kernel.uapi, no device models, no board, and of the substrate only the pattern math.
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().haveFullyQualifiedName("dev.gpuemu.workload.UserLayer")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "kernel outside kernel.uapi, hw, board or machine (except PagePattern)",
                        c -> (c.getPackageName().startsWith("dev.gpuemu.kernel")
                                && !c.getPackageName().startsWith("dev.gpuemu.kernel.uapi"))
                                || c.getPackageName().startsWith("dev.gpuemu.hw")
                                || c.getPackageName().startsWith("dev.gpuemu.board")
                                || (c.getPackageName().startsWith("dev.gpuemu.machine")
                                        && !c.getName().equals("dev.gpuemu.machine.pages.PagePattern"))))
                .check(MAIN);
        assertTrue(MAIN.contain("dev.gpuemu.workload.UserLayer"));
    }
}
