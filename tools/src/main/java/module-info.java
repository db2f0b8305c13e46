/// The `gpuemu` command line.
module dev.gpuemu.tools {
    requires dev.gpuemu.images;
    requires dev.gpuemu.bench;
    requires info.picocli;
    requires com.fasterxml.jackson.core;

    opens dev.gpuemu.cli to info.picocli;
}
