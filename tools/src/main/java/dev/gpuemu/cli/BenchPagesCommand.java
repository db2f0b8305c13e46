package dev.gpuemu.cli;

import dev.gpuemu.bench.pages.PageBench;
import dev.gpuemu.bench.pages.PageBenchReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `gpuemu bench pages [--quick] [--json FILE]`: the page engine against the C memcpy/memset
/// baseline, in one run. Exit 0 when the run completed (goals missed are reported, not failed).
@Command(name = "pages", mixinStandardHelpOptions = true,
        description = "Benchmark the page engine (JMH) against C memcpy/memset in the same run.")
final class BenchPagesCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Short in-process run (under a minute).")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--dram-mib", paramLabel = "N", defaultValue = "-1",
            description = "Size of each streaming buffer in MiB (default 1024, quick 256).")
    int dramMiB;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new InputException("cannot write " + json + ": directory " + parent + " does not exist");
            }
        }
        int mib = dramMiB > 0 ? dramMiB : quick ? 256 : 1024;
        if (mib < 64) {
            throw new InputException("--dram-mib must be at least 64 so the buffers exceed the caches");
        }
        PrintWriter out = spec.commandLine().getOut();
        String command = "gpuemu bench pages" + (quick ? " --quick" : "") + (dramMiB > 0 ? " --dram-mib " + dramMiB : "")
                + (json != null ? " --json " + json : "");
        PageBenchReport report = PageBench.run(new PageBench.Settings(quick, mib, command), out);
        if (json != null) {
            try {
                PageBench.writeJson(report, json);
            } catch (IOException e) {
                throw new InputException("cannot write " + json + ": " + e.getMessage());
            }
            out.println("wrote " + json);
        }
        return 0;
    }
}
