package dev.gpuemu.kernel.drivers.tyr;

import static dev.gpuemu.kernel.drivers.tyr.TyrUser.errnoOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorBo;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.panthor.PanthorInfo.Bo;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/// `BO_CREATE` and `BO_MMAP_OFFSET` from a user process: shmem objects rounded to pages and
/// mapped through their fake offset, `NO_MMAP`, exclusive VMs, and every bad argument's errno.
class TyrBoTest {
    @Test
    void shouldRoundTheSizeToPagesAndShareBytesThroughMmap() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            Bo a = u.client.boCreate(5000, 0, 0);
            Bo b = u.client.boCreate(4096, 0, 0);
            assertEquals(8192, a.size(), "5000 rounds up to two pages");
            assertEquals(4096, b.size());
            assertTrue(a.handle() > 0 && b.handle() > 0);
            assertNotEquals(a.handle(), b.handle());
            long off = u.client.boMmapOffset(a.handle());
            assertEquals(off, u.client.boMmapOffset(a.handle()), "the offset is created once");
            assertNotEquals(off, u.client.boMmapOffset(b.handle()));
            try (UserMapping m1 = u.client.mmapBo(a); UserMapping m2 = u.client.mmapBo(a)) {
                m1.putInt(4100, 0x1234_5678);
                assertEquals(0x1234_5678, m2.getInt(4100), "both mappings share the object's pages");
                assertEquals(0, m2.getInt(0), "new objects read zero");
            }
            u.client.drm().gemClose(a.handle());
            assertEquals(Errno.ENOENT, errnoOf(() -> u.client.boMmapOffset(a.handle())));
        }
    }

    @Test
    void shouldRejectBadCreateArgumentsWithEinval() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.boCreate(0, 0, 0)), "size 0");
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.boCreate(4096, 2, 0)), "unknown flag");
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.boCreate(4096, 0, 7)), "no such VM");
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.boCreate(-1L, 0, 0)), "rounding overflows");
            MemorySegment a = u.arg(PanthorBo.Create.LAYOUT);
            PanthorBo.Create.SIZE.set(a, 4096L);
            PanthorBo.Create.PAD.set(a, 1);
            u.expect(Errno.EINVAL, PanthorDrm.BO_CREATE, a);
            PanthorBo.Create.PAD.set(a, 0);
            assertEquals(0, u.ioctl(PanthorDrm.BO_CREATE, a), "the same struct with pad 0 is fine");
            assertEquals(1, (int) PanthorBo.Create.HANDLE.get(a), "handles start at 1");
        }
    }

    @Test
    void shouldRefuseMmapOffsetOfNoMmapBoWithEpermAndBadArgs() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            Bo hidden = u.client.boCreate(4096, PanthorDrm.DRM_PANTHOR_BO_NO_MMAP, 0);
            assertEquals(Errno.EPERM, errnoOf(() -> u.client.boMmapOffset(hidden.handle())));
            assertEquals(Errno.ENOENT, errnoOf(() -> u.client.boMmapOffset(99)));
            assertEquals(Errno.ENOENT, errnoOf(() -> u.client.boMmapOffset(0)));
            MemorySegment a = u.arg(PanthorBo.MmapOffset.LAYOUT);
            PanthorBo.MmapOffset.HANDLE.set(a, u.client.boCreate(4096, 0, 0).handle());
            PanthorBo.MmapOffset.PAD.set(a, 1);
            u.expect(Errno.EINVAL, PanthorDrm.BO_MMAP_OFFSET, a);
        }
    }

    @Test
    void shouldCreateBoExclusiveToAVmOfTheFile() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            int vm = u.client.vmCreate(0).id();
            Bo bo = u.client.boCreate(8192, 0, vm);
            assertEquals(8192, bo.size());
            u.client.vmDestroy(vm);
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.boCreate(4096, 0, vm)), "the VM is gone");
        }
    }

    @Test
    void shouldFreeEveryPageWhenTheFileClosesWithBosLeft() throws Exception {
        TyrUser u = TyrUser.open();
        Bo bo = u.client.boCreate(64 << 10, 0, 0);
        try (UserMapping m = u.client.mmapBo(bo)) {
            m.putLong(0, 42);
        }
        u.close();
        assertTrue(u.rig.machine.report().clean(), u.rig.machine.report().toString());
    }
}
