/// **Composition root: the `gpuemu` command line** (Picocli).
package dev.gpuemu.cli;
