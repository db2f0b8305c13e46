package dev.gpuemu.hw.edu;

import static dev.gpuemu.regs.edu.EduRegs.*;

import dev.gpuemu.machine.GuestErrors;
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
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.edu.EduReg;
import java.util.Objects;

/// The edu test device: a PCI function modelled on QEMU's educational device
/// (docs/devices/edu.md). A factorial unit with a busy bit and an optional completion IRQ, an
/// interrupt raise/acknowledge pair, and a DMA engine between system memory and a 4 KiB device
/// buffer.
///
/// ## Timing
/// The device runs in its own 100 MHz clock domain: a factorial takes
/// [#FACTORIAL_CYCLES_PER_STEP] cycles per multiplication; a DMA transfer takes
/// [#DMA_SETUP_CYCLES] plus one cycle per [#DMA_BYTES_PER_CYCLE] bytes.
///
/// ## Guest errors
/// Unknown register offsets, DMA ranges outside the device buffer, and DMA the bus refuses
/// (mask, range, bus mastering off) are counted and answered as documented; nothing throws.
///
/// ## Thread safety
/// Register accesses run under the BAR's device lock (the bus takes it); timer callbacks take the
/// same lock on the clock thread.
///
/// ## Lifecycle
/// built → attached to a PCI slot by the board → [#close] releases the BAR memory once.
public final class EduDevice implements PciFunction, AutoCloseable {
    /// Clock frequency of the device.
    public static final long CLOCK_HZ = 100_000_000L;
    public static final int FACTORIAL_CYCLES_PER_STEP = 10;
    public static final int DMA_SETUP_CYCLES = 64;
    public static final int DMA_BYTES_PER_CYCLE = 4;

    private final SimClock clock;
    private final ClockDomain domain;
    private final GuestErrors errors;
    private final MmioRegion bar0;
    private final PciConfigSpace config;
    private final DmaPort dma;
    private final String source;
    private IrqLine irq;

    // Device state, guarded by bar0.deviceLock().
    private int liveness;
    private int factorial;
    private int status;
    private int irqStatus;
    private long dmaSrc;
    private long dmaDst;
    private long dmaCount;
    private long dmaCmd;

    public EduDevice(HwContext hw, String name) {
        Objects.requireNonNull(hw, "hw");
        this.source = "edu " + name;
        this.clock = hw.clock();
        this.domain = new ClockDomain("edu", CLOCK_HZ);
        this.errors = hw.guestErrors();
        this.bar0 = MmioRegion.builder("edu-bar0", BAR0_SIZE)
                .registers(0x00, 0x80, AccessSpec.DWORD_ONLY, new Regs())
                .registers(0x80, 0x20, AccessSpec.DWORD_QWORD, new Regs())
                .memory(DMA_BUFFER, DMA_BUFFER_SIZE, AccessSpec.ANY_ALIGNED, false)
                .build();
        this.config = new PciConfigSpace(VENDOR_ID, DEVICE_ID, REVISION, CLASS_CODE);
        this.config.setInterruptPin(1);
        this.config.declareMemoryBar(0, bar0, false, false);
        this.dma = new DmaPort(hw.memory(), errors, source);
        this.dma.setMaskBits(DMA_MASK_BITS);
        this.dma.setEnabled(config::busMasterEnabled);
    }

    @Override
    public void connectIntx(IrqLine line) {
        this.irq = Objects.requireNonNull(line, "line");
    }

    @Override
    public PciConfigSpace config() {
        return config;
    }

    /// BAR0, for tests and the qtest-like script layer.
    public MmioRegion bar0() {
        return bar0;
    }

    @Override
    public void close() {
        bar0.close();
    }

    private final class Regs implements RegisterHandler {
        @Override
        public long read(long offset, AccessSize size) {
            EduReg reg = EduReg.atOrNull(offset);
            if (reg == null) {
                errors.report(GuestErrors.Kind.DEVICE, source, "read of unknown register 0x" + Long.toHexString(offset));
                return -1L;
            }
            return switch (reg) {
                case ID -> EduReg.ID.resetValue();
                case LIVENESS -> ~liveness & 0xFFFF_FFFFL;
                case FACTORIAL -> factorial & 0xFFFF_FFFFL;
                case STATUS -> status & 0xFFFF_FFFFL;
                case IRQ_STATUS -> irqStatus & 0xFFFF_FFFFL;
                case IRQ_RAISE, IRQ_ACK -> 0L; // write-only
                case DMA_SRC -> dmaSrc;
                case DMA_DST -> dmaDst;
                case DMA_COUNT -> dmaCount;
                case DMA_CMD -> dmaCmd;
            };
        }

        @Override
        public void write(long offset, AccessSize size, long value) {
            int v = (int) value;
            EduReg reg = EduReg.atOrNull(offset);
            if (reg == null) {
                errors.report(GuestErrors.Kind.DEVICE, source, "write of unknown register 0x" + Long.toHexString(offset));
                return;
            }
            switch (reg) {
                case LIVENESS -> liveness = v;
                case FACTORIAL -> startFactorial(v);
                case STATUS -> status = (int) STATUS_IRQ_ON_FACTORIAL.with(status,
                        STATUS_IRQ_ON_FACTORIAL.get(v));
                case IRQ_RAISE -> setIrqStatus(irqStatus | v);
                case IRQ_ACK -> setIrqStatus(irqStatus & ~v);
                case DMA_SRC -> dmaSrc = value;
                case DMA_DST -> dmaDst = value;
                case DMA_COUNT -> dmaCount = value;
                case DMA_CMD -> startDma(value);
                case ID, IRQ_STATUS -> errors.report(GuestErrors.Kind.READ_ONLY_WRITE, source,
                        "write to read-only register " + reg.name());
            }
        }
    }

    private void startFactorial(int n) {
        if (STATUS_COMPUTING.isSet(status)) {
            return; // as QEMU: a write while busy is ignored
        }
        factorial = n;
        status = (int) STATUS_COMPUTING.with(status, 1);
        long steps = Math.max(1, Integer.toUnsignedLong(n));
        clock.schedule(domain.cyclesToNs(steps * FACTORIAL_CYCLES_PER_STEP), () -> finishFactorial(n));
    }

    private void finishFactorial(int n) {
        bar0.deviceLock().lock();
        try {
            // 32-bit n! is 0 for every n >= 34 (the product has at least 32 factors of two), so
            // the loop never needs more than 40 steps even for n = 0xFFFFFFFF.
            int limit = Integer.compareUnsigned(n, 40) > 0 ? 40 : n;
            int result = 1;
            for (int i = 2; i <= limit; i++) {
                result *= i;
            }
            factorial = result;
            status = (int) STATUS_COMPUTING.with(status, 0);
            if (STATUS_IRQ_ON_FACTORIAL.isSet(status)) {
                setIrqStatus(irqStatus | IRQ_FACTORIAL);
            }
        } finally {
            bar0.deviceLock().unlock();
        }
    }

    private void startDma(long cmd) {
        if (DMA_CMD_START.isSet(dmaCmd)) {
            return; // a transfer is in flight; QEMU ignores the new command
        }
        dmaCmd = cmd;
        if (!DMA_CMD_START.isSet(cmd)) {
            return;
        }
        // A count above the buffer size is refused at completion, so it never moves more than the
        // buffer; clamping keeps a guest's huge count from overflowing the cycles-to-ns conversion.
        long cycles = DMA_SETUP_CYCLES + Math.clamp(dmaCount, 0, DMA_BUFFER_SIZE) / DMA_BYTES_PER_CYCLE;
        clock.schedule(domain.cyclesToNs(cycles), this::finishDma);
    }

    private void finishDma() {
        bar0.deviceLock().lock();
        try {
            boolean toRam = DMA_CMD_TO_RAM.isSet(dmaCmd);
            long devAddr = toRam ? dmaSrc : dmaDst;
            long ramAddr = toRam ? dmaDst : dmaSrc;
            // Overflow-free form of devAddr + dmaCount > DMA_BUFFER + DMA_BUFFER_SIZE (both are guest values).
            if (dmaCount < 0 || devAddr < DMA_BUFFER || dmaCount > DMA_BUFFER_SIZE
                    || devAddr - DMA_BUFFER > DMA_BUFFER_SIZE - dmaCount) {
                errors.report(GuestErrors.Kind.DMA_OUT_OF_RANGE, source, String.format(
                        "DMA device range 0x%x+0x%x outside the buffer", devAddr, dmaCount));
            } else if (dmaCount > 0) {
                var buf = bar0.segment(devAddr, dmaCount);
                if (toRam) {
                    dma.write(ramAddr, buf);
                } else {
                    dma.read(ramAddr, buf);
                }
            }
            dmaCmd = DMA_CMD_START.with(dmaCmd, 0);
            if (DMA_CMD_IRQ.isSet(dmaCmd)) {
                setIrqStatus(irqStatus | IRQ_DMA);
            }
        } finally {
            bar0.deviceLock().unlock();
        }
    }

    private void setIrqStatus(int value) {
        irqStatus = value;
        if (irq != null) {
            irq.set(irqStatus != 0);
        }
    }
}
