package dev.gpuemu.regs;

import java.util.Objects;

/// A bit field `msb:lsb` of a 32- or 64-bit register, validated when built.
///
/// @param name  datasheet name, e.g. `ARCH_MAJOR`
/// @param msb   most significant bit (inclusive, 0..63)
/// @param lsb   least significant bit (inclusive)
public record Field(String name, int msb, int lsb) {
    public Field {
        Objects.requireNonNull(name, "name");
        if (lsb < 0 || msb < lsb || msb > 63) {
            throw new IllegalArgumentException("bad field " + name + " " + msb + ":" + lsb);
        }
    }

    /// A one-bit field.
    public static Field bit(String name, int bit) {
        return new Field(name, bit, bit);
    }

    public int width() {
        return msb - lsb + 1;
    }

    /// The field's mask in register position.
    public long mask() {
        return width() == 64 ? -1L : ((1L << width()) - 1) << lsb;
    }

    /// Extracts the field from a raw register value.
    public long get(long raw) {
        return (raw & mask()) >>> lsb;
    }

    /// Whether a one-bit field is set in `raw`.
    public boolean isSet(long raw) {
        return (raw & mask()) != 0;
    }

    /// Returns `raw` with the field replaced by `value`; a value that does not fit throws.
    public long with(long raw, long value) {
        long max = width() == 64 ? -1L : (1L << width()) - 1;
        if (width() < 64 && (value & ~max) != 0) {
            throw new IllegalArgumentException(name + " value 0x" + Long.toHexString(value) + " does not fit "
                    + width() + " bits");
        }
        return (raw & ~mask()) | (value << lsb);
    }
}
