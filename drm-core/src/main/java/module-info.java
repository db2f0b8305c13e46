/// Kernel DRM core (registration, RegistrationGuard, ioctl dispatch, GEM/shmem).
module dev.gpuemu.drm {
    requires transitive dev.gpuemu.core;

    exports dev.gpuemu.kernel.drm;
    exports dev.gpuemu.kernel.drm.gem;
    exports dev.gpuemu.kernel.drm.ioctl;
    exports dev.gpuemu.kernel.drm.syncobj;
    exports dev.gpuemu.kernel.dmabuf;
    exports dev.gpuemu.kernel.drivers.vgem;
    exports dev.gpuemu.kernel.uapi.drm;
    exports dev.gpuemu.user.drm;
}
