/// Kernel DRM core (registration, RegistrationGuard, ioctl dispatch, GEM/shmem); its packages arrive with issue [3/8].
module dev.gpuemu.drm {
    requires transitive dev.gpuemu.core;

    exports dev.gpuemu.kernel.uapi.drm;
}
