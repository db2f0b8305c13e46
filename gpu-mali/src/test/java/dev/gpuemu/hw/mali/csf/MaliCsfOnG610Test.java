package dev.gpuemu.hw.mali.csf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.hw.mali.MaliConfig;
import dev.gpuemu.hw.mali.MaliTestSupport;
import dev.gpuemu.regs.mali.ComputeKernelDesc;
import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsOpcode;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.CsfIface.CsIn;
import dev.gpuemu.regs.mali.CsfIface.CsOut;
import dev.gpuemu.regs.mali.CsfIface.Csg;
import dev.gpuemu.regs.mali.CsfIface.CsgIn;
import dev.gpuemu.regs.mali.CsfIface.CsgOut;
import dev.gpuemu.regs.mali.CsfIface.Glb;
import dev.gpuemu.regs.mali.CsfIface.GlbIn;
import dev.gpuemu.regs.mali.CsfIface.Ring;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliException;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import dev.gpuemu.tools.malifw.MaliFirmwareImage;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// The CSF plugged into the real `MaliG610` and `MaliMmu` (qtest style, through MMIO): address
/// spaces in identity mode (VA = PA, RAM at 0), firmware sections copied to their VAs, boot on
/// `MCU_CONTROL = AUTO`, a COPY job from a doorbell, and a group whose address space is
/// `UNMAPPED` faulting with the MMU's exception type.
class MaliCsfOnG610Test {
    private final MaliTestSupport t = MaliTestSupport.open(80L << 20, MaliConfig.defaults(), MaliCsf.factory());

    @AfterEach
    void tearDown() {
        t.close();
    }

    private MemorySegment ram(long pa, long len) {
        return t.memory.direct(pa, len);
    }

    private int r32(long pa) {
        return ram(pa, 4).get(VmIo.U32, 0);
    }

    private void w32(long pa, int v) {
        ram(pa, 4).set(VmIo.U32, 0, v);
    }

    private void w64(long pa, long v) {
        ram(pa, 8).set(VmIo.U64, 0, v);
    }

    private long r64(long pa) {
        return ram(pa, 8).get(VmIo.U64, 0);
    }

    private void addressSpace(int as, int adrmode) {
        t.writeAs64(as, MaliAsReg.AS_TRANSCFG, adrmode);
        t.writeAs(as, MaliAsReg.AS_COMMAND, MaliAsReg.AS_COMMAND_UPDATE);
    }

    private boolean await(java.util.function.BooleanSupplier c) {
        return t.clock.await(c, 100_000_000L);
    }

    private void boot() {
        addressSpace(0, MaliAsReg.ADRMODE_IDENTITY);
        byte[] image = MaliFirmwareImage.build(MaliFirmwareImage.Spec.defaults());
        for (FirmwareLoader.Section s : FirmwareLoader.parse(image).sections()) {
            MemorySegment.copy(MemorySegment.ofArray(image), s.dataStart(), ram(s.vaStart(), s.vaEnd() - s.vaStart()), 0,
                    s.dataEnd() - s.dataStart());
        }
        t.writel(MaliReg.JOB_IRQ_MASK, 0xFFFF_FFFFL);
        t.writel(MaliReg.MCU_CONTROL, MaliRegs.MCU_CONTROL_AUTO);
        assertTrue(await(() -> t.line(MaliTestSupport.IRQ_JOB)), "GLOBAL_IF on the job line");
        assertEquals(MaliRegs.MCU_STATUS_ENABLED, t.readl(MaliReg.MCU_STATUS));
        t.writel(MaliReg.JOB_IRQ_CLEAR, 0xFFFF_FFFFL);
    }

    private long glb(int off) {
        return Integer.toUnsignedLong(r32(CsfIface.SHARED_REGION_START + off));
    }

    private long csgCtl(int i) {
        return CsfIface.SHARED_REGION_START + CsfIface.GROUP_CONTROL_OFFSET + i * glb(Glb.GROUP_STRIDE);
    }

    /// Starts group 0 in `as` and its stream 0 with a ring at `ring`; pointer pages at `ringIo`.
    private long[] start(int as, long ring, long ringIo) {
        long glbIn = glb(Glb.INPUT_VA);
        long csgIn = Integer.toUnsignedLong(r32(csgCtl(0) + Csg.INPUT_VA));
        long csgOut = Integer.toUnsignedLong(r32(csgCtl(0) + Csg.OUTPUT_VA));
        long csCtl = csgCtl(0) + CsfIface.STREAM_CONTROL_OFFSET;
        long csIn = Integer.toUnsignedLong(r32(csCtl + CsfIface.Cs.INPUT_VA));
        long csOut = Integer.toUnsignedLong(r32(csCtl + CsfIface.Cs.OUTPUT_VA));
        w32(csgIn + CsgIn.ACK_IRQ_MASK, ~0);
        w32(csgIn + CsgIn.CONFIG, as);
        w32(csgIn + CsgIn.REQ, CsgIn.CSG_STATE_START);
        w64(csIn + CsIn.RINGBUF_BASE, ring);
        w32(csIn + CsIn.RINGBUF_SIZE, 4096);
        w64(csIn + CsIn.RINGBUF_INPUT, ringIo);
        w64(csIn + CsIn.RINGBUF_OUTPUT, ringIo + Ring.OUTPUT_PAGE_OFFSET);
        w32(csIn + CsIn.CONFIG, CsIn.config(0, 1));
        w32(csIn + CsIn.ACK_IRQ_MASK, ~0);
        w32(csIn + CsIn.REQ, CsIn.CS_STATE_START);
        w32(csgIn + CsgIn.DOORBELL_REQ, 1);
        w32(glbIn + GlbIn.DOORBELL_REQ, 1);
        t.writel(MaliRegs.doorbell(0), 1);
        assertTrue(await(() -> (r32(csOut) & CsIn.CS_STATE_MASK) == CsIn.CS_STATE_START), "CS started");
        assertEquals(CsgIn.CSG_STATE_START, r32(csgOut + CsgOut.ACK) & CsgIn.CSG_STATE_MASK);
        return new long[] {csIn, csOut};
    }

    private void submit(long ring, long ringIo, long... instrs) {
        for (int k = 0; k < instrs.length; k++) {
            w64(ring + 8L * k, instrs[k]);
        }
        w64(ringIo + Ring.IN_INSERT, 8L * instrs.length);
        t.writel(MaliRegs.doorbell(1), 1);
    }

    @Test
    void shouldBootThroughMmioAndRunACopyJobFromADoorbell() {
        boot();
        addressSpace(1, MaliAsReg.ADRMODE_IDENTITY);
        long ring = 0x0200_0000L;
        long ringIo = 0x0210_0000L;
        long desc = 0x0220_0000L;
        long src = 0x0300_0000L;
        long dst = 0x0380_0000L;
        long sync = 0x0230_0000L;
        byte[] data = new byte[256 << 10];
        new Random(5).nextBytes(data);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, ram(src, data.length), 0, data.length);
        w32(desc, ComputeKernelDesc.MAGIC);
        w32(desc + ComputeKernelDesc.OFF_KERNEL, ComputeKernelDesc.COPY);
        w64(desc + ComputeKernelDesc.arg(0), src);
        w64(desc + ComputeKernelDesc.arg(1), dst);
        w64(desc + ComputeKernelDesc.arg(2), data.length);
        start(1, ring, ringIo);
        long t0 = t.clock.nowNs();
        submit(ring, ringIo,
                CsAsm.move48(CsInstr.SPD_BASE, desc), CsAsm.runCompute(0),
                CsAsm.move48(4, sync), CsAsm.move48(6, 1), CsAsm.sync(CsOpcode.SYNC_ADD64, 6, 4));
        assertTrue(await(() -> r64(sync) == 1), "job done, sync object signalled");
        long took = t.clock.nowNs() - t0;
        assertArrayEquals(data, ram(dst, data.length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        assertTrue(took >= CsfTiming.G610_MC4_RK3588.copyNs(data.length), "took " + took + " ns");
        assertTrue(await(() -> t.line(MaliTestSupport.IRQ_JOB)), "CSG_SYNC_UPDATE raised JOB_IRQ bit 0");
        assertEquals(1, t.readl(MaliReg.JOB_IRQ_RAWSTAT) & 1);
        assertEquals(40, r64(ringIo + Ring.OUTPUT_PAGE_OFFSET + Ring.OUT_EXTRACT));
    }

    @Test
    void shouldReportTheMmuExceptionTypeWhenTheGroupsSpaceIsUnmapped() {
        boot();
        addressSpace(2, MaliAsReg.ADRMODE_UNMAPPED);
        long ring = 0x0200_0000L;
        long ringIo = 0x0210_0000L;
        long[] cs = start(2, ring, ringIo);
        submit(ring, ringIo, CsAsm.move32(1, 1));
        assertTrue(await(() -> (r32(cs[1] + CsOut.FATAL) & 0xFF) != 0), "CS_FATAL");
        assertEquals(MaliException.TRANSLATION_FAULT_0.code(), r32(cs[1] + CsOut.FATAL) & 0xFF);
        assertEquals(ring, r64(cs[1] + CsOut.FATAL_INFO));
        assertEquals(MaliRegs.mmuIrqPageFault(2), t.readl(MaliReg.MMU_IRQ_RAWSTAT) & MaliRegs.mmuIrqPageFault(2));
        assertEquals(ring, t.readAs64(2, MaliAsReg.AS_FAULTADDRESS));
    }
}
