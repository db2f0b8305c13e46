package dev.gpuemu.bench.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/// A tiny real run of the paired harness: 64-page buffers, a few pages per batch, 3 rounds.
/// Nothing here asserts a speed; it checks that every pair runs, gives finite ratios, and frees
/// what it allocated.
class PairedRatiosTest {
    private static final PairedRatios.Config TINY = new PairedRatios.Config(64 * 4096, 8, 16, 1_000_000, 3);

    private static PrintWriter sink() {
        return new PrintWriter(new StringWriter());
    }

    private static void assertFinite(PageBenchReport.PairedRatio p) {
        String what = p.op() + "/" + p.size() + " vs " + p.baseline();
        assertNotNull(p.ratioMedian(), what);
        assertTrue(Double.isFinite(p.ratioMedian()) && p.ratioMedian() > 0, what + " median " + p.ratioMedian());
        assertTrue(p.ratioP25() <= p.ratioMedian() && p.ratioMedian() <= p.ratioP75(), what);
        assertTrue(p.opNsPerPage() > 0 && p.baselineNsPerPage() > 0, what);
        assertTrue(Double.isFinite(p.wallRatioMedian()) && p.wallRatioMedian() > 0, what + " wall " + p.wallRatioMedian());
        assertEquals(3, p.rounds(), what);
        assertNull(p.reason(), what);
    }

    @Test
    void shouldPairEveryOpWithItsBaselineAndFreeBuffersAndKernels() throws Exception {
        Optional<Path> gcc = CBaseline.findOnPath("gcc");
        Assumptions.assumeTrue(gcc.isPresent(), "gcc is on these machines; skip elsewhere");
        PairedBuffers buffers = new PairedBuffers(TINY.bufferBytes());
        PageKernels kernels = PageKernels.load(gcc.get());
        List<PageBenchReport.PairedRatio> result;
        try (buffers; kernels) {
            assertTrue(Files.exists(kernels.dir().resolve("libpagekernels.so")));
            result = PairedRatios.measure(TINY, buffers, kernels, null, sink());
        }
        assertEquals(2 * PairedRatios.PAIRS.size(), result.size());
        result.forEach(PairedRatiosTest::assertFinite);
        assertFalse(buffers.isAlive(), "buffers freed");
        assertFalse(Files.exists(kernels.dir()), "temporary library directory deleted");
        assertThrows(IllegalStateException.class, kernels::close);
        assertThrows(IllegalStateException.class, buffers::close);
    }

    @Test
    void shouldRunJavaPairsAndGiveTheReasonForCPairsWithoutGcc() {
        List<PageBenchReport.PairedRatio> result = PairedRatios.run(TINY, Optional.empty(), sink());
        assertEquals(2 * PairedRatios.PAIRS.size(), result.size());
        for (PageBenchReport.PairedRatio p : result) {
            if (p.op().startsWith("c_") || p.baseline().startsWith("c_")) {
                assertNull(p.ratioMedian(), p.op());
                assertEquals(0, p.rounds());
                assertEquals("gcc not found on PATH, so there are no C kernels", p.reason());
            } else {
                assertFinite(p);
            }
        }
        assertEquals(6, result.stream().filter(p -> p.ratioMedian() != null).count(), "3 scans x 2 sizes");
    }

    @Test
    void shouldGiveTheCompilerErrorAsTheReasonWhenTheKernelsDoNotBuild() {
        List<PageBenchReport.PairedRatio> result = PairedRatios.run(TINY, Optional.of(Path.of("/bin/false")), sink());
        PageBenchReport.PairedRatio copy = result.stream().filter(p -> p.baseline().equals("c_memcpy")).findFirst()
                .orElseThrow();
        assertTrue(copy.reason().startsWith("C kernels unavailable: gcc failed (exit 1)"), copy.reason());
    }

    @Test
    void shouldScanEveryPageCleanAndThrowWhenAScanFindsCorruptedBuffers() {
        try (PairedBuffers buffers = new PairedBuffers(TINY.bufferBytes())) {
            for (String scan : List.of("isZero", "mismatch", "verifyPattern")) {
                assertEquals(0, buffers.java().get(scan).run(0, 64, 1), scan);
            }
            buffers.zeros().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 100, (byte) 1);
            assertEquals(1, buffers.java().get("isZero").run(0, 64, 1));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> PairedRatios.measure(TINY, buffers, null, "no C in this test", sink()));
            assertTrue(e.getMessage().contains("corrupted"), e.getMessage());
        }
    }

    @Test
    void shouldRejectADramBatchLargerThanTheBuffers() {
        PairedRatios.Config tooBig = new PairedRatios.Config(64 * 4096, 8, 65, 1_000_000, 3);
        assertThrows(IllegalArgumentException.class, () -> PairedRatios.run(tooBig, Optional.empty(), sink()));
        assertThrows(IllegalArgumentException.class, () -> new PairedBuffers(4095));
    }
}
