package dev.gpuemu.hw.nvidia.falcon;

import static dev.gpuemu.regs.nvidia.FalconRegs.*;

import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.time.Timer;
import dev.gpuemu.regs.nvidia.FalconFwFormat;
import dev.gpuemu.regs.nvidia.FalconReg;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/// One falcon (GSP or SEC2) of the GA102: the registers of [FalconReg], 64 KiB IMEM and DMEM, a
/// DMA engine loading them from system memory or VRAM, and a high-level interpreter of gpuemu's
/// scripted firmware ([FalconFwFormat]); docs/devices/nvidia-ga102.md, "Falcons".
///
/// ## Behaviour
/// - `ENGINE.RESET` = 1 holds the falcon in reset (program stopped, registers at reset values,
///   other register writes dropped as guest errors); writing 0 releases it and starts scrubbing:
///   IMEM/DMEM are zeroed and `HWCFG2.MEM_SCRUBBING` reads 1 for `scrubNs`, then 0. Power-on and
///   [#powerOnReset] scrub too. `HWCFG2.RESET_READY` reads 1 except while in reset.
/// - DMA: writing `DMATRFCMD` queues a transfer of `4 << SIZE` bytes from
///   `(DMATRFBASE << 8 | DMATRFBASE1 << 40) + DMATRFFBOFFS` to `DMATRFMOFFS` of IMEM (`IMEM` = 1)
///   or DMEM, through `FBIF_TRANSCFG[CTXDMA]` (physical targets only). A transfer takes
///   [#DMA_SETUP_CYCLES] + bytes / [#DMA_BYTES_PER_CYCLE] falcon cycles, transfers run one after
///   another, at most [#DMA_QUEUE_DEPTH] queued (`FULL`); `IDLE` reads 1 when none is queued.
/// - `CPUCTL.STARTCPU` (or `CPUCTL_ALIAS.STARTCPU`) starts the CPU at `BOOTVEC`: the image header
///   there is checked ([FalconFwFormat#check]), then one instruction runs every
///   [FalconFwFormat#INSTR_CYCLES] cycles. The CPU halts at `OP_HALT` or on an error (code in
///   `MAILBOX0`, guest error counted); halting sets `CPUCTL.HALTED` and `IRQSTAT` HALT.
///
/// ## Thread safety
/// Register accesses run under the BAR0 device lock; clock events take it.
///
/// ## Lifecycle
/// Lives as long as its GA102; [#cancelTimers] at close.
public final class Falcon {
    /// Fixed cost of one DMA transfer, falcon cycles.
    public static final int DMA_SETUP_CYCLES = 64;
    /// DMA throughput, bytes per falcon cycle.
    public static final int DMA_BYTES_PER_CYCLE = 32;
    /// Transfers that may be queued at once.
    public static final int DMA_QUEUE_DEPTH = 4;

    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final FalconPorts p;
    private final MemorySegment imem = MemorySegment.ofArray(new byte[IMEM_SIZE]);
    private final MemorySegment dmem = MemorySegment.ofArray(new byte[DMEM_SIZE]);
    private final int[] transcfg = new int[FBIF_TRANSCFG_COUNT];

    // Guarded by the device lock.
    private boolean inReset;
    private boolean scrubbing;
    private boolean running;
    private boolean halted;
    private int irqstat;
    private int mailbox0;
    private int mailbox1;
    private int cpuctlAliasEn;
    private int bootvec;
    private int dmactl;
    private int dmaBase;
    private int dmaBase1;
    private int dmaMoffs;
    private int dmaFbOffs;
    private int dmaCmd;
    private int fbifCtl;
    private int bcrCtrl;
    private int pc;
    private int programEnd;
    private int dmaInFlight;
    private long dmaBusyUntilNs;
    private Timer scrubTimer;
    private Timer stepTimer;

    /// A falcon that starts scrubbing at once (power-on).
    public Falcon(FalconPorts ports) {
        this.p = Objects.requireNonNull(ports, "ports");
        powerOnReset();
    }

    /// Power-on or function-level reset: every register to its reset value, memories scrubbed.
    /// Call with the device lock held (or during construction).
    public void powerOnReset() {
        enterReset();
        inReset = false;
        startScrubbing();
    }

    private void enterReset() {
        cancelTimers();
        inReset = true;
        running = false;
        halted = false;
        irqstat = 0;
        mailbox0 = 0;
        mailbox1 = 0;
        cpuctlAliasEn = 0;
        bootvec = 0;
        dmactl = 0;
        dmaBase = 0;
        dmaBase1 = 0;
        dmaMoffs = 0;
        dmaFbOffs = 0;
        dmaCmd = 0;
        fbifCtl = 0;
        bcrCtrl = (int) FalconReg.RISCV_BCR_CTRL.resetValue();
        java.util.Arrays.fill(transcfg, 0);
        pc = 0;
        programEnd = 0;
        dmaInFlight = 0;
        dmaBusyUntilNs = 0;
        scrubbing = false;
    }

    private void startScrubbing() {
        scrubbing = true;
        imem.fill((byte) 0);
        dmem.fill((byte) 0);
        scrubTimer = p.clock().schedule(p.scrubNs(), this::scrubDone);
    }

    private void scrubDone() {
        p.deviceLock().lock();
        try {
            scrubbing = false;
        } finally {
            p.deviceLock().unlock();
        }
    }

    /// Cancels pending clock events (close, reset).
    public void cancelTimers() {
        if (scrubTimer != null) {
            scrubTimer.cancel();
            scrubTimer = null;
        }
        if (stepTimer != null) {
            stepTimer.cancel();
            stepTimer = null;
        }
        // In-flight DMA completions check `dmaGeneration` and drop themselves.
        dmaGeneration++;
    }

    private int dmaGeneration;

    /// A register read at falcon-relative `offset`; unknown offsets return -1 (the caller answers
    /// its priv-error pattern and counts the error).
    public long read(long offset) {
        FalconReg r = FalconReg.atOrNull(offset);
        if (r == null) {
            return -1;
        }
        int v = switch (r) {
            case IRQSCLR, CPUCTL_ALIAS -> 0;
            case IRQSTAT -> irqstat;
            case MAILBOX0 -> mailbox0;
            case MAILBOX1 -> mailbox1;
            case HWCFG2 -> (int) (HWCFG2_RISCV.mask() | (scrubbing ? HWCFG2_MEM_SCRUBBING.mask() : 0)
                    | (inReset ? 0 : HWCFG2_RESET_READY.mask()));
            case CPUCTL -> cpuctlAliasEn | (halted ? (int) CPUCTL_HALTED.mask() : 0);
            case BOOTVEC -> bootvec;
            case DMACTL -> dmactl | (scrubbing ? (int) (DMACTL_DMEM_SCRUBBING.mask() | DMACTL_IMEM_SCRUBBING.mask()) : 0);
            case DMATRFBASE -> dmaBase;
            case DMATRFMOFFS -> dmaMoffs;
            case DMATRFCMD -> dmaCmd & ~(int) (DMATRFCMD_FULL.mask() | DMATRFCMD_IDLE.mask())
                    | (dmaInFlight >= DMA_QUEUE_DEPTH ? (int) DMATRFCMD_FULL.mask() : 0)
                    | (dmaInFlight == 0 ? (int) DMATRFCMD_IDLE.mask() : 0);
            case DMATRFFBOFFS -> dmaFbOffs;
            case DMATRFBASE1 -> dmaBase1;
            case HWCFG1 -> (int) FalconReg.HWCFG1.resetValue();
            case ENGINE -> inReset ? 1 : 0;
            case FBIF_TRANSCFG -> transcfg[r.indexOf(offset)];
            case FBIF_CTL -> fbifCtl;
            case RISCV_BCR_CTRL -> bcrCtrl;
        };
        return Integer.toUnsignedLong(v);
    }

    /// A register write at falcon-relative `offset`; returns false for an unknown offset (the
    /// caller counts it).
    public boolean write(long offset, int v) {
        FalconReg r = FalconReg.atOrNull(offset);
        if (r == null) {
            return false;
        }
        if (r == FalconReg.ENGINE) {
            writeEngine(v);
            return true;
        }
        if (inReset) {
            p.errors().report(Kind.DEVICE, p.name(), "write to " + r + " while the falcon is in reset", offset);
            return true;
        }
        switch (r) {
            case IRQSCLR -> irqstat &= ~v;
            case MAILBOX0 -> mailbox0 = v;
            case MAILBOX1 -> mailbox1 = v;
            case CPUCTL -> {
                cpuctlAliasEn = v & (int) CPUCTL_ALIAS_EN.mask();
                if (CPUCTL_STARTCPU.isSet(v)) {
                    start();
                }
            }
            case CPUCTL_ALIAS -> {
                if (CPUCTL_STARTCPU.isSet(v)) {
                    start();
                }
            }
            case BOOTVEC -> bootvec = v;
            case DMACTL -> dmactl = v & (int) DMACTL_REQUIRE_CTX.mask();
            case DMATRFBASE -> dmaBase = v;
            case DMATRFMOFFS -> dmaMoffs = (int) DMATRFMOFFS_OFFS.get(v);
            case DMATRFCMD -> queueDma(v);
            case DMATRFFBOFFS -> dmaFbOffs = v;
            case DMATRFBASE1 -> dmaBase1 = (int) DMATRFBASE1_BASE.get(v);
            case FBIF_TRANSCFG -> transcfg[r.indexOf(offset)] = v & (int) (FBIF_TRANSCFG_TARGET.mask()
                    | FBIF_TRANSCFG_MEM_TYPE.mask());
            case FBIF_CTL -> fbifCtl = v & (int) FBIF_CTL_ALLOW_PHYS_NO_CTX.mask();
            case RISCV_BCR_CTRL -> {
                if (BCR_CTRL_CORE_SELECT.isSet(v)) {
                    p.errors().report(Kind.DEVICE, p.name(), "RISC-V core selected (only the falcon core is modelled)");
                }
                bcrCtrl = (v & (int) (BCR_CTRL_CORE_SELECT.mask() | BCR_CTRL_BR_FETCH.mask())) | (int) BCR_CTRL_VALID.mask();
            }
            case IRQSTAT, HWCFG2, HWCFG1 -> p.errors().report(Kind.READ_ONLY_WRITE, p.name(),
                    "write to read-only register " + r, offset);
            case ENGINE -> throw new AssertionError();
        }
        return true;
    }

    private void writeEngine(int v) {
        boolean reset = ENGINE_RESET.isSet(v);
        if (reset && !inReset) {
            enterReset();
        } else if (!reset && inReset) {
            inReset = false;
            startScrubbing();
        }
    }

    // --- DMA ---

    private void queueDma(int cmd) {
        dmaCmd = cmd & ~(int) (DMATRFCMD_FULL.mask() | DMATRFCMD_IDLE.mask());
        if (scrubbing) {
            p.errors().report(Kind.DEVICE, p.name(), "DMA started while memory scrubbing");
            return;
        }
        if (dmaInFlight >= DMA_QUEUE_DEPTH) {
            p.errors().report(Kind.DEVICE, p.name(), "DMA queue full: transfer dropped");
            return;
        }
        int bytes = dmaTransferBytes((int) DMATRFCMD_SIZE.get(cmd));
        long src = (Integer.toUnsignedLong(dmaBase) << 8 | (long) dmaBase1 << 40) + Integer.toUnsignedLong(dmaFbOffs);
        Transfer t = new Transfer(src, dmaMoffs, bytes, DMATRFCMD_IMEM.isSet(cmd), DMATRFCMD_IS_WRITE.isSet(cmd),
                transcfg[(int) DMATRFCMD_CTXDMA.get(cmd)], dmaGeneration);
        long now = p.clock().nowNs();
        long start = Math.max(now, dmaBusyUntilNs);
        dmaBusyUntilNs = start + p.domain().cyclesToNs(DMA_SETUP_CYCLES + bytes / DMA_BYTES_PER_CYCLE);
        dmaInFlight++;
        p.clock().schedule(dmaBusyUntilNs - now, () -> finishDma(t));
    }

    private record Transfer(long src, int moffs, int bytes, boolean imem, boolean isWrite, int transcfg, int generation) {
    }

    private void finishDma(Transfer t) {
        p.deviceLock().lock();
        try {
            if (t.generation != dmaGeneration) {
                return; // reset while in flight: dropped
            }
            dmaInFlight--;
            MemorySegment mem = t.imem ? imem : dmem;
            if (t.isWrite) {
                p.errors().report(Kind.DEVICE, p.name(), "DMA from falcon memory is not modelled");
            } else if (t.moffs > mem.byteSize() - t.bytes) {
                p.errors().report(Kind.DEVICE, p.name(), "DMA destination outside " + (t.imem ? "IMEM" : "DMEM"),
                        t.moffs);
            } else if (FBIF_TRANSCFG_MEM_TYPE.get(t.transcfg) != FBIF_MEM_TYPE_PHYSICAL) {
                p.errors().report(Kind.DEVICE, p.name(), "virtual DMA context (no falcon MMU is modelled)");
            } else {
                MemorySegment dst = mem.asSlice(t.moffs, t.bytes);
                int target = (int) FBIF_TRANSCFG_TARGET.get(t.transcfg);
                if (target == FBIF_TARGET_LOCAL_FB) {
                    if (t.src < 0 || t.src > p.vram().byteSize() - t.bytes) {
                        p.errors().report(Kind.DMA_OUT_OF_RANGE, p.name(), "DMA source outside VRAM", t.src);
                    } else {
                        MemorySegment.copy(p.vram(), t.src, dst, 0, t.bytes);
                    }
                } else if (target == FBIF_TARGET_COHERENT_SYSMEM || target == FBIF_TARGET_NONCOHERENT_SYSMEM) {
                    p.sysmem().read(t.src, dst); // refusals are counted by the port
                } else {
                    p.errors().report(Kind.DEVICE, p.name(), "DMA through an invalid FBIF target " + target);
                }
            }
        } finally {
            p.deviceLock().unlock();
        }
    }

    // --- CPU ---

    private void start() {
        if (running) {
            p.errors().report(Kind.DEVICE, p.name(), "STARTCPU while the CPU runs");
            return;
        }
        if (scrubbing) {
            p.errors().report(Kind.DEVICE, p.name(), "STARTCPU while memory scrubbing");
            return;
        }
        running = true;
        halted = false;
        int err = FalconFwFormat.check(imem, Integer.toUnsignedLong(bootvec), p.falconId());
        if (err != 0) {
            halt(err, "firmware image rejected");
            return;
        }
        int size = imem.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                bootvec + FalconFwFormat.OFF_PROGRAM_SIZE);
        pc = bootvec + FalconFwFormat.HEADER_SIZE;
        programEnd = pc + size;
        schedule(FalconFwFormat.INSTR_CYCLES);
    }

    private void schedule(long cycles) {
        stepTimer = p.clock().schedule(p.domain().cyclesToNs(cycles), this::step);
    }

    private void step() {
        p.deviceLock().lock();
        try {
            if (running) {
                execute();
            }
        } finally {
            p.deviceLock().unlock();
        }
    }

    private void execute() {
        if (pc > programEnd - FalconFwFormat.INSTR_SIZE) {
            halt(FalconFwFormat.ERR_RUNAWAY, "program ran past its end");
            return;
        }
        long instr = imem.get(LE_LONG, pc);
        int arg = FalconFwFormat.arg(instr);
        int value = FalconFwFormat.value(instr);
        long cycles = FalconFwFormat.INSTR_CYCLES;
        switch (FalconFwFormat.opcode(instr)) {
            case FalconFwFormat.OP_HALT -> {
                halt(0, null);
                return;
            }
            case FalconFwFormat.OP_MBOX0_SET -> mailbox0 = value;
            case FalconFwFormat.OP_MBOX1_SET -> mailbox1 = value;
            case FalconFwFormat.OP_MBOX0_WAIT -> {
                if (mailbox0 != value) {
                    schedule(FalconFwFormat.WAIT_POLL_CYCLES);
                    return; // pc stays: poll again
                }
            }
            case FalconFwFormat.OP_SCRATCH_OR -> {
                if (arg >= dev.gpuemu.regs.nvidia.NvRegs.SW_SCRATCH_COUNT) {
                    halt(FalconFwFormat.ERR_BAD_OPERAND, "SCRATCH_OR index " + arg);
                    return;
                }
                p.scratch().or(arg, value);
            }
            case FalconFwFormat.OP_DELAY -> cycles += Integer.toUnsignedLong(value);
            case FalconFwFormat.OP_MBOX1_XOR_MBOX0 -> mailbox1 = mailbox0 ^ value;
            case FalconFwFormat.OP_IRQ -> irqstat |= value;
            default -> {
                halt(FalconFwFormat.ERR_BAD_OPCODE, "bad opcode at IMEM 0x" + Integer.toHexString(pc));
                return;
            }
        }
        pc += FalconFwFormat.INSTR_SIZE;
        schedule(cycles);
    }

    private void halt(int error, String why) {
        running = false;
        halted = true;
        irqstat |= IRQ_HALT;
        if (error != 0) {
            mailbox0 = error;
            p.errors().report(Kind.DEVICE, p.name(), why + ": halted with 0x" + Integer.toHexString(error));
        }
    }

    /// A snapshot (call with the device lock held).
    public FalconState state() {
        return new FalconState(inReset, scrubbing, running, halted, mailbox0, mailbox1, irqstat, dmaInFlight, pc);
    }

    /// IMEM, for tests and diagnostics (read it with the device lock held).
    public MemorySegment imem() {
        return imem;
    }
}
