/// **Machine substrate: the interrupt controller.** Level-triggered lines that device models raise and lower; the controller calls the kernel's interrupt entry while a line is high and unmasked.
package dev.gpuemu.machine.irq;
