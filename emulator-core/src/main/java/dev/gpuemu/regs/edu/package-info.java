/// **Shared register data: the edu test device** (QEMU docs/specs/edu.rst).
package dev.gpuemu.regs.edu;
