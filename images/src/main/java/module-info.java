/// Machine images: the boards gpuemu can boot, each wiring device models to a machine and
/// registering the drivers its kernel carries.
module dev.gpuemu.images {
    requires transitive dev.gpuemu.core;
    requires dev.gpuemu.mali;
    requires dev.gpuemu.nvidia;

    exports dev.gpuemu.images;
}
