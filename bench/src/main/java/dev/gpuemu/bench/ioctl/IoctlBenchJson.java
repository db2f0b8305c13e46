package dev.gpuemu.bench.ioctl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuemu.kernel.drm.GuardStrategy;
import java.io.IOException;
import java.nio.file.Path;

/// The JSON form of an [IoctlBenchReport] (docs/cli.md, `gpuemu bench ioctl`).
///
/// One guard: one object with `image`, `node`, `guard`, `runs[]` (`threads`, `ioctl`,
/// `ops_per_sec`, `p50_ns`, `p99_ns`, `p999_ns`, `alloc_bytes_per_op`, plus `scaling`,
/// `ioctls_per_op`, `cpu_share`, `ops`, `errors`; an unsupported phase has `unsupported` and null numbers) and
/// `syscall_floor_ns` (null when unavailable, with `syscall_floor_reason`), plus `driver`,
/// `unsafe_baseline` (true for `none`), `guard_core_ioctls`, `shared_file` and `goals[]`.
/// Several guards: a wrapper with `image`, `node`, `driver`, `syscall_floor_ns`, `goals[]` and
/// `guards[]`, one such object per guard.
public final class IoctlBenchJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private IoctlBenchJson() {
    }

    public static ObjectNode toJson(IoctlBenchReport r) {
        if (r.guards().size() == 1) {
            ObjectNode o = guard(r, r.guards().getFirst());
            batch(o, r);
            o.set("goals", goals(r));
            o.put("command", r.command());
            return o;
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("image", r.image());
        o.put("node", r.node());
        o.put("driver", r.driver());
        floor(o, r.floor());
        batch(o, r);
        o.put("guard_core_ioctls", r.guardCoreIoctls());
        o.put("shared_file", r.sharedFile());
        o.put("command", r.command());
        o.set("goals", goals(r));
        ArrayNode gs = o.putArray("guards");
        r.guards().forEach(g -> gs.add(guard(r, g)));
        return o;
    }

    public static void write(IoctlBenchReport r, Path file) throws IOException {
        JSON.writeValue(file.toFile(), toJson(r));
    }

    private static ObjectNode guard(IoctlBenchReport r, IoctlBenchReport.GuardRuns g) {
        ObjectNode o = JSON.createObjectNode();
        o.put("image", r.image());
        o.put("node", r.node());
        o.put("driver", r.driver());
        o.put("guard", g.guard().name().toLowerCase());
        o.put("unsafe_baseline", g.guard() == GuardStrategy.NONE);
        o.put("guard_core_ioctls", r.guardCoreIoctls());
        o.put("shared_file", r.sharedFile());
        floor(o, r.floor());
        ArrayNode runs = o.putArray("runs");
        for (PhaseResult p : g.runs()) {
            ObjectNode x = runs.addObject();
            x.put("threads", p.threads());
            x.put("ioctl", p.kind().mixName());
            x.put("ioctls_per_op", p.kind().ioctlsPerOp());
            if (!p.ran()) {
                x.putNull("ops_per_sec");
                x.putNull("p50_ns");
                x.putNull("p99_ns");
                x.putNull("p999_ns");
                x.putNull("alloc_bytes_per_op");
                x.putNull("scaling");
                x.put("unsupported", p.unsupported());
                continue;
            }
            x.put("ops_per_sec", round(p.opsPerSec(), 1));
            x.put("p50_ns", p.latencyNs(50));
            x.put("p99_ns", p.latencyNs(99));
            x.put("p999_ns", p.latencyNs(99.9));
            x.put("alloc_bytes_per_op", round(p.allocBytesPerOp(), 2));
            double sc = g.scaling(p);
            if (Double.isNaN(sc)) {
                x.putNull("scaling");
            } else {
                x.put("scaling", round(sc, 3));
            }
            x.put("cpu_share", round(p.cpuShare(), 3));
            x.put("ops", p.ops());
            x.put("errors", p.errors());
        }
        return o;
    }

    private static void batch(ObjectNode o, IoctlBenchReport r) {
        ObjectNode b = o.putObject("null_ioctl_batch_ns");
        r.batch().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> b.put(e.getKey().mixName(), round(e.getValue().medianNs(), 2)));
    }

    private static void floor(ObjectNode o, SyscallFloor f) {
        if (f.available()) {
            o.put("syscall_floor_ns", round(f.ns(), 2));
            if (!Double.isNaN(f.otherNs())) {
                o.put("syscall_floor_other_ns", round(f.otherNs(), 2));
            }
        } else {
            o.putNull("syscall_floor_ns");
            o.put("syscall_floor_reason", f.reason());
        }
    }

    private static ArrayNode goals(IoctlBenchReport r) {
        ArrayNode a = JSON.createArrayNode();
        for (IoctlBenchReport.Goal g : r.goals()) {
            ObjectNode x = a.addObject();
            x.put("name", g.name());
            x.put("ioctl", g.ioctl());
            x.put("value", round(g.value(), 4));
            x.put("target", g.target());
            x.put("met", g.met());
            x.put("detail", g.detail());
        }
        return a;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
