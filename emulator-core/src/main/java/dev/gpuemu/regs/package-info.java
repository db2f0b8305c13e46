/// **Shared register data** (neither world): register definitions and bit fields as data,
/// validated once and used by both a device model and its driver, so the two agree even on a
/// mistake. Nothing here has behaviour beyond encoding and decoding values.
package dev.gpuemu.regs;
