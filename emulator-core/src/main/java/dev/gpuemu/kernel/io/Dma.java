package dev.gpuemu.kernel.io;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;

/// DMA configuration of a bound device.
public final class Dma {
    private Dma() {
    }

    /// `dma_set_mask_and_coherent`: the device can master addresses below `2^bits`. Fewer than
    /// 12 or more than 64 bits is `EIO`, as the kernel refuses masks it cannot honour.
    public static void setMask(Device<? extends Bound> dev, int bits) throws KernelException {
        dev.checkProof("dma_set_mask");
        if (bits < 12 || bits > 64) {
            throw new KernelException(Errno.EIO, "unsupported DMA mask of " + bits + " bits");
        }
        dev.node().setDmaMaskBits(bits);
    }
}
