package dev.gpuemu.workload;

import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.drm.VgemDrm;
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

    private IoctlRegistry(Map<String, DrmIoctl> byName) {
        this.byName = Map.copyOf(byName);
    }

    /// The DRM core ioctls (`DrmIoctls.ALL`) and vgem's (`VgemDrm.ALL`).
    public static IoctlRegistry standard() {
        return builder().add(DrmIoctls.ALL).add(VgemDrm.ALL).build();
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

        public IoctlRegistry build() {
            return new IoctlRegistry(byName);
        }
    }
}
