package dev.gpuemu.images;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The images gpuemu ships: image files under `images/` in this module's resources, loaded with
/// the built-in [DeviceRegistry] on first use. GPU issues add their files to [#NAMES].
///
/// ## Thread safety
/// Thread-safe; each image is loaded once.
public final class BuiltinImages {
    /// The image `gpuemu boot` uses when none is named.
    public static final String DEFAULT = "dual";
    /// Shipped image names, in listing order.
    private static final List<String> NAMES = List.of("edu", "vgem", "rk3588", "ga102-pc", "dual");

    private static final Map<String, Image> LOADED = new LinkedHashMap<>();

    private BuiltinImages() {
    }

    /// The shipped image with this name.
    ///
    /// @throws IllegalStateException if a shipped image file is broken (a build defect: the
    ///         test suite loads every one)
    public static Optional<Image> find(String name) {
        if (!NAMES.contains(name)) {
            return Optional.empty();
        }
        synchronized (LOADED) {
            Image img = LOADED.get(name);
            if (img == null) {
                try {
                    img = ImageLoader.load(resource(name), "images/" + name + ".yaml", DeviceRegistry.builtin());
                } catch (ImageException e) {
                    throw new IllegalStateException("shipped image is broken: " + e.getMessage(), e);
                }
                LOADED.put(name, img);
            }
            return Optional.of(img);
        }
    }

    /// All shipped image names, in listing order.
    public static List<String> names() {
        return NAMES;
    }

    /// The path of a shipped image file: a plain file when running from classes, a path in the
    /// jar's file system when running from a jar (so firmware and init files resolve alike).
    static Path resource(String name) {
        URL url = BuiltinImages.class.getResource("/images/" + name + ".yaml");
        if (url == null) {
            throw new IllegalStateException("shipped image file missing: images/" + name + ".yaml");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                jarFileSystem(uri);
            }
            return Path.of(uri);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open shipped image " + url, e);
        }
    }

    @SuppressWarnings("resource") // the jar's file system stays open for the JVM's life, like the class loader's
    private static FileSystem jarFileSystem(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            return FileSystems.getFileSystem(uri);
        }
    }
}
