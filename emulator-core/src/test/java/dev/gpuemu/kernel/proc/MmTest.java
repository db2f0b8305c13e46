package dev.gpuemu.kernel.proc;

import static dev.gpuemu.kernel.uapi.Fcntl.MAP_ANONYMOUS;
import static dev.gpuemu.kernel.uapi.Fcntl.MAP_FIXED;
import static dev.gpuemu.kernel.uapi.Fcntl.MAP_PRIVATE;
import static dev.gpuemu.kernel.uapi.Fcntl.MAP_SHARED;
import static dev.gpuemu.kernel.uapi.Fcntl.PAGE_SIZE;
import static dev.gpuemu.kernel.uapi.Fcntl.PROT_NONE;
import static dev.gpuemu.kernel.uapi.Fcntl.PROT_READ;
import static dev.gpuemu.kernel.uapi.Fcntl.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.UserFault;
import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.kernel.vfs.DevFs;
import dev.gpuemu.kernel.vfs.KFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// The address space: anonymous memory, file mappings with fault-driven page tables, protection,
/// faults, partial unmaps, zaps, and the kernel's user copies.
class MmTest {
    private static final int RW = PROT_READ | PROT_WRITE;
    private static final int ANON = MAP_PRIVATE | MAP_ANONYMOUS;

    private final DevFs devFs = new DevFs();
    private final FakeDev dev = new FakeDev(8);
    private final Arena arena = Arena.ofConfined();
    private Process proc;
    private UserMemory mem;

    @BeforeEach
    void setUp() throws KernelException {
        devFs.register("/dev/fake", dev);
        proc = new Process(7, "mm", false, devFs, p -> { });
        mem = proc.memory();
    }

    @AfterEach
    void tearDown() {
        proc.kill();
        dev.arena.close();
        arena.close();
    }

    private long anon(long length, int prot) {
        long va = proc.mmap(0, length, prot, ANON, -1, 0);
        assertTrue(va >= Mm.USER_BASE && va < Mm.USER_TOP, () -> "mmap failed: " + va);
        return va;
    }

    private UserFault.Signal signalOf(Runnable access) {
        return assertThrows(UserFault.class, access::run).signal();
    }

    @Test
    void shouldZeroFillAnonymousMemoryAndRoundTripStores() {
        long va = anon(3 * PAGE_SIZE + 1, RW);
        assertEquals(1, proc.mm().vmaCount());
        assertEquals(4L * PAGE_SIZE, proc.mm().find(va).length()); // rounded up to pages
        for (long off = 0; off < 4 * PAGE_SIZE; off += 8) {
            assertEquals(0, mem.getLong(va + off));
        }
        mem.putByte(va, (byte) 0x5a);
        mem.putInt(va + 4, 0x11223344);
        mem.putLong(va + 8, 0x0102030405060708L);
        assertEquals(0x5a, mem.getByte(va));
        assertEquals(0x11223344, mem.getInt(va + 4));
        assertEquals(0x44, mem.getByte(va + 4)); // little-endian
        assertEquals(0x0102030405060708L, mem.getLong(va + 8));
        // Unaligned and page-straddling scalars.
        mem.putLong(va + PAGE_SIZE - 3, 0xCAFEBABEDEADBEEFL);
        assertEquals(0xCAFEBABEDEADBEEFL, mem.getLong(va + PAGE_SIZE - 3));
        mem.putInt(va + 2 * PAGE_SIZE - 1, 0x01020304);
        assertEquals(0x01020304, mem.getInt(va + 2 * PAGE_SIZE - 1));
        // Bulk transfers.
        MemorySegment src = arena.allocate(10_000);
        for (int i = 0; i < 10_000; i++) {
            src.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        mem.write(va + 100, src, 0, 10_000);
        MemorySegment dst = arena.allocate(10_000);
        mem.read(va + 100, dst, 0, 10_000);
        assertEquals(-1, src.mismatch(dst));
        mem.fill(va + PAGE_SIZE, 2 * PAGE_SIZE, (byte) 0x77);
        assertEquals(0x77777777, mem.getInt(va + 2 * PAGE_SIZE));
    }

    @Test
    void shouldRaiseSigsegvForUnmappedAddresses() {
        long va = anon(PAGE_SIZE, RW);
        assertEquals(UserFault.Signal.SIGSEGV, signalOf(() -> mem.getInt(va + PAGE_SIZE)));
        assertEquals(UserFault.Signal.SIGSEGV, signalOf(() -> mem.getByte(0)));
        assertEquals(UserFault.Signal.SIGSEGV, signalOf(() -> mem.putLong(-8, 1)));
        UserFault f = assertThrows(UserFault.class, () -> mem.getByte(va - 1));
        assertEquals(va - 1, f.address());
        assertEquals(0, proc.munmap(va, PAGE_SIZE));
        assertEquals(UserFault.Signal.SIGSEGV, signalOf(() -> mem.getByte(va)));
    }

    @Test
    void shouldRaiseSigsegvForStoreToReadOnlyAndAnyAccessToProtNone() {
        long ro = anon(PAGE_SIZE, PROT_READ);
        assertEquals(0, mem.getInt(ro));
        assertEquals(UserFault.Signal.SIGSEGV, signalOf(() -> mem.putInt(ro, 1)));
        assertEquals(UserFault.Signal.SIGSEGV, signalOf(() -> mem.fill(ro, 1, (byte) 1)));
        long none = anon(PAGE_SIZE, PROT_NONE);
        assertEquals(UserFault.Signal.SIGSEGV, signalOf(() -> mem.getByte(none)));
    }

    @Test
    void shouldRaiseSigbusWhenTheFaultHandlerHasNoPage() {
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
        long va = proc.mmap(0, 4 * PAGE_SIZE, RW, MAP_SHARED, fd, 0);
        dev.sigbusFrom = 2;
        mem.putInt(va + PAGE_SIZE, 5);
        UserFault f = assertThrows(UserFault.class, () -> mem.getInt(va + 2 * PAGE_SIZE + 8));
        assertEquals(UserFault.Signal.SIGBUS, f.signal());
        assertEquals(va + 2 * PAGE_SIZE + 8, f.address());
    }

    @Test
    void shouldReturnFalseFromUserCopiesOnFaultIncludingAStraddlingRange() {
        long va = anon(PAGE_SIZE, RW);
        long ro = proc.mmap(0, PAGE_SIZE, PROT_READ, ANON, -1, 0);
        MemorySegment buf = arena.allocate(64);
        assertTrue(proc.copyToUser(va + PAGE_SIZE - 64, buf, 0, 64));
        assertTrue(proc.copyFromUser(buf, 0, va, 64));
        // [va + PAGE_SIZE - 32, va + PAGE_SIZE + 32) runs into the unmapped page above.
        assertFalse(proc.copyFromUser(buf, 0, va + PAGE_SIZE - 32, 64));
        assertFalse(proc.copyToUser(va + PAGE_SIZE - 32, buf, 0, 64));
        assertFalse(proc.copyFromUser(buf, 0, 0, 8));
        assertFalse(proc.copyToUser(ro, buf, 0, 8)); // read-only VMA: the kernel ignores nothing
        assertTrue(proc.copyFromUser(buf, 0, ro, 8));
        assertTrue(proc.copyFromUser(buf, 0, 0, 0)); // length 0 always succeeds
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
        long file = proc.mmap(0, 2 * PAGE_SIZE, RW, MAP_SHARED, fd, 0);
        dev.sigbusFrom = 1;
        assertFalse(proc.copyFromUser(buf, 0, file + PAGE_SIZE - 8, 16)); // SIGBUS → false as well
    }

    @Test
    void shouldAccessAcrossAdjacentVmas() {
        long hi = anon(PAGE_SIZE, RW);
        long lo = proc.mmap(hi - PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED, -1, 0);
        assertEquals(hi - PAGE_SIZE, lo);
        mem.putLong(hi - 4, 0x1122334455667788L);
        assertEquals(0x55667788, mem.getInt(hi - 4));
        assertEquals(0x11223344, mem.getInt(hi));
        byte[] expect = {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11};
        MemorySegment dst = arena.allocate(8);
        mem.read(hi - 4, dst, 0, 8);
        assertArrayEquals(expect, dst.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void shouldValidateMmapArguments() {
        int rdonly = proc.open("/dev/fake", Fcntl.O_RDONLY);
        int rdwr = proc.open("/dev/fake", Fcntl.O_RDWR);
        int wronly = proc.open("/dev/fake", Fcntl.O_WRONLY);
        assertEquals(Errno.EINVAL.negative(), proc.mmap(0, 0, RW, ANON, -1, 0));
        assertEquals(Errno.EINVAL.negative(), proc.mmap(0, PAGE_SIZE, RW, MAP_SHARED, rdwr, 100));
        assertEquals(Errno.EINVAL.negative(), proc.mmap(0, PAGE_SIZE, RW, MAP_ANONYMOUS, -1, 0));
        assertEquals(Errno.EBADF.negative(), proc.mmap(0, PAGE_SIZE, RW, MAP_SHARED, 99, 0));
        assertEquals(Errno.EACCES.negative(), proc.mmap(0, PAGE_SIZE, RW, MAP_SHARED, rdonly, 0));
        assertEquals(Errno.EACCES.negative(), proc.mmap(0, PAGE_SIZE, PROT_READ, MAP_SHARED, wronly, 0));
        assertEquals(Errno.EINVAL.negative(), proc.mmap(0, PAGE_SIZE, RW, MAP_PRIVATE, rdwr, 0)); // no CoW
        assertTrue(proc.mmap(0, PAGE_SIZE, PROT_READ, MAP_SHARED, rdonly, 0) > 0);
        assertTrue(proc.mmap(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, rdonly, 0) > 0);
        assertEquals(Errno.EINVAL.negative(), proc.mmap(0, 100 * PAGE_SIZE, PROT_READ, MAP_SHARED, rdwr, 0)); // driver
        dev.mmapResult = Errno.ENODEV.negative();
        assertEquals(Errno.ENODEV.negative(), proc.mmap(0, PAGE_SIZE, RW, MAP_SHARED, rdwr, 0));
        assertEquals(Errno.EINVAL.negative(), proc.munmap(Mm.USER_BASE + 1, PAGE_SIZE));
        assertEquals(Errno.EINVAL.negative(), proc.munmap(Mm.USER_BASE, 0));
        assertEquals(0, proc.munmap(Mm.USER_BASE, PAGE_SIZE)); // a hole: nothing to do
        assertEquals(0, dev.vmaCloses.get()); // failed mmaps are discarded without close
    }

    @Test
    void shouldSplitOnPartialMunmapAndPairOpensWithCloses() {
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
        long va = proc.mmap(0, 8 * PAGE_SIZE, RW, MAP_SHARED, fd, 0);
        for (int p = 0; p < 8; p++) {
            mem.putInt(va + (long) p * PAGE_SIZE, p + 100);
        }
        KFile file = proc.fget(fd);
        assertEquals(3, file.refCount()); // fd, VMA, our fget
        // Unmap the middle: two pieces opened, the original closed.
        assertEquals(0, proc.munmap(va + 2 * PAGE_SIZE, 3 * PAGE_SIZE));
        assertEquals(2, dev.vmaOpens.get());
        assertEquals(1, dev.vmaCloses.get());
        assertEquals(2, proc.mm().vmaCount());
        assertEquals(2, dev.mapping.mappedCount());
        assertEquals(4, file.refCount()); // one per piece
        assertEquals(101, mem.getInt(va + PAGE_SIZE));
        assertEquals(105, mem.getInt(va + 5 * PAGE_SIZE)); // file page 5 through the upper piece
        assertEquals(UserFault.Signal.SIGSEGV, signalOf(() -> mem.getInt(va + 3 * PAGE_SIZE)));
        // Unmap the head of the upper piece: one more split.
        assertEquals(0, proc.munmap(va + 5 * PAGE_SIZE, PAGE_SIZE));
        assertEquals(3, dev.vmaOpens.get());
        assertEquals(2, dev.vmaCloses.get());
        assertEquals(107, mem.getInt(va + 7 * PAGE_SIZE));
        // Unmap a range covering everything left (and holes): every piece closed.
        assertEquals(0, proc.munmap(va, 8 * PAGE_SIZE));
        assertEquals(3, dev.vmaOpens.get());
        assertEquals(4, dev.vmaCloses.get()); // 1 mmap + 3 opens = 4 closes
        assertEquals(0, dev.mapping.mappedCount());
        assertEquals(0, proc.mm().vmaCount());
        assertEquals(2, file.refCount());
        file.put();
    }

    @Test
    void shouldSplitAnonymousMemoryKeepingContents() {
        long va = anon(4 * PAGE_SIZE, RW);
        for (int p = 0; p < 4; p++) {
            mem.putInt(va + (long) p * PAGE_SIZE + 12, p * 11);
        }
        assertEquals(0, proc.munmap(va + PAGE_SIZE, PAGE_SIZE));
        assertEquals(2, proc.mm().vmaCount());
        assertEquals(0, mem.getInt(va + 12));
        assertEquals(22, mem.getInt(va + 2 * PAGE_SIZE + 12));
        assertEquals(33, mem.getInt(va + 3 * PAGE_SIZE + 12));
        assertEquals(UserFault.Signal.SIGSEGV, signalOf(() -> mem.getInt(va + PAGE_SIZE)));
        // MAP_FIXED over the hole gives fresh zeroed memory.
        assertEquals(va + PAGE_SIZE, proc.mmap(va + PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED, -1, 0));
        assertEquals(0, mem.getInt(va + PAGE_SIZE + 12));
        assertEquals(3, proc.mm().vmaCount());
    }

    @Test
    void shouldRefaultAfterZapRange() {
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
        long va = proc.mmap(0, 4 * PAGE_SIZE, RW, MAP_SHARED, fd, 4 * PAGE_SIZE); // file pages 4..7
        mem.putInt(va, 1);
        mem.putInt(va + 8, 2);
        mem.putInt(va + PAGE_SIZE, 3);
        assertEquals(2, dev.faults.get()); // one fault per page, hits afterwards
        dev.mapping.zapRange(0, 4); // file pages 0..3: not mapped here
        assertEquals(1, mem.getInt(va));
        assertEquals(2, dev.faults.get());
        dev.mapping.zapRange(4, 1);
        assertEquals(1, mem.getInt(va));
        assertEquals(3, mem.getInt(va + PAGE_SIZE));
        assertEquals(3, dev.faults.get());
        dev.mapping.zapAll();
        assertEquals(2, mem.getInt(va + 8));
        assertEquals(3, mem.getInt(va + PAGE_SIZE));
        assertEquals(5, dev.faults.get());
        // After a zap the handler may answer differently: here it has no page any more.
        dev.sigbusFrom = 5;
        dev.mapping.zapRange(5, 1);
        assertEquals(UserFault.Signal.SIGBUS, signalOf(() -> mem.getInt(va + PAGE_SIZE)));
        assertEquals(1, mem.getInt(va));
    }

    @Test
    void shouldHoldAFileReferenceUntilMunmap() {
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
        long va = proc.mmap(0, 2 * PAGE_SIZE, RW, MAP_SHARED, fd, 0);
        mem.putInt(va, 9);
        assertEquals(0, proc.close(fd));
        assertEquals(0, dev.releases.get()); // the VMA keeps the file open
        assertEquals(9, mem.getInt(va));
        assertEquals(0, proc.munmap(va, 2 * PAGE_SIZE));
        assertEquals(1, dev.releases.get());
        assertEquals(1, dev.vmaCloses.get());
        assertEquals(0, dev.mapping.mappedCount());
    }

    @Test
    void shouldRaiseSigbusWhenTheDriverSetNoVmaOps() {
        dev.setOps = false;
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
        long va = proc.mmap(0, PAGE_SIZE, RW, MAP_SHARED, fd, 0);
        assertEquals(UserFault.Signal.SIGBUS, signalOf(() -> mem.getInt(va)));
        assertEquals(0, proc.munmap(va, PAGE_SIZE));
        assertEquals(0, dev.vmaCloses.get());
    }

    @Test
    void shouldRefuseVmaSetupOutsideMmapAndPlaceMappingsTopDown() {
        int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
        long va = proc.mmap(0, PAGE_SIZE, RW, MAP_SHARED, fd, 0);
        assertEquals(Mm.USER_TOP - PAGE_SIZE, va);
        assertEquals(va - 2 * PAGE_SIZE, anon(2 * PAGE_SIZE, RW));
        MmVma vma = proc.mm().find(va);
        assertThrows(IllegalStateException.class, () -> vma.setOps(dev));
        assertThrows(IllegalStateException.class, () -> vma.setPrivateData("x"));
    }
}
