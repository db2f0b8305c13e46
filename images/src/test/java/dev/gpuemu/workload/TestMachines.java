package dev.gpuemu.workload;

import dev.gpuemu.board.Machine;
import dev.gpuemu.images.BuiltinImages;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.vgem.Vgem;
import java.util.ArrayList;
import java.util.List;

/// Machines and runs for the workload tests: the `edu` image plus vgem (what the `vgem` image
/// file will describe), booted.
final class TestMachines {
    private TestMachines() {
    }

    static Machine eduVgem(long seed) {
        Machine m = BuiltinImages.find("edu").orElseThrow().builder().module(k -> Vgem.init(k)).seed(seed).build();
        try {
            m.boot();
        } catch (KernelException e) {
            m.close();
            throw new AssertionError("boot failed", e);
        }
        return m;
    }

    /// Parses and runs `text` on a fresh edu+vgem machine, closes the machine, returns the result.
    static WorkloadResult run(String text) throws ScriptException {
        return run("test.wl", text, new ArrayList<>());
    }

    static WorkloadResult run(String file, String text, List<String> printed) throws ScriptException {
        Script s = WorkloadParser.parse(file, text, IoctlRegistry.standard());
        try (Machine m = eduVgem(0)) {
            return Workload.run(m, s, 0, printed::add);
        }
    }
}
