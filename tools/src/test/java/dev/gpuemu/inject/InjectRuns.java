package dev.gpuemu.inject;

import dev.gpuemu.board.Machine;
import dev.gpuemu.images.BuiltinImages;
import dev.gpuemu.images.Image;
import dev.gpuemu.kernel.KernelException;

/// Boots a shipped image and runs an injection on it, for tests.
final class InjectRuns {
    private InjectRuns() {
    }

    static InjectResult run(String image, String device, int threads, int cycles, long seed, InjectMode mode) {
        Image img = BuiltinImages.find(image).orElseThrow();
        Machine m = img.builder().seed(seed).build();
        if (Boolean.getBoolean("inject.log") || System.getenv("INJECT_LOG") != null) {
            m.kernel().log().addListener(e -> {
                if (e.level() != dev.gpuemu.kernel.log.LogLevel.DEBUG && e.level() != dev.gpuemu.kernel.log.LogLevel.INFO) {
                    System.out.println(e.format());
                }
            });
        }
        try {
            m.boot();
        } catch (KernelException e) {
            throw new AssertionError("boot failed", e);
        }
        return Injector.run(m, image, new InjectSpec(device, threads, cycles, seed, mode, InjectSpec.DEFAULT_HANG_BOUND_NS));
    }

    static String describe(InjectResult r) {
        var w = new java.io.StringWriter();
        r.printSummary(new java.io.PrintWriter(w));
        return w.toString();
    }
}
