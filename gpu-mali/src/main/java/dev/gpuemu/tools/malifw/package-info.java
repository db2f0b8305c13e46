/// Build-time tools of the Mali model: the writer of the emulated CSF firmware image
/// (`mali_csffw.bin`). Neither hardware nor kernel: it only knows the shared formats in
/// `dev.gpuemu.regs.mali`.
package dev.gpuemu.tools.malifw;
