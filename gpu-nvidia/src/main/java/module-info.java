/// GA102-style device model, nova-core and nova-drm; packages arrive with issue [6/8].
module dev.gpuemu.nvidia {
    requires transitive dev.gpuemu.drm;
}
