package dev.gpuemu.cli;

import dev.gpuemu.images.BuiltinImages;
import dev.gpuemu.images.Image;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/// `gpuemu images`: the shipped images, one per line with their description; the default marked.
@Command(name = "images", mixinStandardHelpOptions = true,
        description = "List the shipped machine images (boot one with `gpuemu boot NAME`, or boot your own image file).")
final class ImagesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int width = BuiltinImages.names().stream().mapToInt(String::length).max().orElse(0);
        for (String name : BuiltinImages.names()) {
            Image img = BuiltinImages.find(name).orElseThrow();
            out.printf("%-" + width + "s  %s%s%n", name, img.description(), name.equals(BuiltinImages.DEFAULT) ? " (default)" : "");
        }
        out.flush();
        return 0;
    }
}
