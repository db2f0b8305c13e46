package dev.gpuemu.cli;

import dev.gpuemu.workload.IoctlRegistry;
import dev.gpuemu.workload.Script;
import dev.gpuemu.workload.ScriptException;
import dev.gpuemu.workload.WorkloadParser;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/// Loading workload scripts for the commands: every problem is an input error (exit 2) whose
/// message is `file:line:col: message` for script errors.
final class Scripts {
    private Scripts() {
    }

    static Script parse(Path file) {
        try {
            return WorkloadParser.parseFile(file, IoctlRegistry.standard());
        } catch (NoSuchFileException e) {
            throw new InputException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        } catch (ScriptException e) {
            throw InputException.located(e.getMessage());
        }
    }
}
