package dev.gpuemu.machine.bus;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;

/// One block of an [MmioRegion]: a register block (with a [RegisterHandler]) or a memory range
/// (`handler == null`). Holds the access adaptation between `valid` and `impl`.
///
/// ## Invariants
/// `0 <= start < end <= region.size()`. For register blocks `start` and `end` are multiples of
/// `spec.implMax()`, so every impl-sized aligned piece of an in-block access lies inside the block.
///
/// ## Thread safety
/// Immutable; register dispatch holds the region's device lock for the whole (possibly split)
/// access, so a split access is atomic with respect to the device model.
final class RegionBlock {
    final long start;
    final long end;
    final AccessSpec spec;
    final RegisterHandler handler;
    final boolean readOnly;

    RegionBlock(long start, long end, AccessSpec spec, RegisterHandler handler, boolean readOnly) {
        this.start = start;
        this.end = end;
        this.spec = spec;
        this.handler = handler;
        this.readOnly = readOnly;
    }

    /// Checks the guest access against `valid` and the block bounds; reports and returns false if it
    /// must not go through.
    boolean admit(MmioRegion r, long off, int n, boolean write, GuestErrors errors) {
        if (!spec.isValidSize(n)) {
            errors.report(Kind.INVALID_ACCESS_SIZE, r.name(),
                    write ? "write of a size the block does not accept" : "read of a size the block does not accept", off);
            return false;
        }
        if (!spec.unalignedValid() && (off & (n - 1)) != 0) {
            errors.report(Kind.UNALIGNED_ACCESS, r.name(), write ? "unaligned write" : "unaligned read", off);
            return false;
        }
        if (off + n > end) {
            errors.report(Kind.INVALID_ACCESS_SIZE, r.name(),
                    write ? "write straddles the end of a block" : "read straddles the end of a block", off);
            return false;
        }
        return true;
    }

    /// Reads `n` valid bytes at region offset `off` through the handler, in impl-sized pieces.
    long readRegisters(MmioRegion r, long off, int n) {
        int p = Math.min(Math.max(n, spec.implMin()), spec.implMax());
        AccessSize ps = AccessSize.ofBytes(p);
        long first = off & -p;
        long last = (off + n + p - 1) & -p;
        long result = 0;
        r.deviceLock().lock();
        try {
            for (long a = first; a < last; a += p) {
                long v = handler.read(a, ps) & ps.mask();
                long lo = Math.max(a, off);
                long hi = Math.min(a + p, off + n);
                long chunk = (v >>> (8 * (lo - a))) & AccessSize.maskOf((int) (hi - lo));
                result |= chunk << (8 * (lo - off));
            }
        } finally {
            r.deviceLock().unlock();
        }
        return result;
    }

    /// Writes `n` valid bytes at region offset `off` through the handler, in impl-sized pieces;
    /// pieces the access covers only partly are read-modify-written.
    void writeRegisters(MmioRegion r, long off, int n, long value) {
        int p = Math.min(Math.max(n, spec.implMin()), spec.implMax());
        AccessSize ps = AccessSize.ofBytes(p);
        long first = off & -p;
        long last = (off + n + p - 1) & -p;
        r.deviceLock().lock();
        try {
            for (long a = first; a < last; a += p) {
                long lo = Math.max(a, off);
                long hi = Math.min(a + p, off + n);
                long bytesMask = AccessSize.maskOf((int) (hi - lo));
                long part = (value >>> (8 * (lo - off))) & bytesMask;
                if (lo == a && hi == a + p) {
                    handler.write(a, ps, part);
                } else {
                    // Narrower than impl: read-modify-write (see MmioRegion's class doc on side effects).
                    long old = handler.read(a, ps) & ps.mask();
                    int shift = (int) (8 * (lo - a));
                    handler.write(a, ps, (old & ~(bytesMask << shift)) | (part << shift));
                }
            }
        } finally {
            r.deviceLock().unlock();
        }
    }

    /// Reads `n` bytes of a memory block directly from the backing store.
    long readMemory(MmioRegion r, long off, int n) {
        boolean aligned = (off & (n - 1)) == 0;
        // ORDERING: a bus read of memory is an acquire load (MMIO reads are ordered on real buses),
        // pairing with the device model's putXxxRelease of the same location.
        return switch (n) {
            case 1 -> r.getByteAcquire(off) & 0xffL;
            case 2 -> (aligned ? r.getShortAcquire(off) : r.getShortUnalignedPlain(off)) & 0xffffL;
            case 4 -> (aligned ? r.getIntAcquire(off) : r.getIntUnalignedPlain(off)) & 0xffff_ffffL;
            default -> aligned ? r.getLongAcquire(off) : r.getLongUnalignedPlain(off);
        };
    }

    /// Writes `n` bytes of a memory block directly to the backing store.
    void writeMemory(MmioRegion r, long off, int n, long value) {
        boolean aligned = (off & (n - 1)) == 0;
        // ORDERING: a bus write of memory is a release store, pairing with the device model's
        // getXxxAcquire of the same location.
        switch (n) {
            case 1 -> r.putByteRelease(off, (byte) value);
            case 2 -> {
                if (aligned) {
                    r.putShortRelease(off, (short) value);
                } else {
                    r.putShortUnalignedPlain(off, (short) value);
                }
            }
            case 4 -> {
                if (aligned) {
                    r.putIntRelease(off, (int) value);
                } else {
                    r.putIntUnalignedPlain(off, (int) value);
                }
            }
            default -> {
                if (aligned) {
                    r.putLongRelease(off, value);
                } else {
                    r.putLongUnalignedPlain(off, value);
                }
            }
        }
    }
}
