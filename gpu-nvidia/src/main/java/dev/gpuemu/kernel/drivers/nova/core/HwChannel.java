package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.pci.PciDevice;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.kernel.io.DmaCoherent;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.nvidia.Clc56f;
import dev.gpuemu.regs.nvidia.Clc6b5;
import dev.gpuemu.regs.nvidia.GmmuPde;
import dev.gpuemu.regs.nvidia.GmmuPte;
import dev.gpuemu.regs.nvidia.GpFifoEntry;
import dev.gpuemu.regs.nvidia.NvBar0Map;
import dev.gpuemu.regs.nvidia.NvHostReg;
import dev.gpuemu.regs.nvidia.NvHostRegs;
import dev.gpuemu.regs.nvidia.PushbufferHeader;
import java.util.Optional;

/// [NovaChannel] on gpuemu's channel window (docs/devices/nvidia-ga102-host.md "Driver
/// sequence"). Kernel memory: one 8 KiB coherent buffer mapped at
/// `KERNEL_VA_START + id * 64 KiB`: the GPFIFO ring (256 entries) at 0, the 64-bit semaphore at
/// [#SEM_OFFSET], the SET_OBJECT segment at [#INIT_OFFSET], and 128 kernel pushbuffer slots of 8
/// dwords at [#SLOTS_OFFSET] (semaphore release of the seqno + non-stall interrupt). Each submit
/// takes two GPFIFO entries: the user's segment, then its slot.
///
/// ## Thread safety
/// `this` guards the ring, the sequence numbers and the state; the listener is called under it.
final class HwChannel implements NovaChannel {
    static final int ENTRIES = 256;
    static final long SEM_OFFSET = 0x800;
    static final long INIT_OFFSET = 0x900;
    static final long SLOTS_OFFSET = 0x1000;
    static final int SLOT_BYTES = 32;
    static final long BUFFER_BYTES = 0x2000;
    static final long WINDOW = 0x10000;
    /// Marks a channel id reserved while its channel starts.
    static final HwChannel RESERVED = new HwChannel(null, null, null, -1, null, SeqnoListener.NONE, null, 0);

    private final NovaDevice device;
    private final Scope scope;
    private final IoMem bar0;
    private final int id;
    private final GpuVm vm;
    private final SeqnoListener listener;
    private final DmaCoherent buf;
    private final long kva;
    private final int token;
    private int put;
    private long submitted;
    private volatile long completed;
    private State state = State.ACTIVE;
    private Fault fault;
    private boolean closed;

    private HwChannel(NovaDevice device, Scope scope, IoMem bar0, int id, GpuVm vm, SeqnoListener listener,
                      DmaCoherent buf, int token) {
        this.device = device;
        this.scope = scope;
        this.bar0 = bar0;
        this.id = id;
        this.vm = vm;
        this.listener = listener;
        this.buf = buf;
        this.kva = NovaVm.KERNEL_VA_START + id * WINDOW;
        this.token = token;
    }

    private static int reg(int id, NvHostReg r) {
        return NvBar0Map.HOST_WINDOW_BASE + NvHostReg.offset(id, r);
    }

    /// Programs channel `id` and starts it; the caller has reserved the id.
    static HwChannel start(NovaDevice device, PciDevice<? extends Bound> pdev, Scope scope, IoMem bar0, int id,
                           GpuVm vm, SeqnoListener listener) throws KernelException {
        DmaCoherent buf = DmaCoherent.alloc(pdev, BUFFER_BYTES, "nova channel " + id);
        long kva = NovaVm.KERNEL_VA_START + id * WINDOW;
        synchronized (vm) {
            for (long off = 0; off < BUFFER_BYTES; off += NovaVm.PAGE_SIZE) {
                vm.setPte(kva + off, GmmuPte.encode(GmmuPte.APERTURE_SYSTEM_COHERENT_MEMORY,
                        buf.dmaAddress() + off, false));
            }
        }
        bar0.write32(reg(id, NvHostReg.ENABLE), 0);
        bar0.write32(reg(id, NvHostReg.GPFIFO_BASE_LO), (int) kva);
        bar0.write32(reg(id, NvHostReg.GPFIFO_BASE_HI), (int) (kva >>> 32));
        bar0.write32(reg(id, NvHostReg.GPFIFO_ENTRIES), ENTRIES);
        bar0.write32(reg(id, NvHostReg.PDB_LO), (int) vm.pdbAddress());
        bar0.write32(reg(id, NvHostReg.PDB_HI), (int) (vm.pdbAddress() >>> 32));
        bar0.write32(reg(id, NvHostReg.PDB_APERTURE), GmmuPde.APERTURE_SYSTEM_COHERENT_MEMORY);
        bar0.write32(reg(id, NvHostReg.CLASS), Clc6b5.AMPERE_DMA_COPY_A);
        bar0.write32(reg(id, NvHostReg.ENABLE), NvHostRegs.ENABLE_BIT);
        int status = bar0.read32(reg(id, NvHostReg.STATUS));
        if (NvHostRegs.STATE.get(status) != NvHostRegs.STATE_IDLE) {
            bar0.write32(reg(id, NvHostReg.ENABLE), 0);
            unmapKernel(vm, kva);
            buf.free();
            pdev.err(String.format("channel %d did not come up idle (status 0x%08x)", id, status));
            throw new KernelException(Errno.EIO);
        }
        int token = bar0.read32(reg(id, NvHostReg.WORK_SUBMIT_TOKEN));
        HwChannel ch = new HwChannel(device, scope, bar0, id, vm, listener, buf, token);
        // SET_OBJECT on the copy subchannel
        buf.write32(INIT_OFFSET, PushbufferHeader.incrementing(COPY_SUBCHANNEL, Clc56f.SET_OBJECT, 1));
        buf.write32(INIT_OFFSET + 4, Clc6b5.AMPERE_DMA_COPY_A);
        synchronized (ch) {
            ch.push(kva + INIT_OFFSET, 2);
            ch.ring();
        }
        return ch;
    }

    private static void unmapKernel(GpuVm vm, long kva) throws KernelException {
        synchronized (vm) {
            for (long off = 0; off < BUFFER_BYTES; off += NovaVm.PAGE_SIZE) {
                vm.setPte(kva + off, 0);
            }
        }
    }

    // guarded by this
    private void push(long va, int dwords) {
        buf.write64((long) put * GpFifoEntry.SIZE, GpFifoEntry.encode(va, dwords));
        put = (put + 1) % ENTRIES;
    }

    // guarded by this
    private void ring() {
        // ORDERING: the GPFIFO and slot writes above are plain memory writes; the MMIO writes below
        // are ordered after them (writel semantics), so the host sees the entries.
        bar0.write32(reg(id, NvHostReg.GP_PUT), put);
        bar0.write32(NvBar0Map.USERMODE_BASE + NvBar0Map.USERMODE_NOTIFY_CHANNEL_PENDING, token);
    }

    int rawId() {
        return id;
    }

    @Override
    public int id() {
        scope.check("nova channel id");
        return id;
    }

    @Override
    public NovaVm vm() {
        scope.check("nova channel vm");
        return vm;
    }

    @Override
    public long submit(long pushbufferVa, int lengthDwords) throws KernelException {
        scope.check("nova channel submit");
        if ((pushbufferVa & 3) != 0 || lengthDwords < 1 || lengthDwords > GpFifoEntry.MAX_LENGTH
                || pushbufferVa < NovaVm.USER_VA_START
                || pushbufferVa + 4L * lengthDwords > NovaVm.PUSHBUFFER_VA_END
                || pushbufferVa + 4L * lengthDwords > NovaVm.KERNEL_VA_START) {
            throw new KernelException(Errno.EINVAL, String.format("bad pushbuffer 0x%x (%d dwords)", pushbufferVa,
                    lengthDwords));
        }
        synchronized (this) {
            switch (state) {
                case FAULTED -> throw new KernelException(Errno.EIO, "channel " + id + " faulted");
                case STOPPED -> throw new KernelException(Errno.ENODEV, "channel " + id + " stopped");
                case ACTIVE -> { }
            }
            if (submitted - completed >= MAX_IN_FLIGHT) {
                throw new KernelException(Errno.EBUSY, "channel " + id + " has " + MAX_IN_FLIGHT + " submits pending");
            }
            long seqno = submitted + 1;
            long slot = SLOTS_OFFSET + (seqno % ((BUFFER_BYTES - SLOTS_OFFSET) / SLOT_BYTES)) * SLOT_BYTES;
            long sem = kva + SEM_OFFSET;
            buf.write32(slot, PushbufferHeader.incrementing(COPY_SUBCHANNEL, Clc56f.SEM_ADDR_LO, 5));
            buf.write32(slot + 4, (int) sem);
            buf.write32(slot + 8, (int) (sem >>> 32));
            buf.write32(slot + 12, (int) seqno);
            buf.write32(slot + 16, (int) (seqno >>> 32));
            buf.write32(slot + 20, Clc56f.semRelease(true, false));
            buf.write32(slot + 24, PushbufferHeader.incrementing(COPY_SUBCHANNEL, Clc56f.NON_STALL_INTERRUPT, 1));
            buf.write32(slot + 28, 0);
            push(pushbufferVa, lengthDwords);
            push(kva + slot, SLOT_BYTES / 4);
            submitted = seqno;
            ring();
            return seqno;
        }
    }

    @Override
    public synchronized long submittedSeqno() {
        scope.check("nova channel submittedSeqno");
        return submitted;
    }

    @Override
    public long completedSeqno() {
        scope.check("nova channel completedSeqno");
        return completed;
    }

    @Override
    public boolean waitSeqno(long seqno, long timeoutNs) {
        scope.check("nova channel waitSeqno");
        return device.clock().await(() -> completed >= seqno, timeoutNs);
    }

    @Override
    public synchronized State state() {
        scope.check("nova channel state");
        return state;
    }

    @Override
    public synchronized Optional<Fault> fault() {
        scope.check("nova channel fault");
        return Optional.ofNullable(fault);
    }

    /// Non-stall interrupt: signal what the semaphore says is done.
    synchronized void onNonStall() {
        if (state != State.ACTIVE) {
            return;
        }
        long sem = buf.read64(SEM_OFFSET);
        signalUpTo(Math.min(sem, submitted), 0);
    }

    /// Stall interrupt: the channel stopped on an error.
    synchronized void onStall() {
        if (state != State.ACTIVE) {
            return;
        }
        int status = bar0.read32(reg(id, NvHostReg.STATUS));
        if (NvHostRegs.STATE.get(status) != NvHostRegs.STATE_ERROR) {
            return;
        }
        long addr = Integer.toUnsignedLong(bar0.read32(reg(id, NvHostReg.FAULT_ADDR_LO)))
                | (long) bar0.read32(reg(id, NvHostReg.FAULT_ADDR_HI)) << 32;
        int info = bar0.read32(reg(id, NvHostReg.FAULT_INFO));
        int errorInfo = bar0.read32(reg(id, NvHostReg.ERROR_INFO));
        fault = new Fault((int) NvHostRegs.ERROR.get(status), addr, (int) NvHostRegs.FAULT_TYPE.get(info),
                (int) NvHostRegs.FAULT_ACCESS.get(info), (int) NvHostRegs.FAULT_CLIENT.get(info), errorInfo);
        device.pdev().warn(String.format("channel %d stopped: error %d, fault addr 0x%x, info 0x%08x", id,
                fault.error(), addr, info));
        signalUpTo(Math.min(buf.read64(SEM_OFFSET), submitted), 0);
        state = State.FAULTED;
        signalUpTo(submitted, Errno.EIO.code());
    }

    // guarded by this
    private void signalUpTo(long seqno, int error) {
        while (completed < seqno) {
            long s = completed + 1;
            completed = s;
            try {
                listener.signalled(s, error);
            } catch (RuntimeException e) {
                device.pdev().err("channel " + id + " listener threw " + e);
            }
        }
    }

    /// Disables the channel, cancels pending work and releases its kernel memory (close, VM close,
    /// unbind). Idempotent.
    synchronized void stopIfOpen() {
        if (state == State.STOPPED) {
            return;
        }
        bar0.write32(reg(id, NvHostReg.ENABLE), 0);
        device.channelStopped(this);
        if (state == State.ACTIVE) {
            signalUpTo(Math.min(buf.read64(SEM_OFFSET), submitted), 0);
        }
        state = State.STOPPED;
        signalUpTo(submitted, Errno.ECANCELED.code());
        try {
            unmapKernel(vm, kva);
        } catch (KernelException e) {
            throw new IllegalStateException("clearing PTEs never allocates", e);
        }
        vm.channels.remove(this);
        buf.free();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("nova channel " + id + " already closed");
            }
            closed = true;
        }
        if (scope.isAlive()) {
            stopIfOpen();
        }
    }
}
