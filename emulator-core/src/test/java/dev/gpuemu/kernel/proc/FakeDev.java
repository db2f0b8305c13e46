package dev.gpuemu.kernel.proc;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.vfs.CharDev;
import dev.gpuemu.kernel.vfs.FileMapping;
import dev.gpuemu.kernel.vfs.FileOps;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import dev.gpuemu.kernel.vfs.Vma;
import dev.gpuemu.kernel.vfs.VmaOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/// A character device for process tests: counts opens and releases, echoes ioctls through
/// copy_from_user/copy_to_user, and maps a file of `pages` pages whose fault handler counts
/// calls and can be told to have no page (SIGBUS).
final class FakeDev implements CharDev, FileOps, VmaOps {
    /// ioctl: copies 16 bytes in, adds 1 to the first long, copies them back; returns 7.
    static final int CMD_ECHO = 0xC0106401;

    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();
    final AtomicInteger faults = new AtomicInteger();
    final AtomicInteger vmaOpens = new AtomicInteger();
    final AtomicInteger vmaCloses = new AtomicInteger();
    final AtomicInteger mmaps = new AtomicInteger();
    final FileMapping mapping = new FileMapping("fake");
    final Arena arena = Arena.ofShared();
    final AtomicReferenceArray<MemorySegment> pages;
    /// Pages at or beyond this index fault with SIGBUS.
    volatile long sigbusFrom = Long.MAX_VALUE;
    volatile Errno openError;
    volatile int mmapResult;
    volatile boolean setOps = true;
    private final MemorySegment scratch = Arena.ofAuto().allocate(16);

    FakeDev(int pages) {
        this.pages = new AtomicReferenceArray<>(pages);
        for (int i = 0; i < pages; i++) {
            this.pages.set(i, arena.allocate(Fcntl.PAGE_SIZE, Fcntl.PAGE_SIZE));
        }
    }

    @Override
    public KFile open(Task task, int flags) throws KernelException {
        if (openError != null) {
            throw new KernelException(openError);
        }
        opens.incrementAndGet();
        return new KFile("/dev/fake", this, null, flags, mapping);
    }

    @Override
    public int ioctl(KFile file, Task task, int cmd, long arg) {
        if (cmd != CMD_ECHO) {
            return Errno.ENOTTY.negative();
        }
        if (!task.copyFromUser(scratch, 0, arg, 16)) {
            return Errno.EFAULT.negative();
        }
        scratch.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, scratch.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0) + 1);
        if (!task.copyToUser(arg, scratch, 0, 16)) {
            return Errno.EFAULT.negative();
        }
        return 7;
    }

    @Override
    public int mmap(KFile file, Task task, Vma vma) {
        mmaps.incrementAndGet();
        if (mmapResult < 0) {
            return mmapResult;
        }
        if (vma.pgoff() + vma.pages() > pages.length()) {
            return Errno.EINVAL.negative();
        }
        if (setOps) {
            vma.setOps(this);
        }
        return 0;
    }

    @Override
    public void release(KFile file) {
        releases.incrementAndGet();
    }

    @Override
    public void open(Vma vma) {
        vmaOpens.incrementAndGet();
    }

    @Override
    public void close(Vma vma) {
        vmaCloses.incrementAndGet();
    }

    @Override
    public MemorySegment fault(Vma vma, long pageIndex) {
        faults.incrementAndGet();
        long filePage = vma.pgoff() + pageIndex;
        if (filePage >= sigbusFrom || filePage >= pages.length()) {
            return null;
        }
        return pages.get((int) filePage);
    }
}
