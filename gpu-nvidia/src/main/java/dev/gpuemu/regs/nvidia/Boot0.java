package dev.gpuemu.regs.nvidia;

import java.util.Optional;

/// `NV_PMC_BOOT_0` decoded (kernel-semantics §6.2): bits 3:0 minor revision, 7:4 major revision,
/// 8 `architecture_1` (the architecture's MSB), 23:20 implementation, 28:24 `architecture_0`.
/// `architecture = architecture_0 | architecture_1 << 5`, `chipset = architecture << 4 |
/// implementation`. Any value decodes; an unknown chipset is represented (and [#chipset()] is
/// empty) so that the driver can refuse it with ENODEV.
///
/// @param architecture   the 6-bit architecture value (0..0x3F)
/// @param implementation the 4-bit implementation
/// @param majorRevision  4 bits (`0xa` in "Revision: a.1")
/// @param minorRevision  4 bits
public record Boot0(int architecture, int implementation, int majorRevision, int minorRevision) {
    public Boot0 {
        check("architecture", architecture, 0x3F);
        check("implementation", implementation, 0xF);
        check("majorRevision", majorRevision, 0xF);
        check("minorRevision", minorRevision, 0xF);
    }

    private static void check(String what, int v, int max) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(what + " out of range: 0x" + Integer.toHexString(v));
        }
    }

    /// Decodes a raw register value (never throws: bits outside the fields are ignored).
    public static Boot0 decode(int raw) {
        int arch0 = (int) NvRegs.BOOT_0_ARCHITECTURE_0.get(raw);
        int arch1 = (int) NvRegs.BOOT_0_ARCHITECTURE_1.get(raw);
        return new Boot0(arch0 | arch1 << 5, (int) NvRegs.BOOT_0_IMPLEMENTATION.get(raw),
                (int) NvRegs.BOOT_0_MAJOR_REVISION.get(raw), (int) NvRegs.BOOT_0_MINOR_REVISION.get(raw));
    }

    /// The identity of `chipset` at revision `major.minor` (GA102 a.1: 0x172000A1).
    public static Boot0 of(Chipset chipset, int majorRevision, int minorRevision) {
        return new Boot0(chipset.architecture().id(), chipset.implementation(), majorRevision, minorRevision);
    }

    /// The identity of `chipset` with an 8-bit revision byte (`0xA1` = a.1).
    public static Boot0 of(Chipset chipset, int revision) {
        return of(chipset, (revision >> 4) & 0xF, revision & 0xF);
    }

    /// The raw register value.
    public int encode() {
        long v = 0;
        v = NvRegs.BOOT_0_MINOR_REVISION.with(v, minorRevision);
        v = NvRegs.BOOT_0_MAJOR_REVISION.with(v, majorRevision);
        v = NvRegs.BOOT_0_ARCHITECTURE_1.with(v, architecture >> 5);
        v = NvRegs.BOOT_0_IMPLEMENTATION.with(v, implementation);
        v = NvRegs.BOOT_0_ARCHITECTURE_0.with(v, architecture & 0x1F);
        return (int) v;
    }

    /// The 10-bit chipset value `architecture << 4 | implementation`.
    public int chipsetId() {
        return architecture << 4 | implementation;
    }

    /// The chipset, or empty when nova-core does not support it (ENODEV).
    public Optional<Chipset> chipset() {
        return Chipset.fromId(chipsetId());
    }

    /// The revision as nova-core prints it: `a.1`.
    public String revisionString() {
        return Integer.toHexString(majorRevision) + "." + Integer.toHexString(minorRevision);
    }
}
