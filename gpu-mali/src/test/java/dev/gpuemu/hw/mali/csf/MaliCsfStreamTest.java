package dev.gpuemu.hw.mali.csf;

import static dev.gpuemu.hw.mali.csf.CsAsm.call;
import static dev.gpuemu.hw.mali.csf.CsAsm.loadMultiple;
import static dev.gpuemu.hw.mali.csf.CsAsm.move32;
import static dev.gpuemu.hw.mali.csf.CsAsm.move48;
import static dev.gpuemu.hw.mali.csf.CsAsm.storeMultiple;
import static dev.gpuemu.hw.mali.csf.CsAsm.storeState;
import static dev.gpuemu.hw.mali.csf.CsAsm.sync;
import static dev.gpuemu.hw.mali.csf.CsAsm.syncWait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsOpcode;
import dev.gpuemu.regs.mali.CsfIface.CsIn;
import dev.gpuemu.regs.mali.CsfIface.CsOut;
import dev.gpuemu.regs.mali.CsfIface.CsgIn;
import dev.gpuemu.regs.mali.CsfIface.CsgOut;
import dev.gpuemu.regs.mali.MaliException;
import dev.gpuemu.regs.mali.MaliRegs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// Command streams from doorbell to completion: ring consumption, register moves, stores,
/// sync objects (add, set, blocking wait across streams and against CPU writes), calls, and
/// `CS_FATAL` for invalid instructions.
class MaliCsfStreamTest {
    static final int AS = 1;
    static final long RING = 0x10_0000L;
    static final int RING_SIZE = 4096;
    static final long DATA = 0x20_0000L;
    static final long SYNC = 0x30_0000L;

    private final CsfHarness h = new CsfHarness();

    @BeforeEach
    void setUp() {
        h.boot();
        h.map(AS, RING, 2 * RING_SIZE);
        h.map(AS, DATA, 16 << 10);
        h.map(AS, SYNC, 4096);
        h.startGroup(0, AS);
        h.startStream(0, 0, RING, RING_SIZE);
        h.locked(() -> {
            h.jobIrq.clear(~0);
            return null;
        });
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void shouldRunMoveStoreAndSyncAddOnDoorbellAndAdvanceExtract() {
        h.w64(AS, SYNC, 41);
        int csgAck0 = h.r32(0, h.csgOut(0) + CsgOut.ACK);
        h.submit(0, 0, AS, RING, RING_SIZE,
                move48(2, DATA),
                move32(10, 0xCAFE_F00D),
                move32(11, 0x1234_5678),
                storeMultiple(10, 2, 0b11, 8),
                move48(4, SYNC),
                move48(6, 1),
                sync(CsOpcode.SYNC_ADD64, 6, 4));
        assertTrue(h.awaitDrained(0, 0));
        assertEquals(7 * CsInstr.INSTR_BYTES, h.extract(0, 0), "extract advanced over every instruction");
        assertEquals(0xCAFE_F00D, h.r32(AS, DATA + 8));
        assertEquals(0x1234_5678, h.r32(AS, DATA + 12));
        assertEquals(0, h.r32(AS, DATA + 4), "mask bit 0 and 1 only");
        assertEquals(42, h.r64(AS, SYNC));
        assertEquals(0, h.r32(AS, SYNC + 8), "error word cleared");
        assertTrue(h.await(() -> ((h.r32(0, h.csgOut(0) + CsgOut.ACK) ^ csgAck0) & CsgIn.CSG_SYNC_UPDATE) != 0),
                "CSG_SYNC_UPDATE event");
        assertTrue((h.jobIrq.rawstat() & MaliRegs.jobIrqCsg(0)) != 0, "JOB_IRQ bit of the group");
        assertEquals(RING + 7 * 8, h.r64(0, h.csOut(0, 0) + CsOut.STATUS_CMD_PTR));
    }

    @Test
    void shouldNotRunInsertedInstructionsBeforeTheDoorbell() {
        long insert = 8;
        h.clock.sleep(100_000); // the slice the start scheduled has found the ring empty
        h.w64(AS, RING, move32(1, 5));
        h.w64(0, h.ringIn(0, 0) + dev.gpuemu.regs.mali.CsfIface.Ring.IN_INSERT, insert);
        h.clock.sleep(1_000_000);
        assertEquals(0, h.extract(0, 0));
        h.doorbell(1);
        assertTrue(h.awaitDrained(0, 0));
        assertEquals(insert, h.extract(0, 0));
    }

    @Test
    void shouldBlockSyncWaitUntilAnotherStreamSyncSets() {
        h.startStream(0, 1, RING + RING_SIZE, RING_SIZE);
        h.submit(0, 0, AS, RING, RING_SIZE,
                move48(4, SYNC),
                move32(6, 9),
                syncWait(CsOpcode.SYNC_WAIT32, CsInstr.COND_GREATER, 6, 4),
                move48(2, DATA),
                move32(10, 0x600D),
                storeMultiple(10, 2, 1, 0));
        assertTrue(h.await(() -> h.findStream(0, 0).waiting), "stream 0 blocks");
        h.clock.sleep(2_000_000);
        assertEquals(0, h.r32(AS, DATA), "nothing after the wait ran");
        assertEquals(CsOut.BLOCKED_SYNC_WAIT, h.r32(0, h.csOut(0, 0) + CsOut.STATUS_BLOCKED_REASON));
        assertEquals(SYNC, h.r64(0, h.csOut(0, 0) + CsOut.STATUS_WAIT_SYNC_PTR));
        assertEquals(9, h.r32(0, h.csOut(0, 0) + CsOut.STATUS_WAIT_SYNC_VALUE));
        assertEquals(RING + 16, h.r64(0, h.csOut(0, 0) + CsOut.STATUS_CMD_PTR), "cmd ptr at the wait");

        h.submit(0, 1, AS, RING + RING_SIZE, RING_SIZE,
                move48(4, SYNC),
                move32(6, 10),
                sync(CsOpcode.SYNC_SET32, 6, 4));
        assertTrue(h.awaitDrained(0, 1));
        assertTrue(h.awaitDrained(0, 0), "stream 0 resumes after the set");
        assertEquals(0x600D, h.r32(AS, DATA));
        assertEquals(CsOut.BLOCKED_UNBLOCKED, h.r32(0, h.csOut(0, 0) + CsOut.STATUS_BLOCKED_REASON));
    }

    @Test
    void shouldReleaseSyncWaitOnCpuWriteThroughPolling() {
        h.submit(0, 0, AS, RING, RING_SIZE,
                move48(4, SYNC),
                move48(6, 0),
                syncWait(CsOpcode.SYNC_WAIT64, CsInstr.COND_GREATER, 6, 4));
        assertTrue(h.await(() -> h.findStream(0, 0).waiting));
        h.w64(AS, SYNC, 1);
        assertTrue(h.awaitDrained(0, 0));
    }

    @Test
    void shouldStopWithInstrInvalidOnUnknownOpcode() {
        int ack0 = h.r32(0, h.csOut(0, 0) + CsOut.ACK);
        int irqReq0 = h.r32(0, h.csgOut(0) + CsgOut.CS_IRQ_REQ);
        h.submit(0, 0, AS, RING, RING_SIZE, move32(1, 1), 0xFEL << 56, move32(2, 2));
        assertTrue(h.await(() -> h.findStream(0, 0).phase == CommandStream.Phase.FAULTED));
        assertEquals(MaliException.CS_INSTR_INVALID.code(), h.csFatal(0, 0) & 0xFF);
        assertEquals(RING + 8, h.csFatalInfo(0, 0), "fatal_info = the instruction's VA");
        assertTrue(((h.r32(0, h.csOut(0, 0) + CsOut.ACK) ^ ack0) & CsIn.CS_FATAL) != 0, "CS_FATAL toggled");
        assertEquals(1, (h.r32(0, h.csgOut(0) + CsgOut.CS_IRQ_REQ) ^ irqReq0) & 1, "cs_irq_req bit 0 toggled");
        assertTrue((h.jobIrq.rawstat() & MaliRegs.jobIrqCsg(0)) != 0);
        assertEquals(1, h.findStream(0, 0).regs[1]);
        assertEquals(0, h.findStream(0, 0).regs[2], "nothing after the fault ran");
    }

    @Test
    void shouldStopWithInstrInvalidOnUnmodelledOpcode() {
        h.submit(0, 0, AS, RING, RING_SIZE, CsAsm.op(CsOpcode.RUN_FRAGMENT));
        assertTrue(h.await(() -> h.findStream(0, 0).phase == CommandStream.Phase.FAULTED));
        assertEquals(MaliException.CS_INSTR_INVALID.code(), h.csFatal(0, 0) & 0xFF);
        assertEquals(RING, h.csFatalInfo(0, 0));
    }

    @Test
    void shouldFaultStoreToUnmappedAddressWithTranslationFault() {
        long hole = 0x4000_0000L;
        h.submit(0, 0, AS, RING, RING_SIZE, move48(2, hole), move32(10, 7), storeMultiple(10, 2, 1, 0x10));
        assertTrue(h.await(() -> h.findStream(0, 0).phase == CommandStream.Phase.FAULTED));
        assertEquals(MaliException.TRANSLATION_FAULT_3.code(), h.csFatal(0, 0) & 0xFF);
        assertEquals(hole + 0x10, h.csFatalInfo(0, 0));
        assertFalse(h.mmu.faults.isEmpty());
    }

    @Test
    void shouldCallIntoABufferAndReturnToTheRing() {
        long buf = DATA + 0x1000;
        h.w64(AS, buf, move32(20, 0xAB));
        h.w64(AS, buf + 8, loadMultiple(21, 2, 1, 0));
        h.w32(AS, DATA, 0x77);
        h.submit(0, 0, AS, RING, RING_SIZE,
                move48(2, DATA),
                move48(8, buf),
                move32(12, 16),
                call(8, 12),
                move32(22, 0xEE),
                storeState(2, 0x100, CsInstr.STATE_CYCLE_COUNT));
        assertTrue(h.awaitDrained(0, 0));
        CommandStream s = h.findStream(0, 0);
        assertEquals(0xAB, s.regs[20]);
        assertEquals(0x77, s.regs[21]);
        assertEquals(0xEE, s.regs[22]);
        assertTrue(h.r64(AS, DATA + 0x100) > 0, "cycle counter stored");
    }
}
