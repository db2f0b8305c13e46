package dev.gpuemu.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.vfs.DevFs;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// The fd table and the file syscalls of a process: allocation, dup, close, ioctl, exit.
class ProcessFdTest {
    private final DevFs devFs = new DevFs();
    private final FakeDev dev = new FakeDev(4);
    private final List<Process> exited = new ArrayList<>();
    private Process proc;

    @BeforeEach
    void setUp() throws KernelException {
        devFs.register("/dev/fake", dev);
        proc = new Process(42, "test", false, devFs, exited::add);
    }

    @AfterEach
    void tearDown() {
        proc.kill();
        dev.arena.close();
    }

    @Test
    void shouldAllocateLowestFreeFdUpToTheLimitThenEmfile() {
        for (int i = 0; i < FdTable.MAX_FDS; i++) {
            assertEquals(i, proc.open("/dev/fake", Fcntl.O_RDWR));
        }
        assertEquals(Errno.EMFILE.negative(), proc.open("/dev/fake", Fcntl.O_RDWR));
        // The file the failed open created is released at once.
        assertEquals(1, dev.releases.get());
        assertEquals(0, proc.close(5));
        assertEquals(0, proc.close(3));
        assertEquals(3, proc.open("/dev/fake", Fcntl.O_RDWR));
        assertEquals(5, proc.dup(0));
        assertEquals(Errno.EMFILE.negative(), proc.dup(0));
        assertEquals(FdTable.MAX_FDS, proc.openFds());
    }

    @Test
    void shouldReportEbadfForFdsThatAreNotOpen() {
        assertEquals(Errno.EBADF.negative(), proc.close(0));
        assertEquals(Errno.EBADF.negative(), proc.close(-1));
        assertEquals(Errno.EBADF.negative(), proc.close(FdTable.MAX_FDS));
        assertEquals(Errno.EBADF.negative(), proc.dup(3));
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
        assertEquals(0, proc.close(fd));
        assertEquals(Errno.EBADF.negative(), proc.close(fd));
        assertEquals(Errno.EBADF.negative(), proc.fdFlags(fd));
        assertNull(proc.fget(fd));
    }

    @Test
    void shouldShareTheFileOnDupAndReleaseOnceAfterBothCloses() {
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR | Fcntl.O_CLOEXEC);
        int copy = proc.dup(fd);
        assertEquals(1, copy);
        KFile a = proc.fget(fd);
        KFile b = proc.fget(copy);
        assertSame(a, b);
        assertEquals(4, a.refCount()); // two fds + two fget references
        a.put();
        b.put();
        assertEquals(Fcntl.O_CLOEXEC, proc.fdFlags(fd));
        assertEquals(0, proc.fdFlags(copy)); // dup clears O_CLOEXEC
        assertEquals(0, proc.close(fd));
        assertEquals(0, dev.releases.get());
        assertEquals(0, proc.close(copy));
        assertEquals(1, dev.releases.get());
        assertEquals(1, dev.opens.get());
    }

    @Test
    void shouldFailOpenOfUnknownNodeWithEnoent() {
        assertEquals(Errno.ENOENT.negative(), proc.open("/dev/dri/renderD128", Fcntl.O_RDWR));
        assertEquals(Errno.ENOENT.negative(), proc.open("/etc/passwd", Fcntl.O_RDONLY));
        assertEquals(0, proc.openFds());
    }

    @Test
    void shouldReturnTheDriversErrnoWhenOpenFails() {
        dev.openError = Errno.ENODEV;
        assertEquals(Errno.ENODEV.negative(), proc.open("/dev/fake", Fcntl.O_RDWR));
        assertEquals(0, proc.openFds());
    }

    @Test
    void shouldFailIoctlOnBadFdWithEbadf() {
        assertEquals(Errno.EBADF.negative(), proc.ioctl(0, FakeDev.CMD_ECHO, 0));
        assertEquals(Errno.EBADF.negative(), proc.ioctl(-7, FakeDev.CMD_ECHO, 0));
        assertEquals(Errno.EBADF.negative(), proc.ioctl(Integer.MAX_VALUE, FakeDev.CMD_ECHO, 0));
    }

    @Test
    void shouldDispatchIoctlToTheDriverWithUserMemory() {
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
        long arg = proc.mmap(0, 4096, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0);
        proc.memory().putLong(arg, 41);
        assertEquals(7, proc.ioctl(fd, FakeDev.CMD_ECHO, arg));
        assertEquals(42, proc.memory().getLong(arg));
        assertEquals(Errno.EFAULT.negative(), proc.ioctl(fd, FakeDev.CMD_ECHO, 0));
        assertEquals(Errno.ENOTTY.negative(), proc.ioctl(fd, 0x1234, arg));
        KFile file = proc.fget(fd);
        assertEquals(2, file.refCount()); // the fd and ours: every ioctl put its reference back
        file.put();
    }

    @Test
    void shouldInstallKernelFilesWithTheirOwnReference() {
        KFile f = new KFile("anon_inode:test", dev, null, Fcntl.O_RDWR, null);
        int fd = proc.installFd(f, Fcntl.O_CLOEXEC);
        assertEquals(0, fd);
        assertEquals(2, f.refCount());
        f.put(); // the creator's reference
        assertEquals(Fcntl.O_CLOEXEC, proc.fdFlags(fd));
        assertEquals(0, proc.close(fd));
        assertEquals(1, dev.releases.get());
    }

    @Test
    void shouldCloseFdsAndUnmapOnExitAndThrowOnSecondClose() {
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
        proc.dup(fd);
        long va = proc.mmap(0, 2 * 4096, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_SHARED, fd, 0);
        assertTrue(va > 0);
        proc.memory().putInt(va, 1);
        proc.close();
        assertEquals(1, dev.releases.get());
        assertEquals(1, dev.vmaCloses.get());
        assertEquals(0, dev.mapping.mappedCount());
        assertEquals(0, proc.openFds());
        assertEquals(0, proc.mm().vmaCount());
        assertEquals(List.of(proc), exited);
        assertThrows(IllegalStateException.class, proc::close);
        assertFalse(proc.kill());
        assertEquals(1, exited.size());
    }

    @Test
    void shouldReturnEsrchFromSyscallsAfterExit() {
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
        proc.close();
        assertTrue(proc.exited());
        assertEquals(Errno.ESRCH.negative(), proc.open("/dev/fake", Fcntl.O_RDWR));
        assertEquals(Errno.ESRCH.negative(), proc.close(fd));
        assertEquals(Errno.ESRCH.negative(), proc.dup(fd));
        assertEquals(Errno.ESRCH.negative(), proc.ioctl(fd, FakeDev.CMD_ECHO, 0));
        assertEquals(Errno.ESRCH.negative(), proc.mmap(0, 4096, Fcntl.PROT_READ, Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0));
        assertEquals(Errno.ESRCH.negative(), proc.munmap(Mm.USER_BASE, 4096));
        KFile f = new KFile("anon_inode:late", dev, null, Fcntl.O_RDWR, null);
        assertEquals(Errno.ESRCH.negative(), proc.installFd(f, 0));
        assertEquals(1, f.refCount());
        f.put();
    }

    @Test
    void shouldReportCapSysAdminOnlyForRoot() {
        Process rootProc = new Process(1, "init", true, devFs, p -> { });
        assertTrue(rootProc.capable(Task.CAP_SYS_ADMIN));
        assertFalse(proc.capable(Task.CAP_SYS_ADMIN));
        rootProc.close();
    }
}
