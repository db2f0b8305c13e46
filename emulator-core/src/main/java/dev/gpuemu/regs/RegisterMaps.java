package dev.gpuemu.regs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/// Validation of register maps: what the kernel's `register!` macros check at build time.
public final class RegisterMaps {
    private RegisterMaps() {
    }

    /// Checks a register map and returns it: widths 4 or 8, offsets aligned to the width, no two
    /// registers overlapping, fields inside the register and not overlapping each other, reset
    /// values inside the register width. Throws IllegalStateException describing the first error.
    public static <R extends RegisterDef> List<R> validate(List<R> map) {
        List<R> sorted = new ArrayList<>(map);
        sorted.sort(Comparator.comparingLong(RegisterDef::offset));
        RegisterDef prev = null;
        for (R r : sorted) {
            if (r.width() != 4 && r.width() != 8) {
                throw new IllegalStateException(r.name() + ": width " + r.width());
            }
            if (r.offset() % r.width() != 0) {
                throw new IllegalStateException(r.name() + ": offset 0x" + Long.toHexString(r.offset()) + " unaligned");
            }
            if (prev != null && prev.offset() + prev.width() > r.offset()) {
                throw new IllegalStateException(r.name() + " overlaps " + prev.name());
            }
            if (r.width() == 4 && (r.resetValue() & ~0xFFFF_FFFFL) != 0) {
                throw new IllegalStateException(r.name() + ": reset value wider than the register");
            }
            long used = 0;
            for (Field f : r.fields()) {
                if (f.msb() >= r.width() * 8) {
                    throw new IllegalStateException(r.name() + "." + f.name() + " outside the register");
                }
                if ((used & f.mask()) != 0) {
                    throw new IllegalStateException(r.name() + "." + f.name() + " overlaps another field");
                }
                used |= f.mask();
            }
            prev = r;
        }
        return List.copyOf(map);
    }
}
