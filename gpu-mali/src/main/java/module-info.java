/// Mali-G610 device model and tyr-style driver; packages arrive with issue [5/8].
module dev.gpuemu.mali {
    requires transitive dev.gpuemu.drm;
}
