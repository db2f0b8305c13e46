package dev.gpuemu.hw.mali;

import dev.gpuemu.hw.mali.mmu.MaliMmu;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.HwContext;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.AccessSpec;
import dev.gpuemu.machine.bus.MmioRegion;
import dev.gpuemu.machine.bus.RegisterHandler;
import dev.gpuemu.machine.bus.SysBusDevice;
import dev.gpuemu.machine.irq.IrqLine;
import dev.gpuemu.machine.time.ClockDomain;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/// The emulated Arm Mali-G610 (Valhall, CSF) of the RK3588, as a platform device
/// (docs/devices/mali-g610.md).
///
/// One 2 MiB MMIO region ([MaliRegs#MMIO_SIZE]):
/// | range | what |
/// |---|---|
/// | 0x00000..0x00FFF | GPU control block ([MaliReg]) |
/// | 0x01000..0x01FFF | JOB IRQ block |
/// | 0x02000..0x027FF | MMU IRQ block and the eight address spaces ([MaliMmu]) |
/// | 0x10000..0x10FFF | `CSF_LATEST_FLUSH_ID` (read-only memory page, userspace maps it) |
/// | 0x80000..0x1FFFFF | 24 doorbell pages; a write to a page's first word rings it |
///
/// Register blocks accept 32-bit accesses (a 64-bit access is split into LO then HI, under the
/// lock); 64-bit registers are LO/HI word pairs. Unknown offsets and writes to read-only registers
/// are counted guest errors; holes between the blocks are the bus's `UNASSIGNED_ACCESS`.
///
/// Interrupt outputs, in device-tree order: `job`, `mmu`, `gpu`.
///
/// The command stream frontend is pluggable: the constructor takes a
/// `Function<MaliHwPorts, CsfFrontend>`; without one the GPU has [NoMcuFrontend].
///
/// ## Thread safety
/// Register handlers run under the region's device lock; every clock-thread event of the model
/// (GPU control, MMU, CSF) takes the same lock.
///
/// ## Lifecycle
/// Built by the board's factory, mapped, wired ([#connectIrqs]), then [#close]d once (closes the
/// frontend if it is [AutoCloseable], then the region); a second close throws.
public final class MaliG610 implements SysBusDevice, AutoCloseable {
    private static final long GPU_BLOCK = 0x0000;
    private static final long JOB_BLOCK = 0x1000;
    private static final long MMU_BLOCK = 0x2000;
    private static final long BLOCK_SIZE = 0x1000;
    private static final long MMU_BLOCK_SIZE = 0x800;
    private static final long DOORBELLS_SIZE = MaliRegs.CSF_DOORBELL_COUNT * MaliRegs.CSF_DOORBELL_STRIDE;

    private final String source;
    private final MaliConfig config;
    private final GuestErrors errors;
    private final MmioRegion region;
    private final IrqBlock jobIrq = new IrqBlock("JOB");
    private final IrqBlock gpuIrq = new IrqBlock("GPU");
    private final FlushIdPage flushId;
    private final MaliMmu mmu;
    private final GpuControl gpu;
    private final MaliHwPorts ports;
    private final CsfFrontend csf;
    private boolean closed;

    /// A G610 without a CSF model (the MCU never boots: [NoMcuFrontend]).
    public MaliG610(HwContext hw, String name, MaliConfig config) {
        this(hw, name, config, NoMcuFrontend::new);
    }

    /// A G610 whose command stream frontend `csfFactory` builds from the ports of the rest of the
    /// model (called once, at the end of construction).
    public MaliG610(HwContext hw, String name, MaliConfig config, Function<MaliHwPorts, CsfFrontend> csfFactory) {
        Objects.requireNonNull(hw, "hw");
        Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(csfFactory, "csfFactory");
        this.source = "mali " + name;
        this.errors = hw.guestErrors();
        Regs regs = new Regs();
        this.region = MmioRegion.builder("mali-" + name, MaliRegs.MMIO_SIZE)
                .registers(GPU_BLOCK, BLOCK_SIZE, AccessSpec.DWORD_QWORD_SPLIT, regs)
                .registers(JOB_BLOCK, BLOCK_SIZE, AccessSpec.DWORD_QWORD_SPLIT, regs)
                .registers(MMU_BLOCK, MMU_BLOCK_SIZE, AccessSpec.DWORD_QWORD_SPLIT, regs)
                .memory(MaliRegs.CSF_LATEST_FLUSH_ID, BLOCK_SIZE, AccessSpec.DWORD_ONLY, true)
                .registers(MaliRegs.CSF_DOORBELL_BASE, DOORBELLS_SIZE, AccessSpec.DWORD_ONLY, new Doorbells())
                .build();
        ClockDomain gpuClock = new ClockDomain("mali-gpu", config.gpuClockHz());
        this.flushId = new FlushIdPage(region);
        this.mmu = new MaliMmu(source, hw.clock(), gpuClock, errors, hw.memory(), region.deviceLock());
        this.gpu = new GpuControl(source, config, hw.clock(), gpuClock, errors, region.deviceLock(), gpuIrq, jobIrq,
                flushId);
        this.ports = new MaliHwPorts(source, config, mmu, jobIrq, gpuIrq, gpu, hw.clock(), gpuClock, errors,
                hw.memory(), region.deviceLock());
        this.csf = Objects.requireNonNull(csfFactory.apply(ports), "csfFactory returned null");
        gpu.connect(csf, mmu::reset);
    }

    @Override
    public List<MmioRegion> regions() {
        return List.of(region);
    }

    /// Wires `job`, `mmu`, `gpu` (device-tree order).
    @Override
    public void connectIrqs(List<IrqLine> lines) {
        if (lines.size() != 3) {
            throw new IllegalArgumentException(source + ": needs 3 interrupt lines (job, mmu, gpu), got " + lines.size());
        }
        region.deviceLock().lock();
        try {
            jobIrq.connect(lines.get(0));
            mmu.irq().connect(lines.get(1));
            gpuIrq.connect(lines.get(2));
        } finally {
            region.deviceLock().unlock();
        }
    }

    /// The MMIO region (tests, the qtest-like script layer).
    public MmioRegion region() {
        return region;
    }

    /// What the frontend was built with.
    public MaliHwPorts ports() {
        return ports;
    }

    /// The command stream frontend.
    public CsfFrontend csf() {
        return csf;
    }

    /// The MMU.
    public MaliMmu mmu() {
        return mmu;
    }

    public MaliConfig config() {
        return config;
    }

    /// A consistent snapshot of the visible state (taken under the device lock).
    public MaliState state() {
        region.deviceLock().lock();
        try {
            return new MaliState(gpuIrq.rawstat(), gpuIrq.mask(), jobIrq.rawstat(), jobIrq.mask(),
                    mmu.irq().rawstat(), mmu.irq().mask(), gpu.resetting(), gpu.shader.ready(), gpu.shader.trans(),
                    gpu.tiler.ready(), gpu.tiler.trans(), gpu.l2.ready(), gpu.l2.trans(), gpuStatus(),
                    csf.mcuStatus(), flushId.value());
        } finally {
            region.deviceLock().unlock();
        }
    }

    private int gpuStatus() {
        int s = gpu.read(MaliReg.GPU_STATUS, false);
        return mmu.pageFaultPending() ? s | MaliRegs.GPU_STATUS_PAGE_FAULT : s;
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException(source + " already closed");
        }
        closed = true;
        if (csf instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(source + ": closing the CSF failed", e);
            }
        }
        region.close();
    }

    /// The GPU control, JOB IRQ and MMU blocks.
    private final class Regs implements RegisterHandler {
        @Override
        public long read(long offset, AccessSize size) {
            if (MaliMmu.isAsOffset(offset)) {
                return Integer.toUnsignedLong(mmu.read(offset));
            }
            MaliReg reg = MaliReg.atOrNull(offset);
            boolean hi = false;
            if (reg == null) {
                reg = MaliReg.highHalfOrNull(offset);
                hi = true;
            }
            if (reg == null) {
                errors.report(Kind.DEVICE, source, "read of unknown register", offset);
                return 0;
            }
            int v = switch (reg) {
                case GPU_STATUS -> gpuStatus();
                case MMU_IRQ_RAWSTAT -> mmu.irq().rawstat();
                case MMU_IRQ_MASK -> mmu.irq().mask();
                case MMU_IRQ_STATUS -> mmu.irq().status();
                case MMU_IRQ_CLEAR -> 0;
                default -> gpu.read(reg, hi);
            };
            return Integer.toUnsignedLong(v);
        }

        @Override
        public void write(long offset, AccessSize size, long value) {
            int v = (int) value;
            if (gpu.resetting()) {
                errors.report(Kind.DEVICE, source, "register write during GPU reset", offset);
                return;
            }
            if (MaliMmu.isAsOffset(offset)) {
                mmu.write(offset, v);
                return;
            }
            MaliReg reg = MaliReg.atOrNull(offset);
            boolean hi = false;
            if (reg == null) {
                reg = MaliReg.highHalfOrNull(offset);
                hi = true;
            }
            if (reg == null) {
                errors.report(Kind.DEVICE, source, "write of unknown register", offset);
                return;
            }
            switch (reg) {
                case MMU_IRQ_RAWSTAT -> mmu.irq().writeRawstat(v);
                case MMU_IRQ_CLEAR -> mmu.irq().clear(v);
                case MMU_IRQ_MASK -> mmu.irq().writeMask(v);
                default -> gpu.write(reg, hi, v);
            }
        }
    }

    /// The doorbell pages: a write to the first word of page `i` rings doorbell `i`.
    private final class Doorbells implements RegisterHandler {
        @Override
        public long read(long offset, AccessSize size) {
            return 0; // doorbells read as zero
        }

        @Override
        public void write(long offset, AccessSize size, long value) {
            long rel = offset - MaliRegs.CSF_DOORBELL_BASE;
            if (rel % MaliRegs.CSF_DOORBELL_STRIDE != 0) {
                errors.report(Kind.DEVICE, source, "write to a doorbell page outside its first word", offset);
                return;
            }
            if (gpu.resetting()) {
                errors.report(Kind.DEVICE, source, "doorbell rung during GPU reset", offset);
                return;
            }
            csf.ringDoorbell((int) (rel / MaliRegs.CSF_DOORBELL_STRIDE));
        }
    }

    /// `CSF_LATEST_FLUSH_ID`: a read-only memory page of the region; the model publishes each new
    /// id with a release store, which a bus read (acquire) or a userspace mapping observes.
    /// The id is monotonic across GPU resets (userspace compares ids to elide flushes).
    static final class FlushIdPage {
        private final MmioRegion region;
        private int value;

        FlushIdPage(MmioRegion region) {
            this.region = region;
        }

        int value() {
            return value;
        }

        /// Increments the id (under the device lock) and publishes it.
        int bump() {
            value++;
            // ORDERING: release store; pairs with the bus's acquire read of the page (and a CPU
            // mapping's acquire load), so everything the flush made visible precedes the new id.
            region.putIntRelease(MaliRegs.CSF_LATEST_FLUSH_ID, value);
            return value;
        }
    }
}
