package dev.gpuemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/// The rk3588 example workloads run end to end (`gpuemu run --image rk3588 SCRIPT`): GPU info,
/// copy/fill/saxpy jobs through the panthor uAPI with the tyr scheduler on the G610 model, and a
/// job faulting its group. The copy-fill workload's printed rates are the model's calibration
/// (CsfTiming.G610_MC4_RK3588) seen from inside the guest.
class Rk3588WorkloadsTest {
    private static final Path DIR = Path.of("..", "images", "src", "main", "resources", "images");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private String run(String script) {
        Path p = DIR.resolve(script);
        int rc = GpuemuCommand.execute(new String[] {"run", "--image", "rk3588", p.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        String o = out.toString();
        assertEquals(0, rc, o + err);
        assertTrue(o.contains("workload " + p + ": passed, "), o);
        assertTrue(o.contains("shutdown: 0 oops(es)"), o);
        assertTrue(o.contains(" 0 leaked page(s), 0 emulator failure(s)"), o);
        return o;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rk3588-gpu-info.wl", "rk3588-init.wl"})
    void shouldRunTheExampleWorkloadCleanly(String script) {
        run(script);
    }

    @Test
    void shouldReportTheFaultAsAPageFaultOfTheGroupsAddressSpace() {
        String o = run("rk3588-fault.wl");
        assertTrue(o.contains("tyr fb000000.gpu: Unhandled Page fault in AS1 at VA 0x0000000040000000"), o);
    }

    private static long number(String o, String regex) {
        Matcher m = Pattern.compile(regex).matcher(o);
        assertTrue(m.find(), regex + " in " + o);
        return Long.parseLong(m.group(1));
    }

    @Test
    void shouldPrintCopyBandwidthSaxpyAndFp32RatesMatchingTheTimingModel() {
        String o = run("rk3588-copy-fill.wl");
        long copy = number(o, "copy 4 MiB: \\d+ GPU ticks at 24000000 Hz = \\d+ ns, (\\d+) MB/s copied");
        long fill = number(o, "fill 4 MiB: \\d+ GPU ticks = \\d+ ns, (\\d+) MB/s written");
        long saxpy = number(o, "saxpy 512K floats \\(2N = 1M FP32 flops\\): \\d+ GPU ticks = \\d+ ns, (\\d+) MFLOP/s");
        long fma = number(o, "fma_loop 64K floats x 1024 \\(128 Mi FP32 flops\\): \\d+ GPU ticks = \\d+ ns, (\\d+) MFLOP/s");
        // Model: 20.476 GB/s of DRAM traffic, 4 us dispatch per job. A 4 MiB copy moves 8 MiB:
        // 409.7 us + 4 us -> 10.14 GB/s; a fill 204.8 + 4 us -> 20.08 GB/s; saxpy moves 12 bytes
        // per element (memory-bound): 307.3 + 4 us for 1 Mflop -> 3.37 GFLOP/s.
        assertTrue(copy > 10_000 && copy < 10_240, "copy " + copy + " MB/s");
        assertTrue(fill > 19_800 && fill < 20_480, "fill " + fill + " MB/s");
        assertTrue(saxpy > 3_300 && saxpy < 3_420, "saxpy " + saxpy + " MFLOP/s");
        // fma_loop: 128 Mi flops at 512 GFLOPS = 262.1 us + 4 us dispatch -> 504 GFLOP/s.
        assertTrue(fma > 495_000 && fma < 512_000, "fma_loop " + fma + " MFLOP/s");
    }
}
