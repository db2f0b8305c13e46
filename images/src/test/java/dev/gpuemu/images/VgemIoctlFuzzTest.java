package dev.gpuemu.images;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.drm.VgemDrm;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/// Fuzz target: the drm_ioctl entry of vgem's render node on the shipped `vgem` image, with
/// arbitrary command numbers, sizes and payloads ([IoctlFuzzing]). Crashes: an exception
/// escaping, a result other than 0 or a known negative errno, an oops, a clock failure, pages
/// left after the process exits, a leak at shutdown, and any guest error (vgem has no hardware:
/// nothing a client does may reach a device model).
class VgemIoctlFuzzTest {
    private static final List<DrmIoctl> KNOWN = IoctlFuzzing.known(VgemDrm.ALL);

    @FuzzTest
    void ioctl(FuzzedDataProvider data) {
        FuzzMachine m = FuzzMachine.get("vgem", "/dev/dri/renderD128");
        IoctlFuzzing.run(m, KNOWN, data);
        assertEquals(0, m.machine.guestErrors().total(), "guest errors from vgem ioctls");
    }

    @AfterAll
    static void shutDown() {
        FuzzMachine.closeAll();
    }
}
