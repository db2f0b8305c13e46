package dev.gpuemu.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/// Runs every ```workload block of docs/workloads.md and every script in docs/examples on a
/// fresh edu + vgem machine: the documentation's examples must pass as written.
class WorkloadDocsTest {
    private static final Path DOCS = Path.of("..", "docs");

    /// One fenced example: its first script line in the markdown file and its text.
    record Example(int firstLine, String text) {
    }

    static List<Example> examples(List<String> lines) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```workload")) {
                int start = i + 1;
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < lines.size() && !lines.get(i).strip().equals("```")) {
                    sb.append(lines.get(i)).append('\n');
                    i++;
                }
                out.add(new Example(start + 1, sb.toString()));
            }
        }
        return out;
    }

    private static void runPassing(String file, Script script) {
        try (Machine m = TestMachines.eduVgem(0)) {
            WorkloadResult r = Workload.run(m, script, 0, line -> { });
            assertTrue(r.passed(), () -> file + ": " + r.messages() + "\n" + String.join("\n", r.logTail()));
            assertEquals(0, r.assertionsFailed());
        }
    }

    @Test
    void shouldFindTheExamplesOfTheWorkloadsPage() throws IOException {
        List<Example> found = examples(Files.readAllLines(DOCS.resolve("workloads.md")));
        assertTrue(found.size() >= 7, "examples found: " + found.size());
        assertTrue(found.getFirst().text().startsWith("irq mask 16"), found.getFirst().text());
    }

    @TestFactory
    Stream<DynamicTest> shouldPassEveryExampleOfTheWorkloadsPage() throws IOException {
        return examples(Files.readAllLines(DOCS.resolve("workloads.md"))).stream()
                .map(e -> DynamicTest.dynamicTest("docs/workloads.md:" + e.firstLine(), () -> {
                    Script s = WorkloadParser.parse("docs/workloads.md", e.text(), e.firstLine(), IoctlRegistry.standard());
                    runPassing("docs/workloads.md:" + e.firstLine(), s);
                }));
    }

    @TestFactory
    Stream<DynamicTest> shouldPassEveryExampleScript() throws IOException {
        try (Stream<Path> files = Files.list(DOCS.resolve("examples"))) {
            return files.filter(p -> p.toString().endsWith(".wl")).sorted().toList().stream()
                    .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                            () -> runPassing(p.toString(), WorkloadParser.parseFile(p, IoctlRegistry.standard()))));
        }
    }
}
