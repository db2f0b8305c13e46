/// Machine images: the image file format (YAML, docs/images.md), the registry of device models
/// and drivers images may name, the images gpuemu ships, and the workload scripts that run on
/// them (docs/workloads.md).
module dev.gpuemu.images {
    requires transitive dev.gpuemu.core;
    requires transitive dev.gpuemu.drm;
    requires dev.gpuemu.mali;
    requires dev.gpuemu.nvidia;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.yaml.snakeyaml;

    exports dev.gpuemu.images;
    exports dev.gpuemu.workload;
}
