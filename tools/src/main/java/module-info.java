/// The `gpuemu` command line.
module dev.gpuemu.tools {
    requires dev.gpuemu.images;
    requires dev.gpuemu.bench;
    requires info.picocli;
    requires com.fasterxml.jackson.core;
    requires dev.gpuemu.mali;
    requires dev.gpuemu.nvidia;
    requires HdrHistogram;

    exports dev.gpuemu.inject;

    opens dev.gpuemu.cli to info.picocli;
}
