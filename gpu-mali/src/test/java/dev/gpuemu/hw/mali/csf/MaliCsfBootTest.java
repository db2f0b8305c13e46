package dev.gpuemu.hw.mali.csf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.CsfIface.Cs;
import dev.gpuemu.regs.mali.CsfIface.Csg;
import dev.gpuemu.regs.mali.CsfIface.CsgIn;
import dev.gpuemu.regs.mali.CsfIface.CsgOut;
import dev.gpuemu.regs.mali.CsfIface.Glb;
import dev.gpuemu.regs.mali.CsfIface.GlbIn;
import dev.gpuemu.regs.mali.CsfIface.GlbOut;
import dev.gpuemu.regs.mali.MaliFwFormat;
import dev.gpuemu.regs.mali.MaliRegs;
import dev.gpuemu.tools.malifw.MaliFirmwareImage;
import dev.gpuemu.tools.malifw.MaliFirmwareImage.Spec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// The MCU boot protocol and the global/group interfaces, walked as panthor drives them:
/// firmware sections mapped in address space 0, `MCU_CONTROL = AUTO`, the GLOBAL_IF interrupt,
/// the control blocks, then GLB and CSG requests on doorbell 0.
class MaliCsfBootTest {
    private final CsfHarness h = new CsfHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void shouldWriteControlBlocksAndRaiseGlobalIfAfterBootDelay() {
        long t0 = h.clock.nowNs();
        h.boot();
        assertTrue(h.clock.nowNs() - t0 >= CsfTiming.G610_MC4_RK3588.mcuBootNs(), "boot takes the modelled delay");
        assertEquals(MaliRegs.MCU_STATUS_ENABLED, h.mcuStatus());
        assertTrue((h.gpuIrq.rawstat() & MaliRegs.GPU_IRQ_MCU_STATUS_CHANGED) != 0);

        long glb = CsfIface.SHARED_REGION_START;
        assertEquals(CsfIface.version(1, 1, 0), h.r32(0, glb + Glb.VERSION));
        assertEquals(8, h.r32(0, glb + Glb.GROUP_NUM));
        int stride = h.r32(0, glb + Glb.GROUP_STRIDE);
        assertTrue(stride >= CsfIface.STREAM_CONTROL_OFFSET + 8 * 0xC, "group stride holds 8 CS control blocks");
        long sharedEnd = CsfIface.SHARED_REGION_START + Spec.defaults().sharedSize();
        assertInShared(h.glbIn(), sharedEnd);
        assertInShared(h.glbOut(), sharedEnd);
        for (int i = 0; i < 8; i++) {
            assertEquals(8, h.r32(0, h.csgControl(i) + Csg.STREAM_NUM));
            assertTrue(h.r32(0, h.csgControl(i) + Csg.SUSPEND_SIZE) > 0);
            assertInShared(h.csgIn(i), sharedEnd);
            assertInShared(h.csgOut(i), sharedEnd);
            for (int j = 0; j < 8; j++) {
                int f = h.r32(0, h.csControl(i, j) + Cs.FEATURES);
                assertEquals(CsInstr.REGISTERS, Cs.workRegs(f));
                assertTrue((f & Cs.FEATURES_COMPUTE) != 0);
                assertInShared(h.csIn(i, j), sharedEnd);
                assertInShared(h.csOut(i, j), sharedEnd);
            }
        }
        assertTrue(h.csOut(7, 7) + SharedLayout.BLOCK <= sharedEnd);
        assertEquals(0, h.errors.total());
    }

    private static void assertInShared(long va, long end) {
        assertTrue(va >= CsfIface.SHARED_REGION_START && va + SharedLayout.BLOCK <= end, "0x" + Long.toHexString(va));
    }

    @Test
    void shouldGoFatalWithoutGlobalIfWhenBodyIsCorrupted() {
        byte[] image = MaliFirmwareImage.build(Spec.defaults());
        int codeOff = FirmwareLoader.parse(image).sections().get(0).dataStart();
        image[codeOff + MaliFwFormat.HLE_DESC_SIZE + 1000] ^= 0x40;
        bootExpectingFatal(image);
        assertTrue(h.csf.lastFailure().contains("CRC32C"), h.csf.lastFailure());
    }

    @Test
    void shouldGoFatalOnWrongDescriptorMagic() {
        byte[] image = MaliFirmwareImage.build(Spec.defaults());
        int codeOff = FirmwareLoader.parse(image).sections().get(0).dataStart();
        image[codeOff] ^= 1;
        bootExpectingFatal(image);
        assertTrue(h.csf.lastFailure().contains("magic"), h.csf.lastFailure());
    }

    @Test
    void shouldGoFatalWhenSharedSectionIsTooSmallAndWriteNothing() {
        bootExpectingFatal(MaliFirmwareImage.build(Spec.defaults().withSharedSize(16 << 10)));
        assertTrue(h.csf.lastFailure().contains("shared section too small"), h.csf.lastFailure());
        assertEquals(0, h.r32(0, CsfIface.SHARED_REGION_START + Glb.VERSION), "no control block written");
        assertEquals(0, h.r32(0, CsfIface.SHARED_REGION_START + Glb.INPUT_VA));
    }

    @Test
    void shouldGoFatalWhenNothingIsMappedAtTheEntry() {
        h.mcuControl(MaliRegs.MCU_CONTROL_AUTO);
        assertTrue(h.await(() -> h.csf.mcuStatus() == MaliRegs.MCU_STATUS_FATAL));
        assertFalse(h.mmu.faults.isEmpty(), "the MCU's fetch faulted on AS0");
        assertEquals(0, h.jobIrq.rawstat());
    }

    private void bootExpectingFatal(byte[] image) {
        h.loadFirmware(image);
        h.locked(() -> {
            h.jobIrq.writeMask(~0);
            return null;
        });
        h.mcuControl(MaliRegs.MCU_CONTROL_AUTO);
        assertTrue(h.await(() -> h.csf.mcuStatus() == MaliRegs.MCU_STATUS_FATAL), "MCU_STATUS = FATAL");
        assertEquals(0, h.jobIrq.rawstat(), "no GLOBAL_IF");
        assertNotNull(h.csf.lastFailure());
        assertEquals(1, h.errors.count(GuestErrors.Kind.DEVICE));
    }

    @Test
    void shouldAckPingWithGlobalIfWhenMaskAllows() {
        h.boot();
        h.w32(0, h.glbIn() + GlbIn.ACK_IRQ_MASK, GlbIn.GLB_PING);
        h.w32(0, h.glbIn() + GlbIn.REQ, h.r32(0, h.glbIn() + GlbIn.REQ) ^ GlbIn.GLB_PING);
        h.doorbell(0);
        assertTrue(h.await(() -> (h.jobIrq.rawstat() & MaliRegs.JOB_IRQ_GLOBAL_IF) != 0));
        assertEquals(0, (h.glbAck() ^ h.r32(0, h.glbIn() + GlbIn.REQ)) & GlbIn.GLB_PING, "ping acked");
    }

    @Test
    void shouldAckConfigRequestsWithoutIrqWhenMasked() {
        h.boot();
        h.w32(0, h.glbIn() + GlbIn.ACK_IRQ_MASK, 0);
        int toggles = GlbIn.GLB_CFG_PROGRESS_TIMER | GlbIn.GLB_CFG_POWEROFF_TIMER | GlbIn.GLB_IDLE_EN;
        h.w32(0, h.glbIn() + GlbIn.REQ, h.r32(0, h.glbIn() + GlbIn.REQ) ^ toggles);
        h.doorbell(0);
        assertTrue(h.await(() -> (h.glbAck() & toggles) == (h.r32(0, h.glbIn() + GlbIn.REQ) & toggles)));
        h.clock.sleep(100_000);
        assertEquals(0, h.jobIrq.rawstat(), "ack_irq_mask = 0: no GLOBAL_IF");
    }

    @Test
    void shouldHaltOnGlbHalt() {
        h.boot();
        h.w32(0, h.glbIn() + GlbIn.REQ, h.r32(0, h.glbIn() + GlbIn.REQ) ^ GlbIn.GLB_HALT);
        h.w32(0, h.glbOut() + GlbOut.HALT_STATUS, 0x55);
        h.doorbell(0);
        assertTrue(h.await(() -> h.csf.mcuStatus() == MaliRegs.MCU_STATUS_HALT));
        assertEquals(GlbOut.HALT_OK, h.r32(0, h.glbOut() + GlbOut.HALT_STATUS));
    }

    @Test
    void shouldDisableAfterStopDelayAndRebootOnAuto() {
        h.boot();
        h.mcuControl(MaliRegs.MCU_CONTROL_DISABLE);
        assertEquals(MaliRegs.MCU_STATUS_ENABLED, h.mcuStatus(), "stop is not instantaneous");
        assertTrue(h.await(() -> h.csf.mcuStatus() == MaliRegs.MCU_STATUS_DISABLED));
        h.mcuControl(MaliRegs.MCU_CONTROL_AUTO);
        assertTrue(h.await(() -> h.csf.mcuStatus() == MaliRegs.MCU_STATUS_ENABLED));
    }

    @Test
    void shouldAckCsgStartWithJobIrqOfItsSlot() {
        h.boot();
        h.startGroup(3, 1);
        assertTrue(h.await(() -> (h.jobIrq.rawstat() & MaliRegs.jobIrqCsg(3)) != 0), "JOB_IRQ bit 3");
        assertEquals(0, h.jobIrq.rawstat() & ~MaliRegs.jobIrqCsg(3) & ~MaliRegs.JOB_IRQ_GLOBAL_IF);
        // GLB doorbell bit acknowledged.
        assertEquals(h.r32(0, h.glbIn() + GlbIn.DOORBELL_REQ), h.r32(0, h.glbOut() + GlbOut.DOORBELL_ACK));
        // STATUS_UPDATE reports an idle group.
        h.w32(0, h.csgIn(3) + CsgIn.REQ, h.r32(0, h.csgIn(3) + CsgIn.REQ) ^ CsgIn.CSG_STATUS_UPDATE);
        h.glbDoorbellCsg(3);
        assertTrue(h.await(() -> ((h.r32(0, h.csgOut(3) + CsgOut.ACK) ^ h.r32(0, h.csgIn(3) + CsgIn.REQ))
                & CsgIn.CSG_STATUS_UPDATE) == 0));
        assertEquals(CsgOut.STATUS_STATE_IS_IDLE, h.r32(0, h.csgOut(3) + CsgOut.STATUS_STATE));
    }

    @Test
    void shouldCountDoorbellOutOfRangeAsGuestError() {
        h.boot();
        h.doorbell(MaliRegs.CSF_DOORBELL_COUNT);
        assertEquals(1, h.errors.count(GuestErrors.Kind.DEVICE));
    }

    @Test
    void shouldDropEverythingOnReset() {
        h.boot();
        h.locked(() -> {
            h.csf.reset();
            return null;
        });
        assertEquals(MaliRegs.MCU_STATUS_DISABLED, h.mcuStatus());
        assertEquals(MaliRegs.MCU_CONTROL_DISABLE, h.locked(h.csf::mcuControl));
    }

}
