package dev.gpuemu.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.workload.WorkloadResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/// What one `boot` or `run` found, printed as the human summary or written as the JSON report
/// whose fields docs/cli.md documents (schema `gpuemu.run/1`; fields are only ever added).
///
/// @param workload      the workload's file name, or null when none ran
/// @param result        the workload's result, or null when none ran
/// @param simBootedNs   simulated time when boot finished
/// @param simEndNs      simulated time at shutdown
///
/// ## Thread safety
/// Immutable.
record SessionReport(String image, long seed, String clock, List<DeviceRow> devices, List<String> drmNodes,
                     String workload, WorkloadResult result, MachineReport machine, long simBootedNs, long simEndNs,
                     long wallNs) {
    static final String SCHEMA = "gpuemu.run/1";

    /// One device on one bus.
    record DeviceRow(String name, String bus, String driver, boolean bound) {
    }

    long guestErrors() {
        return machine.guestErrors().values().stream().mapToLong(Long::longValue).sum();
    }

    boolean workloadPassed() {
        return result == null || result.passed();
    }

    /// 0 clean and passed; 1 a failed workload or an oops, leak or emulator failure.
    int exitCode() {
        return workloadPassed() && machine.clean() ? 0 : 1;
    }

    /// The summary after the log.
    void printSummary(PrintWriter out) {
        out.println("--");
        List<String> bound = devices.stream().filter(DeviceRow::bound)
                .map(d -> d.driver() + " " + d.bus() + ":" + d.name()).toList();
        out.printf("image %s: %d device(s), %d bound%s%n", image, devices.size(), bound.size(),
                bound.isEmpty() ? "" : " (" + String.join(", ", bound) + ")");
        if (!drmNodes.isEmpty()) {
            out.println("drm nodes: " + String.join(", ", drmNodes));
        }
        if (result != null) {
            out.printf("workload %s: %s, %d check(s) passed, %d failed%n", workload,
                    result.passed() ? "passed" : "FAILED", result.assertionsPassed(), result.assertionsFailed());
            result.messages().forEach(m -> out.println("  " + m));
            if (!result.passed()) {
                out.println("kernel log tail:");
                result.logTail().forEach(l -> out.println("  " + l));
            }
        }
        out.printf("time: %.6f s simulated to boot, %.6f s in all, %.3f s wall; seed %d, %s clock%n",
                simBootedNs / 1e9, simEndNs / 1e9, wallNs / 1e9, seed, clock);
        out.printf("shutdown: %d oops(es), %d guest error(s), %d leaked page(s), %d emulator failure(s)%n",
                machine.oopses(), guestErrors(), machine.leakedPages(), machine.clockFailures().size());
        machine.oopsMessages().forEach(m -> out.println("  oops: " + m));
        machine.leaks().forEach(m -> out.println("  leak: " + m));
        machine.clockFailures().forEach(m -> out.println("  failure: " + m));
        out.flush();
    }

    /// The JSON report (one object, pretty-printed, newline-terminated).
    void writeJson(Writer w) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("image", image);
            g.writeNumberField("seed", seed);
            g.writeStringField("clock", clock);
            g.writeArrayFieldStart("devices");
            for (DeviceRow d : devices) {
                g.writeStartObject();
                g.writeStringField("name", d.name());
                g.writeStringField("bus", d.bus());
                g.writeStringField("driver", d.driver());
                g.writeBooleanField("bound", d.bound());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("drm_nodes");
            for (String n : drmNodes) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("workload");
            g.writeStringField("file", workload);
            g.writeStringField("status", result == null ? "none" : result.passed() ? "passed" : "failed");
            g.writeNumberField("assertions_passed", result == null ? 0 : result.assertionsPassed());
            g.writeNumberField("assertions_failed", result == null ? 0 : result.assertionsFailed());
            g.writeArrayFieldStart("messages");
            for (String m : result == null ? List.<String>of() : result.messages()) {
                g.writeString(m);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeNumberField("oops", machine.oopses());
            g.writeNumberField("guest_errors", guestErrors());
            g.writeObjectFieldStart("guest_errors_by_kind");
            for (Map.Entry<String, Long> e : machine.guestErrors().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("leaked_pages", machine.leakedPages());
            g.writeNumberField("emulator_failures", machine.clockFailures().size());
            g.writeNumberField("sim_boot_ns", simBootedNs);
            g.writeNumberField("sim_time_ns", simEndNs);
            g.writeNumberField("wall_time_ms", wallNs / 1_000_000);
            g.writeNumberField("exit_code", exitCode());
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }
}
