package dev.gpuemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/// Output options shared by `boot` and `run`: verbosity and the JSON report.
final class ReportOptions {
    @Option(names = {"-v", "--verbose"}, description = "Also print debug-level kernel log records.")
    boolean verbose;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the JSON report (docs/cli.md) to FILE; '-' writes it to stdout instead of the log and summary.")
    String json;

    boolean jsonToStdout() {
        return "-".equals(json);
    }

    /// Where the kernel log goes: stdout, or nowhere when the JSON report takes stdout.
    PrintWriter logSink(PrintWriter out) {
        return jsonToStdout() ? new PrintWriter(Writer.nullWriter()) : out;
    }

    /// Prints the summary (unless the report takes stdout) and writes the JSON report if asked;
    /// returns the exit code. A report file that cannot be written is an input error (exit 2).
    int finish(SessionReport report, PrintWriter out) {
        if (!jsonToStdout()) {
            report.printSummary(out);
        }
        if (json != null) {
            try {
                if (jsonToStdout()) {
                    report.writeJson(out);
                    out.flush();
                } else {
                    try (Writer w = Files.newBufferedWriter(Path.of(json), StandardCharsets.UTF_8)) {
                        report.writeJson(w);
                    }
                }
            } catch (IOException e) {
                throw new InputException("cannot write the JSON report to " + json + ": " + e.getMessage());
            }
        }
        return report.exitCode();
    }
}
