package dev.gpuemu.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.kernel.vfs.DevFs;
import dev.gpuemu.testing.AllocationCounter;
import org.junit.jupiter.api.Test;

/// The syscall hot paths allocate nothing once warmed up: `ioctl` (fd lookup, driver call with
/// copy_from_user/copy_to_user, put) and user loads/stores that hit anonymous memory or a
/// present file page.
class ProcessAllocationTest {

    @Test
    void shouldNotAllocateOnTheIoctlPathOrOnUserAccessHits() throws Exception {
        AllocationCounter counter = AllocationCounter.require();
        DevFs devFs = new DevFs();
        FakeDev dev = new FakeDev(1);
        devFs.register("/dev/fake", dev);
        Process proc = new Process(1, "alloc", false, devFs, p -> { });
        try {
            int fd = proc.open("/dev/fake", Fcntl.O_RDWR);
            long arg = proc.mmap(0, 4096, Fcntl.PROT_READ | Fcntl.PROT_WRITE,
                    Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0);
            long map = proc.mmap(0, 4096, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_SHARED, fd, 0);
            UserMemory mem = proc.memory();
            mem.putLong(map, 0); // fault the page in
            long sink = 0;
            long allocated = 0;
            for (int round = 0; round < 3; round++) {
                long before = counter.bytes();
                for (int i = 0; i < 50_000; i++) {
                    mem.putLong(arg, i);
                    sink += proc.ioctl(fd, FakeDev.CMD_ECHO, arg);
                    sink += mem.getLong(arg);
                    mem.putInt(map + 64, i);
                    sink += mem.getInt(map + 64);
                }
                allocated = counter.bytes() - before;
            }
            assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 150k ioctls");
            assertEquals(49_999 + 1, mem.getLong(arg));
            assertEquals(1, dev.faults.get());
            assertTrue(sink != 0);
        } finally {
            proc.close();
            dev.arena.close();
        }
    }
}
