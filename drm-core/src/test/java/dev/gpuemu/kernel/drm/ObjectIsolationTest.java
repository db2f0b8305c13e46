package dev.gpuemu.kernel.drm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.drivers.vgem.Vgem;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.drm.DrmPrime;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.drm.VgemClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/// GEM object isolation between DRM files on vgem (kernel-semantics.md §2.1, §2.3): handles are
/// per file, a fake mmap offset is usable only by files granted the object
/// (`drm_vma_node_is_allowed`), and the one way to share is a PRIME fd the other side received.
///
/// The owner `a` (process `p`) and the stranger `b` (process `q`) are separate opens of
/// card0 in separate processes; `a`'s object holds a pattern `b` must never see unless shared.
class ObjectIsolationTest {
    private static final int PROT_RW = Fcntl.PROT_READ | Fcntl.PROT_WRITE;
    private static final long PATTERN = 0x5EC2E7_0000_0001L;

    private Machine m;
    private Vgem vgem;
    private Process p;
    private Process q;
    private DrmClient a;
    private DrmClient b;
    private DrmClient bRender;
    private DrmClient.Dumb secret;
    private long secretOffset;

    @BeforeEach
    void setUp() throws Exception {
        m = Machine.builder().build();
        m.boot();
        vgem = Vgem.init(m.kernel());
        p = m.kernel().spawn("owner", false);
        q = m.kernel().spawn("stranger", false);
        a = DrmClient.open(p, "/dev/dri/card0");
        b = DrmClient.open(q, "/dev/dri/card0");
        bRender = DrmClient.open(q, "/dev/dri/renderD128");
        a.createDumb(64, 64, 32); // handle 1: b's handle numbers overlap a's
        secret = a.createDumb(64, 64, 32); // handle 2: a number b never had
        assertEquals(2, secret.handle());
        secretOffset = a.mapDumb(secret.handle());
        try (UserMapping map = a.mmap(secretOffset, secret.size(), PROT_RW)) {
            map.putLong(0, PATTERN);
        }
    }

    @AfterEach
    void tearDown() {
        bRender.close();
        b.close();
        a.close();
        q.close();
        p.close();
        assertEquals(0, vgem.drm().gem().objectsAlive(), "every object freed with its last file");
        assertEquals(0, m.kernel().oopses().count());
        vgem.close();
        m.close();
    }

    private static Errno errnoOf(Executable call) {
        return assertThrows(DrmErrnoException.class, call).errno();
    }

    /// Hands `fd` of `from` to `to` as SCM_RIGHTS would: a new fd on the same open file.
    private static int sendFd(Process from, int fd, Process to) {
        KFile f = from.fget(fd);
        try {
            return to.installFd(f, Fcntl.O_CLOEXEC);
        } finally {
            f.put();
        }
    }

    @Test
    void shouldRejectAnotherFilesHandleWithTheKernelsErrnoPerIoctl() {
        int h = secret.handle();
        VgemClient fences = VgemClient.of(bRender);
        assertAll(
                () -> assertEquals(Errno.EINVAL, errnoOf(() -> b.gemClose(h)), "GEM_CLOSE: idr slot empty"),
                () -> assertEquals(Errno.ENOENT, errnoOf(() -> b.mapDumb(h)), "MAP_DUMB: lookup"),
                () -> assertEquals(Errno.EINVAL, errnoOf(() -> b.destroyDumb(h)), "DESTROY_DUMB: handle delete"),
                () -> assertEquals(Errno.ENOENT, errnoOf(() -> b.primeHandleToFd(h, DrmPrime.DRM_CLOEXEC)), "PRIME export"),
                () -> assertEquals(Errno.ENOENT, errnoOf(() -> fences.fenceAttach(h, 0)), "VGEM_FENCE_ATTACH"));
        // a's object survived all of it.
        try (UserMapping map = a.mmap(secretOffset, secret.size(), PROT_RW)) {
            assertEquals(PATTERN, map.getLong(0));
        }
    }

    @Test
    void shouldResolveAnOverlappingHandleNumberToTheCallersOwnObject() {
        DrmClient.Dumb own = b.createDumb(64, 64, 32);
        assertEquals(1, own.handle(), "handles are per file");
        try (UserMapping map = b.mmap(b.mapDumb(own.handle()), own.size(), PROT_RW)) {
            assertEquals(0, map.getLong(0), "b's handle 1 is b's fresh object, not a's");
        }
        b.gemClose(own.handle());
        assertEquals(Errno.EINVAL, errnoOf(() -> b.gemClose(own.handle())));
    }

    @Test
    void shouldDenyMmapThroughAFakeOffsetObtainedByAnotherFile() {
        assertEquals(Errno.EACCES, errnoOf(() -> b.mmap(secretOffset, secret.size(), PROT_RW)), "primary");
        assertEquals(Errno.EACCES, errnoOf(() -> bRender.mmap(secretOffset, secret.size(), PROT_RW)), "render");
        assertEquals(Errno.EINVAL, errnoOf(() -> b.mmap(secretOffset + (1L << 40), 4096, PROT_RW)), "no object there");
    }

    @Test
    void shouldShareOnlyThroughAReceivedPrimeFdAndRevokeWithTheHandle() {
        int dmabuf = a.primeHandleToFd(secret.handle(), DrmPrime.DRM_CLOEXEC | DrmPrime.DRM_RDWR);
        // q cannot name p's fd: the same number in q is no fd (EBADF) or not a dma-buf (EINVAL).
        KFile there = q.fget(dmabuf);
        if (there != null) {
            there.put();
        }
        assertEquals(there == null ? Errno.EBADF : Errno.EINVAL, errnoOf(() -> b.primeFdToHandle(dmabuf)));
        assertEquals(Errno.EINVAL, errnoOf(() -> b.primeFdToHandle(bRender.fd())), "a DRM fd is no dma-buf");
        int received = sendFd(p, dmabuf, q);
        int h = bRender.primeFdToHandle(received);
        assertEquals(h, bRender.primeFdToHandle(received), "importing twice gives the same handle");
        // The grant is per file: b (card0) still has no access, bRender does now.
        assertEquals(Errno.EACCES, errnoOf(() -> b.mmap(secretOffset, secret.size(), PROT_RW)));
        try (UserMapping map = bRender.mmap(secretOffset, secret.size(), PROT_RW)) {
            assertEquals(PATTERN, map.getLong(0), "the importer sees the exporter's data");
            map.putLong(8, 42);
        }
        int hb = b.primeFdToHandle(received);
        long offset = b.mapDumb(hb);
        assertEquals(secretOffset, offset, "same object, same offset");
        try (UserMapping map = b.mmap(offset, secret.size(), PROT_RW)) {
            assertEquals(42, map.getLong(8));
        }
        bRender.gemClose(h);
        assertEquals(Errno.EACCES, errnoOf(() -> bRender.mmap(secretOffset, secret.size(), PROT_RW)),
                "closing the last handle revokes the file's grant");
        assertEquals(0, q.close(received));
        assertEquals(0, p.close(dmabuf));
    }
}
