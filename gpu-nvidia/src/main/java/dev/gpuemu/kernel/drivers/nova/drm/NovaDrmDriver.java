package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.DriverFeatures;
import dev.gpuemu.kernel.drm.DriverInfo;
import dev.gpuemu.kernel.drm.DrmDevice;
import dev.gpuemu.kernel.drm.DrmDriver;
import dev.gpuemu.kernel.drm.ioctl.IoctlDesc;
import dev.gpuemu.kernel.drm.ioctl.IoctlFlags;
import dev.gpuemu.kernel.drm.ioctl.IoctlHandler;
import dev.gpuemu.kernel.drm.ioctl.IoctlTable;
import dev.gpuemu.kernel.uapi.nova.NovaDrm;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import java.lang.foreign.MemoryLayout;

/// nova-drm's DRM driver (drivers/gpu/drm/nova/driver.rs): `nova` 0.0.0 "Nvidia Graphics",
/// `DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ`, and the ioctl table of [NovaDrm] from
/// `DRM_COMMAND_BASE`:
///
/// | nr | ioctl | flags | handler |
/// |---|---|---|---|
/// | 0x00 | GETPARAM | RENDER_ALLOW | [NovaGemIoctls] |
/// | 0x01 | GEM_CREATE | AUTH \| RENDER_ALLOW | [NovaGemIoctls] |
/// | 0x02 | GEM_INFO | AUTH \| RENDER_ALLOW | [NovaGemIoctls] |
/// | 0x03 | GPUEMU_GEM_CREATE | AUTH \| RENDER_ALLOW | [NovaGemIoctls] |
/// | 0x04 | GPUEMU_GEM_MMAP_OFFSET | AUTH \| RENDER_ALLOW | [NovaGemIoctls] |
/// | 0x05..0x09, 0x0B | GPUEMU_VM_*, GPUEMU_CHANNEL_* | AUTH \| RENDER_ALLOW | [NovaVmIoctls] |
/// | 0x0A | GPUEMU_SUBMIT | AUTH \| RENDER_ALLOW | [NovaSubmit] |
///
/// Handlers run only inside a registration guard (the DRM core's contract), with
/// [NovaRegistration] as proof of a bound parent; after unplug every ioctl is `ENODEV`.
///
/// ## Thread safety
/// Stateless.
public final class NovaDrmDriver implements DrmDriver<NovaDrmDriver.Data, NovaRegistration, NovaFile> {
    public static final DriverInfo INFO = new DriverInfo(0, 0, 0, "nova", "Nvidia Graphics");
    private static final int AUTH_RENDER = IoctlFlags.DRM_AUTH | IoctlFlags.DRM_RENDER_ALLOW;

    /// Driver data living in the DRM device (may outlive unbind): immutable facts only.
    ///
    /// @param chipset the chipset name nova-core probed (`GA102`)
    public record Data(String chipset) {
    }

    private final IoctlTable<Data, NovaRegistration, NovaFile> ioctls = IoctlTable.of(
            ioctl("DRM_IOCTL_NOVA_GETPARAM", NovaDrm.DRM_NOVA_GETPARAM, NovaDrm.GetParam.LAYOUT,
                    IoctlFlags.DRM_RENDER_ALLOW, (dev, data, arg, file, task) -> NovaGemIoctls.getParam(data, arg)),
            ioctl("DRM_IOCTL_NOVA_GEM_CREATE", NovaDrm.DRM_NOVA_GEM_CREATE, NovaDrm.GemCreate.LAYOUT, AUTH_RENDER,
                    (dev, data, arg, file, task) -> NovaGemIoctls.gemCreate(arg, file)),
            ioctl("DRM_IOCTL_NOVA_GEM_INFO", NovaDrm.DRM_NOVA_GEM_INFO, NovaDrm.GemInfo.LAYOUT, AUTH_RENDER,
                    (dev, data, arg, file, task) -> NovaGemIoctls.gemInfo(arg, file)),
            ioctl("DRM_IOCTL_NOVA_GPUEMU_GEM_CREATE", NovaDrm.DRM_NOVA_GPUEMU_GEM_CREATE,
                    NovaGpuemu.GemCreate.LAYOUT, AUTH_RENDER,
                    (dev, data, arg, file, task) -> NovaGemIoctls.gpuemuGemCreate(data, arg, file)),
            ioctl("DRM_IOCTL_NOVA_GPUEMU_GEM_MMAP_OFFSET", NovaDrm.DRM_NOVA_GPUEMU_GEM_MMAP_OFFSET,
                    NovaGpuemu.GemMmapOffset.LAYOUT, AUTH_RENDER,
                    (dev, data, arg, file, task) -> NovaGemIoctls.mmapOffset(arg, file)),
            ioctl("DRM_IOCTL_NOVA_GPUEMU_VM_CREATE", NovaDrm.DRM_NOVA_GPUEMU_VM_CREATE, NovaGpuemu.VmCreate.LAYOUT,
                    AUTH_RENDER, (dev, data, arg, file, task) -> NovaVmIoctls.vmCreate(data, arg, file)),
            ioctl("DRM_IOCTL_NOVA_GPUEMU_VM_DESTROY", NovaDrm.DRM_NOVA_GPUEMU_VM_DESTROY,
                    NovaGpuemu.VmDestroy.LAYOUT, AUTH_RENDER,
                    (dev, data, arg, file, task) -> NovaVmIoctls.vmDestroy(arg, file)),
            ioctl("DRM_IOCTL_NOVA_GPUEMU_VM_BIND", NovaDrm.DRM_NOVA_GPUEMU_VM_BIND, NovaGpuemu.VmBind.LAYOUT,
                    AUTH_RENDER, (dev, data, arg, file, task) -> NovaVmIoctls.vmBind(arg, file)),
            ioctl("DRM_IOCTL_NOVA_GPUEMU_CHANNEL_CREATE", NovaDrm.DRM_NOVA_GPUEMU_CHANNEL_CREATE,
                    NovaGpuemu.ChannelCreate.LAYOUT, AUTH_RENDER,
                    (dev, data, arg, file, task) -> NovaVmIoctls.channelCreate(data, arg, file)),
            ioctl("DRM_IOCTL_NOVA_GPUEMU_CHANNEL_DESTROY", NovaDrm.DRM_NOVA_GPUEMU_CHANNEL_DESTROY,
                    NovaGpuemu.ChannelDestroy.LAYOUT, AUTH_RENDER,
                    (dev, data, arg, file, task) -> NovaVmIoctls.channelDestroy(arg, file)),
            ioctl("DRM_IOCTL_NOVA_GPUEMU_SUBMIT", NovaDrm.DRM_NOVA_GPUEMU_SUBMIT, NovaGpuemu.Submit.LAYOUT,
                    AUTH_RENDER, (dev, data, arg, file, task) -> NovaSubmit.submit(data, arg, file, task)),
            ioctl("DRM_IOCTL_NOVA_GPUEMU_CHANNEL_GET_STATE", NovaDrm.DRM_NOVA_GPUEMU_CHANNEL_GET_STATE,
                    NovaGpuemu.ChannelGetState.LAYOUT, AUTH_RENDER,
                    (dev, data, arg, file, task) -> NovaVmIoctls.channelGetState(arg, file)));

    private static IoctlDesc<Data, NovaRegistration, NovaFile> ioctl(String name, int id, MemoryLayout layout, int flags,
                                                                     IoctlHandler<Data, NovaRegistration, NovaFile> h) {
        return IoctlDesc.iowr(name, IoctlTable.DRM_COMMAND_BASE + id, layout, flags, h);
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
    public IoctlTable<Data, NovaRegistration, NovaFile> ioctls() {
        return ioctls;
    }

    @Override
    public NovaFile openFile(DrmDevice<Data, NovaRegistration> dev) throws KernelException {
        return new NovaFile();
    }

    /// The file's channels (pending jobs cancelled) and VMs are released; GEM handles are the core's.
    @Override
    public void postclose(DrmDevice<Data, NovaRegistration> dev, NovaFile file) {
        file.release();
    }
}
