package dev.gpuemu.kernel.drm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.drivers.vgem.Vgem;
import dev.gpuemu.kernel.drm.gem.GemDevice;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.DrmErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/// Hostile sizes and counts on vgem: each is answered with an errno (Linux's where the code
/// follows it, noted where it approximates), the machine stays up (no oops, later calls work),
/// and closing the file gives everything back (no live objects, pool pages back to the start).
class ResourceExhaustionTest {
    private Machine m;
    private Vgem vgem;
    private Process p;
    private int poolAtStart;

    @BeforeEach
    void setUp() throws Exception {
        m = Machine.builder().build();
        m.boot();
        vgem = Vgem.init(m.kernel());
        p = m.kernel().spawn("hog", false);
        poolAtStart = pool().pagesInUse();
    }

    @AfterEach
    void tearDown() {
        p.close();
        assertEquals(0, gem().objectsAlive(), "no object outlives its file");
        assertEquals(poolAtStart, pool().pagesInUse(), "no pool page leaked");
        assertEquals(0, m.kernel().oopses().count());
        vgem.close();
        m.close();
    }

    private SystemMemory pool() {
        return m.kernel().hw().memory();
    }

    private GemDevice gem() {
        return vgem.drm().gem();
    }

    private static Errno errnoOf(Executable call) {
        return assertThrows(DrmErrnoException.class, call).errno();
    }

    /// The machine still serves a fresh client after the abuse.
    private void assertStillServes() {
        try (DrmClient c = DrmClient.open(p, "/dev/dri/card0")) {
            DrmClient.Dumb d = c.createDumb(64, 64, 32);
            try (var map = c.mmap(c.mapDumb(d.handle()), d.size(), Fcntl.PROT_READ | Fcntl.PROT_WRITE)) {
                map.putLong(0, 7);
                assertEquals(7, map.getLong(0));
            }
        }
    }

    @Test
    void shouldAnswerEinvalForDumbGeometriesWhose32BitSizeOverflows() {
        try (DrmClient c = DrmClient.open(p, "/dev/dri/card0")) {
            assertAll(
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.createDumb(0, 64, 32)), "zero width"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.createDumb(64, 64, 0)), "zero bpp"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.createDumb(-1, 1, 32)), "cpp * width > u32"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.createDumb(1, 1, -1)), "bpp near u32 max"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.createDumb(0x10000, 0x10000, 32)), "height * stride > u32"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.createDumb(0xFFFFF001, 1, 8)), "PAGE_ALIGN wraps to 0"));
            assertEquals(0, gem().objectsCreated(), "no object was made for any of them");
        }
        assertStillServes();
    }

    @Test
    void shouldCreateABufferLargerThanTheMachineLazilyAndFailItsMmapWithEnomem() {
        long poolBytes = pool().size();
        // 0xFFFF x 0x3FFF x 32 bpp: just under 4 GiB, the largest the 32-bit checks let through.
        try (DrmClient c = DrmClient.open(p, "/dev/dri/card0")) {
            DrmClient.Dumb huge = c.createDumb(0xFFFF, 0x3FFF, 32);
            assertTrue(huge.size() > poolBytes, "bigger than the pool: " + huge.size() + " vs " + poolBytes);
            assertEquals(poolAtStart, pool().pagesInUse(), "shmem pages come at first use, as in Linux");
            long offset = c.mapDumb(huge.handle());
            // drm_gem_shmem_mmap takes a pages use: the pool cannot hold it.
            assertEquals(Errno.ENOMEM, errnoOf(() -> c.mmap(offset, huge.size(), Fcntl.PROT_READ)));
            assertEquals(poolAtStart, pool().pagesInUse(), "a failed allocation leaves nothing behind");
            c.gemClose(huge.handle());
        }
        assertStillServes();
    }

    @Test
    void shouldHandOutManyHandlesAndFreeThemAllWithTheFile() {
        int n = 20_000;
        try (DrmClient c = DrmClient.open(p, "/dev/dri/card0")) {
            for (int i = 1; i <= n; i++) {
                assertEquals(i, c.createDumb(64, 16, 32).handle());
            }
            assertEquals(n, gem().objectsAlive());
            assertEquals(Errno.EINVAL, errnoOf(() -> c.gemClose(n + 1)));
            c.gemClose(n / 2);
            assertEquals(n / 2, c.createDumb(64, 16, 32).handle(), "the lowest free id is reused");
        }
        assertEquals(0, gem().objectsAlive());
        assertStillServes();
    }

    @Test
    void shouldHandOutManySyncobjsAndRejectOversizedArrays() {
        int n = 50_000;
        try (DrmClient c = DrmClient.open(p, "/dev/dri/renderD128")) {
            for (int i = 1; i <= n; i++) {
                assertEquals(i, c.syncobjCreate(0));
            }
            c.syncobjSignal(1, n);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment a = arena.allocate(DrmSyncobj.Array.LAYOUT);
                // count 0 -> EINVAL (Linux); a count beyond the core's array cap -> ENOMEM
                // (Linux: kmalloc_array fails at KMALLOC_MAX_SIZE, 1 Mi handles; here at 64 Ki).
                DrmSyncobj.Array.COUNT_HANDLES.set(a, 0);
                assertEquals(Errno.EINVAL.negative(), c.ioctl(DrmIoctls.SYNCOBJ_SIGNAL, a));
                DrmSyncobj.Array.COUNT_HANDLES.set(a, SyncobjIoctls.MAX_ARRAY + 1);
                assertEquals(Errno.ENOMEM.negative(), c.ioctl(DrmIoctls.SYNCOBJ_SIGNAL, a));
                DrmSyncobj.Array.COUNT_HANDLES.set(a, -1);
                assertEquals(Errno.ENOMEM.negative(), c.ioctl(DrmIoctls.SYNCOBJ_RESET, a), "u32 count read unsigned");
            }
            assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjDestroy(n + 1)));
            c.syncobjDestroy(n);
            assertEquals(n, c.syncobjCreate(0), "the lowest free id is reused");
        }
        assertStillServes();
    }

    @Test
    void shouldSurviveManyFilesEachHoldingObjects() {
        List<DrmClient> clients = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            DrmClient c = DrmClient.open(p, i % 2 == 0 ? "/dev/dri/card0" : "/dev/dri/renderD128");
            if (i % 2 == 0) {
                c.createDumb(64, 64, 32);
            }
            c.syncobjCreate(DrmSyncobj.DRM_SYNCOBJ_CREATE_SIGNALED);
            clients.add(c);
        }
        assertEquals(100, gem().objectsAlive());
        clients.forEach(DrmClient::close);
        assertEquals(0, gem().objectsAlive());
        assertStillServes();
    }
}
