package dev.gpuemu.hw.mali.mmu;

import static dev.gpuemu.regs.mali.MaliAsReg.*;

import dev.gpuemu.hw.mali.GpuMemory;
import dev.gpuemu.hw.mali.IrqBlock;
import dev.gpuemu.hw.mali.MaliTimings;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.mem.DmaPort;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.time.ClockDomain;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliException;
import dev.gpuemu.regs.mali.MaliPte;
import dev.gpuemu.regs.mali.MaliRegs;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/// The G610's MMU: eight address spaces programmed through `AS_*` registers
/// (`MaliRegs.AS_BASE + n * AS_STRIDE`), the `MMU_IRQ` block, and [GpuMemory] for the CSF.
///
/// ## Translation
/// By the configuration latched by the last `AS_COMMAND` UPDATE: `UNMAPPED` faults every access
/// (translation fault, level 0); `IDENTITY` maps va to pa; `AARCH64_4K` walks the tables in system
/// memory ([PageTableWalker]), reading each descriptor by DMA on every translation: there is no
/// TLB, so no stale entry can outlive a table update and no host-side copy of guest tables exists.
/// Other modes (including `AARCH64_64K`) fault like `UNMAPPED` and were counted at UPDATE.
///
/// ## Faults
/// A faulting translation sets `AS_FAULTSTATUS` (exception code `[7:0]`, access type `[9:8]`,
/// source id `[31:16]`) and `AS_FAULTADDRESS` (the va) and raises the space's `MMU_IRQ` bit
/// (page fault bit n; bus fault bit 16 + n when a table read left RAM). While either bit of the
/// space is still set in `RAWSTAT`, later faults are answered but not recorded: the driver sees
/// the first fault until it clears the interrupt.
///
/// ## Commands
/// `AS_COMMAND` UPDATE latches `TRANSTAB`/`MEMATTR`/`TRANSCFG`; LOCK records the lock region;
/// UNLOCK, FLUSH_PT and FLUSH_MEM release it. Each sets `AS_STATUS.ACTIVE` for
/// [MaliTimings#AS_COMMAND_CYCLES] GPU cycles; a command written while ACTIVE is a counted guest
/// error and ignored. Locked regions do not stall accesses (not modelled).
///
/// ## Thread safety
/// Register accesses run under the device lock (the MMIO handler holds it); [#translate] takes
/// the same (reentrant) lock itself, so the CSF may call it from its clock-thread events.
public final class MaliMmu implements GpuMemory {
    private final String source;
    private final SimClock clock;
    private final ClockDomain gpuClock;
    private final GuestErrors errors;
    private final SystemMemory memory;
    private final ReentrantLock lock;
    private final PageTableWalker walker;
    private final IrqBlock irq = new IrqBlock("MMU");
    private final AddressSpace[] spaces = new AddressSpace[MaliRegs.AS_COUNT];
    private int generation; // bumped by reset; AS command completions of older generations are dropped

    /// An MMU reading page tables through a DMA port on `memory` (40-bit physical addresses).
    public MaliMmu(String source, SimClock clock, ClockDomain gpuClock, GuestErrors errors, SystemMemory memory,
                   ReentrantLock deviceLock) {
        this(source, clock, gpuClock, errors, memory, deviceLock, dmaReader(memory, errors, source));
    }

    MaliMmu(String source, SimClock clock, ClockDomain gpuClock, GuestErrors errors, SystemMemory memory,
            ReentrantLock deviceLock, DescriptorReader reader) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.gpuClock = Objects.requireNonNull(gpuClock, "gpuClock");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.lock = Objects.requireNonNull(deviceLock, "deviceLock");
        this.walker = new PageTableWalker(reader);
        for (int i = 0; i < spaces.length; i++) {
            spaces[i] = new AddressSpace(i);
        }
    }

    static DescriptorReader dmaReader(SystemMemory memory, GuestErrors errors, String source) {
        DmaPort port = new DmaPort(memory, errors, "dma:" + source + " mmu");
        port.setMaskBits(PageTableWalker.PA_BITS);
        return port::readInt;
    }

    /// The `MMU_IRQ` interrupt block.
    public IrqBlock irq() {
        return irq;
    }

    /// Whether any address space has a page fault pending in `MMU_IRQ_RAWSTAT` (`GPU_STATUS.PAGE_FAULT`).
    public boolean pageFaultPending() {
        return (irq.rawstat() & 0xFFFF) != 0;
    }

    // ---- registers (offsets relative to the MMIO region) -------------------------------------

    /// Whether `offset` lies in the address-space register window.
    public static boolean isAsOffset(long offset) {
        return offset >= MaliRegs.AS_BASE && offset < MaliRegs.AS_BASE + MaliRegs.AS_COUNT * MaliRegs.AS_STRIDE;
    }

    /// A 32-bit read of an `AS_*` register word; unknown words read 0 (counted).
    public int read(long offset) {
        AddressSpace as = spaces[asIndex(offset)];
        long rel = relOffset(offset);
        MaliAsReg reg = MaliAsReg.atOrNull(rel);
        if (reg != null) {
            return (int) as.read(reg);
        }
        MaliAsReg high = highHalfOrNull(rel);
        if (high != null) {
            return (int) (as.read(high) >>> 32);
        }
        errors.report(Kind.DEVICE, source, "read of unknown AS register", offset);
        return 0;
    }

    /// A 32-bit write of an `AS_*` register word.
    public void write(long offset, int value) {
        AddressSpace as = spaces[asIndex(offset)];
        long rel = relOffset(offset);
        MaliAsReg reg = MaliAsReg.atOrNull(rel);
        boolean hi = false;
        if (reg == null) {
            reg = highHalfOrNull(rel);
            hi = true;
        }
        if (reg == null) {
            errors.report(Kind.DEVICE, source, "write of unknown AS register", offset);
            return;
        }
        int shift = hi ? 32 : 0;
        long keep = ~(0xFFFF_FFFFL << shift);
        long wide = Integer.toUnsignedLong(value) << shift;
        switch (reg) {
            case AS_TRANSTAB -> as.transtab = (as.transtab & keep) | wide;
            case AS_MEMATTR -> as.memattr = (as.memattr & keep) | wide;
            case AS_LOCKADDR -> as.lockaddr = (as.lockaddr & keep) | wide;
            case AS_TRANSCFG -> as.transcfg = (as.transcfg & keep) | wide;
            case AS_COMMAND -> command(as, value);
            default -> errors.report(Kind.READ_ONLY_WRITE, source, "write to read-only AS register", offset);
        }
    }

    private static int asIndex(long offset) {
        return (int) ((offset - MaliRegs.AS_BASE) / MaliRegs.AS_STRIDE);
    }

    private static long relOffset(long offset) {
        return (offset - MaliRegs.AS_BASE) % MaliRegs.AS_STRIDE;
    }

    private static MaliAsReg highHalfOrNull(long rel) {
        MaliAsReg r = MaliAsReg.atOrNull(rel - 4);
        return r != null && r.width() == 8 ? r : null;
    }

    private void command(AddressSpace as, int cmd) {
        if (as.commandActive) {
            errors.report(Kind.DEVICE, source, "AS_COMMAND while AS_STATUS.ACTIVE", as.index);
            return;
        }
        switch (cmd) {
            case AS_COMMAND_NOP -> {
                return;
            }
            case AS_COMMAND_UPDATE -> {
                as.update();
                int mode = as.adrmode();
                if (mode != ADRMODE_UNMAPPED && mode != ADRMODE_IDENTITY && mode != ADRMODE_AARCH64_4K) {
                    errors.report(Kind.DEVICE, source, "AS_TRANSCFG address mode not modelled", mode);
                }
            }
            case AS_COMMAND_LOCK -> {
                int sizeLog2 = (int) MaliRegs.AS_LOCKADDR_SIZE.get(as.lockaddr) + 1;
                if (sizeLog2 < LOCK_REGION_MIN_LOG2) {
                    errors.report(Kind.DEVICE, source, "AS_LOCKADDR region below 32 KiB", as.lockaddr);
                }
                as.locked = true;
            }
            case AS_COMMAND_UNLOCK, AS_COMMAND_FLUSH_PT, AS_COMMAND_FLUSH_MEM -> as.locked = false;
            default -> {
                errors.report(Kind.DEVICE, source, "AS_COMMAND not defined", cmd);
                return;
            }
        }
        as.commandActive = true;
        int gen = generation;
        clock.schedule(gpuClock.cyclesToNs(MaliTimings.AS_COMMAND_CYCLES), () -> finishCommand(as, gen));
    }

    private void finishCommand(AddressSpace as, int gen) {
        lock.lock();
        try {
            if (gen == generation) {
                as.commandActive = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /// A GPU reset: every address space and the `MMU_IRQ` raw status back to 0 (the mask survives,
    /// as the GPU block's do); commands in progress end at once.
    public void reset() {
        generation++;
        for (AddressSpace as : spaces) {
            as.reset();
        }
        irq.clear(-1);
    }

    // ---- GpuMemory ---------------------------------------------------------------------------

    @Override
    public long translate(int asNr, long va, int accessType, int sourceId) {
        lock.lock();
        try {
            if (asNr < 0 || asNr >= spaces.length) {
                errors.report(Kind.DEVICE, source, "translation in an address space that does not exist", asNr);
                return FAULT;
            }
            AddressSpace as = spaces[asNr];
            long r = switch (as.adrmode()) {
                case ADRMODE_IDENTITY -> (va >>> PageTableWalker.PA_BITS) == 0 ? va
                        : PageTableWalker.fault(MaliException.ADDR_SIZE_FAULT_OUT0);
                case ADRMODE_AARCH64_4K -> walker.walk(as.activeTranstab, as.inputBits(), va, accessType);
                default -> PageTableWalker.fault(MaliException.TRANSLATION_FAULT_0);
            };
            if (!PageTableWalker.isFault(r)) {
                return r;
            }
            recordFault(as, va, accessType, sourceId, r);
            return FAULT;
        } finally {
            lock.unlock();
        }
    }

    private void recordFault(AddressSpace as, long va, int accessType, int sourceId, long result) {
        int pageBit = MaliRegs.mmuIrqPageFault(as.index);
        int busBit = MaliRegs.mmuIrqBusFault(as.index);
        if ((irq.rawstat() & (pageBit | busBit)) == 0) {
            as.faultStatus = PageTableWalker.faultCode(result) | (accessType & 3) << 8 | (sourceId & 0xFFFF) << 16;
            as.faultAddress = va;
        }
        irq.raise(PageTableWalker.isBusFault(result) ? busBit : pageBit);
    }

    @Override
    public MemorySegment physical(long pa, long length) {
        if (length <= 0 || (pa & (MaliPte.PAGE_SIZE - 1)) + length > MaliPte.PAGE_SIZE) {
            throw new IllegalArgumentException(String.format("physical(0x%x, %d) crosses a page", pa, length));
        }
        if (pa < memory.base() || pa - memory.base() > memory.size() - length) {
            errors.report(Kind.DMA_OUT_OF_RANGE, source, "GPU access to a physical address outside RAM", pa);
            return null;
        }
        return memory.direct(pa, length);
    }
}
