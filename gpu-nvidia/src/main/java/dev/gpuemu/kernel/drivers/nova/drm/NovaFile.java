package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.drm.Idr;

/// nova-drm's per-open-file state: the file's GPU VMs and channels (ids 1..). Objects are the
/// file's GEM handles (the DRM core's `GemFile`).
///
/// ## Thread safety
/// The tables are thread-safe; each VM and channel serialises its own changes.
///
/// ## Lifecycle
/// opened with the DRM file → [#release] once at postclose (also after unbind): channels first,
/// then VMs. Objects unbind already released are skipped.
public final class NovaFile {
    /// Most VMs per file.
    public static final int MAX_VMS = 16;
    /// Most channels per file.
    public static final int MAX_CHANNELS = 16;

    final Idr<NovaUserVm> vms = new Idr<>();
    final Idr<NovaUserChannel> channels = new Idr<>();
    private boolean released;

    NovaFile() {
    }

    NovaUserVm vm(int id) {
        return id <= 0 ? null : vms.find(id);
    }

    NovaUserChannel channel(int id) {
        return id <= 0 ? null : channels.find(id);
    }

    public int vmCount() {
        return vms.size();
    }

    public int channelCount() {
        return channels.size();
    }

    synchronized void release() {
        if (released) {
            throw new IllegalStateException("nova file already released");
        }
        released = true;
        channels.drain(NovaUserChannel::release);
        vms.drain(NovaUserVm::release);
    }
}
