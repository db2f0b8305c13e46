package dev.gpuemu.machine.mem;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/// A device model's DMA master port onto [SystemMemory].
///
/// **Bus address == physical address**: this machine has no IOMMU, so the address a driver
/// programs into the device is the physical address of the RAM it means.
///
/// Every transfer is checked before it touches anything, in this order:
/// 1. bus mastering must be enabled ([#setEnabled]; a PCI model passes its COMMAND.BUS_MASTER
///    bit), else `DMA_WITHOUT_BUS_MASTER`;
/// 2. the whole range must lie below `2^maskBits` (the device's addressing limit, default 32 bits,
///    like a PCI device's default DMA mask), else `DMA_MASK_VIOLATION`;
/// 3. the whole range must lie inside RAM, else `DMA_OUT_OF_RANGE`.
///
/// A refused transfer is counted as a guest error (the driver programmed a bad address), touches
/// no memory and returns `false` (or [#FAILED]). Transfers are little-endian.
///
/// ## Thread safety
/// Configuration is volatile; transfers may run on any thread (normally the clock thread).
/// Transfers give no ordering beyond plain accesses: the device publishes completion through a
/// register, memory release store, or IRQ, which the driver observes with the matching acquire.
///
/// ## Lifecycle
/// Owned by a device model; valid while its [SystemMemory] is open.
public final class DmaPort {
    /// Returned by [#readInt(long)] when the transfer was refused.
    public static final long FAILED = -1L;

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final SystemMemory mem;
    private final GuestErrors errors;
    private final String source;
    private volatile int maskBits = 32;
    private volatile BooleanSupplier enabled = () -> true;

    /// @param mem the RAM this port reaches
    /// @param errors where refused transfers are counted
    /// @param source name used in guest-error reports, e.g. `dma:edu`
    public DmaPort(SystemMemory mem, GuestErrors errors, String source) {
        this.mem = Objects.requireNonNull(mem, "mem");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.source = Objects.requireNonNull(source, "source");
    }

    /// Sets the device's DMA addressing limit in bits (1..64); default 32.
    public void setMaskBits(int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("mask bits must be 1..64: " + bits);
        }
        maskBits = bits;
    }

    /// The DMA addressing limit in bits.
    public int maskBits() {
        return maskBits;
    }

    /// Sets the bus-master gate, consulted on every transfer; default: always enabled (platform
    /// devices have no such bit).
    public void setEnabled(BooleanSupplier busMasterEnabled) {
        enabled = Objects.requireNonNull(busMasterEnabled, "busMasterEnabled");
    }

    /// Copies `dst.byteSize()` bytes from RAM at `busAddr` into `dst`.
    ///
    /// @return false (nothing copied, guest error counted) if the transfer is refused
    public boolean read(long busAddr, MemorySegment dst) {
        long len = dst.byteSize();
        if (!admit(busAddr, len)) {
            return false;
        }
        MemorySegment.copy(mem.ram(), busAddr - mem.base(), dst, 0, len);
        return true;
    }

    /// Copies all of `src` into RAM at `busAddr`.
    ///
    /// @return false (nothing copied, guest error counted) if the transfer is refused
    public boolean write(long busAddr, MemorySegment src) {
        long len = src.byteSize();
        if (!admit(busAddr, len)) {
            return false;
        }
        MemorySegment.copy(src, 0, mem.ram(), busAddr - mem.base(), len);
        return true;
    }

    /// Reads a little-endian 32-bit value.
    ///
    /// @return the value zero-extended (0..0xffff_ffff), or [#FAILED] if the transfer is refused
    public long readInt(long busAddr) {
        if (!admit(busAddr, 4)) {
            return FAILED;
        }
        return mem.ram().get(LE_INT, busAddr - mem.base()) & 0xffff_ffffL;
    }

    /// Writes a little-endian 32-bit value; false if refused.
    public boolean writeInt(long busAddr, int value) {
        if (!admit(busAddr, 4)) {
            return false;
        }
        mem.ram().set(LE_INT, busAddr - mem.base(), value);
        return true;
    }

    /// Writes a little-endian 64-bit value; false if refused.
    public boolean writeLong(long busAddr, long value) {
        if (!admit(busAddr, 8)) {
            return false;
        }
        mem.ram().set(LE_LONG, busAddr - mem.base(), value);
        return true;
    }

    private boolean admit(long busAddr, long len) {
        if (!enabled.getAsBoolean()) {
            errors.report(Kind.DMA_WITHOUT_BUS_MASTER, source, "DMA with bus mastering disabled", busAddr);
            return false;
        }
        int bits = maskBits;
        long last = busAddr + Math.max(len, 1) - 1;
        if (busAddr < 0 || last < busAddr || (bits < 64 && (last >>> bits) != 0)) {
            errors.report(Kind.DMA_MASK_VIOLATION, source, "DMA above the device's DMA mask", busAddr);
            return false;
        }
        if (busAddr < mem.base() || busAddr - mem.base() > mem.size() - len) {
            errors.report(Kind.DMA_OUT_OF_RANGE, source, "DMA outside system memory", busAddr);
            return false;
        }
        return true;
    }
}
