package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.tyr.sched.GroupIoctls;
import dev.gpuemu.kernel.drm.DriverFeatures;
import dev.gpuemu.kernel.drm.DriverInfo;
import dev.gpuemu.kernel.drm.DrmDevice;
import dev.gpuemu.kernel.drm.DrmDriver;
import dev.gpuemu.kernel.drm.ioctl.IoctlDesc;
import dev.gpuemu.kernel.drm.ioctl.IoctlFlags;
import dev.gpuemu.kernel.drm.ioctl.IoctlHandler;
import dev.gpuemu.kernel.drm.ioctl.IoctlTable;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorBo;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorGroup;
import dev.gpuemu.kernel.uapi.panthor.PanthorQuery;
import dev.gpuemu.kernel.uapi.panthor.PanthorTiler;
import dev.gpuemu.kernel.uapi.panthor.PanthorVm;
import java.lang.foreign.MemoryLayout;

/// Tyr's DRM driver: device name `panthor` 1.5.0 (so panthor userspace recognises it),
/// `DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ`, and panthor's ioctl table from
/// `DRM_COMMAND_BASE` (numbers and layouts from [PanthorDrm]), every entry `DRM_RENDER_ALLOW`:
/// - `DEV_QUERY` ([TyrQuery]);
/// - `VM_CREATE`, `VM_DESTROY`, `VM_BIND` (synchronous), `VM_GET_STATE` ([TyrVmIoctls]);
/// - `BO_CREATE`, `BO_MMAP_OFFSET`, `BO_SET_LABEL` ([TyrBoIoctls]; objects are shmem GEM
///   objects, [TyrBo]);
/// - `SET_USER_MMIO_OFFSET` ([TyrFile#setUserMmioOffset]; the user MMIO page itself, the
///   `LATEST_FLUSH` register mapping, is not offered by `mmap`);
/// - `GROUP_CREATE`, `GROUP_DESTROY`, `GROUP_SUBMIT`, `GROUP_GET_STATE` ([GroupIoctls] on the
///   registration's [dev.gpuemu.kernel.drivers.tyr.sched.TyrScheduler]);
/// - `TILER_HEAP_*`: `EOPNOTSUPP` (tiler heaps are not modelled).
///
/// ## Thread safety
/// Stateless.
public final class TyrDrm implements DrmDriver<TyrDrm.Data, TyrRegistration, TyrFile> {
    public static final DriverInfo INFO = new DriverInfo(1, 5, 0, "panthor", "ARM Mali Tyr DRM driver");

    /// Driver data living in the DRM device (may outlive unbind): only immutable facts.
    ///
    /// @param info the GPU info read at probe
    public record Data(GpuInfo info) {
    }

    /// What probe hands out about the DRM device: its `Normal` view and node paths.
    ///
    /// @param device the DRM device
    /// @param primaryNode `/dev/dri/cardN`
    /// @param renderNode `/dev/dri/renderDN`
    public record Handle(DrmDevice<Data, TyrRegistration> device, String primaryNode, String renderNode) {
    }

    private final IoctlTable<Data, TyrRegistration, TyrFile> ioctls = IoctlTable.of(
            ioctl("DEV_QUERY", PanthorDrm.DRM_PANTHOR_DEV_QUERY, PanthorQuery.DevQuery.LAYOUT,
                    (dev, data, arg, file, task) -> TyrQuery.devQuery(data, arg, file, task)),
            ioctl("VM_CREATE", PanthorDrm.DRM_PANTHOR_VM_CREATE, PanthorVm.Create.LAYOUT,
                    (dev, data, arg, file, task) -> TyrVmIoctls.create(data, arg, file)),
            ioctl("VM_DESTROY", PanthorDrm.DRM_PANTHOR_VM_DESTROY, PanthorVm.Destroy.LAYOUT,
                    (dev, data, arg, file, task) -> TyrVmIoctls.destroy(arg, file)),
            ioctl("VM_BIND", PanthorDrm.DRM_PANTHOR_VM_BIND, PanthorVm.Bind.LAYOUT,
                    (dev, data, arg, file, task) -> TyrVmIoctls.bind(arg, file, task)),
            ioctl("VM_GET_STATE", PanthorDrm.DRM_PANTHOR_VM_GET_STATE, PanthorVm.GetState.LAYOUT,
                    (dev, data, arg, file, task) -> TyrVmIoctls.getState(arg, file)),
            ioctl("BO_CREATE", PanthorDrm.DRM_PANTHOR_BO_CREATE, PanthorBo.Create.LAYOUT,
                    (dev, data, arg, file, task) -> TyrBoIoctls.create(arg, file)),
            ioctl("BO_MMAP_OFFSET", PanthorDrm.DRM_PANTHOR_BO_MMAP_OFFSET, PanthorBo.MmapOffset.LAYOUT,
                    (dev, data, arg, file, task) -> TyrBoIoctls.mmapOffset(arg, file)),
            ioctl("GROUP_CREATE", PanthorDrm.DRM_PANTHOR_GROUP_CREATE, PanthorGroup.Create.LAYOUT,
                    GroupIoctls::groupCreate),
            ioctl("GROUP_DESTROY", PanthorDrm.DRM_PANTHOR_GROUP_DESTROY, PanthorGroup.Destroy.LAYOUT,
                    GroupIoctls::groupDestroy),
            ioctl("GROUP_SUBMIT", PanthorDrm.DRM_PANTHOR_GROUP_SUBMIT, PanthorGroup.Submit.LAYOUT,
                    GroupIoctls::groupSubmit),
            ioctl("GROUP_GET_STATE", PanthorDrm.DRM_PANTHOR_GROUP_GET_STATE, PanthorGroup.GetState.LAYOUT,
                    GroupIoctls::groupGetState),
            unsupported("TILER_HEAP_CREATE", PanthorDrm.DRM_PANTHOR_TILER_HEAP_CREATE, PanthorTiler.HeapCreate.LAYOUT),
            unsupported("TILER_HEAP_DESTROY", PanthorDrm.DRM_PANTHOR_TILER_HEAP_DESTROY,
                    PanthorTiler.HeapDestroy.LAYOUT),
            ioctl("BO_SET_LABEL", PanthorDrm.DRM_PANTHOR_BO_SET_LABEL, PanthorBo.SetLabel.LAYOUT,
                    (dev, data, arg, file, task) -> TyrBoIoctls.setLabel(arg, file, task)),
            ioctl("SET_USER_MMIO_OFFSET", PanthorDrm.DRM_PANTHOR_SET_USER_MMIO_OFFSET,
                    PanthorDrm.SetUserMmioOffset.LAYOUT,
                    (dev, data, arg, file, task) -> file.driverFile().setUserMmioOffset(
                            (long) PanthorDrm.SetUserMmioOffset.OFFSET.get(arg))));

    private static IoctlDesc<Data, TyrRegistration, TyrFile> ioctl(String name, int id, MemoryLayout layout,
                                                                   IoctlHandler<Data, TyrRegistration, TyrFile> h) {
        return IoctlDesc.iowr("DRM_IOCTL_PANTHOR_" + name, IoctlTable.DRM_COMMAND_BASE + id, layout,
                IoctlFlags.DRM_RENDER_ALLOW, h);
    }

    /// An ioctl of the panthor table this driver does not implement: `EOPNOTSUPP`.
    private static IoctlDesc<Data, TyrRegistration, TyrFile> unsupported(String name, int id, MemoryLayout layout) {
        return ioctl(name, id, layout, (dev, data, arg, file, task) -> {
            throw new KernelException(Errno.EOPNOTSUPP, "DRM_IOCTL_PANTHOR_" + name + " is not implemented");
        });
    }

    @Override
    public DriverInfo info() {
        return INFO;
    }

    @Override
    public int features() {
        return DriverFeatures.DRIVER_GEM | DriverFeatures.DRIVER_RENDER | DriverFeatures.DRIVER_SYNCOBJ;
    }

    @Override
    public IoctlTable<Data, TyrRegistration, TyrFile> ioctls() {
        return ioctls;
    }

    @Override
    public TyrFile openFile(DrmDevice<Data, TyrRegistration> dev) {
        return new TyrFile();
    }

    /// `panthor_postclose`: the file's groups are destroyed, then its VMs (their mappings drop
    /// their BOs).
    @Override
    public void postclose(DrmDevice<Data, TyrRegistration> dev, TyrFile file) {
        file.release();
    }
}
