package dev.gpuemu.bench.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.bench.drm.IoctlDispatchReport.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class IoctlDispatchReportTest {
    private static final IoctlDispatchReport REPORT = new IoctlDispatchReport(List.of(
            new Row("getCap", "SRCU", true, 60.0, 1, 0.0),
            new Row("getCap", "SRCU", false, 55.0, 1, 0.0001),
            new Row("getCap", "NONE", true, 52.0, 1, 0.0),
            new Row("getCap", "NONE", false, 50.0, 1, 0.0),
            new Row("fenceSignalEnoent", "SRCU", null, 80.0, 1, 0.0),
            new Row("fenceSignalEnoent", "NONE", null, 64.0, 1, 0.0),
            new Row("guardEnterExit", "SRCU", null, 9.0, 1, 0.0)));

    @Test
    void shouldTakeTheRatioAgainstNoneWithCoreIoctlsUnguardedOfTheSameBenchmark() {
        assertEquals(1.2, REPORT.ratio(REPORT.find("getCap", "SRCU", true).orElseThrow()), 1e-12);
        assertEquals(1.1, REPORT.ratio(REPORT.find("getCap", "SRCU", false).orElseThrow()), 1e-12);
        assertEquals(1.04, REPORT.ratio(REPORT.find("getCap", "NONE", true).orElseThrow()), 1e-12);
        assertEquals(1.25, REPORT.ratio(REPORT.find("fenceSignalEnoent", "SRCU", null).orElseThrow()), 1e-12);
    }

    @Test
    void shouldGiveNoRatioWithoutABaselineInTheSameRun() {
        assertTrue(Double.isNaN(REPORT.ratio(REPORT.find("guardEnterExit", "SRCU", null).orElseThrow())));
        assertTrue(REPORT.format().contains("guardEnterExit       SRCU"));
    }

    @Test
    void shouldListTheBaselineFirstPerBenchmark() {
        assertEquals(new Row("fenceSignalEnoent", "NONE", null, 64.0, 1, 0.0), REPORT.rows().getFirst());
        assertEquals("NONE", REPORT.rows().get(2).guard());
        assertEquals(Boolean.FALSE, REPORT.rows().get(2).coreGuarded());
    }

    @Test
    void shouldJudgeEachGoalFromTheRun() {
        List<String> goals = REPORT.goals();
        assertEquals(5, goals.size(), goals.toString());
        assertTrue(goals.get(0).startsWith("met:") && goals.get(0).contains("55.00 ns/op"), goals.get(0));
        assertTrue(goals.get(1).startsWith("met:"), "0.0001 B/op is JMH noise: " + goals.get(1));
        assertTrue(goals.get(2).startsWith("met:") && goals.get(2).contains("+10.0 %"), goals.get(2));
        assertTrue(goals.get(3).startsWith("NOT met:") && goals.get(3).contains("+20.0 %"), goals.get(3));
        assertTrue(goals.get(4).startsWith("NOT met:") && goals.get(4).contains("+25.0 %"), goals.get(4));
    }
}
