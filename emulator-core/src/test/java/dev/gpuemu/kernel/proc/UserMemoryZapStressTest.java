package dev.gpuemu.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.kernel.vfs.CharDev;
import dev.gpuemu.kernel.vfs.DevFs;
import dev.gpuemu.kernel.vfs.FileMapping;
import dev.gpuemu.kernel.vfs.FileOps;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import dev.gpuemu.kernel.vfs.Vma;
import dev.gpuemu.kernel.vfs.VmaOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/// User loads and stores racing `FileMapping.zapRange`: once a zap returned, no access uses the
/// page it removed. The "driver" swaps each page for a fresh one, zaps, then poisons the old
/// page; a reader that sees poison, or poison that a late store overwrote, is a violation.
/// Runs `gpuemu.stress.seconds` (default 2).
class UserMemoryZapStressTest {
    private static final int PAGES = 4;
    private static final long POISON = 0xDEDEDEDEDEDEDEDEL; // every byte 0xDE, as fill((byte) 0xDE) writes

    /// Two physical pages per file page: the current one and the retired (poisoned) spare.
    private static final class SwappingDev implements CharDev, FileOps, VmaOps {
        final FileMapping mapping = new FileMapping("swap");
        final Arena arena = Arena.ofShared();
        final AtomicReferenceArray<MemorySegment> current = new AtomicReferenceArray<>(PAGES);
        final MemorySegment[] spare = new MemorySegment[PAGES];
        final AtomicLong faults = new AtomicLong();

        SwappingDev() {
            for (int p = 0; p < PAGES; p++) {
                current.set(p, arena.allocate(Fcntl.PAGE_SIZE, Fcntl.PAGE_SIZE));
                spare[p] = arena.allocate(Fcntl.PAGE_SIZE, Fcntl.PAGE_SIZE);
                spare[p].fill((byte) 0xDE);
                current.get(p).fill((byte) 1);
            }
        }

        @Override
        public KFile open(Task task, int flags) throws KernelException {
            return new KFile("/dev/swap", this, null, flags, mapping);
        }

        @Override
        public int mmap(KFile file, Task task, Vma vma) {
            vma.setOps(this);
            return vma.pgoff() + vma.pages() <= PAGES ? 0 : Errno.EINVAL.negative();
        }

        @Override
        public MemorySegment fault(Vma vma, long pageIndex) {
            faults.incrementAndGet();
            return current.get((int) (vma.pgoff() + pageIndex));
        }

        @Override
        public void release(KFile file) {
        }

        /// One generation of page `p`; returns false when the retired page was written after
        /// the zap that retired it returned.
        boolean swap(int p, long generation) {
            MemorySegment fresh = spare[p];
            boolean clean = true;
            for (long off = 0; off < Fcntl.PAGE_SIZE; off += 8) {
                clean &= fresh.get(ValueLayout.JAVA_LONG, off) == POISON;
            }
            for (long off = 0; off < Fcntl.PAGE_SIZE; off += 8) {
                fresh.set(ValueLayout.JAVA_LONG, off, generation);
            }
            MemorySegment old = current.getAndSet(p, fresh);
            mapping.zapRange(p, 1);
            // No access that started before the zap returned is still running: "free" the page.
            old.fill((byte) 0xDE);
            spare[p] = old;
            return clean;
        }
    }

    @Test
    void shouldNeverUseAZappedPageAfterZapRangeReturned() throws Exception {
        SwappingDev dev = new SwappingDev();
        DevFs devFs = new DevFs();
        devFs.register("/dev/swap", dev);
        Process proc = new Process(3, "stress", false, devFs, x -> { });
        int fd = proc.open("/dev/swap", Fcntl.O_RDWR);
        long va = proc.mmap(0, PAGES * Fcntl.PAGE_SIZE, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_SHARED, fd, 0);
        UserMemory mem = proc.memory();
        long seconds = Long.getLong("gpuemu.stress.seconds", 2);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong poisonReads = new AtomicLong();
        AtomicLong accesses = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            boolean writer = t == 1;
            threads.add(Thread.ofPlatform().name(writer ? "writer" : "reader").start(() -> {
                long n = 0;
                long x = 0x9E3779B97F4A7C15L;
                try {
                    while (System.nanoTime() - end < 0) {
                        x ^= x << 13;
                        x ^= x >>> 7;
                        x ^= x << 17;
                        long addr = va + ((x >>> 3) & (PAGES * Fcntl.PAGE_SIZE - 1) & ~7L);
                        if (writer && (n & 1) == 0) {
                            mem.putLong(addr, n);
                        } else if (mem.getLong(addr) == POISON) {
                            poisonReads.incrementAndGet();
                        }
                        n++;
                    }
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    throw e;
                } finally {
                    accesses.addAndGet(n);
                }
            }));
        }
        long rounds = 0;
        long lateStores = 0;
        while (System.nanoTime() - end < 0) {
            rounds++;
            if (!dev.swap((int) (rounds % PAGES), rounds)) {
                lateStores++;
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        proc.close();
        dev.arena.close();
        assertEquals(0, errors.get());
        assertEquals(0, poisonReads.get(), "reads of a page after its zap returned");
        assertEquals(0, lateStores, "stores to a page after its zap returned");
        assertTrue(rounds > 100 && accesses.get() > 10_000, rounds + " zaps, " + accesses + " accesses");
        assertTrue(dev.faults.get() > 1, "accesses re-faulted after zaps");
    }
}
