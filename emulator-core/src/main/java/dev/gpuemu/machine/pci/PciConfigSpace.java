package dev.gpuemu.machine.pci;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.bus.BusException;
import dev.gpuemu.machine.bus.MmioBus;
import dev.gpuemu.machine.bus.MmioMapping;
import dev.gpuemu.machine.bus.MmioRegion;
import java.util.Objects;

/// The 256-byte type-0 PCI configuration header a device model embeds (PCI Local Bus spec 3.0,
/// §6.1; QEMU keeps the same `config`/`wmask` byte arrays).
///
/// Each byte has a value and a write mask: a config write changes only the bits its mask allows,
/// which is how read-only fields ignore writes and how the BAR sizing protocol falls out for free.
/// Writable: COMMAND bits IO, MEMORY, BUS_MASTER, INTX_DISABLE; INTERRUPT_LINE; the address bits of
/// declared BARs. Everything else reads as set up by the model (IDs, class, pin) or 0.
///
/// BAR sizing: a memory BAR of `size` bytes (power of two, at least 16) has its low `log2(size)`
/// bits read-only, so writing all ones and reading back gives `~(size-1) | flags`. Flags: bit 0 = 0
/// (memory space), bits 2:1 = `00` 32-bit / `10` 64-bit, bit 3 = prefetchable. A 64-bit BAR uses
/// two slots; the upper slot holds address bits 63:32.
///
/// Decoding: while COMMAND.MEMORY is set and a BAR's base is non-zero, its region is mapped on the
/// host's [MmioBus] at that base; clearing MEMORY unmaps, rewriting the base while enabled remaps.
/// A base the bus cannot map (overlap, wrap-around) stays unmapped and counts `PCI_CONFIG`.
///
/// ## Invariants
/// Declared BARs never change after the function is attached; a mapped BAR is mapped at exactly
/// the base its registers hold.
///
/// ## Thread safety
/// Config accesses and (un)mapping are synchronised on this object. [#busMasterEnabled()] and
/// [#memoryEnabled()] read a volatile copy of COMMAND, so DMA checks on the clock thread take no lock.
///
/// ## Lifecycle
/// Set up (IDs, BARs, pin) by the device model, then attached to one [PciHost]; detaching unmaps
/// every BAR and clears COMMAND (power removed). It may be attached again.
public final class PciConfigSpace {
    /// Size of the configuration space in bytes.
    public static final int SIZE = 256;

    /// Vendor ID (RO, 16-bit); 0xffff on the bus means no function.
    public static final int VENDOR_ID = 0x00;
    /// Device ID (RO, 16-bit).
    public static final int DEVICE_ID = 0x02;
    /// Command register (16-bit; only the `COMMAND_*` bits are writable).
    public static final int COMMAND = 0x04;
    /// Status register (RO, reads 0: no capabilities, no errors modelled).
    public static final int STATUS = 0x06;
    /// Revision ID (RO, 8-bit).
    public static final int REVISION_ID = 0x08;
    /// Class code: programming interface (0x09), subclass (0x0A), base class (0x0B).
    public static final int CLASS_CODE = 0x09;
    /// Header type (RO): 0, plus bit 7 (multi-function) supplied by the host.
    public static final int HEADER_TYPE = 0x0E;
    /// HEADER_TYPE layout value of a PCI-to-PCI bridge (type 1 header).
    public static final int HEADER_TYPE_BRIDGE = 0x01;
    /// Type 1 header: the bus the bridge sits on.
    public static final int PRIMARY_BUS = 0x18;
    /// Type 1 header: the bus directly behind the bridge.
    public static final int SECONDARY_BUS = 0x19;
    /// Type 1 header: the highest bus number behind the bridge.
    public static final int SUBORDINATE_BUS = 0x1A;
    /// First of six 32-bit BAR slots.
    public static final int BAR0 = 0x10;
    /// Subsystem vendor ID (RO, 16-bit).
    public static final int SUBSYSTEM_VENDOR_ID = 0x2C;
    /// Subsystem ID (RO, 16-bit).
    public static final int SUBSYSTEM_ID = 0x2E;
    /// Interrupt line (RW, 8-bit): the routed controller line, written by the host at attach.
    public static final int INTERRUPT_LINE = 0x3C;
    /// Interrupt pin (RO): 0 none, 1..4 INTA#..INTD#.
    public static final int INTERRUPT_PIN = 0x3D;

    /// COMMAND: respond to I/O space accesses (stored; this machine has no I/O BARs).
    public static final int COMMAND_IO = 0x1;
    /// COMMAND: decode memory BARs.
    public static final int COMMAND_MEMORY = 0x2;
    /// COMMAND: the function may master the bus (DMA).
    public static final int COMMAND_BUS_MASTER = 0x4;
    /// COMMAND: the function must not assert INTx.
    public static final int COMMAND_INTX_DISABLE = 0x400;
    private static final int COMMAND_WRITABLE = COMMAND_IO | COMMAND_MEMORY | COMMAND_BUS_MASTER | COMMAND_INTX_DISABLE;

    /// BAR flag bits 2:1 = `10b`: 64-bit BAR.
    public static final int BAR_TYPE_64 = 0x4;
    /// BAR flag bit 3: prefetchable.
    public static final int BAR_PREFETCHABLE = 0x8;
    private static final int BAR_COUNT = 6;

    private final byte[] config = new byte[SIZE];
    private final byte[] wmask = new byte[SIZE];
    private final Bar[] bars = new Bar[BAR_COUNT];
    private volatile int command;

    // Set while attached; guarded by this.
    private MmioBus bus;
    private GuestErrors errors;
    private String source;

    private static final class Bar {
        final int index;
        final MmioRegion region;
        final boolean is64;
        MmioMapping mapping;

        Bar(int index, MmioRegion region, boolean is64) {
            this.index = index;
            this.region = region;
            this.is64 = is64;
        }
    }

    /// A header with the given identity, interrupt pin INTA#, no BARs.
    ///
    /// @param vendorId 16-bit vendor ID (not 0xffff, which means "no function")
    /// @param deviceId 16-bit device ID
    /// @param revision 8-bit revision ID
    /// @param classCode 24-bit class code (base class, subclass, programming interface)
    public PciConfigSpace(int vendorId, int deviceId, int revision, int classCode) {
        checkBits("vendorId", vendorId, 16);
        if (vendorId == 0xffff) {
            throw new IllegalArgumentException("vendor ID 0xffff means no function");
        }
        checkBits("deviceId", deviceId, 16);
        checkBits("revision", revision, 8);
        checkBits("classCode", classCode, 24);
        set(VENDOR_ID, 2, vendorId);
        set(DEVICE_ID, 2, deviceId);
        set(REVISION_ID, 1, revision);
        set(CLASS_CODE, 3, classCode);
        set(INTERRUPT_PIN, 1, 1);
        setMask(COMMAND, 2, COMMAND_WRITABLE);
        setMask(INTERRUPT_LINE, 1, 0xff);
    }

    /// Sets the subsystem vendor and subsystem IDs (read-only to the guest).
    public synchronized PciConfigSpace setSubsystem(int subsystemVendorId, int subsystemId) {
        checkSetup();
        checkBits("subsystemVendorId", subsystemVendorId, 16);
        checkBits("subsystemId", subsystemId, 16);
        set(SUBSYSTEM_VENDOR_ID, 2, subsystemVendorId);
        set(SUBSYSTEM_ID, 2, subsystemId);
        return this;
    }

    /// Sets the interrupt pin: 0 = none, 1..4 = INTA#..INTD#. Default INTA#.
    public synchronized PciConfigSpace setInterruptPin(int pin) {
        checkSetup();
        if (pin < 0 || pin > 4) {
            throw new IllegalArgumentException("interrupt pin must be 0..4: " + pin);
        }
        set(INTERRUPT_PIN, 1, pin);
        return this;
    }

    /// Makes this a PCI-to-PCI bridge header (type 1) with the bus numbers firmware assigned;
    /// the three bus-number registers stay writable, as on hardware. Bridge windows (I/O,
    /// memory, prefetchable) are not modelled: the host decodes every BAR directly.
    public synchronized PciConfigSpace bridgeHeader(int primary, int secondary, int subordinate) {
        checkSetup();
        checkBits("primary", primary, 8);
        checkBits("secondary", secondary, 8);
        checkBits("subordinate", subordinate, 8);
        if (secondary <= primary || subordinate < secondary) {
            throw new IllegalArgumentException("bridge buses must satisfy primary < secondary <= subordinate: "
                    + primary + ", " + secondary + ", " + subordinate);
        }
        set(HEADER_TYPE, 1, HEADER_TYPE_BRIDGE);
        set(PRIMARY_BUS, 1, primary);
        set(SECONDARY_BUS, 1, secondary);
        set(SUBORDINATE_BUS, 1, subordinate);
        setMask(PRIMARY_BUS, 3, 0xFF_FFFF);
        return this;
    }

    /// Declares memory BAR `index` (0..5; 0..4 for a 64-bit BAR, which also takes `index + 1`)
    /// decoding `region`, whose size (a power of two, at least 16, at most 2 GiB for 32-bit BARs)
    /// is the BAR size.
    public synchronized PciConfigSpace declareMemoryBar(int index, MmioRegion region, boolean is64, boolean prefetchable) {
        checkSetup();
        Objects.requireNonNull(region, "region");
        long size = region.size();
        if (index < 0 || index >= BAR_COUNT || (is64 && index == BAR_COUNT - 1)) {
            throw new IllegalArgumentException("BAR index out of range: " + index);
        }
        if (slotTaken(index) || (is64 && slotTaken(index + 1))) {
            throw new IllegalArgumentException("BAR slot already declared: " + index);
        }
        if (Long.bitCount(size) != 1 || size < 16 || (!is64 && size > (1L << 31))) {
            throw new IllegalArgumentException("BAR size must be a power of two >= 16 (<= 2 GiB for 32-bit): " + size);
        }
        int off = BAR0 + 4 * index;
        long addrMask = ~(size - 1) & ~0xfL;
        set(off, 4, (is64 ? BAR_TYPE_64 : 0) | (prefetchable ? BAR_PREFETCHABLE : 0));
        setMask(off, 4, addrMask & 0xffff_ffffL);
        if (is64) {
            setMask(off + 4, 4, addrMask >>> 32);
        }
        bars[index] = new Bar(index, region, is64);
        return this;
    }

    private boolean slotTaken(int slot) {
        return bars[slot] != null || (slot > 0 && bars[slot - 1] != null && bars[slot - 1].is64);
    }

    /// Whether COMMAND.BUS_MASTER is set (wire into [dev.gpuemu.machine.mem.DmaPort#setEnabled]).
    public boolean busMasterEnabled() {
        return (command & COMMAND_BUS_MASTER) != 0;
    }

    /// Whether COMMAND.MEMORY is set (BARs decode).
    public boolean memoryEnabled() {
        return (command & COMMAND_MEMORY) != 0;
    }

    /// Whether COMMAND.INTX_DISABLE is set (the model must not assert INTx).
    public boolean intxDisabled() {
        return (command & COMMAND_INTX_DISABLE) != 0;
    }

    /// The base address BAR `index` holds (flags stripped; for a 64-bit BAR both halves).
    public synchronized long barAddress(int index) {
        Bar bar = bars[index];
        if (bar == null) {
            throw new IllegalArgumentException("BAR " + index + " not declared");
        }
        return barBase(bar);
    }

    /// The value of INTERRUPT_LINE.
    public synchronized int interruptLine() {
        return (int) get(INTERRUPT_LINE, 1);
    }

    /// The value of INTERRUPT_PIN (0 = none, 1..4 = INTA#..INTD#).
    public synchronized int interruptPin() {
        return (int) get(INTERRUPT_PIN, 1);
    }

    // --- host side ---

    synchronized void attach(MmioBus bus, GuestErrors errors, String source) {
        if (this.bus != null) {
            throw new IllegalStateException("configuration space already attached as " + this.source);
        }
        this.bus = bus;
        this.errors = errors;
        this.source = source;
    }

    synchronized void detach() {
        set(COMMAND, 2, 0);
        command = 0;
        updateMappings();
        bus = null;
        errors = null;
        source = null;
    }

    /// Firmware's write of the routed IRQ into INTERRUPT_LINE.
    synchronized void setInterruptLine(int line) {
        set(INTERRUPT_LINE, 1, line);
    }

    /// Reads `n` bytes at `off` (caller checked `0 <= off && off + n <= SIZE`).
    synchronized long read(int off, int n) {
        return get(off, n);
    }

    /// Writes `n` bytes at `off` through the write masks, then updates BAR decoding.
    synchronized void write(int off, int n, long value) {
        for (int i = 0; i < n; i++) {
            int at = off + i;
            byte b = (byte) (value >>> (8 * i));
            config[at] = (byte) ((config[at] & ~wmask[at]) | (b & wmask[at]));
        }
        command = (int) get(COMMAND, 2);
        boolean touchesCommand = off < COMMAND + 2 && off + n > COMMAND;
        boolean touchesBars = off < BAR0 + 4 * BAR_COUNT && off + n > BAR0;
        if (touchesCommand || touchesBars) {
            updateMappings();
        }
    }

    private void updateMappings() {
        for (Bar bar : bars) {
            if (bar == null) {
                continue;
            }
            long base = barBase(bar);
            boolean decode = bus != null && memoryEnabled() && base != 0;
            if (bar.mapping != null && (!decode || bar.mapping.base() != base)) {
                bar.mapping.unmap();
                bar.mapping = null;
            }
            if (decode && bar.mapping == null) {
                try {
                    bar.mapping = bus.map(base, bar.region);
                } catch (BusException e) {
                    errors.report(Kind.PCI_CONFIG, source, "BAR" + bar.index + " base cannot be decoded (" + e.error() + ")", base);
                }
            }
        }
    }

    private long barBase(Bar bar) {
        int off = BAR0 + 4 * bar.index;
        long low = get(off, 4) & ~0xfL;
        return bar.is64 ? low | (get(off + 4, 4) << 32) : low;
    }

    private void checkSetup() {
        if (bus != null) {
            throw new IllegalStateException("configuration space is attached; set it up before attaching");
        }
    }

    private long get(int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (config[off + i] & 0xffL);
        }
        return v;
    }

    private void set(int off, int n, long value) {
        for (int i = 0; i < n; i++) {
            config[off + i] = (byte) (value >>> (8 * i));
        }
    }

    private void setMask(int off, int n, long mask) {
        for (int i = 0; i < n; i++) {
            wmask[off + i] = (byte) (mask >>> (8 * i));
        }
    }

    private static void checkBits(String what, int v, int bits) {
        if (v < 0 || v >= (1 << bits)) {
            throw new IllegalArgumentException(what + " does not fit in " + bits + " bits: 0x" + Integer.toHexString(v));
        }
    }
}
