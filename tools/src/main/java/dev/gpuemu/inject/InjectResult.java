package dev.gpuemu.inject;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/// The report of one injection run: what ran, the violations, unplug latency, ioctl outcomes,
/// oopses and leaks. The JSON has exactly the fields: `image`, `device`, `mode`, `seed`,
/// `cycles`, `violations[]` (`invariant`, `step`, `detail`), `unplug_latency_us` (`p50`, `p99`,
/// `max`), `ioctls` (`ok`, `enodev`, `other`), `oops`, `leaks`.
///
/// Unplug latency is the host time plus the simulated time one unbind or remove took, in µs.
///
/// ## Thread safety
/// Immutable after construction.
public final class InjectResult {
    private final String image;
    private final String device;
    private final InjectMode mode;
    private final long seed;
    private final int cycles;
    private final List<Violation> violations;
    private final long violationCount;
    private final double p50;
    private final double p99;
    private final double max;
    private final long unplugs;
    private final long ok;
    private final long enodev;
    private final long other;
    private final long oops;
    private final long leaks;
    private final long handlerRuns;
    private final Map<String, Long> cycleKinds;
    private final long wallNs;

    InjectResult(String image, String device, InjectMode mode, long seed, int cycles, Checker c, long oops, long leaks,
                 Map<String, Long> cycleKinds, long wallNs) {
        this.image = image;
        this.device = device;
        this.mode = mode;
        this.seed = seed;
        this.cycles = cycles;
        this.violations = c.violations();
        this.violationCount = c.violationCount();
        Histogram h = c.latencyNs();
        this.unplugs = h.getTotalCount();
        this.p50 = unplugs == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0;
        this.p99 = unplugs == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0;
        this.max = unplugs == 0 ? 0 : h.getMaxValue() / 1000.0;
        this.ok = c.okCount();
        this.enodev = c.enodevCount();
        this.other = c.otherCount();
        this.oops = oops;
        this.leaks = leaks;
        this.handlerRuns = c.handlerRuns();
        this.cycleKinds = Map.copyOf(cycleKinds);
        this.wallNs = wallNs;
    }

    /// The image's name.
    public String image() {
        return image;
    }

    /// The bus device injected on.
    public String device() {
        return device;
    }

    public List<Violation> violations() {
        return violations;
    }

    /// Violations seen, including those not kept.
    public long violationCount() {
        return violationCount;
    }

    public long oops() {
        return oops;
    }

    public long leaks() {
        return leaks;
    }

    public int cycles() {
        return cycles;
    }

    public long unplugs() {
        return unplugs;
    }

    public double p50Us() {
        return p50;
    }

    public double p99Us() {
        return p99;
    }

    public double maxUs() {
        return max;
    }

    public long okIoctls() {
        return ok;
    }

    public long enodevIoctls() {
        return enodev;
    }

    public long otherIoctls() {
        return other;
    }

    /// Driver handler bodies the probe saw.
    public long handlerRuns() {
        return handlerRuns;
    }

    /// Cycles per kind (`unbind`, `unbind-mid-probe`, `remove`, `probe-fail`).
    public Map<String, Long> cycleKinds() {
        return cycleKinds;
    }

    public long wallNs() {
        return wallNs;
    }

    /// 0 clean, 1 any violation.
    public int exitCode() {
        return violationCount == 0 ? 0 : 1;
    }

    /// The human summary.
    public void printSummary(PrintWriter out) {
        out.printf("inject unbind: image %s, device %s, mode %s, seed %d: %d cycle(s) in %.1f s%n", image, device,
                mode.cliName(), seed, cycles, wallNs / 1e9);
        out.printf("  cycles: %s%n", cycleKinds);
        out.printf("  unplugs: %d, latency p50 %.1f us, p99 %.1f us, max %.1f us (host + simulated)%n", unplugs, p50,
                p99, max);
        out.printf("  ioctls: %d ok, %d ENODEV, %d other; driver handlers seen: %d%n", ok, enodev, other, handlerRuns);
        out.printf("  oops: %d, leaks: %d%n", oops, leaks);
        if (violationCount == 0) {
            out.println("  violations: none");
        } else {
            out.printf("  violations: %d%s%n", violationCount,
                    violationCount > violations.size() ? " (first " + violations.size() + " shown)" : "");
            for (Violation v : violations) {
                out.printf("    invariant %d, seed %d, step %d: %s%n", v.invariant(), seed, v.step(), v.detail());
            }
        }
        out.flush();
    }

    /// Writes the JSON report.
    public void writeJson(Writer w) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(w).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("image", image);
            g.writeStringField("device", device);
            g.writeStringField("mode", mode.cliName());
            g.writeNumberField("seed", seed);
            g.writeNumberField("cycles", cycles);
            g.writeArrayFieldStart("violations");
            for (Violation v : violations) {
                g.writeStartObject();
                g.writeNumberField("invariant", v.invariant());
                g.writeNumberField("step", v.step());
                g.writeStringField("detail", v.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("unplug_latency_us");
            g.writeNumberField("p50", p50);
            g.writeNumberField("p99", p99);
            g.writeNumberField("max", max);
            g.writeEndObject();
            g.writeObjectFieldStart("ioctls");
            g.writeNumberField("ok", ok);
            g.writeNumberField("enodev", enodev);
            g.writeNumberField("other", other);
            g.writeEndObject();
            g.writeNumberField("oops", oops);
            g.writeNumberField("leaks", leaks);
            g.writeEndObject();
        }
        w.write('\n');
        w.flush();
    }
}
