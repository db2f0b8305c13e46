package dev.gpuemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.images.BuiltinImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/// The NVIDIA boot acceptance: `gpuemu boot ga102-pc` prints nova-core's chip line and passes
/// its init workload; `gpuemu boot` boots the default `dual` image with both GPUs and exits 0.
/// (nova-drm's `Initialized nova 0.0.0` line is asserted once nova-drm is merged.)
class NovaBootTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int boot(String... args) {
        return GpuemuCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void shouldBootGa102PcAndPrintTheNovaCoreLine() {
        int rc = boot("boot", "ga102-pc");
        String o = out.toString();
        assertEquals(0, rc, o + err);
        assertTrue(o.contains("NovaCore 0000:01:00.0: NVIDIA (Chipset: GA102, Architecture: Ampere, Revision: a.1)"), o);
        assertTrue(o.contains("workload /images/ga102-pc-init.wl: passed, "), o);
        assertTrue(o.contains("0 oops(es)"), o);
    }

    @Test
    void shouldBootTheDualImageByDefault() {
        assertEquals("dual", BuiltinImages.DEFAULT);
        int rc = boot("boot");
        String o = out.toString();
        assertEquals(0, rc, o + err);
        assertTrue(o.contains("NovaCore 0000:01:00.0: NVIDIA (Chipset: GA102"), o);
        assertTrue(o.contains("Initialized panthor 1.5.0"), o);
        assertTrue(o.contains("workload /images/dual-init.wl: passed, "), o);
    }
}
