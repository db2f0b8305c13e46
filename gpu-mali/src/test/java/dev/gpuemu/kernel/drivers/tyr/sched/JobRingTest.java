package dev.gpuemu.kernel.drivers.tyr.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsOpcode;
import org.junit.jupiter.api.Test;

/// The job slot encoding (decoded with the device's `CsInstr` fields) and the ring pointer math.
class JobRingTest {
    @Test
    void shouldEncodeCallOfUserStreamThenSyncAdd64OfOneOnKernelSyncObject() {
        long[] ins = JobRing.jobInstrs(96, 8, 0x1234_5640L, 24, 7, 0x1_0000_0010L);
        assertEquals(JobRing.INSTRS_PER_SLOT, ins.length);
        assertEquals(128, JobRing.SLOT_BYTES);
        int addrReg = 92;
        int valReg = 94;
        // MOVE48 d92 = stream, MOVE32 r94 = size, then CALL d92, r94.
        assertEquals(CsOpcode.MOVE48, CsOpcode.of(ins[2]));
        assertEquals(addrReg, CsInstr.DST.get(ins[2]));
        assertEquals(0x1234_5640L, CsInstr.IMM48.get(ins[2]));
        assertEquals(CsOpcode.MOVE32, CsOpcode.of(ins[3]));
        assertEquals(valReg, CsInstr.DST.get(ins[3]));
        assertEquals(24, CsInstr.IMM32.get(ins[3]));
        assertEquals(CsOpcode.CALL, CsOpcode.of(ins[5]));
        assertEquals(addrReg, CsInstr.SRC.get(ins[5]));
        assertEquals(valReg, CsInstr.JUMP_LENGTH.get(ins[5]));
        // MOVE48 d92 = sync object, MOVE48 d94 = 1, SYNC_ADD64 [d92] += d94 with error propagation.
        assertEquals(0x1_0000_0010L, CsInstr.IMM48.get(ins[6]));
        assertEquals(CsOpcode.MOVE48, CsOpcode.of(ins[7]));
        assertEquals(valReg, CsInstr.DST.get(ins[7]));
        assertEquals(1, CsInstr.IMM48.get(ins[7]));
        assertEquals(CsOpcode.SYNC_ADD64, CsOpcode.of(ins[9]));
        assertEquals(addrReg, CsInstr.SYNC_ADDR.get(ins[9]));
        assertEquals(valReg, CsInstr.SYNC_DATA.get(ins[9]));
        assertEquals(1, CsInstr.SYNC_ERROR_PROPAGATE.get(ins[9]));
        assertEquals(0xFF, CsInstr.WAIT_MASK.get(ins[8]));
        assertEquals(CsOpcode.ERROR_BARRIER, CsOpcode.of(ins[10]));
        for (int i = 11; i < ins.length; i++) {
            assertEquals(CsOpcode.NOP, CsOpcode.of(ins[i]));
        }
        for (long i : ins) {
            assertTrue(CsOpcode.of(i).modelled(), "every instruction runs on the model");
        }
    }

    @Test
    void shouldComputeFreeSpaceAndWrapOffsets() {
        assertEquals(4096, JobRing.free(4096, 0, 0));
        assertEquals(0, JobRing.free(4096, 4096, 0));
        assertEquals(128, JobRing.free(4096, 8192 + 3968, 8192));
        assertEquals(0, JobRing.offset(4096, 8192));
        assertEquals(3968, JobRing.offset(4096, 4096 + 3968));
        assertThrows(IllegalArgumentException.class, () -> JobRing.free(4096, 4097 + 4096, 1), "insert past a full ring");
        assertThrows(IllegalArgumentException.class, () -> JobRing.free(4096, 0, 128), "extract past insert");
    }

    @Test
    void shouldAcceptOnlyPowerOfTwoRingSizesFrom4To64KiB() {
        assertTrue(JobRing.validSize(4096));
        assertTrue(JobRing.validSize(65536));
        assertFalse(JobRing.validSize(2048));
        assertFalse(JobRing.validSize(131072));
        assertFalse(JobRing.validSize(12288));
    }

    @Test
    void shouldAllocateFirstFitAndReuseFreedKernelVa() throws KernelException {
        KernelVaSpace s = new KernelVaSpace(0x1000_0000L, 0x1000_4000L);
        long a = s.alloc(4096);
        long b = s.alloc(100);
        assertEquals(0x1000_0000L, a);
        assertEquals(0x1000_1000L, b);
        s.free(a);
        assertEquals(0x1000_0000L, s.alloc(4096), "the hole is reused");
        assertEquals(0x1000_2000L, s.alloc(8192));
        KernelException e = assertThrows(KernelException.class, () -> s.alloc(4096));
        assertEquals(dev.gpuemu.kernel.uapi.Errno.ENOMEM, e.errno());
        assertThrows(IllegalStateException.class, () -> s.free(0x1000_3000L));
    }
}
