package dev.gpuemu.hw.mali.csf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.hw.mali.IrqBlock;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.mem.PageRun;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.time.ClockMode;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.CsfIface.Cs;
import dev.gpuemu.regs.mali.CsfIface.CsIn;
import dev.gpuemu.regs.mali.CsfIface.CsOut;
import dev.gpuemu.regs.mali.CsfIface.Csg;
import dev.gpuemu.regs.mali.CsfIface.CsgIn;
import dev.gpuemu.regs.mali.CsfIface.CsgOut;
import dev.gpuemu.regs.mali.CsfIface.Glb;
import dev.gpuemu.regs.mali.CsfIface.GlbIn;
import dev.gpuemu.regs.mali.CsfIface.GlbOut;
import dev.gpuemu.regs.mali.CsfIface.Ring;
import dev.gpuemu.regs.mali.MaliRegs;
import dev.gpuemu.tools.malifw.MaliFirmwareImage;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/// A CSF on fakes plus a little panthor: loads a firmware image into address space 0, boots
/// the MCU, starts groups and streams, and submits instructions to ring buffers.
final class CsfHarness implements AutoCloseable {
    static final long RAM_BASE = 0x1_0000_0000L;
    static final long TIMEOUT_NS = 50_000_000L;
    /// MCU VAs of the rings' pointer pages (pair per stream), outside the firmware sections.
    static final long RING_IO_VA = 0x0800_0000L;

    final SimClock clock = new SimClock(ClockMode.FAST);
    final GuestErrors errors = new GuestErrors();
    final SystemMemory mem = new SystemMemory(RAM_BASE, 64L << 20, errors);
    final FakeMmu mmu = new FakeMmu(mem);
    final IrqBlock jobIrq = new IrqBlock("JOB");
    final IrqBlock gpuIrq = new IrqBlock("GPU");
    final ReentrantLock lock = new ReentrantLock();
    final FakeGpu gpu = new FakeGpu();
    final MaliCsf csf;

    /// The GPU control port: records flushes and the ACTIVE bit.
    static final class FakeGpu implements dev.gpuemu.hw.mali.GpuControlPort {
        int flushId;
        boolean active;
        int activeChanges;

        @Override
        public boolean l2Ready() {
            return true;
        }

        @Override
        public long shaderReady() {
            return 0x50005;
        }

        @Override
        public long tilerReady() {
            return 1;
        }

        @Override
        public int latestFlushId() {
            return flushId;
        }

        @Override
        public int flushCachesFromCsf() {
            return ++flushId;
        }

        @Override
        public void setCsfActive(boolean a) {
            active = a;
            activeChanges++;
        }

        @Override
        public void reportGpuFault(int status, long address) {
        }
    }

    CsfHarness() {
        this(CsfTiming.G610_MC4_RK3588);
    }

    CsfHarness(CsfTiming timing) {
        csf = new MaliCsf(new CsfPorts(clock, clock.domain("gpu", MaliRegs.RK3588_GPU_HZ), errors, mmu, jobIrq, gpuIrq,
                lock, mmu::faultStatus, gpu), timing);
    }

    @Override
    public void close() {
        clock.close();
        mem.close();
    }

    // ---- memory ----------------------------------------------------------------------------

    /// Maps `bytes` (page multiple) of fresh, zeroed, scattered pages at `va` in `as`.
    void map(int as, long va, long bytes) {
        List<PageRun> runs = mem.allocPages((int) (bytes / 4096), "test");
        long v = va;
        // Map pages in reverse physical order so that VA-contiguous is not PA-contiguous.
        for (int r = runs.size() - 1; r >= 0; r--) {
            PageRun run = runs.get(r);
            for (int p = run.pages() - 1; p >= 0; p--) {
                long pa = run.physAddr() + p * 4096L;
                mem.direct(pa, 4096).fill((byte) 0);
                mmu.map(as, v, pa, false);
                v += 4096;
            }
        }
    }

    MemorySegment page(int as, long va) {
        long pa = mmu.translate(as, va & ~0xFFFL, dev.gpuemu.regs.mali.MaliAsReg.ACCESS_READ, 0);
        if (pa == dev.gpuemu.hw.mali.GpuMemory.FAULT) {
            throw new IllegalStateException("unmapped VA 0x" + Long.toHexString(va));
        }
        return mem.direct(pa, 4096);
    }

    int r32(int as, long va) {
        return locked(() -> page(as, va).get(VmIo.U32, va & 0xFFF));
    }

    long r64(int as, long va) {
        return locked(() -> page(as, va).get(VmIo.U64, va & 0xFFF));
    }

    void w32(int as, long va, int v) {
        locked(() -> {
            page(as, va).set(VmIo.U32, va & 0xFFF, v);
            return null;
        });
    }

    void w64(int as, long va, long v) {
        locked(() -> {
            page(as, va).set(VmIo.U64, va & 0xFFF, v);
            return null;
        });
    }

    void writeBytes(int as, long va, byte[] data) {
        for (int i = 0; i < data.length; i++) {
            long a = va + i;
            page(as, a).set(java.lang.foreign.ValueLayout.JAVA_BYTE, a & 0xFFF, data[i]);
        }
    }

    byte[] readBytes(int as, long va, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            long a = va + i;
            out[i] = page(as, a).get(java.lang.foreign.ValueLayout.JAVA_BYTE, a & 0xFFF);
        }
        return out;
    }

    <T> T locked(java.util.function.Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            lock.unlock();
        }
    }

    boolean await(BooleanSupplier cond) {
        return clock.await(() -> locked(cond::getAsBoolean), TIMEOUT_NS);
    }

    // ---- firmware and MCU ------------------------------------------------------------------

    /// Maps every section of `image` into address space 0 as panthor would, copying its data.
    void loadFirmware(byte[] image) {
        for (FirmwareLoader.Section s : FirmwareLoader.parse(image).sections()) {
            map(0, s.vaStart(), s.vaEnd() - s.vaStart());
            byte[] data = java.util.Arrays.copyOfRange(image, s.dataStart(), s.dataEnd());
            writeBytes(0, s.vaStart(), data);
        }
    }

    void mcuControl(int v) {
        locked(() -> {
            csf.writeMcuControl(v);
            return null;
        });
    }

    int mcuStatus() {
        return locked(csf::mcuStatus);
    }

    void doorbell(int n) {
        locked(() -> {
            csf.ringDoorbell(n);
            return null;
        });
    }

    /// Loads the default image, maps ring pointer pages, boots; asserts GLOBAL_IF.
    void boot() {
        loadFirmware(MaliFirmwareImage.build(MaliFirmwareImage.Spec.defaults()));
        map(0, RING_IO_VA, 64 * 8192);
        locked(() -> {
            jobIrq.writeMask(~0);
            return null;
        });
        mcuControl(MaliRegs.MCU_CONTROL_AUTO);
        assertTrue(await(() -> (jobIrq.rawstat() & MaliRegs.JOB_IRQ_GLOBAL_IF) != 0), "MCU booted");
        locked(() -> {
            jobIrq.clear(~0);
            return null;
        });
    }

    long glbIn() {
        return Integer.toUnsignedLong(r32(0, CsfIface.SHARED_REGION_START + Glb.INPUT_VA));
    }

    long glbOut() {
        return Integer.toUnsignedLong(r32(0, CsfIface.SHARED_REGION_START + Glb.OUTPUT_VA));
    }

    long csgControl(int i) {
        return CsfIface.SHARED_REGION_START + CsfIface.GROUP_CONTROL_OFFSET
                + (long) i * r32(0, CsfIface.SHARED_REGION_START + Glb.GROUP_STRIDE);
    }

    long csgIn(int i) {
        return Integer.toUnsignedLong(r32(0, csgControl(i) + Csg.INPUT_VA));
    }

    long csgOut(int i) {
        return Integer.toUnsignedLong(r32(0, csgControl(i) + Csg.OUTPUT_VA));
    }

    long csControl(int i, int j) {
        return csgControl(i) + CsfIface.STREAM_CONTROL_OFFSET + (long) j * r32(0, csgControl(i) + Csg.STREAM_STRIDE);
    }

    long csIn(int i, int j) {
        return Integer.toUnsignedLong(r32(0, csControl(i, j) + Cs.INPUT_VA));
    }

    long csOut(int i, int j) {
        return Integer.toUnsignedLong(r32(0, csControl(i, j) + Cs.OUTPUT_VA));
    }

    /// Toggles GLB doorbell_req bit `i` and rings doorbell 0.
    void glbDoorbellCsg(int i) {
        w32(0, glbIn() + GlbIn.DOORBELL_REQ, r32(0, glbIn() + GlbIn.DOORBELL_REQ) ^ (1 << i));
        doorbell(0);
    }

    /// Starts CSG `i` in address space `as`; waits for the state ack.
    void startGroup(int i, int as) {
        w32(0, csgIn(i) + CsgIn.ACK_IRQ_MASK, ~0);
        w32(0, csgIn(i) + CsgIn.CONFIG, as);
        int req = r32(0, csgIn(i) + CsgIn.REQ);
        w32(0, csgIn(i) + CsgIn.REQ, (req & ~CsgIn.CSG_STATE_MASK) | CsgIn.CSG_STATE_START);
        glbDoorbellCsg(i);
        assertTrue(await(() -> (r32(0, csgOut(i) + CsgOut.ACK) & CsgIn.CSG_STATE_MASK) == CsgIn.CSG_STATE_START),
                "CSG start acked");
    }

    long ringIn(int i, int j) {
        return RING_IO_VA + (i * 8L + j) * 8192;
    }

    long ringOut(int i, int j) {
        return ringIn(i, j) + Ring.OUTPUT_PAGE_OFFSET;
    }

    /// Starts stream `j` of group `i` with a ring of `size` bytes at GPU VA `ring` (group AS),
    /// doorbell `i + 1`; waits for the state ack.
    void startStream(int i, int j, long ring, int size) {
        long in = csIn(i, j);
        w64(0, in + CsIn.RINGBUF_BASE, ring);
        w32(0, in + CsIn.RINGBUF_SIZE, size);
        w64(0, in + CsIn.RINGBUF_INPUT, ringIn(i, j));
        w64(0, in + CsIn.RINGBUF_OUTPUT, ringOut(i, j));
        w32(0, in + CsIn.CONFIG, CsIn.config(0, i + 1));
        w32(0, in + CsIn.ACK_IRQ_MASK, ~0);
        int req = r32(0, in + CsIn.REQ);
        w32(0, in + CsIn.REQ, (req & ~CsIn.CS_STATE_MASK) | CsIn.CS_STATE_START);
        long cin = csgIn(i);
        w32(0, cin + CsgIn.DOORBELL_REQ, r32(0, cin + CsgIn.DOORBELL_REQ) ^ (1 << j));
        glbDoorbellCsg(i);
        assertTrue(await(() -> (r32(0, csOut(i, j) + CsOut.ACK) & CsIn.CS_STATE_MASK) == CsIn.CS_STATE_START),
                "CS start acked");
    }

    /// Appends `instrs` to stream (i, j)'s ring at GPU VA `ring` and rings its doorbell.
    void submit(int i, int j, int as, long ring, int size, long... instrs) {
        long insert = r64(0, ringIn(i, j) + Ring.IN_INSERT);
        for (long instr : instrs) {
            w64(as, ring + insert % size, instr);
            insert += 8;
        }
        w64(0, ringIn(i, j) + Ring.IN_INSERT, insert);
        doorbell(i + 1);
    }

    long extract(int i, int j) {
        return r64(0, ringOut(i, j) + Ring.OUT_EXTRACT);
    }

    /// Waits until stream (i, j) consumed everything inserted and is not blocked.
    boolean awaitDrained(int i, int j) {
        return await(() -> r64(0, ringOut(i, j) + Ring.OUT_EXTRACT) == r64(0, ringIn(i, j) + Ring.IN_INSERT)
                && csf.stats().jobs() >= 0 && !blockedOrBusy(i, j));
    }

    private boolean blockedOrBusy(int i, int j) {
        CommandStream s = findStream(i, j);
        return s.waiting || s.jobInFlight;
    }

    CommandStream findStream(int i, int j) {
        return locked(() -> csf.group(i).streams[j]);
    }

    int csFatal(int i, int j) {
        return r32(0, csOut(i, j) + CsOut.FATAL);
    }

    long csFatalInfo(int i, int j) {
        return r64(0, csOut(i, j) + CsOut.FATAL_INFO);
    }

    int glbAck() {
        return r32(0, glbOut() + GlbOut.ACK);
    }
}
