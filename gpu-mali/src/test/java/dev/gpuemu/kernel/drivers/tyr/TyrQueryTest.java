package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorQuery;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import dev.gpuemu.user.panthor.PanthorInfo;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/// `DRM_IOCTL_PANTHOR_DEV_QUERY` from a user process on the render node, against the real G610:
/// the four query types with the values the device and firmware report, the size protocol,
/// short and zero sizes, larger user structs zero-extended, unknown types, padding zero, faults.
class TyrQueryTest {
    private static MemorySegment query(TyrUser u, int type, int size, long pointer) {
        MemorySegment a = u.arg(PanthorQuery.DevQuery.LAYOUT);
        PanthorQuery.DevQuery.TYPE.set(a, type);
        PanthorQuery.DevQuery.SIZE.set(a, size);
        PanthorQuery.DevQuery.POINTER.set(a, pointer);
        return a;
    }

    @Test
    void shouldAnswerEveryTypeWithTheDeviceAndFirmwareValues() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            PanthorInfo.GpuInfo g = u.client.gpuInfo();
            assertEquals((int) MaliReg.GPU_ID.resetValue(), g.gpuId());
            assertEquals(0x7120306, g.l2Features());
            assertEquals(0x2830, g.mmuFeatures());
            assertEquals(0xff, g.asPresent());
            assertEquals(0x50005L, g.shaderPresent());
            assertEquals(1L, g.l2Present());
            assertEquals(1L, g.tilerPresent());
            PanthorInfo.CsifInfo c = u.client.csifInfo();
            assertEquals(StubMcu.GROUPS, c.csgSlotCount());
            assertEquals(StubMcu.STREAMS, c.csSlotCount());
            assertEquals(96, c.csRegCount());
            assertEquals(8, c.scoreboardSlotCount());
            assertEquals(4, c.unpreservedCsRegCount());
            PanthorInfo.TimestampInfo t = u.client.timestampInfo();
            assertEquals(MaliRegs.TIMESTAMP_HZ, t.timestampFrequency());
            PanthorInfo.TimestampInfo later = u.client.timestampInfo();
            assertTrue(later.currentTimestamp() >= t.currentTimestamp(), "the GPU timestamp does not go back");
            assertEquals(0b0011, u.client.groupPrioritiesAllowedMask(), "LOW and MEDIUM for a render-node file");
        }
    }

    @Test
    void shouldReportEachStructSizeWhenThePointerIsNull() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            assertEquals(104, u.client.devQuerySize(PanthorDrm.DRM_PANTHOR_DEV_QUERY_GPU_INFO));
            assertEquals(24, u.client.devQuerySize(PanthorDrm.DRM_PANTHOR_DEV_QUERY_CSIF_INFO));
            assertEquals(24, u.client.devQuerySize(PanthorDrm.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO));
            assertEquals(4, u.client.devQuerySize(PanthorDrm.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO));
        }
    }

    @Test
    void shouldRejectUnknownTypesWithEinvalWithAndWithoutPointer() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            u.expect(Errno.EINVAL, PanthorDrm.DEV_QUERY, query(u, 4, 0, 0));
            u.expect(Errno.EINVAL, PanthorDrm.DEV_QUERY, query(u, -1, 104, u.scratch));
        }
    }

    @Test
    void shouldRejectSizesBelowTheMinimalStructWithEinvalAndAcceptTheMinimum() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            int gpu = PanthorDrm.DRM_PANTHOR_DEV_QUERY_GPU_INFO;
            u.expect(Errno.EINVAL, PanthorDrm.DEV_QUERY, query(u, gpu, 0, u.scratch));
            u.expect(Errno.EINVAL, PanthorDrm.DEV_QUERY, query(u, gpu, 95, u.scratch));
            u.expect(Errno.EINVAL, PanthorDrm.DEV_QUERY, query(u, PanthorDrm.DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 23,
                    u.scratch));
            u.expect(Errno.EINVAL, PanthorDrm.DEV_QUERY, query(u, PanthorDrm.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 15,
                    u.scratch));
            u.expect(Errno.EINVAL, PanthorDrm.DEV_QUERY,
                    query(u, PanthorDrm.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, 3, u.scratch));
            // 96 bytes (up to tiler_present) is an older userspace's struct: copied, nothing beyond.
            u.proc.memory().fill(u.scratch, 128, (byte) 0x5A);
            MemorySegment a = query(u, gpu, 96, u.scratch);
            assertEquals(0, u.ioctl(PanthorDrm.DEV_QUERY, a));
            assertEquals(96, (int) PanthorQuery.DevQuery.SIZE.get(a), "size is left as given");
            assertEquals(1L, u.proc.memory().getLong(u.scratch + 88), "tiler_present");
            assertEquals(0x5A5A5A5A, u.proc.memory().getInt(u.scratch + 96), "core_features not written");
            assertEquals(0, u.ioctl(PanthorDrm.DEV_QUERY, query(u, PanthorDrm.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 16,
                    u.scratch)));
        }
    }

    @Test
    void shouldZeroTheTailOfALargerUserStructAndEveryPad() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            u.proc.memory().fill(u.scratch, 256, (byte) 0xA5);
            assertEquals(0, u.ioctl(PanthorDrm.DEV_QUERY, query(u, PanthorDrm.DRM_PANTHOR_DEV_QUERY_GPU_INFO, 200,
                    u.scratch)));
            assertEquals(0, u.proc.memory().getInt(u.scratch + 68), "pad0");
            assertEquals(0, u.proc.memory().getInt(u.scratch + 100), "pad");
            for (int i = 104; i < 200; i++) {
                assertEquals(0, u.proc.memory().getByte(u.scratch + i), "tail byte " + i);
            }
            assertEquals((byte) 0xA5, u.proc.memory().getByte(u.scratch + 200), "nothing past size");
            u.proc.memory().fill(u.scratch, 64, (byte) 0xA5);
            assertEquals(0, u.ioctl(PanthorDrm.DEV_QUERY, query(u, PanthorDrm.DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 24,
                    u.scratch)));
            assertEquals(0, u.proc.memory().getInt(u.scratch + 20), "csif pad");
            u.proc.memory().fill(u.scratch, 64, (byte) 0xA5);
            assertEquals(0, u.ioctl(PanthorDrm.DEV_QUERY,
                    query(u, PanthorDrm.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, 4, u.scratch)));
            assertEquals(0x3, u.proc.memory().getInt(u.scratch), "allowed_mask 0x3, pad[3] zero");
        }
    }

    @Test
    void shouldAnswerEfaultForAnUnmappedPointer() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            u.expect(Errno.EFAULT, PanthorDrm.DEV_QUERY, query(u, PanthorDrm.DRM_PANTHOR_DEV_QUERY_GPU_INFO, 104,
                    0x7000_0000_0000L));
            // the tail clear faults too: the struct fits the mapping, the tail runs past its end
            long page = u.proc.mmap(0, 8192, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0);
            assertEquals(0, u.proc.munmap(page + 4096, 4096));
            long end = page + 4096;
            u.expect(Errno.EFAULT, PanthorDrm.DEV_QUERY, query(u, PanthorDrm.DRM_PANTHOR_DEV_QUERY_GPU_INFO, 4096,
                    end - 200));
        }
    }
}
