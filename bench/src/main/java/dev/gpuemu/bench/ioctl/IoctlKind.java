package dev.gpuemu.bench.ioctl;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/// The ioctl kinds `gpuemu bench ioctl` measures, each under its mix name. One *op* of a kind may
/// be several ioctls (a create and its close); [#ioctlsPerOp] says how many, so a latency is the
/// cost of one user-visible action.
///
/// ## Thread safety
/// Constants only.
public enum IoctlKind {
    /// `DRM_IOCTL_VERSION`, null form (all lengths 0): a core ioctl that only copies a struct.
    VERSION("version", 1, true),
    /// `DRM_IOCTL_GET_CAP(DRM_CAP_PRIME)`: the other null ioctl.
    GET_CAP("get_cap", 1, true),
    /// A 4 KiB buffer object created and closed: `MODE_CREATE_DUMB` (vgem) or the driver's BO
    /// create (`PANTHOR_BO_CREATE`), then `GEM_CLOSE`.
    GEM_CREATE_CLOSE("gem_create_close", 2, false),
    /// The fake mmap offset of an existing BO: `MODE_MAP_DUMB` or `PANTHOR_BO_MMAP_OFFSET`.
    MMAP_OFFSET("mmap_offset", 1, false),
    /// `SYNCOBJ_CREATE`, `SYNCOBJ_SIGNAL`, `SYNCOBJ_WAIT` (already signalled), `SYNCOBJ_DESTROY`.
    SYNCOBJ("syncobj", 4, false),
    /// A tiny job through the driver's scheduler and back: `PANTHOR_GROUP_SUBMIT` of a one-NOP
    /// stream signalling a syncobj, then `SYNCOBJ_WAIT` for it (the job runs in simulated time).
    SUBMIT("submit", 2, false);

    private final String mixName;
    private final int ioctlsPerOp;
    private final boolean nullIoctl;

    IoctlKind(String mixName, int ioctlsPerOp, boolean nullIoctl) {
        this.mixName = mixName;
        this.ioctlsPerOp = ioctlsPerOp;
        this.nullIoctl = nullIoctl;
    }

    /// The name in `--mix` and in the JSON `ioctl` field.
    public String mixName() {
        return mixName;
    }

    /// Ioctls one op issues.
    public int ioctlsPerOp() {
        return ioctlsPerOp;
    }

    /// Whether this is a null ioctl (no driver work: what the guard's overhead is judged on).
    public boolean nullIoctl() {
        return nullIoctl;
    }

    /// The kind named `name` in `--mix`.
    public static Optional<IoctlKind> byMixName(String name) {
        return Arrays.stream(values()).filter(k -> k.mixName.equals(name)).findFirst();
    }

    /// Every mix name, in order.
    public static List<String> mixNames() {
        return Arrays.stream(values()).map(IoctlKind::mixName).toList();
    }
}
