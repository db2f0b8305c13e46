package dev.gpuemu.hw.nvidia;

import static dev.gpuemu.regs.nvidia.NvBar0Map.*;

import dev.gpuemu.hw.nvidia.falcon.Falcon;
import dev.gpuemu.hw.nvidia.falcon.FalconPorts;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.HwContext;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.AccessSpec;
import dev.gpuemu.machine.bus.MmioRegion;
import dev.gpuemu.machine.bus.RegisterHandler;
import dev.gpuemu.machine.irq.IrqLine;
import dev.gpuemu.machine.mem.DmaPort;
import dev.gpuemu.machine.pci.PciConfigSpace;
import dev.gpuemu.machine.pci.PciFunction;
import dev.gpuemu.machine.time.ClockDomain;
import dev.gpuemu.regs.nvidia.FalconFwFormat;
import dev.gpuemu.regs.nvidia.FalconRegs;
import dev.gpuemu.regs.nvidia.NvReg;
import dev.gpuemu.regs.nvidia.NvRegs;
import java.util.Objects;
import java.util.function.Function;

/// The emulated NVIDIA GPU (GA102 by default; every chipset of the table through [NvConfig]) as a
/// PCI function (docs/devices/nvidia-ga102.md).
///
/// - PCI: vendor 0x10DE, device id from the chipset table, class 0x030000, revision = the
///   config's revision byte, INTA#.
/// - BAR0 (16 MiB, 32-bit, non-prefetchable): one register block taking 32-bit accesses only.
///   [NvReg] registers, the GSP and SEC2 falcons ([Falcon]), the usermode doorbell (a write of a
///   token to `NOTIFY_CHANNEL_PENDING` -> [HostEngine#notifyChannelPending]) and the channel
///   window (-> [HostEngine#readRegister]/[HostEngine#writeRegister]). Any other offset reads
///   [NvRegs#PRI_BAD_READ] and counts a `DEVICE` guest error; writes to it, and to read-only
///   registers, are dropped and counted.
/// - BAR1 (VRAM size, 64-bit, prefetchable): the VRAM, plain memory; BAR1 offset = VRAM address;
///   the host block sees the same bytes as [NvHwPorts#vram()].
///
/// While `NV_PMC_ENABLE.PFIFO` is clear the channel window reads 0 and drops writes and doorbells
/// (counted); clearing it calls [HostEngine#reset()], as does [#functionLevelReset()].
///
/// ## Thread safety
/// BAR0 handlers run under BAR0's device lock; every clock event of the model takes it.
///
/// ## Lifecycle
/// Built by the board's factory, attached to a PCI slot, [#close]d once (closes the host if it is
/// [AutoCloseable], then both BARs' memory); a second close throws.
public final class Ga102 implements PciFunction, AutoCloseable {
    private final String source;
    private final NvConfig cfg;
    private final GuestErrors errors;
    private final PciConfigSpace config;
    private final MmioRegion bar0;
    private final MmioRegion bar1;
    private final DmaPort sysmem;
    private final NvInterrupts intr;
    private final CoreRegs core;
    private final Falcon gsp;
    private final Falcon sec2;
    private final NvHwPorts ports;
    private final HostEngine host;
    private boolean closed;

    /// A GPU without a host block ([NoHost]).
    public Ga102(HwContext hw, String name, NvConfig cfg) {
        this(hw, name, cfg, NoHost::new);
    }

    /// A GPU whose host block (channels, copy engine, GMMU) `hostFactory` builds from the ports of
    /// the rest of the model (called once, at the end of construction).
    public Ga102(HwContext hw, String name, NvConfig cfg, Function<NvHwPorts, HostEngine> hostFactory) {
        Objects.requireNonNull(hw, "hw");
        Objects.requireNonNull(name, "name");
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(hostFactory, "hostFactory");
        this.source = cfg.chipset().name().toLowerCase(java.util.Locale.ROOT) + " " + name;
        this.errors = hw.guestErrors();
        this.config = new PciConfigSpace(NvRegs.VENDOR_ID, cfg.chipset().pciDeviceId(), cfg.revision(),
                NvRegs.CLASS_CODE);
        config.setInterruptPin(1);
        this.bar0 = MmioRegion.builder(source + " bar0", BAR0_SIZE)
                .registers(0, BAR0_SIZE, AccessSpec.DWORD_ONLY, new Bar0())
                .build();
        this.bar1 = MmioRegion.builder(source + " bar1", cfg.vramBytes())
                .memory(0, cfg.vramBytes(), AccessSpec.ANY_ALIGNED, false)
                .build();
        config.declareMemoryBar(0, bar0, false, false);
        config.declareMemoryBar(1, bar1, true, true);
        this.sysmem = new DmaPort(hw.memory(), errors, source);
        sysmem.setMaskBits(47);
        sysmem.setEnabled(config::busMasterEnabled);
        ClockDomain gpuClock = new ClockDomain(source + " gpc", cfg.gpuClockHz());
        this.intr = new NvInterrupts(config);
        this.core = new CoreRegs(source, cfg, hw.clock(), errors, bar0.deviceLock(), intr, this::resetHost);
        var vram = bar1.segment(0, cfg.vramBytes());
        this.gsp = new Falcon(new FalconPorts(source + " gsp", FalconFwFormat.FALCON_GSP, hw.clock(), gpuClock,
                errors, bar0.deviceLock(), sysmem, vram, this::scratchOr, cfg.falconScrubNs()));
        this.sec2 = new Falcon(new FalconPorts(source + " sec2", FalconFwFormat.FALCON_SEC2, hw.clock(), gpuClock,
                errors, bar0.deviceLock(), sysmem, vram, this::scratchOr, cfg.falconScrubNs()));
        this.ports = new NvHwPorts(source, vram, sysmem, intr, hw.clock(), gpuClock, errors, bar0.deviceLock());
        bar0.deviceLock().lock();
        try {
            core.reset();
        } finally {
            bar0.deviceLock().unlock();
        }
        this.host = Objects.requireNonNull(hostFactory.apply(ports), "hostFactory returned null");
    }

    private void resetHost() {
        host.reset();
    }

    private void scratchOr(int index, int bits) {
        core.scratch[index] |= bits;
    }

    @Override
    public PciConfigSpace config() {
        return config;
    }

    @Override
    public void connectIntx(IrqLine line) {
        Objects.requireNonNull(line, "line");
        bar0.deviceLock().lock();
        try {
            intr.connect(line);
        } finally {
            bar0.deviceLock().unlock();
        }
    }

    /// BAR0 (tests, the qtest-like script layer).
    public MmioRegion bar0() {
        return bar0;
    }

    /// BAR1, the VRAM aperture.
    public MmioRegion bar1() {
        return bar1;
    }

    public NvConfig nvConfig() {
        return cfg;
    }

    /// What the host block was built with.
    public NvHwPorts ports() {
        return ports;
    }

    /// The host block.
    public HostEngine host() {
        return host;
    }

    /// The GSP falcon.
    public Falcon gsp() {
        return gsp;
    }

    /// The SEC2 falcon.
    public Falcon sec2() {
        return sec2;
    }

    /// PCI function-level reset: every register to its reset value, both falcons reset (and
    /// scrubbing), GFW boot runs again, the host block is reset. VRAM keeps its contents.
    public void functionLevelReset() {
        bar0.deviceLock().lock();
        try {
            core.reset();
            gsp.powerOnReset();
            sec2.powerOnReset();
            host.reset();
        } finally {
            bar0.deviceLock().unlock();
        }
    }

    /// A consistent snapshot (taken under the device lock).
    public NvState state() {
        bar0.deviceLock().lock();
        try {
            return new NvState(intr.intr0(), intr.topEnable, core.pmcEnable(), leaf(intr.stall), leaf(intr.stallEn),
                    leaf(intr.nonStall), leaf(intr.nonStallEn), intr.asserted(), core.gfwDone, core.sysmemFlushAddr(),
                    gsp.state(), sec2.state());
        } finally {
            bar0.deviceLock().unlock();
        }
    }

    private static long leaf(int[] words) {
        return Integer.toUnsignedLong(words[0]) | (long) words[1] << 32;
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException(source + " already closed");
        }
        closed = true;
        bar0.deviceLock().lock();
        try {
            core.cancel();
            gsp.cancelTimers();
            sec2.cancelTimers();
        } finally {
            bar0.deviceLock().unlock();
        }
        if (host instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(source + ": closing the host block failed", e);
            }
        }
        bar0.close();
        bar1.close();
    }

    private static boolean in(long off, long base, long size) {
        return off >= base && off < base + size;
    }

    /// The whole of BAR0.
    private final class Bar0 implements RegisterHandler {
        @Override
        public long read(long off, AccessSize size) {
            if (in(off, GSP_FALCON_BASE, FalconRegs.FALCON_BLOCK_SIZE)) {
                return falconRead(gsp, off, GSP_FALCON_BASE);
            }
            if (in(off, SEC2_FALCON_BASE, FalconRegs.FALCON_BLOCK_SIZE)) {
                return falconRead(sec2, off, SEC2_FALCON_BASE);
            }
            if (in(off, HOST_WINDOW_BASE, HOST_WINDOW_SIZE)) {
                return core.pfifoEnabled() ? Integer.toUnsignedLong(host.readRegister((int) (off - HOST_WINDOW_BASE))) : 0;
            }
            if (off == USERMODE_BASE + USERMODE_NOTIFY_CHANNEL_PENDING) {
                return 0; // write-only doorbell
            }
            NvReg reg = NvReg.atOrNull(off);
            if (reg == null || !core.has(reg)) {
                return unknownRead(off);
            }
            return Integer.toUnsignedLong(core.read(reg, reg.indexOf(off)));
        }

        @Override
        public void write(long off, AccessSize size, long value) {
            int v = (int) value;
            if (in(off, GSP_FALCON_BASE, FalconRegs.FALCON_BLOCK_SIZE)) {
                falconWrite(gsp, off, GSP_FALCON_BASE, v);
            } else if (in(off, SEC2_FALCON_BASE, FalconRegs.FALCON_BLOCK_SIZE)) {
                falconWrite(sec2, off, SEC2_FALCON_BASE, v);
            } else if (in(off, HOST_WINDOW_BASE, HOST_WINDOW_SIZE)) {
                if (hostEnabled(off)) {
                    host.writeRegister((int) (off - HOST_WINDOW_BASE), v);
                }
            } else if (off == USERMODE_BASE + USERMODE_NOTIFY_CHANNEL_PENDING) {
                if (hostEnabled(off)) {
                    host.notifyChannelPending(v);
                }
            } else {
                NvReg reg = NvReg.atOrNull(off);
                if (reg == null || !core.has(reg)) {
                    errors.report(Kind.DEVICE, source, "write to an unmodelled BAR0 offset", off);
                } else {
                    core.write(reg, reg.indexOf(off), v);
                }
            }
        }

        private boolean hostEnabled(long off) {
            if (!core.pfifoEnabled()) {
                errors.report(Kind.DEVICE, source, "host access while NV_PMC_ENABLE.PFIFO is clear", off);
                return false;
            }
            return true;
        }

        private long falconRead(Falcon f, long off, long base) {
            long v = f.read(off - base);
            return v < 0 ? unknownRead(off) : v;
        }

        private void falconWrite(Falcon f, long off, long base, int v) {
            if (!f.write(off - base, v)) {
                errors.report(Kind.DEVICE, source, "write to an unmodelled falcon register", off);
            }
        }

        private long unknownRead(long off) {
            errors.report(Kind.DEVICE, source, "read of an unmodelled BAR0 offset", off);
            return Integer.toUnsignedLong(NvRegs.PRI_BAD_READ);
        }
    }
}
