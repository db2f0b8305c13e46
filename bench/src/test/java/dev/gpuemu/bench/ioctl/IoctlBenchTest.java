package dev.gpuemu.bench.ioctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.vgem.Vgem;
import dev.gpuemu.kernel.drm.GuardStrategy;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/// Short `gpuemu bench ioctl` runs on a vgem machine: every kind runs (submit is reported
/// unsupported), counts and percentiles are sane, the JSON has the issue's fields. No speed
/// assertions.
class IoctlBenchTest {
    static final Supplier<Machine.Builder> VGEM = () -> Machine.builder().module(Vgem::init);
    private final StringWriter progress = new StringWriter();

    private static Map<IoctlKind, Integer> all() {
        Map<IoctlKind, Integer> m = new LinkedHashMap<>();
        Arrays.stream(IoctlKind.values()).forEach(k -> m.put(k, 1));
        return m;
    }

    private IoctlBenchReport run(List<GuardStrategy> guards, boolean shared, Map<IoctlKind, Integer> mix)
            throws KernelException {
        var s = new IoctlBench.Settings("vgem", "/dev/dri/renderD128", List.of(1, 2), 200, 0, mix, guards, shared, true,
                0, "test");
        return IoctlBench.run(s, VGEM, new PrintWriter(progress, true));
    }

    @Test
    void shouldRunEveryVgemKindPerGuardAndThreadCountAndReportSubmitUnsupported() throws KernelException {
        IoctlBenchReport r = run(List.of(GuardStrategy.values()), false, all());
        assertEquals("vgem", r.driver());
        assertEquals(List.of(), r.problems());
        assertEquals(3, r.guards().size());
        for (var g : r.guards()) {
            assertEquals(2 * IoctlKind.values().length, g.runs().size(), g.guard().name());
            for (PhaseResult p : g.runs()) {
                if (p.kind() == IoctlKind.SUBMIT) {
                    assertFalse(p.ran());
                    assertTrue(p.unsupported().contains("vgem has no job submission"), p.unsupported());
                    continue;
                }
                assertTrue(p.ran(), p.kind() + ": " + p.unsupported());
                assertEquals(200L * p.threads(), p.ops(), p.kind().mixName());
                assertEquals(0, p.errors(), p.kind().mixName() + " first error " + p.firstError());
                assertTrue(p.latencyNs(50) > 0 && p.latencyNs(50) <= p.latencyNs(99)
                        && p.latencyNs(99) <= p.latencyNs(99.9), p.kind().mixName());
                assertTrue(p.opsPerSec() > 0);
                assertTrue(p.allocBytesPerOp() >= 0);
                // Thread CPU time and the window are sampled at different instants: a short phase can read a little over 1.
                assertTrue(p.cpuShare() > 0 && p.cpuShare() <= 1.5, p.kind() + " cpu share " + p.cpuShare());
            }
            PhaseResult two = g.find(IoctlKind.GET_CAP, 2).orElseThrow();
            assertTrue(g.scaling(two) > 0);
        }
        assertTrue(progress.toString().contains("unsafe baseline"), progress.toString());
        assertTrue(r.format().contains("UNSAFE BASELINE"));
    }

    @Test
    void shouldTimeTheNullIoctlsLikeTheSyscallFloorWhenTheFloorIsMeasured() throws KernelException {
        Map<IoctlKind, Integer> mix = new LinkedHashMap<>();
        mix.put(IoctlKind.GET_CAP, 1);
        mix.put(IoctlKind.GEM_CREATE_CLOSE, 1);
        var s = new IoctlBench.Settings("vgem", "/dev/dri/renderD128", List.of(1), 200, 0, mix,
                List.of(GuardStrategy.SRCU), false, true, 2_000, "test");
        IoctlBenchReport r = IoctlBench.run(s, VGEM, new PrintWriter(progress, true));
        assertEquals(java.util.Set.of(IoctlKind.GET_CAP), r.batch().keySet(), "only null ioctls are batch-timed");
        BatchTiming t = r.batch().get(IoctlKind.GET_CAP);
        assertEquals(0, t.errors());
        assertTrue(t.minNs() > 0 && t.minNs() <= t.medianNs() && t.medianNs() <= t.maxNs(), t.toString());
        JsonNode j = IoctlBenchJson.toJson(r);
        assertEquals(t.medianNs(), j.get("null_ioctl_batch_ns").get("get_cap").asDouble(), 0.01);
        assertTrue(r.format().contains("timed like the floor: get_cap"), r.format());
        if (r.floor().available()) {
            var goal = r.goals().stream().filter(g -> g.name().equals("null_ioctl_vs_syscall_floor")).findFirst().orElseThrow();
            assertEquals(t.medianNs() / r.floor().ns(), goal.value(), 1e-9, "the goal compares like with like");
        }
    }

    @Test
    void shouldRunAllThreadsOnOneSharedFile() throws KernelException {
        IoctlBenchReport r = run(List.of(GuardStrategy.SRCU), true,
                Map.of(IoctlKind.GEM_CREATE_CLOSE, 1));
        PhaseResult two = r.guards().getFirst().find(IoctlKind.GEM_CREATE_CLOSE, 2).orElseThrow();
        assertEquals(400, two.ops());
        assertEquals(0, two.errors());
        assertTrue(r.sharedFile());
    }

    @Test
    void shouldWriteTheIssueFieldsPerGuardInAGuardsWrapper() throws KernelException {
        Map<IoctlKind, Integer> mix = new LinkedHashMap<>();
        mix.put(IoctlKind.GET_CAP, 1);
        mix.put(IoctlKind.SUBMIT, 1);
        IoctlBenchReport r = run(List.of(GuardStrategy.SRCU, GuardStrategy.NONE), false, mix);
        JsonNode j = IoctlBenchJson.toJson(r);
        assertEquals(2, j.get("guards").size());
        assertTrue(j.has("syscall_floor_ns") && j.get("syscall_floor_ns").isNull());
        assertEquals("not measured (--floor-calls 0)", j.get("syscall_floor_reason").asText());
        for (JsonNode g : j.get("guards")) {
            for (String f : List.of("image", "node", "guard", "runs", "syscall_floor_ns", "unsafe_baseline")) {
                assertTrue(g.has(f), f);
            }
            assertEquals(g.get("guard").asText().equals("none"), g.get("unsafe_baseline").asBoolean());
            assertEquals(4, g.get("runs").size());
            for (JsonNode run : g.get("runs")) {
                for (String f : List.of("threads", "ioctl", "ops_per_sec", "p50_ns", "p99_ns", "p999_ns", "alloc_bytes_per_op")) {
                    assertTrue(run.has(f), f);
                }
                if (run.get("ioctl").asText().equals("submit")) {
                    assertTrue(run.get("ops_per_sec").isNull());
                    assertNotNull(run.get("unsupported"));
                } else {
                    assertTrue(run.get("ops_per_sec").asDouble() > 0);
                    assertTrue(run.get("p999_ns").asLong() >= run.get("p50_ns").asLong());
                }
            }
        }
        JsonNode single = IoctlBenchJson.toJson(new IoctlBenchReport(r.image(), r.node(), r.driver(), false, true,
                List.of(r.guards().getFirst()), r.floor(), r.batch(), "x", List.of()));
        assertEquals("srcu", single.get("guard").asText());
        assertFalse(single.has("guards"));
        List<String> goals = new java.util.ArrayList<>();
        j.get("goals").forEach(x -> goals.add(x.get("name").asText()));
        assertTrue(goals.contains("srcu_overhead_over_none") && goals.contains("scaling_2_threads"), goals.toString());
    }

    @Test
    void shouldPlotThroughputPerGuard() throws KernelException {
        IoctlBenchReport r = run(List.of(GuardStrategy.SRCU, GuardStrategy.RWLOCK), false, Map.of(IoctlKind.VERSION, 1));
        BufferedImage img = ThroughputPlot.render(r);
        assertEquals(ThroughputPlot.W, img.getWidth());
        assertEquals(IoctlKind.VERSION, ThroughputPlot.plotted(r).orElseThrow());
        assertEquals(List.of("1.6M", "400k", "2.5k", "950"), List.of(ThroughputPlot.si(1.6e6), ThroughputPlot.si(4e5),
                ThroughputPlot.si(2500), ThroughputPlot.si(950)));
        IoctlBenchReport noNull = run(List.of(GuardStrategy.SRCU), false, Map.of(IoctlKind.MMAP_OFFSET, 1));
        assertThrows(IllegalArgumentException.class, () -> ThroughputPlot.render(noNull));
    }

    @Test
    void shouldRefuseANodeTheImageDoesNotHave() {
        var s = new IoctlBench.Settings("vgem", "/dev/dri/renderD129", List.of(1), 10, 0, all(),
                List.of(GuardStrategy.SRCU), false, true, 0, "test");
        var e = assertThrows(IllegalArgumentException.class,
                () -> IoctlBench.run(s, VGEM, new PrintWriter(progress, true)));
        assertTrue(e.getMessage().contains("no DRM node /dev/dri/renderD129 on this image (nodes: /dev/dri/card0, /dev/dri/renderD128)"),
                e.getMessage());
    }

    @Test
    void shouldReportTheFloorUnavailableWithoutGcc() {
        SyscallFloor f = SyscallFloor.measure(java.util.Optional.empty(), 1000, 3);
        assertFalse(f.available());
        assertTrue(f.reason().contains("gcc not found"));
    }

    @Test
    void shouldKeepTheLowerOfTwoFloorsAndTheOtherMedian() {
        SyscallFloor a = new SyscallFloor(90, 89, 95, null, "gcc", Double.NaN);
        SyscallFloor b = new SyscallFloor(200, 150, 250, null, "gcc", Double.NaN);
        SyscallFloor none = SyscallFloor.unavailable("no gcc");
        assertEquals(new SyscallFloor(90, 89, 95, null, "gcc", 200), SyscallFloor.lower(b, a));
        assertEquals(a, SyscallFloor.lower(none, a));
        assertEquals(none, SyscallFloor.lower(none, none));
    }

    @Test
    void shouldMeasureTheFloorWhenGccIsThere() {
        SyscallFloor f = SyscallFloor.measure(1000, 3);
        if (SyscallFloor.findOnPath("gcc").isEmpty()) {
            assertFalse(f.available());
            return;
        }
        assertTrue(f.available(), f.reason());
        assertTrue(f.ns() > 0 && f.minNs() <= f.ns() && f.ns() <= f.maxNs(), f.toString());
    }
}
