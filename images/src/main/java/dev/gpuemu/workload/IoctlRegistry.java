package dev.gpuemu.workload;

import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.drm.UapiStruct;
import dev.gpuemu.kernel.uapi.drm.VgemDrm;
import dev.gpuemu.kernel.uapi.nova.NovaDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The ioctls a script may call by name: `DRM_IOCTL_*` names with their numbers and argument
/// layouts. Open for extension: a GPU driver's uAPI adds its list with [Builder#add].
///
/// ## Invariants
/// Names are unique.
///
/// ## Thread safety
/// Immutable.
public final class IoctlRegistry {
    private final Map<String, DrmIoctl> byName;
    private final Map<String, UapiStruct> structs;

    private IoctlRegistry(Map<String, DrmIoctl> byName, Map<String, UapiStruct> structs) {
        this.byName = Map.copyOf(byName);
        this.structs = Map.copyOf(structs);
    }

    /// The DRM core ioctls (`DrmIoctls.ALL`), vgem's (`VgemDrm.ALL`), panthor's
    /// (`PanthorDrm.ALL`) and nova's (`NovaDrm.ALL`); the structs of `UapiStruct.ALL`,
    /// `PanthorDrm.STRUCTS` and `NovaDrm.STRUCTS` for `struct`.
    public static IoctlRegistry standard() {
        return builder().add(DrmIoctls.ALL).add(VgemDrm.ALL).add(PanthorDrm.ALL).add(NovaDrm.ALL)
                .addStructs(UapiStruct.ALL).addStructs(PanthorDrm.STRUCTS).addStructs(NovaDrm.STRUCTS).build();
    }

    /// The uAPI struct with this C name (`drm_panthor_vm_bind_op`), for `struct read|write`.
    public Optional<UapiStruct> findStruct(String name) {
        return Optional.ofNullable(structs.get(name));
    }

    /// Every struct name, sorted.
    public List<String> structNames() {
        List<String> names = new ArrayList<>(structs.keySet());
        names.sort(null);
        return names;
    }

    public static Builder builder() {
        return new Builder();
    }

    /// The ioctl with this `drm.h` name.
    public Optional<DrmIoctl> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /// Every name, sorted.
    public List<String> names() {
        List<String> names = new ArrayList<>(byName.keySet());
        names.sort(null);
        return names;
    }

    /// Collects ioctl lists.
    public static final class Builder {
        private final Map<String, DrmIoctl> byName = new LinkedHashMap<>();
        private final Map<String, UapiStruct> structs = new LinkedHashMap<>();

        private Builder() {
        }

        /// Adds every ioctl of `ioctls`.
        ///
        /// @throws IllegalArgumentException if a name is already present
        public Builder add(Collection<DrmIoctl> ioctls) {
            for (DrmIoctl i : ioctls) {
                if (byName.putIfAbsent(i.name(), i) != null) {
                    throw new IllegalArgumentException("duplicate ioctl name " + i.name());
                }
            }
            return this;
        }

        /// Adds every struct of `list` by its C name.
        ///
        /// @throws IllegalArgumentException if a name is already present
        public Builder addStructs(Collection<UapiStruct> list) {
            for (UapiStruct s : list) {
                if (structs.putIfAbsent(s.name(), s) != null) {
                    throw new IllegalArgumentException("duplicate struct name " + s.name());
                }
            }
            return this;
        }

        public IoctlRegistry build() {
            return new IoctlRegistry(byName, structs);
        }
    }
}
