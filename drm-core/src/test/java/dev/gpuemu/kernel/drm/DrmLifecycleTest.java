package dev.gpuemu.kernel.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/// The registration lifecycle: unplug semantics, the guard, RegistrationData lifetime, the
/// register-failure window.
class DrmLifecycleTest {

    @Test
    void shouldReturnEnodevWithoutCallingHandlerAfterUnplug() throws Exception {
        try (TestDrm t = new TestDrm()) {
            Process p = t.spawn(false);
            int fd = p.open("/dev/dri/renderD128", Fcntl.O_RDWR);
            long arg = TestDrm.anon(p, 4096);
            assertEquals(0, p.ioctl(fd, TestDrm.NOP, arg));
            assertEquals(1, t.calls.get());
            t.registration.get().close();
            assertEquals(Errno.ENODEV.negative(), p.ioctl(fd, TestDrm.NOP, arg));
            assertEquals(1, t.calls.get(), "handler must not run after unplug");
            assertEquals(Errno.ENOENT.negative(), p.open("/dev/dri/renderD128", Fcntl.O_RDWR), "node is gone");
            assertEquals(0, p.close(fd), "close still works after unplug");
            p.close();
            assertEquals(0, t.machine.kernel().oopses().count());
        }
    }

    @Test
    void shouldWaitForInFlightSectionBeforeUnplugCompletesWhileIdleFilesStayOpen() throws Exception {
        try (TestDrm t = new TestDrm()) {
            Process p = t.spawn(false);
            int busy = p.open("/dev/dri/renderD128", Fcntl.O_RDWR);
            int idle = p.open("/dev/dri/card0", Fcntl.O_RDWR);
            long arg = TestDrm.anon(p, 4096);
            // Own threads: the common pool may have a single worker on 2 CPUs.
            var threads = java.util.concurrent.Executors.newFixedThreadPool(2);
            CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> p.ioctl(busy, TestDrm.BLOCK, arg), threads);
            assertTrue(t.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<Void> unplug = CompletableFuture.runAsync(() -> t.registration.get().close(), threads);
            Thread.sleep(200); // test thread only: give unplug the chance to finish early if it were wrong
            assertFalse(unplug.isDone(), "unplug must wait for the open section");
            assertFalse(t.data.closed, "registration data must outlive the section");
            t.release.countDown();
            assertEquals(0, inFlight.get(10, TimeUnit.SECONDS));
            unplug.get(10, TimeUnit.SECONDS);
            assertEquals(1, p.memory().getLong(arg + 8), "the handler saw live registration data");
            assertTrue(t.data.closed);
            assertEquals(Errno.ENODEV.negative(), p.ioctl(idle, TestDrm.NOP, arg));
            assertEquals(0, p.close(idle));
            assertEquals(0, p.close(busy));
            p.close();
            threads.shutdown();
        }
    }

    @Test
    void shouldFreeRegistrationDataOnlyAfterUnplugCompletes() throws Exception {
        try (TestDrm t = new TestDrm()) {
            assertFalse(t.data.closed);
            t.registration.get().close();
            assertTrue(t.data.closed);
            assertTrue(t.data.unpluggedWhenClosed, "data freed only once the device was unplugged");
        }
    }

    @Test
    void shouldThrowOnSecondCloseOfRegistration() throws Exception {
        try (TestDrm t = new TestDrm()) {
            t.registration.get().close();
            assertThrows(IllegalStateException.class, () -> t.registration.get().close());
        }
    }

    @Test
    void shouldUnplugThroughDevresWhenTheParentUnbinds() throws Exception {
        try (TestDrm t = new TestDrm(true)) {
            Process p = t.spawn(false);
            int fd = p.open("/dev/dri/renderD128", Fcntl.O_RDWR);
            long arg = TestDrm.anon(p, 64);
            t.unbind();
            assertTrue(t.data.closed);
            assertEquals(Errno.ENODEV.negative(), p.ioctl(fd, TestDrm.NOP, arg));
            assertEquals(0, p.close(fd));
            p.close();
        }
    }

    @Test
    void shouldGiveEnodevToFileOpenedInRegisterFailureWindow() throws Exception {
        var machine = dev.gpuemu.board.Machine.builder().build();
        try (machine) {
            machine.boot();
            Process p = machine.kernel().spawn("window", false);
            int[] fd = {-1};
            // The render minor is visible when the primary minor fails: open it right then.
            machine.kernel().faults().arm(DrmCore.FAULT_PRIMARY_MINOR, 1,
                    () -> fd[0] = p.open("/dev/dri/renderD128", Fcntl.O_RDWR));
            var err = assertThrows(dev.gpuemu.kernel.KernelException.class, () -> new TestDrm.Window(machine).create());
            assertEquals(Errno.ENOMEM, err.errno());
            assertTrue(fd[0] >= 0, "open inside the window succeeded: " + fd[0]);
            long arg = TestDrm.anon(p, 64);
            assertEquals(Errno.ENODEV.negative(), p.ioctl(fd[0], TestDrm.NOP, arg));
            assertEquals(Errno.ENOENT.negative(), p.open("/dev/dri/renderD128", Fcntl.O_RDWR));
            assertEquals(0, p.close(fd[0]));
            p.close();
        }
    }

    @Test
    void shouldCountOopsWhenRegisteredViewIsUsedAfterItsGuardClosed() throws Exception {
        try (TestDrm t = new TestDrm()) {
            IoctlDevice<Object, TestDrm.Data> dev = t.registration.get().device();
            RegisteredDevice<Object, TestDrm.Data>[] leaked = new RegisteredDevice[1];
            dev.withRegistrationGuard(r -> leaked[0] = r);
            assertThrows(dev.gpuemu.kernel.UseAfterUnbindException.class, () -> leaked[0].parent());
            assertEquals(1, t.machine.kernel().oopses().count());
        }
    }

    @Test
    void shouldRefuseGuardAfterUnplugAndNestGuardsBefore() throws Exception {
        try (TestDrm t = new TestDrm()) {
            IoctlDevice<Object, TestDrm.Data> dev = t.registration.get().device();
            var nested = dev.withRegistrationGuard(outer -> dev.withRegistrationGuard(inner -> inner.parent().name()));
            assertEquals("testdrm", nested.orElseThrow().orElseThrow());
            t.registration.get().close();
            assertTrue(dev.registrationGuard().isEmpty());
            assertTrue(dev.withRegistrationGuard(r -> 1).isEmpty());
        }
    }

    @Test
    void shouldKeepDeviceDataAliveWhileFileIsOpenAfterUnplug() throws Exception {
        try (TestDrm t = new TestDrm()) {
            Process p = t.spawn(false);
            int fd = p.open("/dev/dri/card0", Fcntl.O_RDWR);
            DrmDevice<Object, TestDrm.Data> normal = t.data.dev;
            t.registration.get().close();
            assertTrue(normal.isUnplugged());
            assertEquals("testdrm", normal.name(), "driver data and info outlive unplug");
            assertEquals(0, p.close(fd));
            p.close();
        }
    }

    @Test
    void shouldKeepTheMinorNumberReservedUntilTheLastFileOfTheUnpluggedDeviceCloses() throws Exception {
        try (TestDrm t = new TestDrm(true)) {
            Process p = t.spawn(false);
            int old = p.open("/dev/dri/renderD128", Fcntl.O_RDWR);
            assertTrue(old >= 0);
            t.unbind();
            assertEquals(0, t.bind());
            // The unplugged device still holds renderD128/card0 through the open file (as
            // drm_minor_alloc_release runs only at drm_dev_release): the new device gets the next.
            assertEquals(java.util.List.of("/dev/dri/card1", "/dev/dri/renderD129"),
                    DrmCore.of(t.machine.kernel()).nodes().stream().sorted().toList());
            assertEquals(Errno.ENOENT.negative(), p.open("/dev/dri/renderD128", Fcntl.O_RDWR));
            int fresh = p.open("/dev/dri/renderD129", Fcntl.O_RDWR);
            assertTrue(fresh >= 0, "the new device's node opens: " + fresh);
            long arg = TestDrm.anon(p, 64);
            assertEquals(Errno.ENODEV.negative(), p.ioctl(old, TestDrm.NOP, arg));
            assertEquals(0, p.ioctl(fresh, TestDrm.NOP, arg));
            assertEquals(0, p.close(old));
            // Last reference of the first device gone: its numbers are free again.
            assertEquals(0, p.close(fresh));
            t.unbind();
            assertEquals(0, t.bind());
            assertEquals(java.util.List.of("/dev/dri/card0", "/dev/dri/renderD128"),
                    DrmCore.of(t.machine.kernel()).nodes().stream().sorted().toList());
            p.close();
            assertEquals(0, t.machine.kernel().oopses().count());
        }
    }
}
