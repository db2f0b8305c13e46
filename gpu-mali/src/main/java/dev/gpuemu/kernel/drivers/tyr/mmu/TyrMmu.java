package dev.gpuemu.kernel.drivers.tyr.mmu;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.drivers.tyr.GpuRegs;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.sync.Delay;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliException;
import dev.gpuemu.regs.mali.MaliPte;
import dev.gpuemu.regs.mali.MaliRegs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/// The MMU as the driver manages it (panthor_mmu.c): VMs with their page tables, the address-space
/// slots (AS0 reserved for the MCU's VM, the others given to user VMs least-recently-used first),
/// the `AS_COMMAND` protocol with `AS_STATUS` polling, and MMU fault handling.
///
/// ## Active VMs
/// [#activate] (`panthor_vm_active`) counts a user of the VM's slot; [#idle] (`panthor_vm_idle`)
/// drops it. Only a slot whose VM has no user is ever taken for another VM: a CSG running on an
/// address space must never see it reprogrammed under it. With every slot in use, [#activate]
/// answers `EBUSY`.
///
/// ## Invariants
/// A slot holds at most one VM and a VM at most one slot. Slot 0 holds only the MCU VM. A VM with
/// `activeCnt > 0` keeps its slot until it is destroyed or faults.
///
/// ## Thread safety
/// Slot state is guarded by this object's monitor; `AS_COMMAND` sequences of one slot run under
/// it, so two commands never interleave on one slot.
///
/// ## Lifecycle
/// created at probe → [#close] once at unbind (after the MCU stopped): every VM destroyed, every
/// slot disabled.
public final class TyrMmu implements AutoCloseable {
    /// `AS_STATUS` poll step and timeout (panthor: 10 µs / 100 ms).
    static final long AS_POLL_NS = 10_000L;
    static final long AS_TIMEOUT_NS = 100_000_000L;
    /// `AS_MEMATTR`: index 0 write-back cacheable, index 1 non-cacheable (panthor's MAIR conversion
    /// of `MAIR_ATTR_IDX_CACHE` / `_NC`; exact byte values unverified).
    static final long MEMATTR = 0x4C88L;

    private final Device<? extends Bound> dev;
    private final IoMem io;
    private final int vaBits;
    private final TyrVm[] slots;
    private final List<TyrVm> vms = new ArrayList<>();
    private final AtomicLong faults = new AtomicLong();
    private long useClock;
    private boolean closed;

    public TyrMmu(Device<? extends Bound> dev, IoMem io, int asPresent, int vaBits) {
        this.dev = dev;
        this.io = io;
        this.vaBits = vaBits;
        this.slots = new TyrVm[Integer.numberOfTrailingZeros(~asPresent)];
    }

    /// A snapshot of the VMs alive (debugfs-style view, for tests and reports).
    public synchronized List<TyrVm> vms() {
        return vms.stream().filter(v -> !v.isDestroyed()).toList();
    }

    /// Number of address-space slots.
    public int slotCount() {
        return slots.length;
    }

    /// MMU faults handled so far.
    public long faults() {
        return faults.get();
    }

    /// Creates a VM over `[vaStart, vaEnd)`; `mcu` marks the firmware's VM (slot 0).
    public TyrVm createVm(String name, boolean mcu, long vaStart, long vaEnd) throws KernelException {
        if (vaEnd > (1L << vaBits) || vaStart < 0 || vaStart >= vaEnd) {
            throw new KernelException(Errno.EINVAL, String.format("VM range 0x%x-0x%x", vaStart, vaEnd));
        }
        PageTable pt = new PageTable(dev, name);
        TyrVm vm = new TyrVm(this, name, mcu, vaStart, vaEnd, pt);
        synchronized (this) {
            if (closed) {
                pt.free();
                throw new KernelException(Errno.ENODEV, "MMU closed");
            }
            vms.add(vm);
        }
        return vm;
    }

    synchronized int asOf(TyrVm vm) {
        return vm.as;
    }

    /// Binds `vm` to a slot and counts one more user of it (`panthor_vm_active`): keeps its slot,
    /// else takes a free one, else evicts the least recently used user VM that nobody uses.
    /// Programs `TRANSTAB`, `MEMATTR`, `TRANSCFG` and issues `UPDATE`. Pair with [#idle].
    ///
    /// @throws KernelException `EINVAL` for a destroyed or unusable VM, `EBUSY` when every user
    ///         slot holds a VM in use, `ETIMEDOUT` when the slot stays busy
    public synchronized int activate(TyrVm vm) throws KernelException {
        if (vm.isDestroyed() || vm.isUnusable()) {
            throw new KernelException(Errno.EINVAL, vm + " cannot be activated");
        }
        vm.lastUse = ++useClock;
        if (vm.as >= 0) {
            vm.activeCnt++;
            return vm.as;
        }
        int as;
        if (vm.isMcu()) {
            as = 0;
            if (slots[0] != null) {
                throw dev.kernel().oopses().bug("AS0 already holds " + slots[0]);
            }
        } else {
            as = -1;
            for (int i = 1; i < slots.length && as < 0; i++) {
                if (slots[i] == null) {
                    as = i;
                }
            }
            if (as < 0) {
                int lru = -1;
                for (int i = 1; i < slots.length; i++) {
                    if (slots[i].activeCnt == 0 && (lru < 0 || slots[i].lastUse < slots[lru].lastUse)) {
                        lru = i;
                    }
                }
                if (lru < 0) {
                    throw new KernelException(Errno.EBUSY, "every address space is in use");
                }
                disableSlot(lru);
                as = lru;
            }
        }
        slots[as] = vm;
        vm.as = as;
        long transcfg = MaliAsReg.ADRMODE_AARCH64_4K | MaliRegs.AS_TRANSCFG_INA_BITS.with(0, 55 - vaBits);
        waitReady(as);
        GpuRegs.write64(io, MaliRegs.asOffset(as, MaliAsReg.AS_TRANSTAB), vm.pt.rootAddress());
        GpuRegs.write64(io, MaliRegs.asOffset(as, MaliAsReg.AS_MEMATTR), MEMATTR);
        GpuRegs.write64(io, MaliRegs.asOffset(as, MaliAsReg.AS_TRANSCFG), transcfg);
        command(as, MaliAsReg.AS_COMMAND_UPDATE);
        vm.activeCnt++;
        return as;
    }

    /// `panthor_vm_idle`: one user of `vm`'s slot less; the slot stays programmed (and may be
    /// reused by another VM once nobody uses it).
    public synchronized void idle(TyrVm vm) {
        if (vm.activeCnt <= 0) {
            throw new IllegalStateException(vm + " idled more often than activated");
        }
        vm.activeCnt--;
        vm.lastUse = ++useClock;
    }

    /// `LOCK` of the region before a page-table update of a live VM.
    void lockRegion(TyrVm vm, long va, long size) throws KernelException {
        synchronized (this) {
            if (vm.as < 0) {
                return;
            }
            GpuRegs.write64(io, MaliRegs.asOffset(vm.as, MaliAsReg.AS_LOCKADDR), lockAddr(va, size));
            command(vm.as, MaliAsReg.AS_COMMAND_LOCK);
        }
    }

    /// `FLUSH_PT` then `UNLOCK` after the update.
    void flushAndUnlock(TyrVm vm) throws KernelException {
        synchronized (this) {
            if (vm.as < 0) {
                return;
            }
            command(vm.as, MaliAsReg.AS_COMMAND_FLUSH_PT);
            command(vm.as, MaliAsReg.AS_COMMAND_UNLOCK);
        }
    }

    /// `AS_LOCKADDR` for a region covering `[va, va + size)`: size rounded up to a power of two of
    /// at least 32 KiB, base aligned down to it.
    static long lockAddr(long va, long size) {
        long end = va + size;
        int log2 = Math.max(MaliAsReg.LOCK_REGION_MIN_LOG2, 64 - Long.numberOfLeadingZeros(Math.max(1, size - 1)));
        while ((va >>> log2) != ((end - 1) >>> log2)) {
            log2++;
        }
        long base = va & -(1L << log2);
        return base | (log2 - 1);
    }

    synchronized void release(TyrVm vm) {
        if (vm.as >= 0) {
            disableSlot(vm.as);
        }
        vms.remove(vm);
    }

    /// Disables `as` (panthor_mmu_as_disable): flush, `TRANSTAB`/`MEMATTR` 0, `TRANSCFG` unmapped,
    /// `UPDATE`. Errors are logged: a dead slot is unusable either way.
    private void disableSlot(int as) {
        TyrVm vm = slots[as];
        slots[as] = null;
        if (vm != null) {
            vm.as = -1;
        }
        if (!io.isMapped()) {
            return;
        }
        try {
            command(as, MaliAsReg.AS_COMMAND_FLUSH_MEM);
            GpuRegs.write64(io, MaliRegs.asOffset(as, MaliAsReg.AS_TRANSTAB), 0);
            GpuRegs.write64(io, MaliRegs.asOffset(as, MaliAsReg.AS_MEMATTR), 0);
            GpuRegs.write64(io, MaliRegs.asOffset(as, MaliAsReg.AS_TRANSCFG), MaliAsReg.ADRMODE_UNMAPPED);
            command(as, MaliAsReg.AS_COMMAND_UPDATE);
        } catch (KernelException e) {
            dev.err("Failed to disable AS" + as + ": " + e.getMessage());
        }
    }

    private void waitReady(int as) throws KernelException {
        var r = Delay.readPollTimeout(dev.kernel().clock(), () -> io.read32(MaliRegs.asOffset(as, MaliAsReg.AS_STATUS)),
                v -> (v & MaliAsReg.AS_STATUS_ACTIVE) == 0, AS_POLL_NS, AS_TIMEOUT_NS);
        if (!r.ok()) {
            dev.err("AS_ACTIVE bit stuck");
            throw new KernelException(Errno.ETIMEDOUT, "AS" + as + " stuck active");
        }
    }

    private void command(int as, int cmd) throws KernelException {
        waitReady(as);
        io.write32(MaliRegs.asOffset(as, MaliAsReg.AS_COMMAND), cmd);
        waitReady(as);
    }

    /// The `mmu` interrupt's bits (threaded context): per faulting slot, logs panthor's fault
    /// report, marks the VM unusable and disables the slot.
    public void handleIrq(int status) {
        for (int as = 0; as < slots.length; as++) {
            int bits = status & (MaliRegs.mmuIrqPageFault(as) | MaliRegs.mmuIrqBusFault(as));
            if (bits == 0) {
                continue;
            }
            faults.incrementAndGet();
            int fs = io.read32(MaliRegs.asOffset(as, MaliAsReg.AS_FAULTSTATUS));
            long addr = GpuRegs.read64(io, MaliRegs.asOffset(as, MaliAsReg.AS_FAULTADDRESS));
            int exception = (int) MaliRegs.AS_FAULT_EXCEPTION_TYPE.get(fs);
            int access = (int) MaliRegs.AS_FAULT_ACCESS_TYPE.get(fs);
            dev.err(String.format("Unhandled Page fault in AS%d at VA 0x%016X", as, addr));
            dev.err(String.format("raw fault status: 0x%X", fs));
            dev.err(String.format("exception type 0x%X: %s", exception, MaliException.name(exception)));
            dev.err(String.format("access type 0x%X: %s", access, accessName(access)));
            dev.err(String.format("source id 0x%X", MaliRegs.AS_FAULT_SOURCE_ID.get(fs)));
            synchronized (this) {
                TyrVm vm = slots[as];
                if (vm != null) {
                    vm.markUnusable();
                }
                disableSlot(as);
            }
        }
    }

    static String accessName(int access) {
        return switch (access) {
            case MaliAsReg.ACCESS_ATOMIC -> "ATOMIC";
            case MaliAsReg.ACCESS_EXECUTE -> "EXECUTE";
            case MaliAsReg.ACCESS_READ -> "READ";
            default -> "WRITE";
        };
    }

    /// Destroys every remaining VM and disables every slot.
    @Override
    public void close() {
        List<TyrVm> left;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("MMU already closed");
            }
            closed = true;
            left = new ArrayList<>(vms);
        }
        for (TyrVm vm : left) {
            if (!vm.isDestroyed()) {
                vm.destroy();
            }
        }
    }

    /// Page size the MMU maps.
    public static long pageSize() {
        return MaliPte.PAGE_SIZE;
    }
}
