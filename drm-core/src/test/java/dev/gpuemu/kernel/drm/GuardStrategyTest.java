package dev.gpuemu.kernel.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.log.LogLevel;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.drm.DrmCap;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmVersion;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/// The guard strategies of the DRM core ([GuardStrategy]) and the guard-core-ioctls option: what
/// unplug waits for under each, and that the configuration is fixed once a device exists.
class GuardStrategyTest {
    private static final String RENDER = "/dev/dri/renderD128";
    // Own threads: the common pool may have a single worker on 2 CPUs.
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    @Test
    void shouldWaitForInFlightSectionWithRwlockThenAnswerEnodev() throws Exception {
        try (TestDrm t = new TestDrm(false, core -> core.setGuardStrategy(GuardStrategy.RWLOCK))) {
            Process p = t.spawn(false);
            int fd = p.open(RENDER, Fcntl.O_RDWR);
            long arg = TestDrm.anon(p, 4096);
            CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> p.ioctl(fd, TestDrm.BLOCK, arg), threads);
            assertTrue(t.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<Void> unplug = CompletableFuture.runAsync(() -> t.registration.get().close(), threads);
            Thread.sleep(200); // test thread only: give unplug the chance to finish early if it were wrong
            assertFalse(unplug.isDone(), "unplug must wait for the read-locked section");
            assertFalse(t.data.closed, "registration data must outlive the section");
            t.release.countDown();
            assertEquals(0, inFlight.get(10, TimeUnit.SECONDS));
            unplug.get(10, TimeUnit.SECONDS);
            assertEquals(1, p.memory().getLong(arg + 8), "the handler saw live registration data");
            assertTrue(t.data.closed);
            assertEquals(Errno.ENODEV.negative(), p.ioctl(fd, TestDrm.NOP, arg));
            assertEquals(1, t.calls.get(), "no handler runs after unplug");
            assertEquals(0, p.close(fd));
            p.close();
            assertEquals(0, t.machine.kernel().oopses().count());
        }
    }

    @Test
    void shouldNotWaitForInFlightHandlerWithNone() throws Exception {
        try (TestDrm t = new TestDrm(false, core -> core.setGuardStrategy(GuardStrategy.NONE))) {
            Process p = t.spawn(false);
            int fd = p.open(RENDER, Fcntl.O_RDWR);
            long arg = TestDrm.anon(p, 4096);
            CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> p.ioctl(fd, TestDrm.BLOCK, arg), threads);
            assertTrue(t.entered.await(10, TimeUnit.SECONDS));
            // The handler is held until release: unplug can only finish now if it does not wait.
            CompletableFuture.runAsync(() -> t.registration.get().close(), threads).get(10, TimeUnit.SECONDS);
            assertFalse(inFlight.isDone(), "the handler is still inside its (empty) guard");
            assertTrue(t.data.closed, "registration data was freed under the running handler");
            t.release.countDown();
            assertEquals(0, inFlight.get(10, TimeUnit.SECONDS));
            assertEquals(0, p.memory().getLong(arg + 8), "the handler saw freed registration data: NONE is unsafe");
            assertEquals(Errno.ENODEV.negative(), p.ioctl(fd, TestDrm.NOP, arg), "the flag is still checked");
            assertEquals(0, p.close(fd));
            p.close();
        }
    }

    @Test
    void shouldLogAWarningWhenNoneIsSelected() throws Exception {
        try (TestDrm t = new TestDrm(false, core -> core.setGuardStrategy(GuardStrategy.NONE))) {
            assertTrue(t.machine.kernel().log().tail(200).stream()
                    .anyMatch(e -> e.level() == LogLevel.WARNING && e.message().contains("guard strategy NONE")));
        }
    }

    @Test
    void shouldRefuseToChangeTheGuardConfigurationAfterADeviceRegistered() throws Exception {
        try (TestDrm t = new TestDrm()) {
            DrmCore core = DrmCore.of(t.machine.kernel());
            assertThrows(IllegalStateException.class, () -> core.setGuardStrategy(GuardStrategy.RWLOCK));
            assertThrows(IllegalStateException.class, () -> core.setGuardStrategy(GuardStrategy.SRCU), "not even to the same value");
            assertThrows(IllegalStateException.class, () -> core.setGuardCoreIoctls(true));
            assertEquals(GuardStrategy.SRCU, core.guardStrategy(), "the default is unchanged");
            assertFalse(core.guardCoreIoctls());
            assertThrows(NullPointerException.class, () -> core.setGuardStrategy(null));
        }
    }

    @ParameterizedTest
    @EnumSource(GuardStrategy.class)
    void shouldRunDriverAndGuardedCoreIoctlsAndNestGuardsUntilUnplugUnderEveryStrategy(GuardStrategy strategy)
            throws Exception {
        try (TestDrm t = new TestDrm(false, core -> {
            core.setGuardStrategy(strategy);
            core.setGuardCoreIoctls(true);
        })) {
            Process p = t.spawn(false);
            int fd = p.open(RENDER, Fcntl.O_RDWR);
            long arg = TestDrm.anon(p, 4096);
            p.memory().putLong(arg, 41);
            assertEquals(0, p.ioctl(fd, TestDrm.NOP, arg));
            assertEquals(42, p.memory().getLong(arg + 8));
            p.memory().putLong(arg, DrmCap.DRM_CAP_PRIME);
            assertEquals(0, p.ioctl(fd, DrmIoctls.GET_CAP, arg), "a guarded core ioctl");
            assertEquals(DrmCap.DRM_PRIME_CAP_IMPORT | DrmCap.DRM_PRIME_CAP_EXPORT, p.memory().getLong(arg + 8));
            IoctlDevice<Object, TestDrm.Data> dev = t.registration.get().device();
            var nested = dev.withRegistrationGuard(outer -> dev.withRegistrationGuard(inner -> inner.parent().name()));
            assertEquals("testdrm", nested.orElseThrow().orElseThrow());
            assertEquals(0, DrmThread.current().depth(), "every guard went back to the pool");
            t.registration.get().close();
            assertEquals(Errno.ENODEV.negative(), p.ioctl(fd, TestDrm.NOP, arg));
            assertEquals(Errno.ENODEV.negative(), p.ioctl(fd, DrmIoctls.GET_CAP, arg));
            assertTrue(dev.registrationGuard().isEmpty());
            assertEquals(0, DrmThread.current().depth(), "a refused guard is not left on the stack");
            assertEquals(0, p.close(fd));
            p.close();
            assertEquals(0, t.machine.kernel().oopses().count());
        }
    }

    @ParameterizedTest
    @EnumSource(value = GuardStrategy.class, names = {"SRCU", "RWLOCK"})
    void shouldMakeUnplugWaitForACoreIoctlWhenCoreIoctlsAreGuarded(GuardStrategy strategy) throws Exception {
        try (TestDrm t = new TestDrm(false, core -> {
            core.setGuardStrategy(strategy);
            core.setGuardCoreIoctls(true);
        }); BlockedVersion v = new BlockedVersion(t)) {
            assertTrue(v.trap.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<Void> unplug = CompletableFuture.runAsync(() -> t.registration.get().close(), threads);
            Thread.sleep(200); // test thread only
            assertFalse(unplug.isDone(), "unplug must wait for the guarded VERSION handler");
            v.trap.release.countDown();
            assertEquals(0, v.result.get(10, TimeUnit.SECONDS));
            unplug.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldNotWaitForACoreIoctlByDefault() throws Exception {
        try (TestDrm t = new TestDrm(); BlockedVersion v = new BlockedVersion(t)) {
            assertTrue(v.trap.entered.await(10, TimeUnit.SECONDS));
            // As in Linux: core handlers run after the point checks, outside any section.
            CompletableFuture.runAsync(() -> t.registration.get().close(), threads).get(10, TimeUnit.SECONDS);
            assertFalse(v.result.isDone());
            v.trap.release.countDown();
            assertEquals(0, v.result.get(10, TimeUnit.SECONDS));
        }
    }

    /// A VERSION ioctl on the render node whose handler is held in its name copy-out: it runs
    /// through the file operations directly with a [TrapTask] in place of the process.
    private final class BlockedVersion implements AutoCloseable {
        final TrapTask trap;
        final KFile file;
        final CompletableFuture<Integer> result;
        private final Process p;

        BlockedVersion(TestDrm t) throws Exception {
            p = t.spawn(false);
            long arg = TestDrm.anon(p, 4096);
            long name = arg + 1024;
            trap = new TrapTask(p, name);
            file = t.machine.kernel().devfs().lookup(RENDER).open(trap, Fcntl.O_RDWR);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment v = a.allocate(DrmVersion.LAYOUT);
                DrmVersion.NAME_LEN.set(v, 4L);
                DrmVersion.NAME.set(v, name);
                p.memory().write(arg, v, 0, v.byteSize());
            }
            result = CompletableFuture.supplyAsync(() -> file.ops().ioctl(file, trap, DrmIoctls.VERSION, arg), threads);
        }

        @Override
        public void close() {
            trap.release.countDown();
            result.join();
            file.put();
            p.close();
        }
    }

    /// The process as `current`, except that a copy-out to `trap` waits for `release`.
    private static final class TrapTask implements Task {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final Process p;
        private final long trap;

        TrapTask(Process p, long trap) {
            this.p = p;
            this.trap = trap;
        }

        @Override
        public int pid() {
            return p.pid();
        }

        @Override
        public boolean capable(int cap) {
            return p.capable(cap);
        }

        @Override
        public boolean copyFromUser(MemorySegment dst, long dstOffset, long va, long length) {
            return p.copyFromUser(dst, dstOffset, va, length);
        }

        @Override
        public boolean copyToUser(long va, MemorySegment src, long srcOffset, long length) {
            if (va == trap) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return p.copyToUser(va, src, srcOffset, length);
        }

        @Override
        public int installFd(KFile file, int flags) {
            return p.installFd(file, flags);
        }

        @Override
        public KFile fget(int fd) {
            return p.fget(fd);
        }
    }
}
