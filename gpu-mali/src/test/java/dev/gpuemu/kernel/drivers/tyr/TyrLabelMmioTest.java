package dev.gpuemu.kernel.drivers.tyr;

import static dev.gpuemu.kernel.drivers.tyr.TyrUser.errnoOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorBo;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.user.panthor.PanthorInfo.Bo;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/// `BO_SET_LABEL` (panthor 1.4) and `SET_USER_MMIO_OFFSET` (1.5) from a user process: labels
/// copied from user memory up to `PANTHOR_BO_LABEL_MAXLEN`, panthor's errnos for each bad input.
class TyrLabelMmioTest {
    private static TyrFile file(TyrUser u) {
        KFile f = u.proc.fget(u.client.drm().fd());
        try {
            @SuppressWarnings("unchecked")
            DrmFile<TyrFile> d = f.privateData(DrmFile.class);
            return d.driverFile();
        } finally {
            f.put();
        }
    }

    private static TyrBo bo(TyrUser u, int handle) throws Exception {
        KFile f = u.proc.fget(u.client.drm().fd());
        try {
            var obj = f.privateData(DrmFile.class).gem().lookup(handle);
            obj.put();
            return (TyrBo) obj;
        } finally {
            f.put();
        }
    }

    /// A raw BO_SET_LABEL with `label` pointing at `va`.
    private static MemorySegment setLabel(TyrUser u, int handle, long va) {
        MemorySegment a = u.arg(PanthorBo.SetLabel.LAYOUT);
        PanthorBo.SetLabel.HANDLE.set(a, handle);
        PanthorBo.SetLabel.LABEL.set(a, va);
        return a;
    }

    @Test
    void shouldCopyTheLabelFromUserMemoryAndClearItWithNull() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            Bo b = u.client.boCreate(4096, 0, 0);
            u.client.boSetLabel(b.handle(), "vertex buffer #1");
            assertEquals("vertex buffer #1", bo(u, b.handle()).label());
            u.client.boSetLabel(b.handle(), "");
            assertEquals("", bo(u, b.handle()).label(), "empty and null differ, as panthor keeps them");
            u.client.boSetLabel(b.handle(), null);
            assertNull(bo(u, b.handle()).label());
        }
    }

    @Test
    void shouldTakeAtMost4095BytesAndAnswerE2bigEfaultEnoentEinval() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            Bo b = u.client.boCreate(4096, 0, 0);
            // 4095 'a' then NUL, ending exactly at a page end: the longest label.
            long s = u.scratch + 8192 - 4096;
            u.proc.memory().fill(s, 4095, (byte) 'a');
            u.proc.memory().putByte(s + 4095, (byte) 0);
            assertEquals(0, u.ioctl(PanthorDrm.BO_SET_LABEL, setLabel(u, b.handle(), s)));
            assertEquals(4095, bo(u, b.handle()).label().length());
            u.proc.memory().putByte(s + 4095, (byte) 'a');
            u.proc.memory().putByte(s + 4096, (byte) 0);
            u.expect(Errno.E2BIG, PanthorDrm.BO_SET_LABEL, setLabel(u, b.handle(), s));
            assertEquals(4095, bo(u, b.handle()).label().length(), "a refused label leaves the old one");
            // A string running into an unmapped page before its NUL: EFAULT. The last page of
            // the scratch area is unmapped for this.
            long end = u.scratch + (64 << 10);
            assertEquals(0, u.proc.munmap(end - 4096, 4096));
            u.proc.memory().fill(end - 4096 - 16, 16, (byte) 'b');
            u.expect(Errno.EFAULT, PanthorDrm.BO_SET_LABEL, setLabel(u, b.handle(), end - 4096 - 16));
            u.proc.memory().putByte(end - 4096 - 1, (byte) 0);
            assertEquals(0, u.ioctl(PanthorDrm.BO_SET_LABEL, setLabel(u, b.handle(), end - 4096 - 16)),
                    "a NUL before the hole: the unmapped page is never read");
            assertEquals("b".repeat(15), bo(u, b.handle()).label());
            u.expect(Errno.ENOENT, PanthorDrm.BO_SET_LABEL, setLabel(u, b.handle() + 1, s));
            MemorySegment pad = setLabel(u, b.handle(), 0);
            PanthorBo.SetLabel.PAD.set(pad, 1);
            u.expect(Errno.EINVAL, PanthorDrm.BO_SET_LABEL, pad);
        }
    }

    @Test
    void shouldAcceptOnlyThe32And64BitUserMmioOffsets() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            TyrFile f = file(u);
            assertEquals(PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_64BIT, f.userMmioOffset(), "64-bit task default");
            u.client.setUserMmioOffset(PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_32BIT);
            assertEquals(PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_32BIT, f.userMmioOffset());
            for (long bad : new long[] {0, 1L << 44, PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_64BIT + 4096, -1}) {
                assertEquals(Errno.EINVAL, errnoOf(() -> u.client.setUserMmioOffset(bad)), Long.toHexString(bad));
            }
            assertEquals(PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_32BIT, f.userMmioOffset(), "unchanged by refusals");
            u.client.setUserMmioOffset(PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_64BIT);
            assertEquals(PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_64BIT, f.userMmioOffset());
        }
    }
}
