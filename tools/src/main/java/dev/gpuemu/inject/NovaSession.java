package dev.gpuemu.inject;

import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.UserFault;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.nova.NovaClient;
import dev.gpuemu.user.nova.NvPush;
import java.util.SplittableRandom;

/// Load on nova (nova-drm under nova-core) through its render node, set up as a userspace driver
/// would with gpuemu's uAPI extension: a VM; a 256 KiB system-memory object bound at [#VA] and
/// mapped on the CPU; a 64 KiB VRAM object bound at [#VRAM_VA]; a copy channel; a pushbuffer
/// that copies 4 KiB SRC → VRAM, then VRAM → DST, releasing a semaphore after each copy.
///
/// Steps: `VERSION` and `GETPARAM`; upstream `GEM_CREATE`, `GEM_INFO`, close; a system-memory
/// object created, mapped, written and read back, closed; the same for a VRAM object (through
/// BAR1); a signaled syncobj waited for; a `SUBMIT` of the copy job signalling a new syncobj (left
/// in flight); a wait for the job in flight (invariant 7: it must end, with its data copied and
/// the channel not faulted unless an unplug began).
///
/// A VRAM object's CPU mapping is zapped at unbind and later faults `SIGBUS` (nova-drm's
/// documented behaviour; VRAM is gone with the device). A `SIGBUS` there after an unplug began is
/// therefore counted like `ENODEV` (the session ends); one without an unplug is a violation of 5.
///
/// Object layout: `0x0` pushbuffer, `0x1000` semaphore, `0x10000` SRC, `0x20000` DST, `0x30000`
/// the sentinel.
///
/// ## Thread safety
/// Confined to its load thread.
final class NovaSession extends LoadSession {
    static final long VA = 0x100_0000L;
    static final long VRAM_VA = 0x200_0000L;
    private static final long BO_BYTES = 256 << 10;
    private static final long VRAM_BYTES = 64 << 10;
    private static final long SEM = 0x1000;
    private static final long SRC = 0x10000;
    private static final long DST = 0x20000;
    private static final long SENTINEL = 0x30000;
    private static final int COPY_BYTES = 4 << 10;
    /// How long (simulated) a load thread waits for a job before calling it hung.
    static final long JOB_WAIT_NS = 1_000_000_000L;

    private final NovaClient client;
    private final Checker checker;
    private int vm = -1;
    private NovaClient.Bo bo;
    private NovaClient.Bo vram;
    private int channel = -1;
    private UserMapping cpu;
    private int pushDwords;
    private int pending = -1;
    private long copySeed;

    NovaSession(Process proc, SimClock clock, String node, long epoch, boolean duringUnplug, long seed, Checker checker) {
        super(proc, clock, epoch, duringUnplug, seed);
        this.checker = checker;
        client = NovaClient.open(proc, node);
        okCalls += 2;
        try {
            vm = client.vmCreate().id();
            bo = client.createSysmem(BO_BYTES);
            vram = client.createVram(VRAM_BYTES);
            client.vmMap(vm, bo.handle(), 0, VA, bo.size(), false);
            client.vmMap(vm, vram.handle(), 0, VRAM_VA, vram.size(), false);
            channel = client.channelCreate(vm);
            cpu = client.mmap(bo);
            okCalls += 8;
            NvPush push = new NvPush().setObject()
                    .copy(VA + SRC, VRAM_VA, COPY_BYTES, VA + SEM, 1)
                    .copy(VRAM_VA, VA + DST, COPY_BYTES, VA + SEM, 2);
            int[] w = push.words();
            for (int i = 0; i < w.length; i++) {
                cpu.putInt(4L * i, w[i]);
            }
            pushDwords = w.length;
            setSentinel(cpu, SENTINEL, false);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    String driver() {
        return "nova";
    }

    @Override
    void step(SplittableRandom rng) {
        switch (rng.nextInt(7)) {
            case 0 -> {
                client.drm().version();
                client.vramBarSize();
                okCalls += 2;
            }
            case 1 -> {
                int h = client.gemCreate(4096L << rng.nextInt(3));
                okCalls++;
                try {
                    client.gemInfo(h);
                    okCalls++;
                } finally {
                    client.gemClose(h);
                    okCalls++;
                }
            }
            case 2 -> bo(rng, false);
            case 3 -> bo(rng, true);
            case 4 -> {
                int h = client.drm().syncobjCreate(DrmSyncobj.DRM_SYNCOBJ_CREATE_SIGNALED);
                okCalls++;
                try {
                    client.syncobjWait(h, clock.nowNs() + JOB_WAIT_NS);
                    okCalls++;
                } finally {
                    quietly(() -> client.syncobjDestroy(h));
                }
            }
            case 5 -> submit(rng);
            default -> waitPending();
        }
    }

    /// An object in system memory or VRAM: created, mapped, written, read back, closed.
    private void bo(SplittableRandom rng, boolean inVram) {
        long size = 4096L << rng.nextInt(3);
        NovaClient.Bo b = inVram ? client.createVram(size) : client.createSysmem(size);
        okCalls++;
        try (UserMapping m = client.mmap(b)) {
            okCalls += 2;
            long bad = writeAndVerify(m, b.size(), rng.nextLong());
            if (bad >= 0) {
                checker.violation(5, "nova: a fresh " + (inVram ? "VRAM" : "system-memory") + " object read back wrong at word "
                        + bad);
            }
        } catch (UserFault f) {
            if (!inVram || f.signal() != UserFault.Signal.SIGBUS || !enodevAllowed(checker)) {
                checker.violation(5, "nova: " + f.getMessage() + " on a " + (inVram ? "VRAM" : "system-memory")
                        + " mapping" + (enodevAllowed(checker) ? "" : " with no unplug begun"));
            }
            // The VRAM went with the device: end the session as an ENODEV would.
            throw new DrmErrnoException("VRAM mapping (SIGBUS)", Errno.ENODEV.negative());
        } finally {
            try {
                client.gemClose(b.handle());
                okCalls++;
            } catch (DrmErrnoException e) {
                // ENODEV after unplug: the file's close releases it.
            }
        }
    }

    private void submit(SplittableRandom rng) {
        if (pending >= 0) {
            waitPending();
            return;
        }
        copySeed = rng.nextLong();
        for (long i = 0; i < COPY_BYTES / 8; i++) {
            cpu.putLong(SRC + 8 * i, pattern(copySeed, i));
        }
        int s = client.syncobjCreate();
        okCalls++;
        pending = s;
        client.submit(channel, bo.handle(), 0, pushDwords, new int[0], new int[] {s});
        okCalls++;
    }

    @Override
    void finishJob(SplittableRandom rng) {
        if (pending < 0) {
            submit(rng);
        }
        waitPending();
    }

    private void waitPending() {
        if (pending < 0) {
            return;
        }
        try {
            client.syncobjWait(pending, clock.nowNs() + JOB_WAIT_NS);
            okCalls++;
        } catch (DrmErrnoException e) {
            if (e.errno() == Errno.ETIME) {
                checker.violation(7, "nova: a copy job's out-fence was not signalled within " + JOB_WAIT_NS / 1_000_000
                        + " ms simulated");
                pending = -1;
                return;
            }
            throw e;
        }
        int s = pending;
        pending = -1;
        NovaClient.ChannelState st = client.channelState(channel);
        okCalls++;
        if (!enodevAllowed(checker)) {
            if (st.faulted()) {
                checker.violation(7, "nova: the channel faulted at 0x" + Long.toHexString(st.faultVa()) + " (error "
                        + st.error() + ") running the copy job");
            } else {
                for (long i = 0; i < COPY_BYTES / 8; i++) {
                    if (cpu.getLong(DST + 8 * i) != pattern(copySeed, i)) {
                        checker.violation(7, "nova: a copy job signalled success but word " + i + " was not copied");
                        break;
                    }
                }
            }
        }
        client.syncobjDestroy(s);
        okCalls++;
    }

    @Override
    void checkAfterUnplug(Checker c) {
        super.checkAfterUnplug(c);
        if (pending >= 0) {
            checkFenceAfterUnplug(c, client.drm(), pending);
        }
    }

    @Override
    void closeFile() {
        if (cpu != null) {
            cpu.close();
            cpu = null;
        }
        if (channel >= 0) {
            int ch = channel;
            quietly(() -> client.channelDestroy(ch));
        }
        if (vm >= 0) {
            int v = vm;
            quietly(() -> client.vmDestroy(v));
        }
        if (vram != null) {
            quietly(() -> client.gemClose(vram.handle()));
        }
        if (bo != null) {
            quietly(() -> client.gemClose(bo.handle()));
        }
        client.close();
    }
}
