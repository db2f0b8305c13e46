package dev.gpuemu.workload;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

/// Fuzz target: [WorkloadParser#parse] on arbitrary text. The only failure a script may cause is
/// a [ScriptException] (with a position); anything else escaping is a crash.
///
/// Regression mode (the default test run) replays the seed corpus in
/// `src/test/resources/dev/gpuemu/workload/WorkloadParserFuzzTestInputs/parseArbitraryText/`;
/// `-Pfuzz` fuzzes (see docs/RELIABILITY.md).
class WorkloadParserFuzzTest {
    private static final IoctlRegistry IOCTLS = IoctlRegistry.standard();

    @FuzzTest
    void parseArbitraryText(@NotNull String text) {
        try {
            WorkloadParser.parse("fuzz.wl", text, IOCTLS);
        } catch (ScriptException expected) {
            // guest (script author) mistake: reported with a position, fine
        }
    }
}
