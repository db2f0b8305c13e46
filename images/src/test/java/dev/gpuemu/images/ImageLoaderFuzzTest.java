package dev.gpuemu.images;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/// Fuzz target: [ImageLoader#load] on an arbitrary image file (any bytes: YAML or not, UTF-8 or
/// not) with the built-in registry. The only failure an image file may cause is an
/// [ImageException] naming the file, line and column; anything else escaping is a crash.
///
/// The file lives in a temporary directory of its own, so relative firmware and init paths
/// resolve there (to nothing) and the loader never reads project files.
class ImageLoaderFuzzTest {
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempDirectory("gpuemu-image-fuzz").resolve("fuzz.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void loadArbitraryFile(byte @NotNull [] file) throws IOException {
        Files.write(FILE, file);
        try {
            ImageLoader.load(FILE, "fuzz.yaml", DeviceRegistry.builtin());
        } catch (ImageException expected) {
            // the image author's mistake, reported with a position
        }
    }
}
