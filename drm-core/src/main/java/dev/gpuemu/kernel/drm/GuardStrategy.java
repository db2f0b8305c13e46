package dev.gpuemu.kernel.drm;

/// How a DRM core implements `drm_dev_enter()`/`drm_dev_exit()` sections and the wait of
/// `drm_dev_unplug()`. Chosen once per kernel with [DrmCore#setGuardStrategy] before the first
/// DRM device is allocated; every device keeps the strategy it was allocated with.
///
/// | strategy | section (reader) | unplug (writer) | safe |
/// |---|---|---|---|
/// | [#SRCU] | `srcu_read_lock` on `drm_unplug_srcu` | `synchronize_srcu` | yes (the real design) |
/// | [#RWLOCK] | per-device `ReentrantReadWriteLock` read lock | write lock, taken and released | yes |
/// | [#NONE] | nothing (only the `unplugged` flag is read) | does not wait | **no** |
///
/// In every strategy `unplugged` is set before the writer side runs, and a section that sees it
/// set is refused (`ENODEV`); the strategies differ only in whether, and how, unplug waits for
/// sections that saw it clear.
///
/// ## Thread safety
/// Constants only.
public enum GuardStrategy {
    /// One SRCU domain per DRM core (`drm_unplug_srcu`): readers never block and never write
    /// shared memory; unplug waits for a grace period. The default.
    SRCU,
    /// A `ReentrantReadWriteLock` per device: the read lock for sections (reentrant, so guards
    /// nest), the write lock for unplug. Safe, but readers of one device write a shared word,
    /// so it does not scale across threads. For comparison.
    RWLOCK,
    /// No section at all: guards and point checks only read the `unplugged` flag, and unplug
    /// does not wait for handlers already running, which may then use freed registration data.
    /// **Unsafe: benchmarks only** (it measures what the guard costs). Selecting it logs a
    /// warning.
    NONE
}
