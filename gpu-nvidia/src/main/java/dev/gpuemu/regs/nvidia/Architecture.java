package dev.gpuemu.regs.nvidia;

import java.util.Optional;

/// GPU architectures nova-core knows, by the 5+1-bit `architecture` value of `NV_PMC_BOOT_0`
/// (kernel-semantics §6.2), with the name the kernel prints (`Architecture: Ampere`).
public enum Architecture {
    TURING(0x16, "Turing"),
    AMPERE(0x17, "Ampere"),
    ADA(0x19, "Ada");

    private static final Architecture[] VALUES = values();

    private final int id;
    private final String printName;

    Architecture(int id, String printName) {
        this.id = id;
        this.printName = printName;
    }

    /// The `architecture` value (`architecture_0 | architecture_1 << 5`).
    public int id() {
        return id;
    }

    /// The name as nova-core prints it.
    public String printName() {
        return printName;
    }

    /// The architecture with id `id`, or empty for one nova-core does not support.
    public static Optional<Architecture> fromId(int id) {
        for (Architecture a : VALUES) {
            if (a.id == id) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
