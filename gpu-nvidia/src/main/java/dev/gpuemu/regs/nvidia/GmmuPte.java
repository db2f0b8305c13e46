package dev.gpuemu.regs.nvidia;

import dev.gpuemu.regs.Field;

/// The GMMU's version-2 page-table entry (`NV_MMU_VER2_PTE` in NVIDIA's dev_mmu.h), 8 bytes:
///
/// | bits | field | gpuemu |
/// |---|---|---|
/// | 0 | VALID | 0: `NV_PFAULT_FAULT_TYPE_PTE` |
/// | 2:1 | APERTURE (0 video, 1 peer, 2 sys coherent, 3 sys non-coherent) | peer: `UNSUPPORTED_APERTURE` fault |
/// | 3 | VOL | ignored (no caches) |
/// | 4 | ENCRYPTED | ignored |
/// | 5 | PRIVILEGE | ignored (every gpuemu channel is privileged) |
/// | 6 | READ_ONLY | a write faults with `RO_VIOLATION` |
/// | 7 | ATOMIC_DISABLE | ignored |
/// | 53:8 | ADDRESS_SYS (page address >> 12); video memory: `[32:8]` | |
/// | 55:36 | COMPTAGLINE | ignored |
/// | 63:56 | KIND | ignored (every kind is treated as pitch) |
public final class GmmuPte {
    public static final Field VALID = Field.bit("VALID", 0);
    public static final Field APERTURE = new Field("APERTURE", 2, 1);
    public static final Field VOL = Field.bit("VOL", 3);
    public static final Field ENCRYPTED = Field.bit("ENCRYPTED", 4);
    public static final Field PRIVILEGE = Field.bit("PRIVILEGE", 5);
    public static final Field READ_ONLY = Field.bit("READ_ONLY", 6);
    public static final Field ATOMIC_DISABLE = Field.bit("ATOMIC_DISABLE", 7);
    public static final Field ADDRESS_SYS = new Field("ADDRESS_SYS", 53, 8);
    public static final Field ADDRESS_VID = new Field("ADDRESS_VID", 32, 8);
    public static final Field KIND = new Field("KIND", 63, 56);

    public static final int APERTURE_VIDEO_MEMORY = 0;
    public static final int APERTURE_PEER_MEMORY = 1;
    public static final int APERTURE_SYSTEM_COHERENT_MEMORY = 2;
    public static final int APERTURE_SYSTEM_NON_COHERENT_MEMORY = 3;

    /// `KIND_PITCH`.
    public static final int KIND_PITCH = 0x00;

    /// Bytes per PTE.
    public static final int SIZE = 8;

    private GmmuPte() {
    }

    /// A valid PTE mapping the 4 KiB page at `pageAddr` in `aperture`.
    public static long encode(int aperture, long pageAddr, boolean readOnly) {
        return encode(aperture, pageAddr, readOnly, false, false);
    }

    /// A valid PTE with every modelled flag.
    public static long encode(int aperture, long pageAddr, boolean readOnly, boolean vol, boolean privileged) {
        if (aperture < APERTURE_VIDEO_MEMORY || aperture > APERTURE_SYSTEM_NON_COHERENT_MEMORY) {
            throw new IllegalArgumentException("aperture " + aperture);
        }
        if ((pageAddr & (GmmuPde.PAGE_SIZE - 1)) != 0 || pageAddr < 0) {
            throw new IllegalArgumentException("page 0x" + Long.toHexString(pageAddr));
        }
        Field addr = aperture == APERTURE_VIDEO_MEMORY ? ADDRESS_VID : ADDRESS_SYS;
        long v = 1L | (long) aperture << 1 | (vol ? 1L << 3 : 0) | (privileged ? 1L << 5 : 0)
                | (readOnly ? 1L << 6 : 0);
        return addr.with(v, pageAddr >>> GmmuPde.PAGE_SHIFT);
    }

    public static boolean isValid(long pte) {
        return (pte & 1) != 0;
    }

    public static boolean isReadOnly(long pte) {
        return (pte & (1L << 6)) != 0;
    }

    public static int aperture(long pte) {
        return (int) (pte >>> 1) & 3;
    }

    /// The mapped page's address.
    public static long pageAddress(long pte) {
        return aperture(pte) == APERTURE_VIDEO_MEMORY
                ? ADDRESS_VID.get(pte) << GmmuPde.PAGE_SHIFT
                : ADDRESS_SYS.get(pte) << GmmuPde.PAGE_SHIFT;
    }
}
