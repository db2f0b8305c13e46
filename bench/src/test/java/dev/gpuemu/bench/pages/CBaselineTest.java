package dev.gpuemu.bench.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CBaselineTest {

    @Test
    void shouldBuildAndRunTheCProgramWithGcc() {
        Optional<Path> gcc = CBaseline.findOnPath("gcc");
        Assumptions.assumeTrue(gcc.isPresent(), "gcc is on these machines; skip elsewhere");
        CBaseline c = CBaseline.measure(gcc, 64, 1);
        assertNull(c.reason(), () -> "unexpected failure: " + c.reason());
        for (String op : new String[] {"memcpy", "memset"}) {
            for (String size : new String[] {"l1", "dram"}) {
                double ns = c.get(op, size).orElseThrow();
                assertTrue(ns > 0 && ns < 1_000_000, op + "/" + size + " = " + ns);
            }
        }
        assertTrue(c.compiler().startsWith("gcc"), c.compiler());
    }

    @Test
    void shouldSayWhyThereIsNoBaselineWithoutGcc() {
        CBaseline c = CBaseline.measure(Optional.empty(), 64, 1);
        assertEquals("gcc not found on PATH, so there is no C memcpy/memset baseline", c.reason());
        assertTrue(c.get("memcpy", "l1").isEmpty());
    }

    @Test
    void shouldAverageTwoRunsAndReportTheirDrift() {
        CBaseline a = new CBaseline(java.util.Map.of("memcpy/l1", 20.0, "memset/l1", 10.0), null, "gcc", java.util.Map.of());
        CBaseline b = new CBaseline(java.util.Map.of("memcpy/l1", 30.0, "memset/l1", 10.0), null, "gcc", java.util.Map.of());
        CBaseline m = CBaseline.mean(a, b);
        assertEquals(25.0, m.get("memcpy", "l1").orElseThrow(), 1e-9);
        assertEquals(50.0, m.drift().get("memcpy/l1"), 1e-9);
        assertEquals(0.0, m.drift().get("memset/l1"), 1e-9);
        assertEquals(a, CBaseline.mean(a, CBaseline.unavailable("second run failed")));
    }

    @Test
    void shouldReportACompilerFailureInsteadOfThrowing() {
        CBaseline c = CBaseline.measure(Optional.of(Path.of("/bin/false")), 64, 1);
        assertTrue(c.reason().startsWith("gcc failed (exit 1)"), c.reason());
    }
}
