package dev.gpuemu.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/// The boundaries between gpuemu's worlds, as ArchUnit rules over a root package (the real code
/// under `dev.gpuemu`, a fixture with known violations under `dev.gpuemu.archfixture`).
///
/// - `machine` (substrate) depends on no world.
/// - `regs` (shared register data) depends on nothing but itself.
/// - `hw` (device models) never sees the kernel, userspace or the composition root.
/// - `kernel` never sees device models, userspace or the composition root.
/// - `user` reaches the kernel only through `kernel.uapi` (the syscall-like API).
final class WorldRules {
    private WorldRules() {
    }

    static List<ArchRule> forRoot(String root) {
        String machine = root + ".machine..";
        String regs = root + ".regs..";
        String hw = root + ".hw..";
        String kernel = root + ".kernel..";
        String uapi = root + ".kernel.uapi..";
        String user = root + ".user..";
        String board = root + ".board..";
        String images = root + ".images..";
        String cli = root + ".cli..";
        return List.of(
                noClasses().that().resideInAPackage(machine)
                        .should().dependOnClassesThat().resideInAnyPackage(regs, hw, kernel, user, board, images, cli)
                        .as("machine substrate depends on no world").allowEmptyShould(true),
                noClasses().that().resideInAPackage(regs)
                        .should().dependOnClassesThat().resideInAnyPackage(machine, hw, kernel, user, board, images, cli)
                        .as("register data depends on nothing but register data").allowEmptyShould(true),
                noClasses().that().resideInAPackage(hw)
                        .should().dependOnClassesThat().resideInAnyPackage(kernel, user, board, images, cli)
                        .as("device models never see the kernel or userspace").allowEmptyShould(true),
                noClasses().that().resideInAPackage(kernel)
                        .should().dependOnClassesThat().resideInAnyPackage(hw, user, board, images, cli)
                        .as("kernel code never touches device models").allowEmptyShould(true),
                noClasses().that().resideInAPackage(user)
                        .should().dependOnClassesThat(
                                com.tngtech.archunit.base.DescribedPredicate.describe("kernel outside kernel.uapi",
                                        c -> c.getPackageName().startsWith(root + ".kernel")
                                                && !c.getPackageName().startsWith(root + ".kernel.uapi")))
                        .orShould().dependOnClassesThat().resideInAnyPackage(hw, machine, board, regs)
                        .as("userspace reaches the kernel only through the syscall API (kernel.uapi)")
                        .allowEmptyShould(true));
    }
}
