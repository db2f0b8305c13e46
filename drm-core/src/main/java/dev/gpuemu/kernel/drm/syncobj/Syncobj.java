package dev.gpuemu.kernel.drm.syncobj;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import java.util.concurrent.atomic.AtomicReference;

/// `struct drm_syncobj` (binary, not timeline): holds the current fence, or none.
///
/// A syncobj owns no kernel resources beyond its fence, so handles and fds share it by plain
/// reference; it is garbage once none of them holds it.
///
/// ## Thread safety
/// Thread-safe: the fence is replaced atomically.
public final class Syncobj {
    private final AtomicReference<DmaFence> fence = new AtomicReference<>();

    /// `drm_syncobj_replace_fence`: null removes the fence (`RESET`).
    public void replaceFence(DmaFence f) {
        fence.set(f);
    }

    /// The current fence, or null.
    public DmaFence fence() {
        return fence.get();
    }
}
