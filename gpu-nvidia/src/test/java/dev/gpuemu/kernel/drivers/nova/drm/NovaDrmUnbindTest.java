package dev.gpuemu.kernel.drivers.nova.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.nova.NovaClient;
import dev.gpuemu.user.nova.NvPush;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// Unbinding nova-core's auxiliary child while copies are in flight: every job's fence is
/// signalled with `-ECANCELED`, a submit waiting on an in-fence gives up with `ENODEV`, unbind
/// finishes in bounded time, later ioctls are `ENODEV`, the open file closes cleanly, every
/// channel, VM and VRAM range of nova-core is returned, and no oops.
class NovaDrmUnbindTest {
    private FakeNovaRig rig;
    private Process proc;
    private NovaClient nova;

    @BeforeEach
    void setUp() throws Exception {
        rig = new FakeNovaRig();
        proc = rig.spawn();
        nova = NovaClient.open(proc, FakeNovaRig.RENDER);
    }

    @AfterEach
    void tearDown() {
        proc.close();
        rig.close();
    }

    private int[] channelWithCopy(NvPush push) {
        NovaClient.Vm vm = nova.vmCreate();
        int ch = nova.channelCreate(vm.id());
        NovaClient.Bo pb = nova.createSysmem(4096);
        try (UserMapping m = nova.mmap(pb)) {
            int[] w = push.words();
            for (int i = 0; i < w.length; i++) {
                proc.memory().putInt(m.address() + 4L * i, w[i]);
            }
        }
        NovaClient.Bo buf = nova.createSysmem(64 * 1024);
        nova.vmMap(vm.id(), buf.handle(), 0, 0x100_0000, 64 * 1024, false);
        return new int[] {ch, pb.handle()};
    }

    @Test
    void shouldCancelCopiesInFlightAndLeaveTheFileClosable() throws Exception {
        NvPush push = new NvPush().setObject().copy(0x100_0000, 0x100_8000, 4096, 0x100_F000, 1);
        int[] c = channelWithCopy(push);
        int s = nova.syncobjCreate();
        for (int i = 0; i < 3; i++) {
            nova.submit(c[0], c[1], 0, push.dwords(), new int[0], new int[] {s});
        }
        NovaClient.Bo vram = nova.createVram(8192);
        UserMapping vmap = nova.mmap(vram);
        proc.memory().putInt(vmap.address(), 7);
        DmaFence last = rig.registration().channels().getFirst().lastFence();
        assertFalse(last.isSignaled());

        long t0 = System.nanoTime();
        assertEquals(0, rig.unbindParent());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "unbind is bounded");

        assertTrue(last.isSignaled());
        assertEquals(Errno.ECANCELED.negative(), last.error());
        DrmErrnoException e = assertThrows(DrmErrnoException.class, () -> nova.gemInfo(c[1]));
        assertEquals(Errno.ENODEV, e.errno());
        assertEquals(List.of(0, 0, 0), rig.registration().liveCounts());
        assertTrue(rig.registration().isClosed());
        assertEquals(FakeNovaCore.VRAM, rig.core.freeVram(), "VRAM returned at unbind");
        assertTrue(rig.core.vms.stream().allMatch(v -> v.closed));
        assertTrue(rig.core.channels.stream().allMatch(ch -> ch.state
                == dev.gpuemu.kernel.drivers.nova.core.NovaChannel.State.STOPPED));
        vmap.close(); // the zapped BAR1 mapping goes away cleanly
        nova.close(); // late close of the orphaned file
        assertEquals(0, rig.oopses());
    }

    @Test
    void shouldWakeASubmitWaitingOnAnInFenceWhenUnbinding() throws Exception {
        nova.close();
        proc.close();
        rig.close();
        rig = new FakeNovaRig(dev.gpuemu.machine.time.ClockMode.PACED);
        proc = rig.spawn();
        nova = NovaClient.open(proc, FakeNovaRig.RENDER);
        NvPush push = new NvPush().setObject().copy(0x100_0000, 0x100_8000, 4096, 0x100_F000, 1);
        int[] c = channelWithCopy(push);
        int first = nova.syncobjCreate();
        nova.submit(c[0], c[1], 0, push.dwords(), new int[0], new int[] {first});
        // a second process submits waiting on a fence that never signals before unbind
        Process p2 = rig.spawn();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try (NovaClient other = NovaClient.open(p2, FakeNovaRig.RENDER)) {
                NovaClient.Vm vm = other.vmCreate();
                int ch = other.channelCreate(vm.id());
                int pb = other.createSysmem(4096).handle();
                int never = other.syncobjCreate();
                // give it a fence that never signals: a job on our own stuck channel
                other.submit(ch, pb, 0, 1, new int[0], new int[] {never});
                other.submit(ch, pb, 0, 1, new int[] {never}, new int[0]);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        // let the waiter block, then unbind
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((rig.core.channels.size() < 2 || rig.core.channels.get(1).pushbufferVas.isEmpty())
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        Thread.sleep(300); // test thread only: let the second submit block on its in-fence
        assertFalse(waiter.isDone(), "the second submit is waiting on the in-fence (10 s simulated, paced)");
        long t0 = System.nanoTime();
        assertEquals(0, rig.unbindParent());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "unbind woke the waiter");
        waiter.get(30, TimeUnit.SECONDS);
        Throwable t = failure.get();
        assertTrue(t instanceof DrmErrnoException, String.valueOf(t));
        assertEquals(Errno.ENODEV, ((DrmErrnoException) t).errno());
        nova.close();
        p2.close();
        assertEquals(0, rig.oopses());
    }
}
