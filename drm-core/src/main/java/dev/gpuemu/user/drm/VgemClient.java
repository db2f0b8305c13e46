package dev.gpuemu.user.drm;

import dev.gpuemu.kernel.uapi.drm.VgemDrm;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/// vgem's two driver ioctls (`vgem_drm.h`) on a [DrmClient] of a vgem node, as IGT's
/// `lib/igt_vgem.c` issues them: attach an unsignaled fence to a GEM object, and signal it.
///
/// A fence that is not signaled within 10 s of simulated time signals itself (vgem's timer); a
/// later [#fenceSignal] then fails with `ETIMEDOUT`. Fences still pending when the file closes
/// are signaled by the driver.
///
/// ## Invariants
/// The wrapped client's device reported the driver name `vgem` when this view was made.
///
/// ## Thread safety
/// As the wrapped client: one thread at a time.
///
/// ## Lifecycle
/// A view: it owns nothing; close the [DrmClient].
public final class VgemClient {
    /// `VGEM_FENCE_WRITE`: the fence stands for a write (the only valid `flags` bit).
    public static final int VGEM_FENCE_WRITE = VgemDrm.VGEM_FENCE_WRITE;

    private final DrmClient client;

    private VgemClient(DrmClient client) {
        this.client = client;
    }

    /// The vgem view of `client`.
    ///
    /// @throws IllegalArgumentException when the device's driver is not vgem
    /// @throws DrmErrnoException when `DRM_IOCTL_VERSION` fails
    public static VgemClient of(DrmClient client) {
        String name = Objects.requireNonNull(client, "client").version().name();
        if (!name.equals("vgem")) {
            throw new IllegalArgumentException("fd " + client.fd() + " is a " + name + " device, not vgem");
        }
        return new VgemClient(client);
    }

    /// The wrapped client.
    public DrmClient client() {
        return client;
    }

    /// `DRM_IOCTL_VGEM_FENCE_ATTACH`: a new unsignaled fence on the object `handle`.
    ///
    /// @param flags 0 or [#VGEM_FENCE_WRITE] (`EINVAL` otherwise); `ENOENT` for an unknown handle
    /// @return the fence id, for [#fenceSignal]
    public int fenceAttach(int handle, int flags) {
        MemorySegment a = client.begin();
        VgemDrm.FenceAttach.HANDLE.set(a, handle);
        VgemDrm.FenceAttach.FLAGS.set(a, flags);
        client.call(VgemDrm.FENCE_ATTACH);
        return (int) VgemDrm.FenceAttach.OUT_FENCE.get(a);
    }

    /// `DRM_IOCTL_VGEM_FENCE_SIGNAL` with error 0: `ENOENT` for an id that is unknown or was
    /// signaled through this call before, `ETIMEDOUT` when vgem's timer signaled it first.
    public void fenceSignal(int fenceId) {
        fenceSignal(fenceId, 0);
    }

    /// The same with an explicit `error` field (the kernel takes only 0: `EINVAL` otherwise).
    public void fenceSignal(int fenceId, int error) {
        MemorySegment a = client.begin();
        VgemDrm.FenceSignal.FENCE.set(a, fenceId);
        VgemDrm.FenceSignal.ERROR.set(a, error);
        client.call(VgemDrm.FENCE_SIGNAL);
    }

    @Override
    public String toString() {
        return "vgem " + client;
    }
}
