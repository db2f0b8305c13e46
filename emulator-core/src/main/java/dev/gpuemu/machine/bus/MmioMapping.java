package dev.gpuemu.machine.bus;

import java.util.concurrent.atomic.AtomicBoolean;

/// One region mapped at one base address on an [MmioBus]; the handle that unmaps it.
///
/// ## Lifecycle
/// Returned by [MmioBus#map(long, MmioRegion)]; [#unmap()] exactly once (a second call throws
/// `IllegalStateException`). Unmapping does not close the region.
public final class MmioMapping {
    private final MmioBus bus;
    private final long base;
    private final long end;
    private final MmioRegion region;
    private final AtomicBoolean unmapped = new AtomicBoolean();

    MmioMapping(MmioBus bus, long base, MmioRegion region) {
        this.bus = bus;
        this.base = base;
        this.end = base + region.size();
        this.region = region;
    }

    /// Physical address of the region's first byte.
    public long base() {
        return base;
    }

    /// Address one past the region's last byte.
    public long end() {
        return end;
    }

    /// The mapped region.
    public MmioRegion region() {
        return region;
    }

    /// Whether [#unmap()] has been called.
    public boolean isUnmapped() {
        return unmapped.get();
    }

    /// Removes the mapping from the bus. Accesses that already looked the mapping up may still
    /// complete (the bus is RCU-like); later ones see unassigned addresses.
    ///
    /// @throws IllegalStateException if already unmapped
    public void unmap() {
        if (!unmapped.compareAndSet(false, true)) {
            throw new IllegalStateException("already unmapped: " + this);
        }
        bus.remove(this);
    }

    @Override
    public String toString() {
        return String.format("0x%x-0x%x %s", base, end() - 1, region.name());
    }
}
