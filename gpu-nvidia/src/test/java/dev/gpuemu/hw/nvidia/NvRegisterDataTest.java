package dev.gpuemu.hw.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.regs.nvidia.Architecture;
import dev.gpuemu.regs.nvidia.Boot0;
import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.FalconFwFormat;
import dev.gpuemu.regs.nvidia.FalconReg;
import dev.gpuemu.regs.nvidia.Ga102Hal;
import dev.gpuemu.regs.nvidia.NvReg;
import dev.gpuemu.regs.nvidia.NvRegs;
import dev.gpuemu.regs.nvidia.Tu102Hal;
import dev.gpuemu.tools.nvfw.NvFirmwareImages;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/// The shared register data on its own: BOOT_0 over the whole chipset table, the field encoders
/// against kernel-semantics §6.2/§6.3 examples, register lookup, the firmware format checks.
class NvRegisterDataTest {
    @Test
    void shouldRoundTripBoot0ForEveryChipsetOfTheTable() {
        for (Chipset c : Chipset.values()) {
            for (int rev : new int[] {0xA1, 0x00, 0xFF}) {
                int raw = Boot0.of(c, rev).encode();
                Boot0 d = Boot0.decode(raw);
                assertEquals(c, d.chipset().orElseThrow(), c.name());
                assertEquals(c.architecture(), Architecture.fromId(d.architecture()).orElseThrow());
                assertEquals(rev >> 4, d.majorRevision());
                assertEquals(rev & 0xF, d.minorRevision());
                assertEquals(raw, d.encode());
            }
        }
    }

    @Test
    void shouldEncodeTheKernelsExampleBoot0Values() {
        assertEquals(0x172000A1, Boot0.of(Chipset.GA102, 0xA1).encode());
        assertEquals(0x192000A1, Boot0.of(Chipset.AD102, 0xA1).encode());
        assertEquals("a.1", Boot0.decode(0x172000A1).revisionString());
        assertEquals(NvReg.NV_PMC_BOOT_0.resetValue(), Boot0.of(Chipset.GA102, 0xA1).encode());
    }

    @Test
    void shouldRepresentAnUnknownChipsetAsEmpty() {
        Boot0 gh100 = Boot0.decode(0x180000A1); // Hopper: not in this table
        assertEquals(0x180, gh100.chipsetId());
        assertTrue(gh100.chipset().isEmpty());
        Boot0 weird = Boot0.decode(0x1F1001A1); // architecture_1 set: 0x3F
        assertEquals(0x3F, weird.architecture());
        assertTrue(weird.chipset().isEmpty());
        assertTrue(Architecture.fromId(0x18).isEmpty());
    }

    @Test
    void shouldEncodeAndDecodeTheLocalMemoryRange() {
        assertEquals(0x203, NvRegs.encodeLocalMemoryRange(256L << 20));
        for (long mib : new long[] {2, 16, 32, 256, 1024, 24576}) {
            assertEquals(mib << 20, NvRegs.decodeLocalMemoryRange(NvRegs.encodeLocalMemoryRange(mib << 20)));
        }
        int ecc = NvRegs.encodeLocalMemoryRange(16L << 20) | (int) NvRegs.LOCAL_MEMORY_RANGE_ECC_MODE.mask();
        assertEquals((16L << 20) / 16 * 15, NvRegs.decodeLocalMemoryRange(ecc));
        assertThrows(IllegalArgumentException.class, () -> NvRegs.encodeLocalMemoryRange((1L << 20) + 4096));
        assertFalse(NvRegs.localMemoryRangeEncodable(0));
    }

    @Test
    void shouldSplitTheSysmemFlushAddressIntoHiAndLo() {
        long addr = 0x0000_1234_5678_9A00L;
        assertEquals(0x3456_789A, NvRegs.sysmemFlushLo(addr));
        assertEquals(0x12, NvRegs.sysmemFlushHi(addr));
        assertEquals(addr, NvRegs.sysmemFlushAddr(NvRegs.sysmemFlushLo(addr), NvRegs.sysmemFlushHi(addr)));
        assertTrue(Ga102Hal.INSTANCE.sysmemFlushAddrValid(addr));
        assertFalse(Tu102Hal.INSTANCE.sysmemFlushAddrValid(addr), "Turing: only bits 39:8");
        assertTrue(Tu102Hal.INSTANCE.sysmemFlushAddrValid(0xFF_FFFF_FF00L));
        assertFalse(Ga102Hal.INSTANCE.sysmemFlushAddrValid(0x1001));
    }

    @Test
    void shouldGiveEveryGenerationItsHal() {
        assertSame(Tu102Hal.INSTANCE, Chipset.TU117.hal());
        assertEquals(NvRegs.FUSE_STATUS_OPT_DISPLAY_GM107, Chipset.TU102.hal().fuseStatusOptDisplayOffset());
        assertEquals(NvRegs.FUSE_STATUS_OPT_DISPLAY_GA100, Chipset.GA102.hal().fuseStatusOptDisplayOffset());
        assertTrue(Chipset.AD107.hal().hasSysmemFlushHi());
        assertEquals(0x2204, Chipset.GA102.pciDeviceId());
        assertEquals("nvidia/ga102/gsp/gsp-535.113.01.bin", FalconFwFormat.firmwareName(Chipset.GA102, "gsp"));
    }

    @Test
    void shouldFindRegistersAndArrayElementsByOffset() {
        assertSame(NvReg.NV_PBUS_SW_SCRATCH, NvReg.atOrNull(0x1400 + 4 * 0xE));
        assertEquals(0xE, NvReg.NV_PBUS_SW_SCRATCH.indexOf(0x1400 + 4 * 0xE));
        assertNull(NvReg.atOrNull(0x1500)); // one past the 64 scratch registers
        assertNull(NvReg.atOrNull(0x1402));
        assertSame(NvReg.NV_FUSE_OPT_FPF_GSP_UCODE1_VERSION, NvReg.atOrNull(0x8241C0 + 60));
        assertSame(FalconReg.FBIF_TRANSCFG, FalconReg.atOrNull(0x61C));
        assertNull(FalconReg.atOrNull(0x620));
        assertEquals(0x1668, FalconReg.RISCV_BCR_CTRL.offset());
        assertEquals(2, NvRegs.fpfVersion(0x3));
    }

    @Test
    void shouldAcceptTheShippedImagesAndRejectDamagedOnes() {
        MemorySegment gsp = MemorySegment.ofArray(NvFirmwareImages.gsp());
        assertEquals(0, FalconFwFormat.check(gsp, 0, FalconFwFormat.FALCON_GSP));
        assertEquals(FalconFwFormat.ERR_WRONG_FALCON, FalconFwFormat.check(gsp, 0, FalconFwFormat.FALCON_SEC2));
        assertEquals(0, gsp.byteSize() % FalconFwFormat.FILE_ALIGN);
        byte[] bad = NvFirmwareImages.booterLoad();
        bad[FalconFwFormat.HEADER_SIZE + 4] ^= 1;
        assertEquals(FalconFwFormat.ERR_BAD_CHECKSUM, FalconFwFormat.check(MemorySegment.ofArray(bad), 0,
                FalconFwFormat.FALCON_SEC2));
        bad = NvFirmwareImages.booterLoad();
        bad[0] = 0;
        assertEquals(FalconFwFormat.ERR_BAD_MAGIC, FalconFwFormat.check(MemorySegment.ofArray(bad), 0, 2));
        bad = NvFirmwareImages.booterLoad();
        bad[FalconFwFormat.OFF_PROGRAM_SIZE + 1] = 0x7F;
        assertEquals(FalconFwFormat.ERR_BAD_SIZE, FalconFwFormat.check(MemorySegment.ofArray(bad), 0, 2));
        assertEquals(FalconFwFormat.ERR_BAD_BOOTVEC, FalconFwFormat.check(gsp, gsp.byteSize() - 8, 1));
    }
}
