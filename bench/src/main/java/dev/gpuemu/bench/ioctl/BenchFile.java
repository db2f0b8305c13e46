package dev.gpuemu.bench.ioctl;

import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Syscalls;

/// An open DRM node in an emulated process, as a benchmark thread uses it: the node's fd and,
/// opened on first request, the primary node of the same device (for the dumb-buffer ioctls,
/// which a render node refuses with `EACCES` as in Linux).
///
/// ## Invariants
/// `fd` is open in `proc` until [#close]; `primaryFd`, once opened, likewise.
///
/// ## Thread safety
/// [#primaryFd] is synchronized (threads of a shared file ask for it at setup); the fds may be
/// used by any thread, as in Linux.
///
/// ## Lifecycle
/// [#open] → [#close] once: closes the fds and, when the file owns its process, exits it.
public final class BenchFile implements AutoCloseable {
    private final Syscalls proc;
    private final boolean ownsProcess;
    private final String node;
    private final int fd;
    private int primaryFd = -1;
    private boolean closed;

    private BenchFile(Syscalls proc, boolean ownsProcess, String node, int fd) {
        this.proc = proc;
        this.ownsProcess = ownsProcess;
        this.node = node;
        this.fd = fd;
    }

    /// Opens `node` (`/dev/dri/renderD128`) in `proc`; `ownsProcess` makes [#close] exit it.
    ///
    /// @throws IllegalStateException when the open fails (the node was checked to exist)
    public static BenchFile open(Syscalls proc, boolean ownsProcess, String node) {
        int fd = proc.open(node, Fcntl.O_RDWR);
        if (fd < 0) {
            if (ownsProcess) {
                proc.close();
            }
            throw new IllegalStateException("open " + node + " failed: " + fd);
        }
        return new BenchFile(proc, ownsProcess, node, fd);
    }

    public Syscalls proc() {
        return proc;
    }

    public int fd() {
        return fd;
    }

    public String node() {
        return node;
    }

    /// The primary node (`/dev/dri/cardN`) of the device: `fd` itself when the node is a primary
    /// node, else `card(N - 128)` opened once in this process (render minors are primary + 128).
    ///
    /// @throws IllegalStateException when the primary node cannot be opened
    public synchronized int primaryFd() {
        if (node.contains("/card")) {
            return fd;
        }
        if (primaryFd < 0) {
            String card = primaryOf(node);
            int r = proc.open(card, Fcntl.O_RDWR);
            if (r < 0) {
                throw new IllegalStateException("open " + card + " (primary of " + node + ") failed: " + r);
            }
            primaryFd = r;
        }
        return primaryFd;
    }

    /// `/dev/dri/renderD(128 + n)` → `/dev/dri/card(n)`.
    static String primaryOf(String renderNode) {
        int at = renderNode.lastIndexOf("renderD");
        if (at < 0) {
            throw new IllegalArgumentException("not a render node: " + renderNode);
        }
        int minor = Integer.parseInt(renderNode.substring(at + "renderD".length()));
        return renderNode.substring(0, at) + "card" + (minor - 128);
    }

    /// Closes the fds; exits the process when this file owns it.
    @Override
    public synchronized void close() {
        if (closed) {
            throw new IllegalStateException("bench file already closed");
        }
        closed = true;
        if (primaryFd >= 0) {
            proc.close(primaryFd);
        }
        proc.close(fd);
        if (ownsProcess) {
            proc.close();
        }
    }
}
