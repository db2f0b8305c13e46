package dev.gpuemu.machine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SeedSequenceTest {

    @Test
    void shouldGiveSameStreamSameSequence() {
        RandomGenerator a = new SeedSequence(42).random("gpu.jitter");
        RandomGenerator b = new SeedSequence(42).random("gpu.jitter");
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
    }

    @Test
    void shouldSeparateStreamsAndMasterSeeds() {
        SeedSequence s = new SeedSequence(42);
        assertNotEquals(s.seedFor("dma"), s.seedFor("irq"));
        assertNotEquals(s.seedFor("dma"), new SeedSequence(43).seedFor("dma"));
        // names whose 32-bit String.hashCode collides still get different seeds
        assertEquals("Aa".hashCode(), "BB".hashCode());
        assertNotEquals(s.seedFor("Aa"), s.seedFor("BB"));
    }

    @Test
    void shouldKeepDerivationStableAcrossReleases() {
        // Pinned values: if these change, every recorded run changes. FNV-1a 64 test vectors
        // from the reference implementation, then the documented derivation.
        assertEquals(0xcbf29ce484222325L, SeedSequence.fnv1a64(""));
        assertEquals(0xaf63dc4c8601ec8cL, SeedSequence.fnv1a64("a"));
        assertEquals(SeedSequence.mix64(SeedSequence.mix64(7) ^ SeedSequence.fnv1a64("gpu")),
                new SeedSequence(7).seedFor("gpu"));
        assertEquals(PINNED_SEED_7_GPU, new SeedSequence(7).seedFor("gpu"));
    }

    private static final long PINNED_SEED_7_GPU = 0xb068b0c075493c64L; // computed independently (Python)
}
