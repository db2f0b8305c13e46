package dev.gpuemu.user.drm;

import static dev.gpuemu.user.drm.DrmClientGemTest.errnoOf;
import static dev.gpuemu.user.drm.VgemMachine.CARD;
import static dev.gpuemu.user.drm.VgemMachine.RENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.kernel.bus.faux.FauxDevice;
import dev.gpuemu.kernel.drivers.vgem.VgemDriver;
import dev.gpuemu.kernel.drm.DriverFeatures;
import dev.gpuemu.kernel.drm.DriverInfo;
import dev.gpuemu.kernel.drm.DrmDevice;
import dev.gpuemu.kernel.drm.DrmDriver;
import dev.gpuemu.kernel.drm.RegistrationData;
import dev.gpuemu.kernel.drm.UnregisteredDevice;
import dev.gpuemu.kernel.drm.ioctl.IoctlDesc;
import dev.gpuemu.kernel.drm.ioctl.IoctlTable;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.drm.DrmPrime;
import dev.gpuemu.kernel.uapi.drm.VgemDrm;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// vgem's fence ioctls through [VgemClient]: attach and signal, their errnos, and the 10 s timer
/// in simulated time.
class VgemClientTest {
    private static final long SECOND = 1_000_000_000L;

    private VgemMachine vm;
    private Process p;
    private DrmClient card;
    private DrmClient render;
    private VgemClient vgem;
    private int handle;

    @BeforeEach
    void setUp() throws Exception {
        vm = new VgemMachine();
        p = vm.spawn();
        card = DrmClient.open(p, CARD);
        render = DrmClient.open(p, RENDER);
        // Objects are made on the primary node; the fence ioctls are render-allowed.
        handle = render.primeFdToHandle(card.primeHandleToFd(card.createDumb(64, 64, 32).handle(), DrmPrime.DRM_CLOEXEC));
        vgem = VgemClient.of(render);
    }

    @AfterEach
    void tearDown() {
        render.close();
        card.close();
        p.close();
        assertEquals(0, vm.oopses());
        vm.close();
    }

    @Test
    void shouldSignalAnAttachedFenceOnceThenAnswerEnoent() {
        assertSame(render, vgem.client());
        int f1 = vgem.fenceAttach(handle, 0);
        int f2 = vgem.fenceAttach(handle, VgemClient.VGEM_FENCE_WRITE);
        assertNotEquals(f1, f2);
        vgem.fenceSignal(f2);
        vgem.fenceSignal(f1);
        var e = assertThrows(DrmErrnoException.class, () -> vgem.fenceSignal(f1));
        assertEquals(Errno.ENOENT, e.errno(), "a fence is signaled through the ioctl once");
        assertEquals("DRM_IOCTL_VGEM_FENCE_SIGNAL", e.operation());
    }

    @Test
    void shouldRefuseUnknownHandlesFlagsFencesAndErrors() {
        assertEquals(Errno.ENOENT, errnoOf(() -> vgem.fenceAttach(handle + 1, 0)), "no such object");
        assertEquals(Errno.EINVAL, errnoOf(() -> vgem.fenceAttach(handle, 2)), "flags other than WRITE");
        assertEquals(Errno.ENOENT, errnoOf(() -> vgem.fenceSignal(12345)), "no such fence");
        int f = vgem.fenceAttach(handle, 0);
        assertEquals(Errno.EINVAL, errnoOf(() -> vgem.fenceSignal(f, 1)), "error must be 0");
        vgem.fenceSignal(f); // the refused signal left the fence pending
        VgemClient onCard = VgemClient.of(card);
        assertEquals(Errno.ENOENT, errnoOf(() -> onCard.fenceSignal(f)), "fence ids are per file");
    }

    @Test
    void shouldAnswerEtimedoutWhenTheTimerSignaledAfterTenSecondsOfSimulatedTime() {
        int early = vgem.fenceAttach(handle, 0);
        vm.clock().advance(VgemDriver.FENCE_TIMEOUT_NS - SECOND / 10);
        vgem.fenceSignal(early); // 9.9 s: still ours to signal
        int late = vgem.fenceAttach(handle, 0);
        vm.clock().advance(VgemDriver.FENCE_TIMEOUT_NS + 1);
        var e = assertThrows(DrmErrnoException.class, () -> vgem.fenceSignal(late));
        assertEquals(Errno.ETIMEDOUT, e.errno(), "the timer signaled it first");
        assertEquals(Errno.ENOENT, errnoOf(() -> vgem.fenceSignal(late)), "and it is gone now");
    }

    @Test
    void shouldRefuseAVgemViewOfAnotherDriversDevice() throws Exception {
        DrmDriver<Object, RegistrationData, Object> other = new DrmDriver<>() {
            @Override
            public DriverInfo info() {
                return new DriverInfo(2, 1, 0, "other", "not vgem");
            }

            @Override
            public int features() {
                return DriverFeatures.DRIVER_GEM | DriverFeatures.DRIVER_RENDER;
            }

            @Override
            public IoctlTable<Object, RegistrationData, Object> ioctls() {
                return IoctlTable.of(IoctlDesc.reserved(0x40));
            }

            @Override
            public Object openFile(DrmDevice<Object, RegistrationData> dev) {
                return new Object();
            }
        };
        try (FauxDevice faux = FauxDevice.create(vm.machine.kernel(), "other",
                dev -> UnregisteredDevice.create(dev, other, new Object()).register(new RegistrationData() { }));
             DrmClient c = DrmClient.open(p, "/dev/dri/renderD129")) {
            assertEquals(new DrmClient.Version(2, 1, 0, "other", "0", "not vgem"), c.version());
            assertThrows(IllegalArgumentException.class, () -> VgemClient.of(c));
            assertEquals(Errno.EINVAL.negative(), c.ioctl(VgemDrm.FENCE_ATTACH, MemorySegment.ofArray(new long[2])),
                    "vgem's ioctl number is reserved in this driver");
        }
    }

    @Test
    void shouldFailTheViewWithEbadfOnAFdClosedBehindTheClient() {
        DrmClient closed = DrmClient.open(p, RENDER);
        assertEquals(0, p.close(closed.fd()));
        assertEquals(Errno.EBADF, errnoOf(() -> VgemClient.of(closed)));
        assertEquals(Errno.EBADF, errnoOf(closed::close), "close(2) of the fd closed behind the client");
    }
}
