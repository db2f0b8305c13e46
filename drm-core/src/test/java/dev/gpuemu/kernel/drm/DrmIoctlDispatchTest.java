package dev.gpuemu.kernel.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.uapi.drm.DrmCap;
import dev.gpuemu.kernel.drm.ioctl.IoctlDesc;
import dev.gpuemu.kernel.drm.ioctl.IoctlTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// `drm_ioctl` dispatch: the order of checks and their errnos, the size rules, permissions.
class DrmIoctlDispatchTest {
    private TestDrm t;
    private Process user;
    private Process root;
    private long arg;

    @BeforeEach
    void setUp() throws Exception {
        t = new TestDrm();
        user = t.spawn(false);
        root = t.spawn(true);
        arg = TestDrm.anon(user, 4096);
    }

    @AfterEach
    void tearDown() {
        user.close();
        root.close();
        t.close();
    }

    private int render() {
        return user.open("/dev/dri/renderD128", Fcntl.O_RDWR);
    }

    @Test
    void shouldAnswerEnottyForAnIoctlOfAnotherType() {
        assertEquals(Errno.ENOTTY.negative(), user.ioctl(render(), Ioc.iowr('x', 0x40, 16), arg));
    }

    @Test
    void shouldAnswerEinvalBeyondTheDriverTableAndInCoreGaps() {
        int fd = render();
        assertEquals(Errno.EINVAL.negative(), user.ioctl(fd, Ioc.iowr('d', 0x48, 16), arg), "beyond the driver table");
        assertEquals(Errno.EINVAL.negative(), user.ioctl(fd, Ioc.iowr('d', 0x30, 16), arg), "core gap");
        assertEquals(Errno.EINVAL.negative(), user.ioctl(fd, Ioc.iowr('d', 0xFF, 16), arg), "beyond the core table");
        assertEquals(0, t.calls.get());
    }

    @Test
    void shouldAnswerEfaultForAnUnmappedArgumentWithoutCallingTheHandler() {
        assertEquals(Errno.EFAULT.negative(), user.ioctl(render(), TestDrm.NOP, 0x10));
        assertEquals(0, t.calls.get());
    }

    @Test
    void shouldAnswerEfaultWhenCopyOutFaultsAfterTheHandlerRan() {
        long ro = user.mmap(0, 4096, Fcntl.PROT_READ, Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0);
        assertEquals(Errno.EFAULT.negative(), user.ioctl(render(), TestDrm.NOP, ro));
        assertEquals(1, t.calls.get());
    }

    @Test
    void shouldZeroExtendAShorterUserStruct() {
        user.memory().putLong(arg, 41);
        user.memory().putLong(arg + 8, 99);
        // An old userspace passes 4 bytes: the handler sees in = 41 (low half) and zeros after it.
        user.memory().putLong(arg, 0x7_0000_0029L);
        assertEquals(0, user.ioctl(render(), Ioc.iowr('d', 0x40, 4), arg));
        assertEquals(0x7_0000_0029L, user.memory().getLong(arg), "only 4 bytes are copied back");
        assertEquals(99, user.memory().getLong(arg + 8), "out was truncated to the caller's size");
    }

    @Test
    void shouldTruncateOutputToTheCallersSizeAndIgnoreExtraInput() {
        user.memory().putLong(arg, 5);
        user.memory().putLong(arg + 16, 123);
        assertEquals(0, user.ioctl(render(), Ioc.iowr('d', 0x40, 24), arg));
        assertEquals(6, user.memory().getLong(arg + 8));
        assertEquals(123, user.memory().getLong(arg + 16), "extra bytes come back as they went in");
    }

    @Test
    void shouldCopyOutEvenWhenTheHandlerFails() {
        assertEquals(Errno.EIO.negative(), user.ioctl(render(), TestDrm.FAIL, arg));
        assertEquals(7, user.memory().getLong(arg + 8));
    }

    @Test
    void shouldApplyPermissionFlags() {
        int renderFd = render();
        int card = user.open("/dev/dri/card0", Fcntl.O_RDWR); // first opener: master, authenticated
        int card2 = user.open("/dev/dri/card0", Fcntl.O_RDWR); // neither
        assertEquals(Errno.EACCES.negative(), user.ioctl(renderFd, TestDrm.PRIMARY_ONLY, arg), "render without RENDER_ALLOW");
        assertEquals(0, user.ioctl(card, TestDrm.PRIMARY_ONLY, arg));
        assertEquals(0, user.ioctl(renderFd, TestDrm.AUTH_ONLY, arg), "render clients pass AUTH");
        assertEquals(0, user.ioctl(card, TestDrm.AUTH_ONLY, arg), "the master is authenticated");
        assertEquals(Errno.EACCES.negative(), user.ioctl(card2, TestDrm.AUTH_ONLY, arg));
        assertEquals(0, user.ioctl(card, TestDrm.MASTER_ONLY, arg));
        assertEquals(Errno.EACCES.negative(), user.ioctl(card2, TestDrm.MASTER_ONLY, arg));
        assertEquals(Errno.EACCES.negative(), user.ioctl(renderFd, TestDrm.ROOT_ONLY, arg));
        long rootArg = TestDrm.anon(root, 4096);
        assertEquals(0, root.ioctl(root.open("/dev/dri/renderD128", Fcntl.O_RDWR), TestDrm.ROOT_ONLY, rootArg));
        assertEquals(5, t.calls.get());
    }

    @Test
    void shouldReportVersionWithTheStringLengthProtocol() {
        int fd = render();
        long v = arg;
        user.memory().fill(v, 64, (byte) 0);
        assertEquals(0, user.ioctl(fd, Ioc.iowr('d', 0, 64), v));
        assertEquals(1, user.memory().getInt(v));
        assertEquals(2, user.memory().getInt(v + 4));
        assertEquals(3, user.memory().getInt(v + 8));
        assertEquals(7, user.memory().getLong(v + 16), "name length learned with len 0");
        long buf = arg + 1024;
        user.memory().putLong(v + 16, 4);
        user.memory().putLong(v + 24, buf);
        user.memory().putLong(v + 32, 0); // date and desc lengths came back non-zero; ask for none
        user.memory().putLong(v + 48, 0);
        user.memory().putByte(buf + 4, (byte) 'Z');
        assertEquals(0, user.ioctl(fd, Ioc.iowr('d', 0, 64), v));
        assertEquals("test", new String(new byte[] {user.memory().getByte(buf), user.memory().getByte(buf + 1),
                user.memory().getByte(buf + 2), user.memory().getByte(buf + 3)}));
        assertEquals('Z', user.memory().getByte(buf + 4), "no NUL and nothing past the user's length");
        assertEquals(7, user.memory().getLong(v + 16));
        user.memory().putLong(v + 48, 5); // a length with a NULL pointer faults
        assertEquals(Errno.EFAULT.negative(), user.ioctl(fd, Ioc.iowr('d', 0, 64), v));
    }

    @Test
    void shouldAnswerGetCapForRenderDevicesAndEopnotsuppForKmsCaps() {
        int fd = render();
        user.memory().putLong(arg, DrmCap.DRM_CAP_PRIME);
        assertEquals(0, user.ioctl(fd, Ioc.iowr('d', 0x0C, 16), arg));
        assertEquals(3, user.memory().getLong(arg + 8));
        user.memory().putLong(arg, DrmCap.DRM_CAP_SYNCOBJ);
        assertEquals(0, user.ioctl(fd, Ioc.iowr('d', 0x0C, 16), arg));
        assertEquals(1, user.memory().getLong(arg + 8));
        user.memory().putLong(arg, DrmCap.DRM_CAP_DUMB_BUFFER);
        assertEquals(Errno.EOPNOTSUPP.negative(), user.ioctl(fd, Ioc.iowr('d', 0x0C, 16), arg));
    }

    @Test
    void shouldRejectIoctlTablesThatAreNotContiguousOrMissized() {
        assertThrows(IllegalArgumentException.class, () -> IoctlTable.of(
                IoctlDesc.iowr("A", 0x41, TestDrm.ARG, 0, (d, r, a, f, k) -> 0)));
        assertThrows(IllegalArgumentException.class, () -> IoctlTable.of(
                new IoctlDesc<Object, TestDrm.Data, Object>("B", Ioc.iowr('d', 0x40, 8), 0, TestDrm.ARG, (d, r, a, f, k) -> 0)));
        assertThrows(IllegalArgumentException.class, () -> IoctlTable.of(
                IoctlDesc.iowr("C", 0x40, TestDrm.ARG, 0, (d, r, a, f, k) -> 0),
                IoctlDesc.iowr("C", 0x41, TestDrm.ARG, 0, (d, r, a, f, k) -> 0)));
    }
}
