/// Machine images: the boards gpuemu can boot, each wiring device models to a machine and
/// registering the drivers its kernel carries; and the workload scripts that run on them.
module dev.gpuemu.images {
    requires transitive dev.gpuemu.core;
    requires transitive dev.gpuemu.drm;
    requires dev.gpuemu.mali;
    requires dev.gpuemu.nvidia;

    exports dev.gpuemu.images;
    exports dev.gpuemu.workload;
}
