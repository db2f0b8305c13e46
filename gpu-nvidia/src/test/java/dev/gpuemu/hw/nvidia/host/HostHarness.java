package dev.gpuemu.hw.nvidia.host;

import dev.gpuemu.hw.nvidia.NvHwPorts;
import dev.gpuemu.hw.nvidia.NvInterruptPort;
import dev.gpuemu.hw.nvidia.mmu.GmmuTables;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.mem.DmaPort;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.time.ClockMode;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.nvidia.Clc56f;
import dev.gpuemu.regs.nvidia.Clc6b5;
import dev.gpuemu.regs.nvidia.GpFifoEntry;
import dev.gpuemu.regs.nvidia.NvHostReg;
import dev.gpuemu.regs.nvidia.NvHostRegs;
import dev.gpuemu.regs.nvidia.PushbufferHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/// Test machine for the host block: VRAM (off-heap), 8 MiB of system memory behind a DMA port,
/// a recording interrupt port, a FAST clock, and a driver-side view (page tables, GPFIFO and
/// pushbuffer writers) built only from `regs.nvidia`.
///
/// VM layout of channel 0: GPFIFO at [#GPFIFO_VA] (VRAM 0x20_0000), pushbuffer at [#PB_VA]
/// (VRAM 0x21_0000), semaphore at [#SEM_VA] (VRAM 0x22_0000), data from [#DATA_VA].
final class HostHarness implements AutoCloseable {
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final int SUBCH = 4;
    static final long GPFIFO_VA = 0x10_0000_0000L;
    static final long PB_VA = 0x10_0001_0000L;
    static final long SEM_VA = 0x10_0002_0000L;
    static final long DATA_VA = 0x20_0000_0000L;
    static final long GPFIFO_PA = 0x20_0000;
    static final long PB_PA = 0x21_0000;
    static final long SEM_PA = 0x22_0000;
    static final int ENTRIES = 16;

    final Arena arena = Arena.ofShared();
    final MemorySegment vram = arena.allocate(32 << 20, 4096);
    final GuestErrors errors = new GuestErrors();
    final SystemMemory sysmem = new SystemMemory(0, 8 << 20, errors);
    final DmaPort dma = new DmaPort(sysmem, errors, "dma:ga102");
    final SimClock clock = new SimClock(ClockMode.FAST);
    final ReentrantLock lock = new ReentrantLock();
    final List<String> irqs = new ArrayList<>();
    final NvHost host;
    final GmmuTables vm;
    private final List<Integer> pb = new ArrayList<>();
    private int pbUsed;
    private int put;

    HostHarness() {
        NvInterruptPort intr = new NvInterruptPort() {
            @Override
            public void raiseNonStall(int channel) {
                synchronized (irqs) {
                    irqs.add("nonstall:" + channel);
                }
            }

            @Override
            public void raiseStall(int channel) {
                synchronized (irqs) {
                    irqs.add("stall:" + channel);
                }
            }
        };
        host = new NvHost(new NvHwPorts("ga102 test", vram, dma, intr, clock,
                clock.domain("ga102-gpc", 1_695_000_000L), errors, lock));
        vm = new GmmuTables(vram, sysmem, false, 0x10_0000);
        vm.mapRange(GPFIFO_VA, GPFIFO_PA, 0x1000, false, false);
        vm.mapRange(PB_VA, PB_PA, 0x10000, false, false);
        vm.mapRange(SEM_VA, SEM_PA, 0x1000, false, false);
    }

    int read(int ch, NvHostReg r) {
        lock.lock();
        try {
            return host.readRegister(NvHostReg.offset(ch, r));
        } finally {
            lock.unlock();
        }
    }

    void write(int ch, NvHostReg r, int v) {
        lock.lock();
        try {
            host.writeRegister(NvHostReg.offset(ch, r), v);
        } finally {
            lock.unlock();
        }
    }

    /// The driver's channel setup sequence.
    void setUpChannel(int ch) {
        write(ch, NvHostReg.GPFIFO_BASE_LO, (int) GPFIFO_VA);
        write(ch, NvHostReg.GPFIFO_BASE_HI, (int) (GPFIFO_VA >>> 32));
        write(ch, NvHostReg.GPFIFO_ENTRIES, ENTRIES);
        write(ch, NvHostReg.PDB_LO, (int) vm.pdb());
        write(ch, NvHostReg.PDB_HI, (int) (vm.pdb() >>> 32));
        write(ch, NvHostReg.PDB_APERTURE, vm.aperture());
        write(ch, NvHostReg.CLASS, Clc6b5.AMPERE_DMA_COPY_A);
        write(ch, NvHostReg.ENABLE, 1);
        method(Clc56f.SET_OBJECT, Clc6b5.AMPERE_DMA_COPY_A);
    }

    /// Appends a method with data to the pending pushbuffer segment.
    void method(int method, int... data) {
        int sub = method < Clc56f.HOST_METHOD_LIMIT && method != Clc56f.SET_OBJECT ? 0 : SUBCH;
        pb.add(PushbufferHeader.incrementing(sub, method, data.length));
        for (int d : data) {
            pb.add(d);
        }
    }

    void raw(int dword) {
        pb.add(dword);
    }

    /// Writes the pending segment into the pushbuffer and a GPFIFO entry pointing at it, then
    /// bumps GP_PUT and rings the doorbell of `ch`.
    void submit(int ch) {
        long va = PB_VA + pbUsed * 4L;
        for (int d : pb) {
            vram.set(LE_INT, PB_PA + pbUsed * 4L, d);
            pbUsed++;
        }
        long entry = GpFifoEntry.encode(va, pb.size());
        pb.clear();
        vram.set(ValueLayout.JAVA_LONG_UNALIGNED, GPFIFO_PA + put * 8L, entry);
        put = (put + 1) % ENTRIES;
        write(ch, NvHostReg.GP_PUT, put);
        doorbell(read(ch, NvHostReg.WORK_SUBMIT_TOKEN));
    }

    void doorbell(int token) {
        lock.lock();
        try {
            host.notifyChannelPending(token);
        } finally {
            lock.unlock();
        }
    }

    /// Runs simulated time until `ch` is no longer busy (at most 10 ms).
    void drain(int ch) {
        clock.await(() -> (read(ch, NvHostReg.STATUS) & 3) != NvHostRegs.STATE_BUSY, 10_000_000L);
    }

    int semaphore() {
        return vram.get(LE_INT, SEM_PA);
    }

    List<String> irqs() {
        synchronized (irqs) {
            return List.copyOf(irqs);
        }
    }

    @Override
    public void close() {
        clock.close();
        sysmem.close();
        arena.close();
    }
}
