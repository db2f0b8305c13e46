package dev.gpuemu.board;

import java.util.List;
import java.util.Map;

/// What a machine run left behind: kernel bugs, guest mistakes, leaked pages and emulator
/// failures. A clean run has no oopses, no leaks and no failures.
///
/// @param oopses          kernel oops count (use-after-unbind and other detected bugs)
/// @param oopsMessages    the kept oops messages
/// @param guestErrors     guest errors by kind
/// @param leaks           system-memory allocations and pins still live at shutdown
/// @param leakedPages     pages still out of the pool at shutdown
/// @param clockFailures   exceptions that escaped device events (emulator bugs)
public record MachineReport(long oopses, List<String> oopsMessages, Map<String, Long> guestErrors, List<String> leaks,
                            int leakedPages, List<String> clockFailures) {

    public MachineReport {
        oopsMessages = List.copyOf(oopsMessages);
        guestErrors = Map.copyOf(guestErrors);
        leaks = List.copyOf(leaks);
        clockFailures = List.copyOf(clockFailures);
    }

    /// No oopses, no leaks, no emulator failures.
    public boolean clean() {
        return oopses == 0 && leaks.isEmpty() && leakedPages == 0 && clockFailures.isEmpty();
    }
}
