package dev.gpuemu.kernel.drivers.tyr.fw;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.drivers.tyr.GpuRegs;
import dev.gpuemu.kernel.drivers.tyr.TyrIrq;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrMmu;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm;
import dev.gpuemu.kernel.firmware.Firmware;
import dev.gpuemu.kernel.io.DmaCoherent;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.sync.Delay;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.MaliFwFormat;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/// The CSF firmware and the MCU (panthor_fw.c): requests `mali_csffw.bin` for the GPU's
/// architecture, loads its sections into DMA memory mapped in the MCU's VM (AS0), boots the MCU
/// and reads the global interface; then offers the GLB/CSG/CS interface words to the scheduler.
///
/// ## Ordering
/// Host-written input words are stored after a release fence ([#writeInput]); firmware-written
/// output words are read before an acquire fence ([#readOutput]). The doorbell MMIO write that
/// follows an input update orders it before the MCU looks (MMIO writes are ordered after memory
/// writes).
///
/// ## Thread safety
/// Interface accessors are thread-safe word accesses; req/ack toggles of one interface must be
/// serialised by the caller (the scheduler's lock), as in panthor.
///
/// ## Lifecycle
/// [#load] at probe → [#boot] → [#stop] once at unbind (MCU disabled, sections and the MCU VM
/// freed).
public final class TyrFw {
    /// MCU boot timeout (panthor: 1 s).
    static final long BOOT_TIMEOUT_NS = 1_000_000_000L;
    /// Step of the boot wait's poll.
    static final long BOOT_POLL_NS = 10_000L;
    /// MCU stop timeout (panthor: 100 ms).
    static final long STOP_TIMEOUT_NS = 100_000_000L;
    /// The MCU's address space: 32-bit VAs.
    static final long MCU_VA_END = 1L << 32;

    private final Device<? extends Bound> dev;
    private final IoMem io;
    private final SimClock clock;
    private final TyrVm vm;
    private final List<FwSection> sections;
    private final FwSection shared;
    private final AtomicBoolean booted = new AtomicBoolean();
    private GlbInfo glb;
    private volatile boolean stopped;
    private volatile IntConsumer csgEvents;

    /// What the firmware reports in its GLB control block.
    ///
    /// @param version interface version (`CsfIface.version`)
    /// @param features GLB features
    /// @param inputVa  MCU VA of the GLB input page
    /// @param outputVa MCU VA of the GLB output page
    /// @param groupNum CSG slots
    /// @param groupStride bytes between CSG control blocks
    /// @param instrFeatures instrumentation features
    public record GlbInfo(int version, int features, long inputVa, long outputVa, int groupNum, int groupStride,
                          int instrFeatures) {
        public int major() {
            return version >>> 24;
        }

        public int minor() {
            return (version >>> 16) & 0xFF;
        }

        public int patch() {
            return version & 0xFFFF;
        }
    }

    private TyrFw(Device<? extends Bound> dev, IoMem io, TyrVm vm, List<FwSection> sections) {
        this.dev = dev;
        this.io = io;
        this.clock = dev.kernel().clock();
        this.vm = vm;
        this.sections = List.copyOf(sections);
        this.shared = sections.stream().filter(s -> s.vaStart() == CsfIface.SHARED_REGION_START).findFirst().orElseThrow();
    }

    /// Requests, parses and loads the firmware of architecture `major.minor` into a new MCU VM.
    public static TyrFw load(Device<? extends Bound> dev, IoMem io, TyrMmu mmu, int archMajor, int archMinor)
            throws KernelException {
        Firmware fw = Firmware.request(dev, MaliFwFormat.firmwareName(archMajor, archMinor));
        FwImage image = FwImage.parse(dev, fw.data());
        if (!image.buildInfo().isEmpty()) {
            dev.info("Firmware " + image.buildInfo());
        }
        TyrVm vm = mmu.createVm("mcu", true, 0, MCU_VA_END);
        List<FwSection> loaded = new ArrayList<>();
        try {
            ByteBuffer data = fw.data();
            for (FwImage.Iface s : image.sections()) {
                long size = s.vaEnd() - s.vaStart();
                DmaCoherent mem = DmaCoherent.alloc(dev, size, "fw " + s.name());
                int len = s.dataEnd() - s.dataStart();
                byte[] chunk = new byte[len];
                data.get(s.dataStart(), chunk);
                mem.write(0, chunk, 0, len); // the rest is zero (IFACE_ZERO or not: alloc zeroes)
                long[] pages = new long[(int) (size / TyrMmu.pageSize())];
                for (int i = 0; i < pages.length; i++) {
                    pages[i] = mem.dmaAddress() + i * TyrMmu.pageSize();
                }
                int flags = ((s.flags() & MaliFwFormat.IFACE_WR) == 0 ? TyrVm.MAP_READONLY : 0)
                        | ((s.flags() & MaliFwFormat.IFACE_EX) == 0 ? TyrVm.MAP_NOEXEC : 0)
                        | ((s.flags() & MaliFwFormat.IFACE_CACHE_MODE_MASK) == MaliFwFormat.IFACE_CACHE_MODE_NONE
                        ? TyrVm.MAP_UNCACHED : 0);
                vm.map(s.vaStart(), pages, flags);
                loaded.add(new FwSection(s.vaStart(), s.vaEnd(), s.flags(), s.name(), mem));
            }
            mmu.activate(vm);
        } catch (KernelException | RuntimeException e) {
            vm.destroy();
            throw e;
        }
        return new TyrFw(dev, io, vm, loaded);
    }

    /// The MCU's VM (slot 0).
    public TyrVm vm() {
        return vm;
    }

    public List<FwSection> sections() {
        return sections;
    }

    /// The GLB control block read at boot (null before).
    public GlbInfo glb() {
        return glb;
    }

    /// Boots the MCU: `JOB_IRQ` mask all ones, `MCU_CONTROL = AUTO`, waits up to 1 s for the
    /// `GLOBAL_IF` interrupt ([#handleJobIrq]); on timeout logs `Failed to boot MCU
    /// (status=...)` and fails with `ETIMEDOUT`. Then reads and logs the GLB interface.
    public GlbInfo boot(TyrIrq jobIrq) throws KernelException {
        booted.set(false);
        jobIrq.setMask(~0);
        GpuRegs.write32(io, MaliReg.MCU_CONTROL, MaliRegs.MCU_CONTROL_AUTO);
        // Polled in short simulated steps rather than one conditional wait: the flag is set by
        // the job IRQ *thread*, and a FAST clock would otherwise jump to the timeout when that
        // thread is slow to run on a loaded host (the idle grace is only 50 us of real time).
        // As panthor_fw_start, a latched GLOBAL_IF whose threaded handler has not run yet counts
        // as booted (RAWSTAT: the hard handler masked the block, STATUS reads 0).
        var r = Delay.readPollTimeout(clock, () -> booted.get() || globalIfLatched() ? 1 : 0, v -> v == 1,
                BOOT_POLL_NS, BOOT_TIMEOUT_NS);
        if (!r.ok()) {
            int st = GpuRegs.read32(io, MaliReg.MCU_STATUS);
            dev.err("Failed to boot MCU (status=" + statusName(st) + ")");
            throw new KernelException(Errno.ETIMEDOUT, "MCU boot timed out");
        }
        glb = new GlbInfo(readShared(CsfIface.Glb.VERSION), readShared(CsfIface.Glb.FEATURES),
                readShared(CsfIface.Glb.INPUT_VA) & 0xFFFF_FFFFL, readShared(CsfIface.Glb.OUTPUT_VA) & 0xFFFF_FFFFL,
                readShared(CsfIface.Glb.GROUP_NUM), readShared(CsfIface.Glb.GROUP_STRIDE),
                readShared(CsfIface.Glb.INSTR_FEATURES));
        if (section(glb.inputVa(), 4) == null || section(glb.outputVa(), 4) == null) {
            dev.err("Invalid GLB interface addresses");
            throw new KernelException(Errno.EINVAL, "GLB interface outside the firmware sections");
        }
        dev.info(String.format("CSF FW using interface v%d.%d.%d, Features %#x Instrumentation features %#x",
                glb.major(), glb.minor(), glb.patch(), glb.features(), glb.instrFeatures()));
        return glb;
    }

    private boolean globalIfLatched() {
        return (GpuRegs.read32(io, MaliReg.JOB_IRQ_RAWSTAT) & MaliRegs.JOB_IRQ_GLOBAL_IF) != 0;
    }

    /// The `job` interrupt's bits (threaded context): `GLOBAL_IF` marks the MCU booted and wakes
    /// waiters; CSG bits (`JOB_IRQ` bits 0..30) go to the handler set with [#setCsgEventHandler]
    /// (the scheduler's `sched_process_csg_irq`) and are returned as well.
    public int handleJobIrq(int status) {
        if ((status & MaliRegs.JOB_IRQ_GLOBAL_IF) != 0) {
            booted.set(true);
            clock.kick();
        }
        int csgBits = status & ~MaliRegs.JOB_IRQ_GLOBAL_IF;
        IntConsumer h = csgEvents;
        if (csgBits != 0 && h != null && !stopped) {
            h.accept(csgBits);
        }
        return csgBits;
    }

    /// Installs (or with null removes) the handler of CSG interrupt bits: called on the `job`
    /// IRQ thread with the bits of the CSG slots that raised events.
    public void setCsgEventHandler(IntConsumer handler) {
        csgEvents = handler;
    }

    public boolean isBooted() {
        return booted.get();
    }

    static String statusName(int st) {
        return switch (st) {
            case MaliRegs.MCU_STATUS_DISABLED -> "disabled";
            case MaliRegs.MCU_STATUS_ENABLED -> "enabled";
            case MaliRegs.MCU_STATUS_HALT -> "halt";
            case MaliRegs.MCU_STATUS_FATAL -> "fatal";
            default -> "unknown";
        };
    }

    private int readShared(int offset) {
        int v = shared.mem().read32(offset);
        VarHandle.acquireFence();
        return v;
    }

    private FwSection section(long va, long len) {
        for (FwSection s : sections) {
            if (s.contains(va, len)) {
                return s;
            }
        }
        return null;
    }

    /// Writes an input word at MCU VA `va` with release ordering.
    public void writeInput(long va, int value) {
        FwSection s = requireSection(va);
        // ORDERING: everything the host wrote before is visible before this word.
        VarHandle.releaseFence();
        s.mem().write32(va - s.vaStart(), value);
    }

    /// Writes a 64-bit input word at MCU VA `va` with release ordering.
    public void writeInput64(long va, long value) {
        FwSection s = requireSection(va);
        VarHandle.releaseFence();
        s.mem().write64(va - s.vaStart(), value);
    }

    /// Reads an output word at MCU VA `va` with acquire ordering.
    public int readOutput(long va) {
        FwSection s = requireSection(va);
        int v = s.mem().read32(va - s.vaStart());
        // ORDERING: later reads see what the firmware wrote before this word.
        VarHandle.acquireFence();
        return v;
    }

    /// Reads an input word back (host's own copy).
    public int readInput(long va) {
        FwSection s = requireSection(va);
        return s.mem().read32(va - s.vaStart());
    }

    /// `panthor_fw_toggle_reqs`: sets `req` bits in `mask` to the complement of `ack`'s, so the
    /// firmware sees a pending request for each.
    public void toggleReqs(long reqVa, long ackVa, int mask) {
        int ack = readOutput(ackVa);
        int req = readInput(reqVa);
        writeInput(reqVa, (req & ~mask) | (~ack & mask));
    }

    /// `panthor_fw_update_reqs`: sets `req` bits in `mask` to `value`.
    public void updateReqs(long reqVa, int value, int mask) {
        int req = readInput(reqVa);
        writeInput(reqVa, (req & ~mask) | (value & mask));
    }

    /// Waits until `ack & mask == req & mask` (`panthor_fw_glb_wait_acks`); false on timeout.
    public boolean waitAcks(long reqVa, long ackVa, int mask, long timeoutNs) {
        return clock.await(() -> ((readInput(reqVa) ^ readOutput(ackVa)) & mask) == 0, timeoutNs);
    }

    /// Rings doorbell `i`.
    public void ringDoorbell(int i) {
        io.write32(MaliRegs.doorbell(i), 1);
    }

    /// GLB input VA of field `off` (`CsfIface.GlbIn`).
    public long glbIn(int off) {
        return glb.inputVa() + off;
    }

    /// GLB output VA of field `off` (`CsfIface.GlbOut`).
    public long glbOut(int off) {
        return glb.outputVa() + off;
    }

    /// MCU VA of CSG `i`'s control block.
    public long csgControl(int i) {
        return CsfIface.SHARED_REGION_START + CsfIface.GROUP_CONTROL_OFFSET + (long) i * glb.groupStride();
    }

    /// A CSG control word (read-only, firmware-written at boot).
    public int csgControlWord(int i, int off) {
        return readOutput(csgControl(i) + off);
    }

    /// MCU VA of CSG `i`'s input page (`CsfIface.CsgIn`).
    public long csgInput(int i) {
        return csgControlWord(i, CsfIface.Csg.INPUT_VA) & 0xFFFF_FFFFL;
    }

    /// MCU VA of CSG `i`'s output page (`CsfIface.CsgOut`).
    public long csgOutput(int i) {
        return csgControlWord(i, CsfIface.Csg.OUTPUT_VA) & 0xFFFF_FFFFL;
    }

    /// MCU VA of CS `j`'s control block in CSG `i`.
    public long csControl(int i, int j) {
        return csgControl(i) + CsfIface.STREAM_CONTROL_OFFSET + (long) j * csgControlWord(i, CsfIface.Csg.STREAM_STRIDE);
    }

    /// A CS control word (read-only, firmware-written at boot).
    public int csControlWord(int i, int j, int off) {
        return readOutput(csControl(i, j) + off);
    }

    /// MCU VA of CS `j`'s input page in CSG `i` (`CsfIface.CsIn`).
    public long csInput(int i, int j) {
        return csControlWord(i, j, CsfIface.Cs.INPUT_VA) & 0xFFFF_FFFFL;
    }

    /// MCU VA of CS `j`'s output page in CSG `i` (`CsfIface.CsOut`).
    public long csOutput(int i, int j) {
        return csControlWord(i, j, CsfIface.Cs.OUTPUT_VA) & 0xFFFF_FFFFL;
    }

    /// Reads a 64-bit output word at MCU VA `va` with acquire ordering.
    public long readOutput64(long va) {
        FwSection s = requireSection(va);
        long v = s.mem().read64(va - s.vaStart());
        // ORDERING: later reads see what the firmware wrote before this word.
        VarHandle.acquireFence();
        return v;
    }

    /// Whether the MMIO mapping is still there (doorbells may be rung) and the firmware runs.
    public boolean isLive() {
        return !stopped && io.isMapped();
    }

    /// `panthor_fw_ring_csg_doorbells`: toggles the bits of `csgMask` in GLB `doorbell_req` and
    /// rings doorbell 0 (the global one).
    public void ringCsgDoorbells(int csgMask) {
        toggleReqs(glbIn(CsfIface.GlbIn.DOORBELL_REQ), glbOut(CsfIface.GlbOut.DOORBELL_ACK), csgMask);
        ringDoorbell(0);
    }

    private FwSection requireSection(long va) {
        FwSection s = section(va, 4);
        if (s == null) {
            throw dev.kernel().oopses().bug(String.format("MCU VA 0x%x outside the firmware sections", va));
        }
        return s;
    }

    /// Stops the MCU (`MCU_CONTROL = DISABLE`, waits for `DISABLED` up to 100 ms, logging
    /// `Failed to stop MCU`), then frees the MCU VM and the sections. Once.
    public void stop() {
        if (stopped) {
            throw new IllegalStateException("firmware already stopped");
        }
        stopped = true;
        csgEvents = null;
        if (io.isMapped()) {
            GpuRegs.write32(io, MaliReg.MCU_CONTROL, MaliRegs.MCU_CONTROL_DISABLE);
            var r = Delay.readPollTimeout(clock, () -> GpuRegs.read32(io, MaliReg.MCU_STATUS),
                    v -> v == MaliRegs.MCU_STATUS_DISABLED, 10_000L, STOP_TIMEOUT_NS);
            if (!r.ok()) {
                dev.err("Failed to stop MCU");
            }
        }
        vm.destroy();
        for (FwSection s : sections) {
            try {
                s.mem().free();
            } catch (IllegalStateException alreadyFreedByDevres) {
                // the binding ended first
            }
        }
    }
}
