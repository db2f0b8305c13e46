package dev.gpuemu.user.drm;

import static dev.gpuemu.user.drm.DrmClientGemTest.errnoOf;
import static dev.gpuemu.user.drm.VgemMachine.CARD;
import static dev.gpuemu.user.drm.VgemMachine.RENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.kernel.drivers.vgem.VgemDriver;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.uapi.drm.DrmCap;
import dev.gpuemu.kernel.uapi.drm.DrmGem;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// The core ioctls and the client's own lifecycle through [DrmClient] on vgem: VERSION, GET_CAP,
/// SET_CLIENT_CAP, the raw `-errno` path, dup, and closed fds.
class DrmClientTest {
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
        assertEquals(0, vm.oopses());
        vm.close();
    }

    @Test
    void shouldReportTheVgemVersionWithTheTwoCallLengthProtocol() {
        try (DrmClient c = DrmClient.open(p, RENDER)) {
            var info = VgemDriver.INFO;
            assertEquals(new DrmClient.Version(info.major(), info.minor(), info.patchlevel(), "vgem", "0",
                    "Virtual GEM provider"), c.version());
            assertEquals(c.version(), c.version(), "repeatable: the scratch is reused");
        }
    }

    @Test
    void shouldAnswerRenderCapsAndEopnotsuppForKmsCaps() {
        try (DrmClient c = DrmClient.open(p, RENDER)) {
            assertEquals(DrmCap.DRM_PRIME_CAP_IMPORT | DrmCap.DRM_PRIME_CAP_EXPORT, c.getCap(DrmCap.DRM_CAP_PRIME));
            assertEquals(1, c.getCap(DrmCap.DRM_CAP_SYNCOBJ));
            assertEquals(0, c.getCap(DrmCap.DRM_CAP_SYNCOBJ_TIMELINE), "vgem has binary syncobjs only");
            assertEquals(1, c.getCap(DrmCap.DRM_CAP_TIMESTAMP_MONOTONIC));
            var e = assertThrows(DrmErrnoException.class, () -> c.getCap(DrmCap.DRM_CAP_DUMB_BUFFER));
            assertEquals(Errno.EOPNOTSUPP, e.errno(), "KMS-only, even though vgem has dumb buffers");
            assertEquals("DRM_IOCTL_GET_CAP", e.operation());
            assertEquals(Errno.EOPNOTSUPP.code(), e.code());
        }
    }

    @Test
    void shouldAcceptStereoClientCapOnlyOnThePrimaryNode() {
        try (DrmClient card = DrmClient.open(p, CARD); DrmClient render = DrmClient.open(p, RENDER)) {
            card.setClientCap(DrmCap.DRM_CLIENT_CAP_STEREO_3D, 1);
            assertEquals(Errno.EINVAL, errnoOf(() -> card.setClientCap(DrmCap.DRM_CLIENT_CAP_STEREO_3D, 2)));
            assertEquals(Errno.EOPNOTSUPP, errnoOf(() -> card.setClientCap(DrmCap.DRM_CLIENT_CAP_ATOMIC, 1)), "KMS cap");
            assertEquals(Errno.EINVAL, errnoOf(() -> card.setClientCap(99, 1)), "unknown cap");
            assertEquals(Errno.EACCES, errnoOf(() -> render.setClientCap(DrmCap.DRM_CLIENT_CAP_STEREO_3D, 1)),
                    "SET_CLIENT_CAP is not RENDER_ALLOW");
        }
    }

    @Test
    void shouldReturnRawErrnosThroughTheIoctlPath() {
        try (DrmClient c = DrmClient.open(p, RENDER)) {
            MemorySegment close = MemorySegment.ofArray(new long[1]);
            DrmGem.Close.HANDLE.set(close, 7);
            assertEquals(Errno.EINVAL.negative(), c.ioctl(DrmIoctls.GEM_CLOSE, close), "no handle 7");
            assertEquals(Errno.ENOTTY.negative(), c.ioctl(Ioc.iowr('x', 1, 8), close), "not a DRM ioctl");
            assertEquals(Errno.EINVAL.negative(), c.ioctl(Ioc.iowr('d', 0x60, 8), close), "beyond vgem's table");
            MemorySegment cap = MemorySegment.ofArray(new long[2]);
            DrmCap.GetCap.CAPABILITY.set(cap, DrmCap.DRM_CAP_SYNCOBJ);
            assertEquals(0, c.ioctl(DrmIoctls.GET_CAP, cap));
            assertEquals(1L, (long) DrmCap.GetCap.VALUE.get(cap), "output copied back into the caller's segment");
        }
    }

    @Test
    void shouldShareHandlesWithADupClientAndOutliveItsClose() {
        try (DrmClient c = DrmClient.open(p, CARD)) {
            int h = c.createDumb(64, 64, 32).handle();
            try (DrmClient d = c.dup()) {
                assertNotEquals(c.fd(), d.fd());
                assertEquals(c.mapDumb(h), d.mapDumb(h), "the same open file, the same handles");
                d.gemClose(h);
            }
            assertEquals(Errno.ENOENT, errnoOf(() -> c.mapDumb(h)), "closed through the dup");
            assertEquals("vgem", c.version().name(), "the original fd still works");
        }
    }

    @Test
    void shouldAnswerEbadfOnAClosedFdAndRefuseUseAfterClose() {
        DrmClient c = DrmClient.open(p, RENDER);
        assertEquals(0, p.close(c.fd()));
        var e = assertThrows(DrmErrnoException.class, () -> c.getCap(DrmCap.DRM_CAP_PRIME));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals(Errno.EBADF.negative(), c.ioctl(DrmIoctls.VERSION, MemorySegment.ofArray(new long[8])));
        assertEquals(Errno.EBADF, errnoOf(() -> c.mmap(0, 4096, 1)));
        assertEquals(Errno.EBADF, errnoOf(c::close), "close(2) reports the fd was gone");
        assertThrows(IllegalStateException.class, c::version, "no calls after close");
        assertThrows(IllegalStateException.class, c::close, "single close");

        try (DrmClient ok = DrmClient.open(p, RENDER)) {
            assertEquals(c.fd(), ok.fd(), "the lowest free fd was reused");
        }
        assertEquals(Errno.ENOENT, errnoOf(() -> DrmClient.open(p, "/dev/dri/card7")));
    }

    @Test
    void shouldUnmapOnCloseAndRefuseASecondClose() {
        try (DrmClient c = DrmClient.open(p, CARD)) {
            DrmClient.Dumb d = c.createDumb(64, 16, 32);
            UserMapping m = c.mmap(c.mapDumb(d.handle()), d.size(), 3);
            m.putInt(0, 1);
            assertThrows(IndexOutOfBoundsException.class, () -> m.getInt(d.size() - 2), "bounds of the mapping");
            m.close();
            assertThrows(IllegalStateException.class, () -> m.getInt(0));
            assertThrows(IllegalStateException.class, m::close);
            assertThrows(dev.gpuemu.kernel.uapi.UserFault.class, () -> p.memory().getInt(m.address()), "unmapped");
        }
    }
}
