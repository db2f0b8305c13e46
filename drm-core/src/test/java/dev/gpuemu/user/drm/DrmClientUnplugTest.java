package dev.gpuemu.user.drm;

import static dev.gpuemu.user.drm.DrmClientGemTest.errnoOf;
import static dev.gpuemu.user.drm.VgemMachine.CARD;
import static dev.gpuemu.user.drm.VgemMachine.RENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.drm.DrmCap;
import dev.gpuemu.kernel.uapi.drm.DrmPrime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// Unplugging vgem (sysfs unbind of its faux device) under open files, mappings and dma-bufs,
/// seen through [DrmClient].
class DrmClientUnplugTest {
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
        if (!p.exited()) {
            p.close();
        }
        assertEquals(0, vm.oopses());
        vm.close();
    }

    private static long pattern(long i) {
        return 0x9E37_79B9_7F4A_7C15L * (i + 1);
    }

    @Test
    void shouldKeepDataWrittenThroughMmapAfterUnplugWhileFileOpen() {
        DrmClient c = DrmClient.open(p, CARD);
        DrmClient.Dumb d = c.createDumb(256, 32, 32); // 32 KiB
        long off = c.mapDumb(d.handle());
        UserMapping m = c.mmap(off, d.size(), RW);
        for (long i = 0; i < d.size() / 8; i++) {
            m.putLong(i * 8, pattern(i));
        }
        vm.unplug();
        assertTrue(vm.vgem.drm().isUnplugged());
        assertTrue(vm.vgem.drm().data() != null, "the device outlives unplug while the file is open");
        assertEquals(8, vm.gem().pagesResident(), "unplug zaps PTEs, not pages");
        for (long i = 0; i < d.size() / 8; i++) {
            assertEquals(pattern(i), m.getLong(i * 8), "long " + i + " after unplug (refaulted)");
        }
        m.putLong(0, 42);
        assertEquals(42, m.getLong(0), "the mapping stays writable");

        assertEquals(Errno.ENODEV, errnoOf(() -> c.getCap(DrmCap.DRM_CAP_PRIME)));
        assertEquals(Errno.ENODEV, errnoOf(() -> c.createDumb(64, 64, 32)));
        assertEquals(Errno.ENODEV, errnoOf(() -> c.gemClose(d.handle())));
        assertEquals(Errno.ENODEV, errnoOf(() -> c.mmap(off, d.size(), RW)), "no new mappings");
        assertEquals(Errno.ENOENT, errnoOf(() -> DrmClient.open(p, CARD)), "the node is gone");
        assertEquals(Errno.ENOENT, errnoOf(() -> DrmClient.open(p, RENDER)));
        assertTrue(DrmCore.of(vm.machine.kernel()).nodes().isEmpty());

        m.close();
        assertEquals(1, vm.gem().objectsAlive(), "the file's handle still holds the object");
        c.close();
        assertEquals(0, vm.gem().objectsAlive(), "close after unplug released the handle");
        assertEquals(0, vm.gem().pagesResident());
        assertEquals(0, vm.gem().warnings());
    }

    @Test
    void shouldKeepObjectAliveThroughDmaBufAfterUnplugAndFileClose() {
        DrmClient c = DrmClient.open(p, CARD);
        DrmClient.Dumb d = c.createDumb(64, 16, 32); // 4 KiB
        try (UserMapping m = c.mmap(c.mapDumb(d.handle()), d.size(), RW)) {
            m.putLong(0, 0xfeed);
        }
        int dmabuf = c.primeHandleToFd(d.handle(), DrmPrime.DRM_CLOEXEC | DrmPrime.DRM_RDWR);
        vm.unplug();
        c.close();
        assertEquals(1, vm.gem().objectsAlive(), "the dma-buf holds the object past unplug and file close");
        try (UserMapping m = UserMapping.map(p, dmabuf, 0, d.size(), RW)) {
            assertEquals(0xfeed, m.getLong(0), "a dma-buf mmap still works after unplug");
        }
        assertEquals(0, p.close(dmabuf));
        assertEquals(0, vm.gem().objectsAlive());
        assertEquals(0, vm.gem().pagesResident());
    }

    @Test
    void shouldReleaseEverythingWhenTheProcessExitsAfterUnplug() {
        DrmClient c = DrmClient.open(p, CARD);
        DrmClient.Dumb d = c.createDumb(64, 64, 32);
        UserMapping m = c.mmap(c.mapDumb(d.handle()), d.size(), RW);
        m.putInt(0, 1);
        int sync = c.syncobjCreate(0);
        assertEquals(1, sync);
        vm.unplug();
        p.close(); // exit: every fd and mapping goes
        assertEquals(0, vm.gem().objectsAlive());
        assertEquals(0, vm.gem().pagesResident());
        assertFalse(vm.vgem.drm().gem().warnings() > 0);
        assertEquals(Errno.ESRCH, errnoOf(c::close), "the client's syscalls answer ESRCH after exit");
    }
}
