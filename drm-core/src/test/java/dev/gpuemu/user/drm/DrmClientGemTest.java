package dev.gpuemu.user.drm;

import static dev.gpuemu.user.drm.VgemMachine.CARD;
import static dev.gpuemu.user.drm.VgemMachine.RENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.kernel.drm.gem.ShmemObject;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.drm.DrmPrime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/// GEM handles, dumb buffers, mmap grants and shmem page accounting, end to end through
/// [DrmClient] on vgem.
class DrmClientGemTest {
    private static final int RW = Fcntl.PROT_READ | Fcntl.PROT_WRITE;

    private VgemMachine vm;
    private Process p;

    @BeforeEach
    void setUp() throws Exception {
        vm = new VgemMachine();
        p = vm.spawn();
    }

    @AfterEach
    void tearDown() {
        p.close();
        assertEquals(0, vm.gem().objectsAlive(), "process exit freed every object");
        assertEquals(0, vm.gem().pagesResident());
        assertEquals(0, vm.gem().warnings());
        assertEquals(0, vm.oopses());
        vm.close();
    }

    static Errno errnoOf(Executable call) {
        return assertThrows(DrmErrnoException.class, call).errno();
    }

    @Test
    void shouldReuseLowestFreeHandleAfterGemClose() {
        try (DrmClient c = DrmClient.open(p, CARD)) {
            assertEquals(1, c.createDumb(64, 64, 32).handle(), "handles start at 1");
            assertEquals(2, c.createDumb(64, 64, 32).handle());
            assertEquals(3, c.createDumb(64, 64, 32).handle());
            c.gemClose(2);
            c.gemClose(1);
            assertEquals(1, c.createDumb(64, 64, 32).handle(), "lowest free first");
            assertEquals(2, c.createDumb(64, 64, 32).handle());
            assertEquals(4, c.createDumb(64, 64, 32).handle(), "3 is still taken");
            c.destroyDumb(3);
            assertEquals(3, c.createDumb(16, 16, 8).handle(), "DESTROY_DUMB frees the handle too");
            assertEquals(4, vm.gem().objectsAlive());
            var e = assertThrows(DrmErrnoException.class, () -> c.gemClose(5));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals("DRM_IOCTL_GEM_CLOSE", e.operation());
            assertEquals(Errno.EINVAL, errnoOf(() -> c.gemClose(0)), "0 is never a handle");
            c.gemClose(4);
            assertEquals(Errno.EINVAL, errnoOf(() -> c.gemClose(4)), "a closed handle is gone");
            assertEquals(3, vm.gem().objectsAlive());
        }
        assertEquals(0, vm.gem().objectsAlive(), "closing the file released the remaining handles");
    }

    @Test
    void shouldRefuseMmapOfAnotherFilesOffsetWithEacces() {
        try (DrmClient a = DrmClient.open(p, CARD); DrmClient b = DrmClient.open(p, RENDER)) {
            DrmClient.Dumb d = a.createDumb(64, 64, 32);
            long off = a.mapDumb(d.handle());
            try (UserMapping ma = a.mmap(off, d.size(), RW)) {
                ma.putLong(8, 0x1234_5678_9abcL);
                assertEquals(Errno.EACCES, errnoOf(() -> b.mmap(off, d.size(), RW)), "b holds no handle");
                int dmabuf = a.primeHandleToFd(d.handle(), DrmPrime.DRM_CLOEXEC | DrmPrime.DRM_RDWR);
                int hb = b.primeFdToHandle(dmabuf);
                assertEquals(1, hb, "the importer's own lowest handle");
                assertEquals(0, p.close(dmabuf));
                try (UserMapping mb = b.mmap(off, d.size(), RW)) {
                    assertEquals(0x1234_5678_9abcL, mb.getLong(8), "same pages through both files");
                    mb.putInt(d.size() - 4, 77);
                    assertEquals(77, ma.getInt(d.size() - 4));
                }
                b.gemClose(hb);
                assertEquals(Errno.EACCES, errnoOf(() -> b.mmap(off, d.size(), RW)), "grant revoked with the handle");
            }
            assertEquals(Errno.EINVAL, errnoOf(() -> a.mmap(off + (1L << 20) * Fcntl.PAGE_SIZE, 4096, RW)),
                    "no object at that offset");
            assertEquals(Errno.EINVAL, errnoOf(() -> a.mmap(off, d.size() + Fcntl.PAGE_SIZE, RW)),
                    "mapping beyond the object");
        }
    }

    @Test
    void shouldCountShmemPagesThroughVgem() throws Exception {
        int pool0 = vm.poolPagesInUse();
        try (DrmClient c = DrmClient.open(p, CARD)) {
            DrmClient.Dumb d = c.createDumb(256, 16, 32); // 16 KiB, 4 pages
            assertEquals(1024, d.pitch());
            assertEquals(16384, d.size());
            assertEquals(1, vm.gem().objectsAlive());
            assertEquals(16384, vm.gem().bytesAllocated());
            assertEquals(0, vm.gem().pagesResident(), "shmem pages come on first use, not at create");
            long off = c.mapDumb(d.handle());
            assertEquals(off, c.mapDumb(d.handle()), "one fake offset per object");
            assertEquals(0, vm.gem().pagesResident(), "a fake offset is not a use");
            ShmemObject obj = vm.objectAt(off, d.size());
            try {
                UserMapping m = c.mmap(off, d.size(), RW);
                assertEquals(4, vm.gem().pagesResident(), "mmap takes a pages use: every page is allocated");
                assertEquals(pool0 + 4, vm.poolPagesInUse());
                assertEquals(1, obj.pagesUseCount());
                for (int page = 0; page < 4; page++) {
                    assertEquals(0, m.getLong(page * 4096L + 8), "new pages are zeroed");
                    m.putLong(page * 4096L, page + 1);
                }
                assertEquals(4, vm.gem().pagesResident(), "faults map the existing pages");
                obj.pin(); // kernel side: as a DMA user would
                assertEquals(2, obj.pagesUseCount());
                m.close();
                assertEquals(1, obj.pagesUseCount());
                assertEquals(4, vm.gem().pagesResident(), "the pin keeps the pages after munmap");
                try (UserMapping again = c.mmap(off, d.size(), RW)) {
                    assertEquals(3, again.getLong(2 * 4096L), "pinned pages kept their data");
                }
                obj.unpin();
                assertFalse(obj.hasPages());
                assertEquals(0, vm.gem().pagesResident(), "last use gone: pages back to the pool");
                assertEquals(pool0, vm.poolPagesInUse());
                try (UserMapping fresh = c.mmap(off, d.size(), RW)) {
                    assertEquals(4, vm.gem().pagesResident(), "a new use allocates the pages again");
                    for (int page = 0; page < 4; page++) {
                        assertEquals(page + 1, fresh.getLong(page * 4096L), "content outlived the pages (swap-in)");
                    }
                }
            } finally {
                obj.put();
            }
            c.gemClose(d.handle());
            assertEquals(0, vm.gem().objectsAlive(), "GEM_CLOSE of the last handle freed the object");
            assertEquals(0, vm.gem().bytesAllocated());
            assertEquals(1, vm.gem().objectsCreated());
        }
        assertEquals(pool0, vm.poolPagesInUse());
    }

    @Test
    void shouldRefuseBadDumbBuffersAndUnknownHandles() {
        try (DrmClient c = DrmClient.open(p, CARD); DrmClient r = DrmClient.open(p, RENDER)) {
            assertEquals(Errno.EINVAL, errnoOf(() -> c.createDumb(0, 64, 32)), "zero width");
            assertEquals(Errno.EINVAL, errnoOf(() -> c.createDumb(64, 64, 0)), "zero bpp");
            assertEquals(Errno.EINVAL, errnoOf(() -> c.createDumb(1 << 30, 1 << 30, 32)), "size overflow");
            assertEquals(Errno.EACCES, errnoOf(() -> r.createDumb(64, 64, 32)), "dumb ioctls are not RENDER_ALLOW");
            assertEquals(Errno.ENOENT, errnoOf(() -> c.mapDumb(9)));
            assertEquals(Errno.EINVAL, errnoOf(() -> c.destroyDumb(9)));
            assertEquals(0, vm.gem().objectsAlive(), "nothing leaked by the failures");
            assertEquals(0, vm.gem().objectsCreated(), "bad geometry is refused before an object exists");
        }
    }
}
