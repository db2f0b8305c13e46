package dev.gpuemu.bench.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Goal evaluation and the JSON shape of `gpuemu bench pages`, on synthetic results.
class PageBenchReportTest {

    private static List<PageBenchReport.Row> rows() {
        List<PageBenchReport.Row> r = new ArrayList<>();
        for (String size : List.of("l1", "dram")) {
            double copy = size.equals("l1") ? 20 : 800;
            r.add(new PageBenchReport.Row("copy", size, copy, 4096 / copy, 1.0, 30.0, 0.0));
            r.add(new PageBenchReport.Row("zero", size, copy, 4096 / copy, 0.9, 2.0, 0.0));
            r.add(new PageBenchReport.Row("isZero", size, copy / 2, 8192 / copy, null, 20.0, 0.0));
            r.add(new PageBenchReport.Row("mismatch", size, copy * 2, 2048 / copy, null, 20.0, 0.0));
            r.add(new PageBenchReport.Row("verifyPattern", size, copy, 4096 / copy, null, 20.0, 0.0));
        }
        r.add(new PageBenchReport.Row("swizzle", "l1", 30, 136, null, 3.0, 0.0));
        r.add(new PageBenchReport.Row("maliTile", "l1", 30, 136, null, 9.0, 1.5));
        return r;
    }

    private static PageBenchReport.Goal goal(List<PageBenchReport.Goal> goals, String name) {
        return goals.stream().filter(g -> g.goal().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void shouldEvaluateEachGoalAgainstItsTarget() {
        List<PageBenchReport.Goal> goals = Goals.evaluate(rows());
        assertTrue(goal(goals, "copy vs C memcpy (l1)").met());
        assertFalse(goal(goals, "zero vs C memset (l1)").met(), "0.9 < 1.0");
        assertEquals(2.0, goal(goals, "isZero vs copy bandwidth (l1)").measured(), 1e-9);
        assertFalse(goal(goals, "mismatch vs copy bandwidth (dram)").met(), "half of copy's bandwidth");
        assertTrue(goal(goals, "verifyPattern vs copy bandwidth (dram)").met());
        assertFalse(goal(goals, "swizzle vs scalar (l1)").met(), "3x < 4x");
        assertTrue(goal(goals, "maliTile vs scalar (l1)").met());
        assertNull(goal(goals, "blockLinearTile vs scalar (l1)").met(), "not measured");
        PageBenchReport.Goal alloc = goal(goals, "max bytes allocated per op, engine ops (below 0.5 is none)");
        assertEquals(1.5, alloc.measured(), 1e-9);
        assertFalse(alloc.met());
    }

    @Test
    void shouldWriteTheIssueFieldsInSnakeCaseWithNullWhereThereIsNoCBaseline(@TempDir Path dir) throws Exception {
        CBaseline none = CBaseline.unavailable("gcc not found on PATH, so there is no C memcpy/memset baseline");
        PageBenchReport report = new PageBenchReport("gpuemu bench pages --quick", true, "test machine", none,
                List.of(new PageBenchReport.Row("copy", "l1", 20, 204.8, null, 30.0, 0.0)), paired(),
                Goals.evaluate(rows(), paired()));
        Path out = dir.resolve("out.json");
        PageBench.writeJson(report, out);
        JsonNode json = new ObjectMapper().readTree(Files.readString(out));
        JsonNode row = json.get("results").get(0);
        for (String field : List.of("op", "size", "ns_per_page", "gb_per_s", "ratio_to_c", "ratio_to_scalar",
                "alloc_bytes_per_op")) {
            assertTrue(row.has(field), "missing " + field + " in " + row);
        }
        assertTrue(row.get("ratio_to_c").isNull());
        assertEquals("gcc not found on PATH, so there is no C memcpy/memset baseline",
                json.get("c_baseline").get("reason").asText());
        assertEquals(Map.of(), new ObjectMapper().convertValue(json.get("c_baseline").get("ns_per_page"), Map.class));
        JsonNode pair = json.get("paired").get(0);
        for (String field : List.of("op", "size", "baseline", "ratio_median", "ratio_p25", "ratio_p75", "rounds",
                "wall_ratio_median", "ratio_ci95_low", "ratio_ci95_high")) {
            assertTrue(pair.has(field), "missing " + field + " in " + pair);
        }
        assertEquals(0.97, pair.get("ratio_median").asDouble(), 1e-12);
        JsonNode noC = json.get("paired").get(1);
        assertTrue(noC.get("ratio_median").isNull());
        assertEquals("gcc not found", noC.get("reason").asText());
        assertTrue(json.get("goals").get(0).get("basis").asText().startsWith("paired median"));
    }

    /// copy/l1 vs C measured (0.97, IQR 0.90-1.05); zero/l1 vs C not measured; isZero/l1 vs copy 0.5.
    private static List<PageBenchReport.PairedRatio> paired() {
        return List.of(
                new PageBenchReport.PairedRatio("copy", "l1", "c_memcpy", "goal", 0.97, 0.90, 1.05, 0.96, 0.99, 41, 20.0, 19.4,
                        0.9, 0.7, 1.2, null),
                new PageBenchReport.PairedRatio("zero", "l1", "c_memset", "goal", null, null, null, null, null, 0, null, null,
                        null, null, null,
                        "gcc not found"),
                new PageBenchReport.PairedRatio("isZero", "l1", "java_copy", "goal", 0.5, 0.45, 0.55, 0.48, 0.52, 41, 40.0, 20.0,
                        0.5, 0.4, 0.6, null),
                new PageBenchReport.PairedRatio("isZero", "l1", "c_is_zero4", "diagnostic", 3.0, 2.0, 4.0, 2.5, 3.5, 41, 1.0, 3.0,
                        3.0, 2.0, 4.0,
                        null));
    }

    @Test
    void shouldTakeThePairedMedianForAGoalWhereItExistsAndJmhOtherwise() {
        List<PageBenchReport.Goal> goals = Goals.evaluate(rows(), paired());
        PageBenchReport.Goal copy = goal(goals, "copy vs C memcpy (l1)");
        assertEquals(0.97, copy.measured(), 1e-12);
        assertTrue(copy.met());
        assertEquals("paired median (IQR 0.90-1.05, 95% CI 0.96-0.99, 41 rounds)", copy.basis());
        PageBenchReport.Goal zero = goal(goals, "zero vs C memset (l1)");
        assertEquals(0.9, zero.measured(), 1e-12, "no paired median: the JMH ratio");
        assertEquals("jmh", zero.basis());
        PageBenchReport.Goal isZero = goal(goals, "isZero vs copy bandwidth (l1)");
        assertEquals(0.5, isZero.measured(), 1e-12, "paired 0.5, not JMH's 2.0; the diagnostic row is ignored");
        assertFalse(isZero.met());
        assertEquals("jmh", goal(goals, "copy vs C memcpy (dram)").basis());
    }

    @Test
    void shouldCallAGoalUndecidedWhenTheMediansIntervalContainsTheTarget() {
        List<PageBenchReport.PairedRatio> p = List.of(new PageBenchReport.PairedRatio("copy", "dram", "c_memcpy", "goal",
                0.9, 0.7, 1.1, 0.85, 0.97, 101, 1000.0, 900.0, 0.9, 0.7, 1.1, null));
        PageBenchReport.Goal g = goal(Goals.evaluate(rows(), p), "copy vs C memcpy (dram)");
        assertFalse(g.met(), "the median decides met");
        assertTrue(g.basis().endsWith("101 rounds; undecided: the CI contains the target)"), g.basis());
    }
}
