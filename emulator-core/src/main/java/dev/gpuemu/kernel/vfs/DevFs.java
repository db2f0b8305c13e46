package dev.gpuemu.kernel.vfs;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;

/// `devtmpfs`: the character device nodes under `/dev` (`/dev/dri/card0`,
/// `/dev/dri/renderD128`, ...), each backed by a [CharDev]. A driver registers a node when its
/// device becomes visible and closes the [Registration] when it goes away; `open(2)` looks the
/// path up here.
///
/// ## Invariants
/// At most one node per path. Paths are absolute and start with `/dev/`.
///
/// ## Thread safety
/// Thread-safe; `lookup` is lock-free.
///
/// ## Lifecycle
/// Owned by the `Kernel`, lives as long as it. Each node: [#register] → [Registration#close] once.
/// Files already opened through a removed node stay open (they hold no reference to the node).
public final class DevFs {
    /// Prefix every node path carries.
    public static final String ROOT = "/dev/";

    private final ConcurrentSkipListMap<String, Registration> nodes = new ConcurrentSkipListMap<>();

    /// Creates the node `path` served by `dev`.
    ///
    /// @throws KernelException `EEXIST` when the path is taken
    /// @throws IllegalArgumentException when the path is not below `/dev/` (a kernel bug)
    public Registration register(String path, CharDev dev) throws KernelException {
        Objects.requireNonNull(dev, "dev");
        checkPath(path);
        Registration r = new Registration(path, dev);
        if (nodes.putIfAbsent(path, r) != null) {
            throw new KernelException(Errno.EEXIST, "devfs: " + path + " already exists");
        }
        return r;
    }

    /// The device behind `path`, or null when there is no such node.
    public CharDev lookup(String path) {
        if (path == null) {
            return null;
        }
        Registration r = nodes.get(path);
        return r == null ? null : r.dev;
    }

    /// Every node path, sorted.
    public List<String> list() {
        return List.copyOf(nodes.keySet());
    }

    /// The node paths below directory `dir` (e.g. `/dev/dri`), at any depth, sorted: `ls -R`.
    public List<String> list(String dir) {
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        // '/' + 1 == '0': the half-open range [prefix, prefix with its last '/' bumped) is the subtree.
        String end = prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1);
        return List.copyOf(nodes.subMap(prefix, true, end, false).keySet());
    }

    private static void checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith(ROOT) || path.length() == ROOT.length() || path.endsWith("/")
                || path.contains("//")) {
            throw new IllegalArgumentException("devfs: bad node path '" + path + "'");
        }
    }

    /// One registered node; closing it removes the node.
    ///
    /// ## Lifecycle
    /// registered → [#close] once (a second close throws `IllegalStateException`).
    public final class Registration implements AutoCloseable {
        private final String path;
        private final CharDev dev;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Registration(String path, CharDev dev) {
            this.path = path;
            this.dev = dev;
        }

        public String path() {
            return path;
        }

        /// Removes the node: later opens of the path fail with `ENOENT`.
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                throw new IllegalStateException("devfs: node " + path + " already removed");
            }
            nodes.remove(path, this);
        }

        @Override
        public String toString() {
            return "devfs node " + path;
        }
    }
}
