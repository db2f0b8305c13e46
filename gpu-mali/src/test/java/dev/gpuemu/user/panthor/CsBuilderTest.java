package dev.gpuemu.user.panthor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.regs.mali.ComputeKernelDesc;
import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsOpcode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/// Userspace's own copy of the CS encoding ([CsBuilder]) and of the kernel descriptor
/// ([KernelDesc]) agree with the device's tables ([CsInstr], [CsOpcode], [ComputeKernelDesc]):
/// every instruction the builder emits decodes, field by field, to what was asked.
class CsBuilderTest {

    private static long only(CsBuilder b) {
        assertEquals(1, b.instructions());
        return b.toArray()[0];
    }

    @Test
    void shouldUseTheDeviceOpcodeOfEveryModelledInstruction() {
        int[][] pairs = {
            {CsBuilder.OP_NOP, CsOpcode.NOP.code()}, {CsBuilder.OP_MOVE48, CsOpcode.MOVE48.code()},
            {CsBuilder.OP_MOVE32, CsOpcode.MOVE32.code()}, {CsBuilder.OP_WAIT, CsOpcode.WAIT.code()},
            {CsBuilder.OP_RUN_COMPUTE, CsOpcode.RUN_COMPUTE.code()},
            {CsBuilder.OP_ADD_IMMEDIATE32, CsOpcode.ADD_IMMEDIATE32.code()},
            {CsBuilder.OP_ADD_IMMEDIATE64, CsOpcode.ADD_IMMEDIATE64.code()},
            {CsBuilder.OP_LOAD_MULTIPLE, CsOpcode.LOAD_MULTIPLE.code()},
            {CsBuilder.OP_STORE_MULTIPLE, CsOpcode.STORE_MULTIPLE.code()},
            {CsBuilder.OP_BRANCH, CsOpcode.BRANCH.code()}, {CsBuilder.OP_SET_SB_ENTRY, CsOpcode.SET_SB_ENTRY.code()},
            {CsBuilder.OP_CALL, CsOpcode.CALL.code()}, {CsBuilder.OP_JUMP, CsOpcode.JUMP.code()},
            {CsBuilder.OP_REQ_RESOURCE, CsOpcode.REQ_RESOURCE.code()},
            {CsBuilder.OP_FLUSH_CACHE2, CsOpcode.FLUSH_CACHE2.code()},
            {CsBuilder.OP_SYNC_ADD32, CsOpcode.SYNC_ADD32.code()}, {CsBuilder.OP_SYNC_SET32, CsOpcode.SYNC_SET32.code()},
            {CsBuilder.OP_SYNC_WAIT32, CsOpcode.SYNC_WAIT32.code()},
            {CsBuilder.OP_STORE_STATE, CsOpcode.STORE_STATE.code()},
            {CsBuilder.OP_ERROR_BARRIER, CsOpcode.ERROR_BARRIER.code()},
            {CsBuilder.OP_TRACE_POINT, CsOpcode.TRACE_POINT.code()},
            {CsBuilder.OP_SYNC_ADD64, CsOpcode.SYNC_ADD64.code()}, {CsBuilder.OP_SYNC_SET64, CsOpcode.SYNC_SET64.code()},
            {CsBuilder.OP_SYNC_WAIT64, CsOpcode.SYNC_WAIT64.code()},
        };
        for (int[] p : pairs) {
            assertEquals(p[1], p[0]);
            assertTrue(CsOpcode.of((long) p[0] << 56).modelled(), "opcode " + p[0] + " is modelled");
        }
        long modelled = java.util.Arrays.stream(CsOpcode.values()).filter(CsOpcode::modelled).count();
        assertEquals(modelled, pairs.length, "the builder covers every modelled opcode");
        assertEquals(CsInstr.COND_GREATER, CsBuilder.COND_GREATER);
        assertEquals(CsInstr.COND_ALWAYS, CsBuilder.COND_ALWAYS);
        assertEquals(CsInstr.COND_LEQUAL, CsBuilder.COND_LEQUAL);
        assertEquals(CsInstr.STATE_CYCLE_COUNT, CsBuilder.STATE_CYCLE_COUNT);
        assertEquals(CsInstr.SPD_BASE, CsBuilder.SPD_BASE);
        assertEquals(CsInstr.REGISTERS, CsBuilder.REGISTERS);
        assertEquals(CsInstr.INSTR_BYTES, CsBuilder.INSTR_BYTES);
    }

    @Test
    void shouldEncodeMovesAndAddsThatDecodeWithTheDeviceFields() {
        long w = only(new CsBuilder().move48(4, 0xFFFF_1234_5678L));
        assertEquals(CsOpcode.MOVE48, CsOpcode.of(w));
        assertEquals(4, CsInstr.DST.get(w));
        assertEquals(0xFFFF_1234_5678L, CsInstr.IMM48.get(w));
        w = only(new CsBuilder().move32(95, -1));
        assertEquals(CsOpcode.MOVE32, CsOpcode.of(w));
        assertEquals(95, CsInstr.DST.get(w));
        assertEquals(0xFFFF_FFFFL, CsInstr.IMM32.get(w));
        w = only(new CsBuilder().addImm64(6, 8, -64));
        assertEquals(CsOpcode.ADD_IMMEDIATE64, CsOpcode.of(w));
        assertEquals(6, CsInstr.DST.get(w));
        assertEquals(8, CsInstr.SRC.get(w));
        assertEquals(-64, CsInstr.imm32Signed(w));
        w = only(new CsBuilder().addImm32(3, 5, 7));
        assertEquals(CsOpcode.ADD_IMMEDIATE32, CsOpcode.of(w));
        assertEquals(7, CsInstr.imm32Signed(w));
    }

    @Test
    void shouldEncodeMemoryAndJobInstructionsThatDecodeWithTheDeviceFields() {
        long w = only(new CsBuilder().storeMultiple(10, 2, 0b1011, -8));
        assertEquals(CsOpcode.STORE_MULTIPLE, CsOpcode.of(w));
        assertEquals(10, CsInstr.DST.get(w));
        assertEquals(2, CsInstr.SRC.get(w));
        assertEquals(0b1011, CsInstr.LS_MASK.get(w));
        assertEquals(-8, CsInstr.offset16(w));
        w = only(new CsBuilder().loadMultiple(0, 40, 0xFFFF, 32));
        assertEquals(CsOpcode.LOAD_MULTIPLE, CsOpcode.of(w));
        assertEquals(40, CsInstr.SRC.get(w));
        assertEquals(32, CsInstr.offset16(w));
        w = only(new CsBuilder().runCompute(3));
        assertEquals(CsOpcode.RUN_COMPUTE, CsOpcode.of(w));
        assertEquals(3, CsInstr.SPD_SELECT.get(w));
        w = only(new CsBuilder().await(0x81));
        assertEquals(0x81, CsInstr.WAIT_MASK.get(w));
        w = only(new CsBuilder().flushCache2(CsBuilder.FLUSH_CLEAN_INVALIDATE, CsBuilder.FLUSH_CLEAN,
                CsBuilder.FLUSH_INVALIDATE, 12));
        assertEquals(CsOpcode.FLUSH_CACHE2, CsOpcode.of(w));
        assertEquals(3, CsInstr.FLUSH_L2.get(w));
        assertEquals(1, CsInstr.FLUSH_LSC.get(w));
        assertEquals(2, CsInstr.FLUSH_OTHER.get(w));
        assertEquals(12, CsInstr.SRC.get(w));
        w = only(new CsBuilder().storeState(20, 16, CsBuilder.STATE_CYCLE_COUNT));
        assertEquals(CsOpcode.STORE_STATE, CsOpcode.of(w));
        assertEquals(20, CsInstr.SYNC_ADDR.get(w));
        assertEquals(CsInstr.STATE_CYCLE_COUNT, CsInstr.STATE.get(w));
        assertEquals(16, CsInstr.offset16(w));
    }

    @Test
    void shouldEncodeSyncAndControlFlowThatDecodeWithTheDeviceFields() {
        long w = only(new CsBuilder().syncAdd64(4, 6, true));
        assertEquals(CsOpcode.SYNC_ADD64, CsOpcode.of(w));
        assertEquals(4, CsInstr.SYNC_ADDR.get(w));
        assertEquals(6, CsInstr.SYNC_DATA.get(w));
        assertTrue(CsInstr.SYNC_ERROR_PROPAGATE.isSet(w));
        w = only(new CsBuilder().syncSet32(4, 7, false));
        assertEquals(CsOpcode.SYNC_SET32, CsOpcode.of(w));
        assertEquals(7, CsInstr.SYNC_DATA.get(w));
        assertTrue(!CsInstr.SYNC_ERROR_PROPAGATE.isSet(w));
        w = only(new CsBuilder().syncWait64(CsBuilder.COND_GREATER, 4, 6));
        assertEquals(CsOpcode.SYNC_WAIT64, CsOpcode.of(w));
        assertEquals(CsInstr.COND_GREATER, CsInstr.SYNC_COND.get(w));
        assertEquals(4, CsInstr.SYNC_ADDR.get(w));
        assertEquals(6, CsInstr.SYNC_DATA.get(w));
        w = only(new CsBuilder().branch(CsBuilder.COND_NEQUAL, 9, -3));
        assertEquals(CsOpcode.BRANCH, CsOpcode.of(w));
        assertEquals(CsInstr.COND_NEQUAL, CsInstr.BRANCH_COND.get(w));
        assertEquals(9, CsInstr.SRC.get(w));
        assertEquals(-3, CsInstr.offset16(w));
        w = only(new CsBuilder().call(30, 33));
        assertEquals(CsOpcode.CALL, CsOpcode.of(w));
        assertEquals(30, CsInstr.SRC.get(w));
        assertEquals(33, CsInstr.JUMP_LENGTH.get(w));
        assertEquals(CsOpcode.JUMP, CsOpcode.of(only(new CsBuilder().jump(30, 33))));
        assertEquals(0L, only(new CsBuilder().nop()));
    }

    @Test
    void shouldLayTheStreamOutLittleEndianInOrder() {
        CsBuilder b = new CsBuilder().move48(16, 0x1000).runCompute(0).nop();
        assertEquals(24, b.sizeBytes());
        MemorySegment s = MemorySegment.ofArray(b.toBytes());
        ValueLayout.OfLong le = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(b.toArray(), new long[] {s.get(le, 0), s.get(le, 8), s.get(le, 16)});
        assertEquals((byte) CsOpcode.MOVE48.code(), s.get(ValueLayout.JAVA_BYTE, 7));
        assertEquals(0, b.reset().sizeBytes());
        for (int i = 0; i < 100; i++) {
            b.nop();
        }
        assertEquals(800, b.toBytes().length);
    }

    @Test
    void shouldRejectBadRegistersAndOversizedFieldsWithoutEmitting() {
        CsBuilder b = new CsBuilder();
        assertThrows(IllegalArgumentException.class, () -> b.move48(3, 0));
        assertThrows(IllegalArgumentException.class, () -> b.move48(96, 0));
        assertThrows(IllegalArgumentException.class, () -> b.move48(0, 1L << 48));
        assertThrows(IllegalArgumentException.class, () -> b.move32(96, 0));
        assertThrows(IllegalArgumentException.class, () -> b.runCompute(4));
        assertThrows(IllegalArgumentException.class, () -> b.storeMultiple(0, 2, 0x1_0000, 0));
        assertThrows(IllegalArgumentException.class, () -> b.storeMultiple(0, 2, 1, 40_000));
        assertThrows(IllegalArgumentException.class, () -> b.syncWait64(16, 4, 6));
        assertThrows(IllegalArgumentException.class, () -> b.syncAdd64(4, 5, false));
        assertEquals(0, b.instructions());
    }

    @Test
    void shouldLayKernelDescriptorsOutAsTheDeviceReadsThem() {
        assertEquals(ComputeKernelDesc.SIZE, KernelDesc.SIZE);
        assertEquals(ComputeKernelDesc.ALIGN, KernelDesc.ALIGN);
        assertEquals(ComputeKernelDesc.MAGIC, KernelDesc.MAGIC);
        assertEquals(ComputeKernelDesc.OFF_MAGIC, KernelDesc.OFF_MAGIC);
        assertEquals(ComputeKernelDesc.OFF_KERNEL, KernelDesc.OFF_KERNEL);
        assertEquals(ComputeKernelDesc.OFF_FLAGS, KernelDesc.OFF_FLAGS);
        assertEquals(ComputeKernelDesc.OFF_ARGS, KernelDesc.OFF_ARGS);
        assertEquals(ComputeKernelDesc.ARGS, KernelDesc.ARGS);
        for (int i = 0; i < KernelDesc.ARGS; i++) {
            assertEquals(ComputeKernelDesc.arg(i), KernelDesc.arg(i));
        }
        assertEquals(ComputeKernelDesc.COPY, KernelDesc.COPY);
        assertEquals(ComputeKernelDesc.FILL, KernelDesc.FILL);
        assertEquals(ComputeKernelDesc.SAXPY, KernelDesc.SAXPY);
        assertEquals(ComputeKernelDesc.DETILE, KernelDesc.DETILE);
        assertEquals(ComputeKernelDesc.FMA_LOOP, KernelDesc.FMA_LOOP);

        MemorySegment s = MemorySegment.ofArray(KernelDesc.saxpy(0x1000, 0x2000, 256, 2.5f).toBytes());
        ValueLayout.OfInt u32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfLong u64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        assertEquals(ComputeKernelDesc.MAGIC, s.get(u32, ComputeKernelDesc.OFF_MAGIC));
        assertEquals(ComputeKernelDesc.SAXPY, s.get(u32, ComputeKernelDesc.OFF_KERNEL));
        assertEquals(0x1000L, s.get(u64, ComputeKernelDesc.arg(0)));
        assertEquals(0x2000L, s.get(u64, ComputeKernelDesc.arg(1)));
        assertEquals(256L, s.get(u64, ComputeKernelDesc.arg(2)));
        assertEquals(2.5f, Float.intBitsToFloat((int) s.get(u64, ComputeKernelDesc.arg(3))));
        assertEquals(0L, s.get(u64, ComputeKernelDesc.arg(6)));
        MemorySegment f = MemorySegment.ofArray(KernelDesc.fill(0x3000, 64, 0xA5A5_0000_FFFF_1234L).toBytes());
        assertEquals(ComputeKernelDesc.FILL, f.get(u32, ComputeKernelDesc.OFF_KERNEL) & 0xFFFF);
        assertEquals(0xA5A5_0000_FFFF_1234L, f.get(u64, ComputeKernelDesc.arg(2)));
    }
}
