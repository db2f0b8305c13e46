package dev.gpuemu.kernel.drm.gem;

import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.vfs.FileMapping;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Vma;
import dev.gpuemu.kernel.vfs.VmaOps;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/// A fake VMA with a tiny page table: `touch` faults a page in once and keeps it until zapped,
/// like the memory manager would. Also the `FileMapping.Mapped` the device mapping zaps.
final class TestVma implements Vma, FileMapping.Mapped {
    private final long start;
    private final long end;
    private final long pgoff;
    private final int prot;
    private final int flags;
    private VmaOps ops;
    private Object privateData;
    final Map<Long, MemorySegment> pte = new HashMap<>();
    final List<long[]> zaps = new ArrayList<>();

    TestVma(long start, long pages, long pgoff, int prot, int flags) {
        this.start = start;
        this.end = start + pages * Fcntl.PAGE_SIZE;
        this.pgoff = pgoff;
        this.prot = prot;
        this.flags = flags;
    }

    /// A shared read-write mapping of `pages` pages at byte offset `offset` of the file.
    static TestVma shared(long offset, long pages) {
        return new TestVma(0x7f00_0000_0000L, pages, offset >>> Fcntl.PAGE_SHIFT,
                Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_SHARED);
    }

    @Override
    public long start() {
        return start;
    }

    @Override
    public long end() {
        return end;
    }

    @Override
    public long pgoff() {
        return pgoff;
    }

    @Override
    public int prot() {
        return prot;
    }

    @Override
    public int flags() {
        return flags;
    }

    @Override
    public KFile file() {
        return null;
    }

    @Override
    public void setOps(VmaOps ops) {
        this.ops = ops;
    }

    VmaOps ops() {
        return ops;
    }

    @Override
    public Object privateData() {
        return privateData;
    }

    @Override
    public void setPrivateData(Object data) {
        this.privateData = data;
    }

    /// A user access to page `index`: the installed page, or a fault; null = SIGBUS.
    MemorySegment touch(long index) {
        MemorySegment p = pte.get(index);
        if (p == null) {
            p = ops.fault(this, index);
            if (p != null) {
                pte.put(index, p);
            }
        }
        return p;
    }

    /// The piece `[fromPage, pages())` of this VMA after a split (shares ops, pgoff shifted).
    TestVma tail(long fromPage) {
        TestVma t = new TestVma(start + fromPage * Fcntl.PAGE_SIZE, pages() - fromPage, pgoff + fromPage, prot, flags);
        t.ops = ops;
        t.privateData = privateData;
        ops.open(t);
        return t;
    }

    void close() {
        ops.close(this);
        pte.clear();
    }

    @Override
    public FileMapping.AccessDomain clear(long zapPgoff, long zapPages) {
        zaps.add(new long[] {zapPgoff, zapPages});
        long from = Math.max(zapPgoff, pgoff);
        long to = Math.min(zapPgoff + zapPages, pgoff + pages());
        boolean cleared = false;
        for (long p = from; p < to; p++) {
            cleared |= pte.remove(p - pgoff) != null;
        }
        // No concurrent accesses to wait for in this fake.
        return cleared ? () -> { } : null;
    }
}
