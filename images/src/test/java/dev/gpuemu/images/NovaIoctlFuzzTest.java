package dev.gpuemu.images;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.nova.NovaDrm;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/// Fuzz target: the drm_ioctl entry of the nova-drm render node on the shipped `ga102-pc` image, with
/// arbitrary command numbers, sizes and payloads ([IoctlFuzzing]). Crashes: an exception
/// escaping, a result other than 0 or a known negative errno, an oops, a clock failure, pages
/// left after the process exits, a leak at shutdown.
class NovaIoctlFuzzTest {
    private static final List<DrmIoctl> KNOWN = IoctlFuzzing.known(NovaDrm.ALL);

    @FuzzTest
    void ioctl(FuzzedDataProvider data) {
        IoctlFuzzing.run(FuzzMachine.get("ga102-pc", "/dev/dri/renderD128"), KNOWN, data);
    }

    @AfterAll
    static void shutDown() {
        FuzzMachine.closeAll();
    }
}
