package dev.gpuemu.kernel.drivers.nova.core;

import static org.junit.jupiter.api.Assertions.*;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.UseAfterUnbindException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.nvidia.Clc6b5;
import dev.gpuemu.regs.nvidia.NvHostRegs;
import dev.gpuemu.regs.nvidia.PushbufferHeader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The contract's VRAM/VM/channel API driven from kernel code against the real GA102 host.
class NovaChannelTest {
    static final long SRC_VA = 0x10_0000;
    static final long DST_VA = 0x20_0000;
    static final long PB_VA = 0x30_0000;
    static final long SECOND = 1_000_000_000L;
    static final int SUB = NovaChannel.COPY_SUBCHANNEL;

    record Signal(long seqno, int error) {
    }

    /// A 1D copy of `bytes` from `src` to `dst`, written into `pb` at `at`; returns the dwords.
    static int copy(VramAllocation pb, long at, long src, long dst, int bytes) {
        int[] d = {
            PushbufferHeader.incrementing(SUB, Clc6b5.OFFSET_IN_UPPER, 4),
            (int) (src >>> 32), (int) src, (int) (dst >>> 32), (int) dst,
            PushbufferHeader.incrementing(SUB, Clc6b5.LINE_LENGTH_IN, 1), bytes,
            PushbufferHeader.incrementing(SUB, Clc6b5.LAUNCH_DMA, 1),
            Clc6b5.launchCopy(false, Clc6b5.SEMAPHORE_TYPE_NONE, Clc6b5.INTERRUPT_TYPE_NONE),
        };
        for (int i = 0; i < d.length; i++) {
            pb.write32(at + 4L * i, d[i]);
        }
        return d.length;
    }

    @Test
    void shouldCopyVramThroughAChannelAndSignalTheSeqno() throws Exception {
        try (NovaRig rig = NovaRig.boot()) {
            NovaAuxData aux = rig.aux();
            List<Signal> signals = Collections.synchronizedList(new ArrayList<>());
            VramAllocation src = aux.allocVram(8192);
            VramAllocation dst = aux.allocVram(8192);
            VramAllocation pb = aux.allocVram(4096);
            byte[] data = new byte[8192];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 7 + 3);
            }
            src.write(0, data, 0, data.length);
            NovaVm vm = aux.createVm();
            vm.map(SRC_VA, 8192, new NovaVm.Vram(src), true);
            vm.map(DST_VA, 8192, new NovaVm.Vram(dst), false);
            vm.map(PB_VA, 4096, new NovaVm.Vram(pb), true);
            assertEquals(5, vm.mappedPages());
            NovaChannel ch = aux.createChannel(vm, (s, e) -> signals.add(new Signal(s, e)));
            int n = copy(pb, 0, SRC_VA, DST_VA, 8192);
            long seq = ch.submit(PB_VA, n);
            assertEquals(1, seq);
            assertTrue(ch.waitSeqno(seq, SECOND), "copy did not complete: " + rig.log);
            assertEquals(List.of(new Signal(1, 0)), signals);
            byte[] out = new byte[8192];
            dst.read(0, out, 0, out.length);
            assertArrayEquals(data, out);
            assertEquals(NovaChannel.State.ACTIVE, ch.state());
            ch.close();
            vm.close();
            src.close();
            dst.close();
            pb.close();
            assertEquals(aux.usableVramSize(), aux.freeVram());
            assertEquals(0, rig.oopses());
        }
    }

    @Test
    void shouldFaultOnAnUnmappedAddressAndFailPendingWork() throws Exception {
        try (NovaRig rig = NovaRig.boot()) {
            NovaAuxData aux = rig.aux();
            List<Signal> signals = Collections.synchronizedList(new ArrayList<>());
            VramAllocation pb = aux.allocVram(4096);
            VramAllocation dst = aux.allocVram(4096);
            NovaVm vm = aux.createVm();
            vm.map(PB_VA, 4096, new NovaVm.Vram(pb), true);
            vm.map(DST_VA, 4096, new NovaVm.Vram(dst), false);
            NovaChannel ch = aux.createChannel(vm, (s, e) -> signals.add(new Signal(s, e)));
            int n = copy(pb, 0, DST_VA + 0x1000, DST_VA, 4096);
            long seq = ch.submit(PB_VA, n);
            assertTrue(ch.waitSeqno(seq, SECOND));
            assertEquals(List.of(new Signal(1, Errno.EIO.code())), signals);
            assertEquals(NovaChannel.State.FAULTED, ch.state());
            NovaChannel.Fault f = ch.fault().orElseThrow();
            assertTrue(f.isMmuFault());
            assertEquals(DST_VA + 0x1000, f.address());
            assertEquals(NvHostRegs.FAULT_TYPE_PTE, f.faultType());
            KernelException e = assertThrows(KernelException.class, () -> ch.submit(PB_VA, n));
            assertEquals(Errno.EIO, e.errno());
            assertTrue(rig.has("channel 0 stopped: error 1"));
            ch.close();
            vm.close();
            assertEquals(0, rig.oopses());
        }
    }

    @Test
    void shouldRefuseBadMapsAndSubmits() throws Exception {
        try (NovaRig rig = NovaRig.boot()) {
            NovaAuxData aux = rig.aux();
            VramAllocation a = aux.allocVram(4096);
            NovaVm vm = aux.createVm();
            assertErrno(Errno.EINVAL, () -> vm.map(0x1000_0800L, 4096, new NovaVm.Vram(a), false));
            assertErrno(Errno.EINVAL, () -> vm.map(0, 4096, new NovaVm.Vram(a), false));
            assertErrno(Errno.EINVAL, () -> vm.map(NovaVm.KERNEL_VA_START, 4096, new NovaVm.Vram(a), false));
            assertErrno(Errno.EINVAL, () -> vm.map(SRC_VA, 8192, new NovaVm.Vram(a), false));
            assertErrno(Errno.EINVAL, () -> vm.map(SRC_VA, 8192, new NovaVm.SysPages(new long[] {0x1000}), false));
            vm.map(SRC_VA, 4096, new NovaVm.Vram(a), false);
            assertErrno(Errno.EINVAL, () -> vm.map(SRC_VA, 4096, new NovaVm.Vram(a), false));
            assertEquals(1, vm.unmap(SRC_VA, 8192));
            assertErrno(Errno.EINVAL, () -> aux.allocVram(0));
            assertErrno(Errno.ENOMEM, () -> aux.allocVram(aux.usableVramSize() + 4096));
            NovaChannel ch = aux.createChannel(vm);
            assertErrno(Errno.EINVAL, () -> ch.submit(PB_VA + 2, 4));
            assertErrno(Errno.EINVAL, () -> ch.submit(PB_VA, 0));
            assertErrno(Errno.EINVAL, () -> ch.submit(NovaVm.KERNEL_VA_START, 4));
            ch.close();
            assertThrows(IllegalStateException.class, ch::close);
            assertErrno(Errno.ENODEV, () -> ch.submit(PB_VA, 4));
            vm.close();
            assertErrno(Errno.EINVAL, () -> aux.createChannel(vm));
            assertEquals(0, rig.oopses());
        }
    }

    @Test
    void shouldCancelInFlightWorkAtUnbindAndFailFastAfterwards() throws Exception {
        try (NovaRig rig = NovaRig.boot()) {
            NovaAuxData aux = rig.aux();
            List<Signal> signals = Collections.synchronizedList(new ArrayList<>());
            VramAllocation src = aux.allocVram(64L << 20);
            VramAllocation dst = aux.allocVram(64L << 20);
            VramAllocation pb = aux.allocVram(4096);
            NovaVm vm = aux.createVm();
            vm.map(0x1000_0000L, 64L << 20, new NovaVm.Vram(src), true);
            vm.map(0x2000_0000L, 64L << 20, new NovaVm.Vram(dst), false);
            vm.map(PB_VA, 4096, new NovaVm.Vram(pb), true);
            NovaChannel ch = aux.createChannel(vm, (s, e) -> signals.add(new Signal(s, e)));
            int n = copy(pb, 0, 0x1000_0000L, 0x2000_0000L, 64 << 20);
            for (int i = 0; i < 4; i++) {
                ch.submit(PB_VA, n);
            }
            long start = rig.machine.clock().nowNs();
            assertEquals(0, rig.unbind());
            assertTrue(rig.machine.clock().nowNs() - start < SECOND, "unbind took too long");
            assertEquals(4, signals.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(i + 1, signals.get(i).seqno());
            }
            assertEquals(Errno.ECANCELED.code(), signals.get(3).error());
            assertEquals(0, rig.oopses());
            assertThrows(UseAfterUnbindException.class, () -> ch.submit(PB_VA, n));
            assertThrows(UseAfterUnbindException.class, () -> vm.map(PB_VA, 4096, new NovaVm.Vram(pb), true));
            assertThrows(UseAfterUnbindException.class, () -> pb.read32(0));
            ch.close();
            vm.close();
            pb.close();
            assertEquals(3, rig.oopses());
        }
    }

    interface Call {
        void run() throws Exception;
    }

    static void assertErrno(Errno expected, Call c) {
        KernelException e = assertThrows(KernelException.class, c::run);
        assertEquals(expected, e.errno(), e.getMessage());
    }
}
