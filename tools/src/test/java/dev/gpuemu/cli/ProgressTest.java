package dev.gpuemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.time.ClockMode;
import dev.gpuemu.machine.time.SimClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/// The progress line appears only after a second of wall time, only when enabled, and is erased
/// when the run ends; it is never wanted with a JSON report.
class ProgressTest {

    @Test
    void shouldDrawTheLineAfterASecondAndEraseItAtTheEnd() throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Progress p = Progress.start(clock, true, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            Thread.sleep(1400); // test thread only: the line starts after one second of wall time
            p.close();
            String s = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(s.startsWith("\r  running: 0.000000 s simulated, "), s);
            assertTrue(s.endsWith("\r\033[K"), "erased at the end: " + s);
            assertThrows(IllegalStateException.class, p::close);
        }
    }

    @Test
    void shouldStaySilentForAShortRunAndWhenDisabled() throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            var err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            Progress.start(clock, true, err).close();
            Progress off = Progress.start(clock, false, err);
            Thread.sleep(1200);
            off.close();
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        assertFalse(Progress.wanted(true), "never with --json");
    }
}
