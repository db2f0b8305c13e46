package dev.gpuemu.igt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.nova.NovaClient;
import dev.gpuemu.user.nova.NvPush;
import java.util.Optional;

/// nova work through nova-drm's gpuemu uAPI extension: a VM, a channel and copy-engine
/// pushbuffers ([NvPush]). The exec check copies 4 KiB system memory to system memory and checks
/// it; the spinner is a chain of large copies (system memory to VRAM, 16 x 8 MiB: about 11 ms of
/// simulated copy-engine time) whose last out-fence is still pending when the device goes.
final class NovaWork implements DriverWork {
    static final long SRC = 0x100_0000L;
    static final long DST = 0x200_0000L;
    static final long SEM = 0x300_0000L;
    static final int SMALL = 4096;
    static final int LARGE = 8 << 20;
    static final int CHAIN = 16;
    static final long EXEC_DEADLINE_NS = 5_000_000_000L;

    private static long word(long off) {
        return 0x0DDC_0FFE_E000_0000L ^ off;
    }

    /// A VM with SRC, DST and SEM mapped, a channel, and a pushbuffer holding `push`.
    private static final class Ctx implements AutoCloseable {
        final NovaClient c;
        final int vm;
        final int channel;
        final NovaClient.Bo pb;
        final NovaClient.Bo dst;
        final UserMapping src;

        Ctx(DrmClient drm, int bytes, boolean vramDst, NvPush push) {
            c = NovaClient.of(drm);
            vm = c.vmCreate().id();
            NovaClient.Bo s = c.createSysmem(bytes);
            dst = vramDst ? c.createVram(bytes) : c.createSysmem(bytes);
            NovaClient.Bo sem = c.createSysmem(4096);
            pb = c.createSysmem(4096);
            c.vmMap(vm, s.handle(), 0, SRC, bytes, true);
            c.vmMap(vm, dst.handle(), 0, DST, bytes, false);
            c.vmMap(vm, sem.handle(), 0, SEM, 4096, false);
            channel = c.channelCreate(vm);
            src = c.mmap(s);
            for (long off = 0; off < bytes; off += 8) {
                src.putLong(off, word(off));
            }
            try (UserMapping p = c.mmap(pb)) {
                int[] w = push.words();
                for (int i = 0; i < w.length; i++) {
                    p.putInt(4L * i, w[i]);
                }
            }
        }

        @Override
        public void close() {
            src.close();
            c.close();
        }
    }

    @Override
    public void execCheck(DrmClient drm, boolean render, Process proc, SimClock clock) {
        NvPush push = new NvPush().setObject().copy(SRC, DST, SMALL, SEM, 1);
        try (Ctx x = new Ctx(drm, SMALL, false, push)) {
            int done = x.c.syncobjCreate();
            x.c.submit(x.channel, x.pb.handle(), 0, push.dwords(), new int[0], new int[] {done});
            x.c.syncobjWait(done, clock.nowNs() + EXEC_DEADLINE_NS);
            assertFalse(x.c.channelState(x.channel).faulted(), "nova copy faulted");
            try (UserMapping d = x.c.mmap(x.dst)) {
                for (long off = 0; off < SMALL; off += 8) {
                    assertEquals(word(off), d.getLong(off), "nova copy result at " + off);
                }
            }
            x.c.syncobjDestroy(done);
            x.c.channelDestroy(x.channel);
            x.c.vmDestroy(x.vm);
        }
    }

    @Override
    public Load load(DrmClient drm) {
        NovaClient c = NovaClient.of(drm);
        return new Load() {
            @Override
            public void gemCycle() {
                c.gemClose(c.gemCreate(4096));
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    @Override
    public Optional<Spinner> spinner(DrmClient drm, Process proc) {
        NvPush push = new NvPush().setObject().copy(SRC, DST, LARGE, SEM, 1);
        Ctx x = new Ctx(drm, LARGE, true, push);
        int out = x.c.syncobjCreate();
        for (int i = 0; i < CHAIN; i++) {
            x.c.submit(x.channel, x.pb.handle(), 0, push.dwords(), new int[0], new int[] {out});
        }
        DmaFence fence = DriverWork.fenceOf(proc, drm, out);
        return Optional.of(new Spinner() {
            @Override
            public int syncobj() {
                return out;
            }

            @Override
            public DmaFence fence() {
                return fence;
            }

            @Override
            public boolean end() {
                // Nothing to end: the copies stop with the device. The source written through
                // the mmap before the unplug must still read back.
                return x.src.getLong(0) == word(0) && x.src.getLong(LARGE - 8) == word(LARGE - 8);
            }

            @Override
            public void close() {
                x.close();
            }
        });
    }
}
