/// **Composition root: machine images** gpuemu can boot.
package dev.gpuemu.images;
