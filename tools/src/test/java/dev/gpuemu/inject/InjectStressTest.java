package dev.gpuemu.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/// The acceptance runs: 1,000 cycles with 2 threads per image. Only under `-Pstress`
/// (`gpuemu.stress.seconds` >= 60); the default suite runs the 20-cycle tests.
class InjectStressTest {
    private static void assumeStress() {
        assumeTrue(Long.getLong("gpuemu.stress.seconds", 2) >= 60, "long injection runs need -Pstress");
    }

    @Test
    void shouldKeepEveryInvariantOverAThousandCyclesOnVgem() {
        assumeStress();
        InjectResult r = InjectRuns.run("vgem", null, 2, 1000, 1, InjectMode.MIXED);
        System.out.println(InjectRuns.describe(r));
        assertEquals(0, r.violationCount(), InjectRuns.describe(r));
    }

    @Test
    void shouldKeepEveryInvariantOverAThousandCyclesOnRk3588() {
        assumeStress();
        InjectResult r = InjectRuns.run("rk3588", null, 2, 1000, 1, InjectMode.MIXED);
        System.out.println(InjectRuns.describe(r));
        assertEquals(0, r.violationCount(), InjectRuns.describe(r));
    }

    @Test
    void shouldKeepEveryInvariantOverAThousandCyclesOnGa102() {
        assumeStress();
        InjectResult r = InjectRuns.run("ga102-pc", null, 2, 1000, 1, InjectMode.MIXED);
        System.out.println(InjectRuns.describe(r));
        assertEquals(0, r.violationCount(), InjectRuns.describe(r));
    }
}
