package dev.gpuemu.regs.nvidia;

import java.util.Optional;

/// The chipset table (kernel-semantics §6.2): every chipset nova-core accepts, by its 9-bit id
/// (`architecture << 4 | implementation`), with the data that makes one chip differ from another in
/// gpuemu: the PCI device id the model reports, the generation's [NvHal], and the VRAM of a retail
/// board (documentation only; the model's default VRAM is [#DEFAULT_VRAM_BYTES], see below).
///
/// PCI device ids are those of one retail board per chip (e.g. 0x2204 = GeForce RTX 3090 for
/// GA102); nova-core matches on vendor and class only, so the id is informational. [unverified:
/// ids taken from public PCI id lists, not checked against the kernel.]
///
/// ## Invariants
/// Ids are unique; `id >> 4` is the architecture's id.
public enum Chipset {
    TU102(0x162, 0x1E04, 11264, Tu102Hal.INSTANCE),
    TU104(0x164, 0x1E82, 8192, Tu102Hal.INSTANCE),
    TU106(0x166, 0x1F02, 8192, Tu102Hal.INSTANCE),
    TU117(0x167, 0x1F82, 4096, Tu102Hal.INSTANCE),
    TU116(0x168, 0x2182, 6144, Tu102Hal.INSTANCE),
    GA102(0x172, 0x2204, 24576, Ga102Hal.INSTANCE),
    GA103(0x173, 0x2420, 12288, Ga102Hal.INSTANCE),
    GA104(0x174, 0x2484, 8192, Ga102Hal.INSTANCE),
    GA106(0x176, 0x2503, 12288, Ga102Hal.INSTANCE),
    GA107(0x177, 0x25A0, 4096, Ga102Hal.INSTANCE),
    AD102(0x192, 0x2684, 24576, Ad102Hal.INSTANCE),
    AD103(0x193, 0x2704, 16384, Ad102Hal.INSTANCE),
    AD104(0x194, 0x2782, 12288, Ad102Hal.INSTANCE),
    AD106(0x196, 0x2803, 8192, Ad102Hal.INSTANCE),
    AD107(0x197, 0x2882, 8192, Ad102Hal.INSTANCE);

    /// The model's default VRAM: 256 MiB for every chipset (a retail board's many GiB of off-heap
    /// memory would be wasteful in an emulator; the size is a configuration choice).
    public static final long DEFAULT_VRAM_BYTES = 256L << 20;

    private static final Chipset[] VALUES = values();

    private final int id;
    private final int pciDeviceId;
    private final int retailVramMiB;
    private final NvHal hal;

    Chipset(int id, int pciDeviceId, int retailVramMiB, NvHal hal) {
        this.id = id;
        this.pciDeviceId = pciDeviceId;
        this.retailVramMiB = retailVramMiB;
        this.hal = hal;
    }

    /// The 9-bit chipset id (`architecture << 4 | implementation`), e.g. 0x172.
    public int id() {
        return id;
    }

    /// The architecture: `id >> 4`; every table entry has a supported one.
    public Architecture architecture() {
        return Architecture.fromId(id >> 4).orElseThrow();
    }

    /// The `implementation` field of `NV_PMC_BOOT_0`: `id & 0xF`.
    public int implementation() {
        return id & 0xF;
    }

    /// The PCI device id the model reports (vendor 0x10DE).
    public int pciDeviceId() {
        return pciDeviceId;
    }

    /// VRAM of the retail board the device id names, in MiB (documentation only).
    public int retailVramMiB() {
        return retailVramMiB;
    }

    /// The generation's behaviour differences.
    public NvHal hal() {
        return hal;
    }

    /// The name as nova-core prints it (`Chipset: GA102`).
    public String printName() {
        return name();
    }

    /// The directory nova-core requests firmware from: `nvidia/ga102`.
    public String firmwareDir() {
        return "nvidia/" + name().toLowerCase(java.util.Locale.ROOT);
    }

    /// The chipset with id `id`, or empty when nova-core does not know it (probe fails, ENODEV).
    public static Optional<Chipset> fromId(int id) {
        for (Chipset c : VALUES) {
            if (c.id == id) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
