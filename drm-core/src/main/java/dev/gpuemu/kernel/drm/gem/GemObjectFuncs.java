package dev.gpuemu.kernel.drm.gem;

import dev.gpuemu.kernel.KernelException;

/// The optional driver hooks of `drm_gem_object_funcs` that run per handle: `open` when a file
/// gets a handle to the object, `close` when that handle goes away (GEM_CLOSE or file close).
/// Memory management hooks (free, mmap, fault) are [GemObject]'s overridable methods instead.
///
/// ## Thread safety
/// Called without GEM locks held, possibly concurrently for different files.
public interface GemObjectFuncs {
    /// No hooks.
    GemObjectFuncs NONE = new GemObjectFuncs() {
    };

    /// A handle of `file` now names `obj`. Throwing unwinds the handle creation.
    default void open(GemObject obj, GemFile file) throws KernelException {
    }

    /// A handle of `file` to `obj` is being released.
    default void close(GemObject obj, GemFile file) {
    }
}
