package dev.gpuemu.images;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/// Fuzz target: the drm_ioctl entry of the panthor render node (tyr) on the shipped `rk3588` image, with
/// arbitrary command numbers, sizes and payloads ([IoctlFuzzing]). Crashes: an exception
/// escaping, a result other than 0 or a known negative errno, an oops, a clock failure, pages
/// left after the process exits, a leak at shutdown.
class PanthorIoctlFuzzTest {
    private static final List<DrmIoctl> KNOWN = IoctlFuzzing.known(PanthorDrm.ALL);

    @FuzzTest
    void ioctl(FuzzedDataProvider data) {
        IoctlFuzzing.run(FuzzMachine.get("rk3588", "/dev/dri/renderD128"), KNOWN, data);
    }

    @AfterAll
    static void shutDown() {
        FuzzMachine.closeAll();
    }
}
