package dev.gpuemu.kernel.uapi.drm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.List;
import java.util.Objects;

/// One uAPI struct: its C name, its byte-exact layout and the ioctl number that carries it (the
/// first one when several do, e.g. `drm_prime_handle`). [#ALL] lists every struct of this
/// package, so tests and tools can walk them.
///
/// ## Thread safety
/// Immutable.
public record UapiStruct(String name, StructLayout layout, int cmd) {
    public UapiStruct {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(layout, "layout");
        if (!layout.name().orElse("").equals(name)) {
            throw new IllegalArgumentException("layout of " + name + " is named " + layout.name());
        }
    }

    /// The named members in declaration order (padding excluded).
    public List<String> fields() {
        return layout.memberLayouts().stream()
                .filter(m -> !(m instanceof java.lang.foreign.PaddingLayout))
                .map(m -> m.name().orElseThrow())
                .toList();
    }

    /// Byte offset of `field`.
    public long offsetOf(String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /// Every struct, in `drm.h` order, then `drm_mode.h`.
    public static final List<UapiStruct> ALL = List.of(
            new UapiStruct("drm_version", DrmVersion.LAYOUT, DrmIoctls.VERSION),
            new UapiStruct("drm_unique", DrmVersion.Unique.LAYOUT, DrmIoctls.GET_UNIQUE),
            new UapiStruct("drm_gem_close", DrmGem.Close.LAYOUT, DrmIoctls.GEM_CLOSE),
            new UapiStruct("drm_gem_flink", DrmGem.Flink.LAYOUT, DrmIoctls.GEM_FLINK),
            new UapiStruct("drm_gem_open", DrmGem.Open.LAYOUT, DrmIoctls.GEM_OPEN),
            new UapiStruct("drm_get_cap", DrmCap.GetCap.LAYOUT, DrmIoctls.GET_CAP),
            new UapiStruct("drm_set_client_cap", DrmCap.SetClientCap.LAYOUT, DrmIoctls.SET_CLIENT_CAP),
            new UapiStruct("drm_prime_handle", DrmPrime.LAYOUT, DrmIoctls.PRIME_HANDLE_TO_FD),
            new UapiStruct("drm_syncobj_create", DrmSyncobj.Create.LAYOUT, DrmIoctls.SYNCOBJ_CREATE),
            new UapiStruct("drm_syncobj_destroy", DrmSyncobj.Destroy.LAYOUT, DrmIoctls.SYNCOBJ_DESTROY),
            new UapiStruct("drm_syncobj_handle", DrmSyncobj.Handle.LAYOUT, DrmIoctls.SYNCOBJ_HANDLE_TO_FD),
            new UapiStruct("drm_syncobj_transfer", DrmSyncobj.Transfer.LAYOUT, DrmIoctls.SYNCOBJ_TRANSFER),
            new UapiStruct("drm_syncobj_wait", DrmSyncobj.Wait.LAYOUT, DrmIoctls.SYNCOBJ_WAIT),
            new UapiStruct("drm_syncobj_timeline_wait", DrmSyncobj.TimelineWait.LAYOUT, DrmIoctls.SYNCOBJ_TIMELINE_WAIT),
            new UapiStruct("drm_syncobj_array", DrmSyncobj.Array.LAYOUT, DrmIoctls.SYNCOBJ_RESET),
            new UapiStruct("drm_syncobj_timeline_array", DrmSyncobj.TimelineArray.LAYOUT, DrmIoctls.SYNCOBJ_QUERY),
            new UapiStruct("drm_mode_create_dumb", DrmDumb.Create.LAYOUT, DrmIoctls.MODE_CREATE_DUMB),
            new UapiStruct("drm_mode_map_dumb", DrmDumb.Map.LAYOUT, DrmIoctls.MODE_MAP_DUMB),
            new UapiStruct("drm_mode_destroy_dumb", DrmDumb.Destroy.LAYOUT, DrmIoctls.MODE_DESTROY_DUMB));
}
