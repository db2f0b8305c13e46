/// **Composition root** (may see every world): builds a machine from device models, boots a kernel on it and exposes what the CLI and tests drive. Nothing in the hardware or kernel worlds may depend on this package.
package dev.gpuemu.board;
