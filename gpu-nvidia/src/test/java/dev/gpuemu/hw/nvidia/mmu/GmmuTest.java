package dev.gpuemu.hw.nvidia.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.mem.DmaPort;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.regs.nvidia.GmmuPde;
import dev.gpuemu.regs.nvidia.GmmuPte;
import dev.gpuemu.regs.nvidia.NvHostRegs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// GMMU walks of five-level version-2 tables built with the `regs.nvidia` encoders.
class GmmuTest {
    private static final long VA = 0x1_2345_6789_A000L & ((1L << 49) - 1);
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment vram = arena.allocate(8 << 20, 4096);
    private final GuestErrors errors = new GuestErrors();
    private final SystemMemory sysmem = new SystemMemory(0, 8 << 20, errors);
    private final DmaPort dma = new DmaPort(sysmem, errors, "dma:test");
    private final Gmmu gmmu = new Gmmu(vram, dma);
    private final GmmuFault fault = new GmmuFault();

    @AfterEach
    void tearDown() {
        sysmem.close();
        arena.close();
    }

    @Test
    void shouldTranslateThroughFiveLevelsInVram() {
        GmmuTables t = new GmmuTables(vram, sysmem, false, 0x10_0000);
        t.map(VA, 0x40_0000, false, false);
        long r = gmmu.translate(t.pdb(), t.aperture(), VA + 0x123, false, fault);
        assertFalse(Gmmu.isSystem(r));
        assertEquals(0x40_0123, Gmmu.address(r));
        assertFalse(fault.valid());
    }

    @Test
    void shouldTranslateThroughTablesInSystemMemoryToSystemPages() {
        GmmuTables t = new GmmuTables(vram, sysmem, true, 0x10_0000);
        t.map(VA, 0x30_0000, true, false);
        long r = gmmu.translate(t.pdb(), t.aperture(), VA + 8, true, fault);
        assertTrue(Gmmu.isSystem(r));
        assertEquals(0x30_0008, Gmmu.address(r));
    }

    @Test
    void shouldReportPteFaultForUnmappedPageNextToMappedOne() {
        GmmuTables t = new GmmuTables(vram, sysmem, false, 0x10_0000);
        t.map(VA, 0x40_0000, false, false);
        assertEquals(Gmmu.FAULT, gmmu.translate(t.pdb(), t.aperture(), VA + 0x1000, false, fault));
        assertTrue(fault.valid());
        assertEquals(VA + 0x1000, fault.va());
        assertEquals(NvHostRegs.FAULT_TYPE_PTE, fault.type());
        assertEquals(NvHostRegs.ACCESS_VIRT_READ, fault.access());
    }

    @Test
    void shouldReportPdeFaultWhereNoDirectoryExists() {
        GmmuTables t = new GmmuTables(vram, sysmem, false, 0x10_0000);
        assertEquals(Gmmu.FAULT, gmmu.translate(t.pdb(), t.aperture(), VA, true, fault));
        assertEquals(NvHostRegs.FAULT_TYPE_PDE, fault.type());
        assertEquals(NvHostRegs.ACCESS_VIRT_WRITE, fault.access());
    }

    @Test
    void shouldFaultOnWriteToReadOnlyPageButAllowRead() {
        GmmuTables t = new GmmuTables(vram, sysmem, false, 0x10_0000);
        t.map(VA, 0x40_0000, false, true);
        assertEquals(0x40_0000, gmmu.translate(t.pdb(), t.aperture(), VA, false, fault));
        assertEquals(Gmmu.FAULT, gmmu.translate(t.pdb(), t.aperture(), VA, true, fault));
        assertEquals(NvHostRegs.FAULT_TYPE_RO_VIOLATION, fault.type());
    }

    @Test
    void shouldFaultAboveTheVaLimit() {
        GmmuTables t = new GmmuTables(vram, sysmem, false, 0x10_0000);
        assertEquals(Gmmu.FAULT, gmmu.translate(t.pdb(), t.aperture(), 1L << 49, false, fault));
        assertEquals(NvHostRegs.FAULT_TYPE_VA_LIMIT_VIOLATION, fault.type());
    }

    @Test
    void shouldReportPdeSizeFaultForBigPageOnlyDualPde() {
        GmmuTables t = new GmmuTables(vram, sysmem, false, 0x10_0000);
        t.map(VA, 0x40_0000, false, false);
        long other = VA + (2L << 20); // next PDE0 slot, same PD0 table
        t.map(other, 0x40_0000, false, false);
        // Find the dual PDE of `other` by walking, then make it big-only.
        long pd2 = GmmuPde.tableAddress(t.get(t.pdb() + GmmuPde.pde3Index(other) * 8L));
        long pd1 = GmmuPde.tableAddress(t.get(pd2 + GmmuPde.pde2Index(other) * 8L));
        long pd0 = GmmuPde.tableAddress(t.get(pd1 + GmmuPde.pde1Index(other) * 8L));
        long slot = pd0 + GmmuPde.pde0Index(other) * 16L;
        t.put(slot, GmmuPde.encode(GmmuPde.APERTURE_VIDEO_MEMORY, 0x50_0000, false));
        t.put(slot + 8, 0);
        assertEquals(Gmmu.FAULT, gmmu.translate(t.pdb(), t.aperture(), other, false, fault));
        assertEquals(NvHostRegs.FAULT_TYPE_PDE_SIZE, fault.type());
    }

    @Test
    void shouldFaultOnVideoPtePastTheEndOfVram() {
        GmmuTables t = new GmmuTables(vram, sysmem, false, 0x10_0000);
        t.map(VA, vram.byteSize(), false, false);
        assertEquals(Gmmu.FAULT, gmmu.translate(t.pdb(), t.aperture(), VA, false, fault));
        assertEquals(NvHostRegs.FAULT_TYPE_PTE, fault.type());
    }

    @Test
    void shouldFaultWhenSystemTableIsOutsideRam() {
        assertEquals(Gmmu.FAULT, gmmu.translate(1L << 30, GmmuPde.APERTURE_SYSTEM_COHERENT_MEMORY, VA, false, fault));
        assertEquals(NvHostRegs.FAULT_TYPE_PDE, fault.type());
        assertEquals(1, errors.count(GuestErrors.Kind.DMA_OUT_OF_RANGE));
    }

    @Test
    void shouldEncodeVersion2EntriesAtDevMmuBitPositions() {
        // PTE: VALID[0], APERTURE[2:1] = SYS_COH (2), READ_ONLY[6], ADDRESS_SYS[53:8] = pa >> 12.
        assertEquals(0x1 | 2 << 1 | 1 << 6 | (0x12345L << 8),
                GmmuPte.encode(GmmuPte.APERTURE_SYSTEM_COHERENT_MEMORY, 0x1234_5000L, true));
        // PDE: IS_PTE[0] = 0, APERTURE[2:1] = VIDEO (1), VOL[3], ADDRESS[..:8] = table >> 12.
        assertEquals(1 << 1 | 1 << 3 | (0x777L << 8), GmmuPde.encode(GmmuPde.APERTURE_VIDEO_MEMORY, 0x77_7000L, true));
        assertEquals(3, GmmuPde.pde3Index(1L << 48 | 1L << 47));
        assertEquals(0x1FF, GmmuPde.pteIndex(0x1FF000L));
    }
}
