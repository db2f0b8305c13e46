package dev.gpuemu.user.drm;

import static dev.gpuemu.user.drm.DrmClientGemTest.errnoOf;
import static dev.gpuemu.user.drm.VgemMachine.CARD;
import static dev.gpuemu.user.drm.VgemMachine.RENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.drm.DrmPrime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// PRIME export and import through [DrmClient]: handle identity, object lifetime through the
/// dma-buf fd, and the errors of both ioctls.
class DrmClientPrimeTest {
    private static final int RW = Fcntl.PROT_READ | Fcntl.PROT_WRITE;
    private static final int FLAGS = DrmPrime.DRM_CLOEXEC | DrmPrime.DRM_RDWR;

    private VgemMachine vm;
    private Process p;
    private DrmClient card;

    @BeforeEach
    void setUp() throws Exception {
        vm = new VgemMachine();
        p = vm.spawn();
        card = DrmClient.open(p, CARD);
    }

    @AfterEach
    void tearDown() {
        card.close();
        p.close();
        assertEquals(0, vm.gem().objectsAlive());
        assertEquals(0, vm.oopses());
        vm.close();
    }

    @Test
    void shouldReturnTheSameHandleWhenAFileImportsItsOwnExport() {
        card.createDumb(64, 64, 32); // handle 1, so the object under test is not simply "the first"
        int h = card.createDumb(64, 64, 32).handle();
        int fd = card.primeHandleToFd(h, FLAGS);
        assertEquals(h, card.primeFdToHandle(fd), "self-import names the exported handle");
        int fd2 = card.primeHandleToFd(h, FLAGS);
        assertNotEquals(fd, fd2, "a re-export is a new fd");
        assertEquals(h, card.primeFdToHandle(fd2), "of the same dma-buf");
        assertEquals(2, vm.gem().objectsAlive(), "no object was created by the round trip");
        assertEquals(0, p.close(fd));
        assertEquals(0, p.close(fd2));
    }

    @Test
    void shouldMakeTheFirstExportDecideWhetherTheDmaBufMayBeMappedWritable() {
        DrmClient.Dumb ro = card.createDumb(64, 16, 32);
        int roFd = card.primeHandleToFd(ro.handle(), DrmPrime.DRM_CLOEXEC); // no DRM_RDWR: O_RDONLY
        assertEquals(Errno.EACCES, errnoOf(() -> UserMapping.map(p, roFd, 0, ro.size(), RW)),
                "a shared writable mapping of a read-only dma-buf");
        try (UserMapping m = UserMapping.map(p, roFd, 0, ro.size(), Fcntl.PROT_READ)) {
            assertEquals(0, m.getLong(0), "reading is allowed");
        }
        int again = card.primeHandleToFd(ro.handle(), FLAGS); // same dma-buf: its mode stays
        assertEquals(Errno.EACCES, errnoOf(() -> UserMapping.map(p, again, 0, ro.size(), RW)));
        DrmClient.Dumb rw = card.createDumb(64, 16, 32);
        int rwFd = card.primeHandleToFd(rw.handle(), FLAGS);
        try (UserMapping m = UserMapping.map(p, rwFd, 0, rw.size(), RW)) {
            m.putLong(0, 42);
            assertEquals(42, m.getLong(0));
        }
        for (int fd : new int[] {roFd, again, rwFd}) {
            assertEquals(0, p.close(fd));
        }
    }

    @Test
    void shouldGiveAnotherFileOneStableHandleOnImport() {
        try (DrmClient render = DrmClient.open(p, RENDER)) {
            render.syncobjCreate(0); // syncobj handles are a separate space: GEM handles still start at 1
            int h = card.createDumb(64, 64, 32).handle();
            int fd = card.primeHandleToFd(h, FLAGS);
            int imported = render.primeFdToHandle(fd);
            assertEquals(1, imported);
            assertEquals(imported, render.primeFdToHandle(fd), "re-import gives the same handle");
            render.gemClose(imported);
            assertEquals(1, render.primeFdToHandle(fd), "after GEM_CLOSE a new (lowest) handle");
            assertEquals(0, p.close(fd));
        }
    }

    @Test
    void shouldKeepTheObjectAliveThroughTheDmaBufAfterGemClose() {
        DrmClient.Dumb d = card.createDumb(128, 32, 32); // 16 KiB
        try (UserMapping m = card.mmap(card.mapDumb(d.handle()), d.size(), RW)) {
            m.putLong(d.size() - 8, 0xabcdefL);
        }
        int fd = card.primeHandleToFd(d.handle(), FLAGS);
        card.gemClose(d.handle());
        assertEquals(1, vm.gem().objectsAlive(), "the dma-buf holds the object");
        try (UserMapping m = UserMapping.map(p, fd, 0, d.size(), RW)) {
            assertEquals(0xabcdefL, m.getLong(d.size() - 8), "the data through the dma-buf mmap");
            assertEquals(0, p.close(fd));
            assertEquals(1, vm.gem().objectsAlive(), "the mapping of the closed dma-buf holds it still");
            m.putInt(0, 5);
        }
        assertEquals(0, vm.gem().objectsAlive(), "last fd and mapping gone: freed");
        assertEquals(0, vm.gem().pagesResident());
    }

    @Test
    void shouldRefuseBadExportsAndImports() {
        int h = card.createDumb(64, 64, 32).handle();
        var e = org.junit.jupiter.api.Assertions.assertThrows(DrmErrnoException.class, () -> card.primeHandleToFd(7, FLAGS));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("DRM_IOCTL_PRIME_HANDLE_TO_FD", e.operation());
        assertEquals(Errno.EINVAL, errnoOf(() -> card.primeHandleToFd(h, 0x4)), "unknown flag");
        assertEquals(Errno.EBADF, errnoOf(() -> card.primeFdToHandle(99)), "no such fd");
        assertEquals(Errno.EINVAL, errnoOf(() -> card.primeFdToHandle(card.fd())), "a DRM fd is not a dma-buf");
        int syncobjFd = card.syncobjHandleToFd(card.syncobjCreate(0), 0);
        assertEquals(Errno.EINVAL, errnoOf(() -> card.primeFdToHandle(syncobjFd)), "nor is a syncobj fd");
        int fd = card.primeHandleToFd(h, FLAGS);
        assertEquals(0, p.close(fd));
        assertEquals(Errno.EBADF, errnoOf(() -> card.primeFdToHandle(fd)), "closed fd");
        assertEquals(0, p.close(syncobjFd));
    }
}
