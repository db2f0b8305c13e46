package dev.gpuemu.hw.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.hw.nvidia.host.NvHost;
import dev.gpuemu.hw.nvidia.mmu.GmmuTables;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.regs.nvidia.Clc56f;
import dev.gpuemu.regs.nvidia.Clc6b5;
import dev.gpuemu.regs.nvidia.GpFifoEntry;
import dev.gpuemu.regs.nvidia.NvBar0Map;
import dev.gpuemu.regs.nvidia.NvHostReg;
import dev.gpuemu.regs.nvidia.NvHostRegs;
import dev.gpuemu.regs.nvidia.NvReg;
import dev.gpuemu.regs.nvidia.PushbufferHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// The host block through the real GA102 top, as a driver sees it: page tables, GPFIFO,
/// pushbuffer and data written into VRAM through BAR1, the channel programmed through BAR0's
/// channel window, the doorbell at `NV_USERMODE_NOTIFY_CHANNEL_PENDING`, completion read back
/// through BAR1 and the interrupt tree.
class Ga102HostTest {
    private static final int CH = 5;
    private static final int SUBCH = 4;
    private static final long GPFIFO_VA = 0x10_0000_0000L, PB_VA = 0x10_0001_0000L, SEM_VA = 0x10_0002_0000L;
    private static final long SRC_VA = 0x20_0000_0000L, DST_VA = 0x20_0100_0000L;
    private static final long GPFIFO_PA = 0x20_0000, PB_PA = 0x21_0000, SEM_PA = 0x22_0000;
    private static final long SRC_PA = 0x40_0000, DST_PA = 0x80_0000;

    private final NvTestSupport nv = NvTestSupport.open(NvHost::new);
    private final GmmuTables vm = new GmmuTables(nv.gpu.ports().vram(), nv.memory, false, 0x10_0000);
    private final List<Integer> pb = new ArrayList<>();

    @AfterEach
    void tearDown() {
        nv.close();
    }

    private void bar1Write32(long vramAddr, int value) {
        nv.mmio.write(NvTestSupport.BAR1 + vramAddr, AccessSize.DWORD, value & 0xFFFF_FFFFL);
    }

    private long bar1Read32(long vramAddr) {
        return nv.mmio.read(NvTestSupport.BAR1 + vramAddr, AccessSize.DWORD);
    }

    private void channel(NvHostReg r, long value) {
        nv.writel(NvBar0Map.HOST_WINDOW_BASE + NvHostReg.offset(CH, r), value & 0xFFFF_FFFFL);
    }

    private long channel(NvHostReg r) {
        return nv.readl(NvBar0Map.HOST_WINDOW_BASE + NvHostReg.offset(CH, r));
    }

    private void method(int method, int... data) {
        int sub = method < Clc56f.HOST_METHOD_LIMIT && method != Clc56f.SET_OBJECT ? 0 : SUBCH;
        pb.add(PushbufferHeader.incrementing(sub, method, data.length));
        for (int d : data) {
            pb.add(d);
        }
    }

    /// Maps the rings and the data, enables the channel (GPFIFO, PDB, class) and enables the
    /// non-stall and stall interrupts of the channel at both levels of the tree.
    private void setUp(long dataBytes) {
        vm.mapRange(GPFIFO_VA, GPFIFO_PA, 0x1000, false, false);
        vm.mapRange(PB_VA, PB_PA, 0x10000, false, false);
        vm.mapRange(SEM_VA, SEM_PA, 0x1000, false, false);
        vm.mapRange(SRC_VA, SRC_PA, dataBytes, false, false);
        channel(NvHostReg.GPFIFO_BASE_LO, GPFIFO_VA);
        channel(NvHostReg.GPFIFO_BASE_HI, GPFIFO_VA >>> 32);
        channel(NvHostReg.GPFIFO_ENTRIES, 16);
        channel(NvHostReg.PDB_LO, vm.pdb());
        channel(NvHostReg.PDB_HI, vm.pdb() >>> 32);
        channel(NvHostReg.PDB_APERTURE, vm.aperture());
        channel(NvHostReg.CLASS, Clc6b5.AMPERE_DMA_COPY_A);
        channel(NvHostReg.ENABLE, NvHostRegs.ENABLE_BIT);
        assertEquals(NvHostRegs.STATE_IDLE, NvHostRegs.STATE.get((int) channel(NvHostReg.STATUS)));
        nv.writel(NvReg.NV_PMC_INTR_EN_0, 3);
        nv.writel(NvReg.NV_PMC_INTR_STALL_LEAF_EN.offset(0), 1L << CH);
        nv.writel(NvReg.NV_PMC_INTR_NONSTALL_LEAF_EN.offset(0), 1L << CH);
        method(Clc56f.SET_OBJECT, Clc6b5.AMPERE_DMA_COPY_A);
    }

    /// Writes the pending methods and one GPFIFO entry through BAR1, bumps GP_PUT, rings the
    /// doorbell with the channel's work-submit token, and lets 1 ms of simulated time pass.
    private void submitAndRun() {
        for (int i = 0; i < pb.size(); i++) {
            bar1Write32(PB_PA + 4L * i, pb.get(i));
        }
        long entry = GpFifoEntry.encode(PB_VA, pb.size());
        bar1Write32(GPFIFO_PA, (int) entry);
        bar1Write32(GPFIFO_PA + 4, (int) (entry >>> 32));
        channel(NvHostReg.GP_PUT, 1);
        nv.writel(NvBar0Map.USERMODE_BASE + NvBar0Map.USERMODE_NOTIFY_CHANNEL_PENDING,
                channel(NvHostReg.WORK_SUBMIT_TOKEN));
        nv.step(1_000_000L);
    }

    private void copy(long srcVa, long dstVa, int bytes, int payload) {
        method(Clc6b5.OFFSET_IN_UPPER, (int) (srcVa >>> 32), (int) srcVa, (int) (dstVa >>> 32), (int) dstVa);
        method(Clc6b5.LINE_LENGTH_IN, bytes);
        method(Clc6b5.SET_SEMAPHORE_A, (int) (SEM_VA >>> 32), (int) SEM_VA, payload);
        method(Clc6b5.LAUNCH_DMA, Clc6b5.launchCopy(false, Clc6b5.SEMAPHORE_TYPE_RELEASE_ONE_WORD_SEMAPHORE,
                Clc6b5.INTERRUPT_TYPE_NON_BLOCKING));
    }

    @Test
    void shouldRunACopyFromDoorbellToSemaphoreReleaseThroughTheBars() {
        setUp(0x2000);
        vm.mapRange(DST_VA, DST_PA, 0x2000, false, false);
        for (int i = 0; i < 0x2000; i += 4) {
            bar1Write32(SRC_PA + i, 0x1000_0000 + i);
        }
        copy(SRC_VA, DST_VA, 0x2000, 0xC0FFEE);
        submitAndRun();

        for (int i = 0; i < 0x2000; i += 4) {
            assertEquals(0x1000_0000L + i, bar1Read32(DST_PA + i), "dst word " + i);
        }
        assertEquals(0xC0FFEE, bar1Read32(SEM_PA), "semaphore released after the copy");
        assertEquals(1, channel(NvHostReg.GP_GET), "GP_GET advanced past the entry");
        assertEquals(1L << CH, nv.readl(NvReg.NV_PMC_INTR_NONSTALL_LEAF.offset(0)), "non-stall pending for ch 5");
        assertEquals(2, nv.readl(NvReg.NV_PMC_INTR_0), "NONSTALL summarised");
        assertTrue(nv.irqLevel(), "INTx asserted");
        nv.writel(NvReg.NV_PMC_INTR_NONSTALL_LEAF.offset(0), 1L << CH);
        assertEquals(0, nv.readl(NvReg.NV_PMC_INTR_0));
        assertEquals(0, nv.errors.total(), "no guest errors");
    }

    @Test
    void shouldFaultACopyToAnUnmappedAddressWithoutWritingAnything() {
        setUp(0x1000);
        long unmapped = DST_VA + 0x10_0000;
        copy(SRC_VA, unmapped, 0x1000, 0xBAD);
        submitAndRun();

        int status = (int) channel(NvHostReg.STATUS);
        assertEquals(NvHostRegs.STATE_ERROR, NvHostRegs.STATE.get(status));
        assertEquals(NvHostRegs.ERROR_MMU_FAULT, NvHostRegs.ERROR.get(status));
        assertEquals(unmapped, channel(NvHostReg.FAULT_ADDR_HI) << 32 | channel(NvHostReg.FAULT_ADDR_LO));
        int info = (int) channel(NvHostReg.FAULT_INFO);
        assertEquals(1, NvHostRegs.FAULT_VALID.get(info));
        assertEquals(NvHostRegs.ACCESS_VIRT_WRITE, NvHostRegs.FAULT_ACCESS.get(info));
        assertEquals(0, bar1Read32(SEM_PA), "no semaphore release");
        assertEquals(1L << CH, nv.readl(NvReg.NV_PMC_INTR_STALL_LEAF.offset(0)), "stall pending for ch 5");
        assertEquals(1, nv.readl(NvReg.NV_PMC_INTR_0), "STALL summarised");
        assertTrue(nv.irqLevel());
    }
}
