package dev.gpuemu.machine.bus;

/// Width of one bus access. Values travel in the low bits of a `long`, little-endian: byte `i`
/// of the access is bits `8*i .. 8*i+7`.
public enum AccessSize {
    /// 8-bit access (`readb`/`writeb`).
    BYTE(1),
    /// 16-bit access (`readw`/`writew`).
    WORD(2),
    /// 32-bit access (`readl`/`writel`).
    DWORD(4),
    /// 64-bit access (`readq`/`writeq`).
    QWORD(8);

    private final int bytes;
    private final long mask;

    AccessSize(int bytes) {
        this.bytes = bytes;
        this.mask = bytes == 8 ? -1L : (1L << (8 * bytes)) - 1;
    }

    /// Width in bytes: 1, 2, 4 or 8.
    public int bytes() {
        return bytes;
    }

    /// The value mask: `0xff`, `0xffff`, `0xffff_ffff` or all ones.
    public long mask() {
        return mask;
    }

    /// The size of `bytes` bytes.
    ///
    /// @throws BusException with [BusError#INVALID_ACCESS_LENGTH] unless `bytes` is 1, 2, 4 or 8
    public static AccessSize ofBytes(int bytes) {
        return switch (bytes) {
            case 1 -> BYTE;
            case 2 -> WORD;
            case 4 -> DWORD;
            case 8 -> QWORD;
            default -> throw new BusException(BusError.INVALID_ACCESS_LENGTH, "access length " + bytes);
        };
    }

    /// Mask of the low `bytes` bytes (0..8) of a `long`.
    static long maskOf(int bytes) {
        return bytes >= 8 ? -1L : (1L << (8 * bytes)) - 1;
    }
}
