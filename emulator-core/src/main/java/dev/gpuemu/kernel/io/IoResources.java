package dev.gpuemu.kernel.io;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.KernelException;
import java.util.ArrayList;
import java.util.List;

/// The kernel's `iomem` resource tree, flattened: which physical MMIO ranges are claimed and by
/// whom (`request_mem_region`). A second claim of an overlapping range is `EBUSY`.
///
/// ## Thread safety
/// Thread-safe.
public final class IoResources {
    private final List<Claim> claims = new ArrayList<>();

    /// A claimed range.
    public record Claim(long base, long size, String owner) {
        boolean overlaps(long b, long s) {
            return b < base + size && base < b + s;
        }
    }

    /// Claims `[base, base+size)` for `owner`.
    public synchronized Claim claim(long base, long size, String owner) throws KernelException {
        for (Claim c : claims) {
            if (c.overlaps(base, size)) {
                throw new KernelException(Errno.EBUSY, owner + ": range 0x" + Long.toHexString(base)
                        + " already claimed by " + c.owner());
            }
        }
        Claim c = new Claim(base, size, owner);
        claims.add(c);
        return c;
    }

    /// Releases a claim; false when it was not held.
    public synchronized boolean release(Claim claim) {
        return claims.remove(claim);
    }

    /// Current claims, in claim order.
    public synchronized List<Claim> claims() {
        return List.copyOf(claims);
    }
}
