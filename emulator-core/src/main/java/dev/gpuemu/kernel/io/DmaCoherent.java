package dev.gpuemu.kernel.io;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.Devres;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.machine.mem.PageRun;
import dev.gpuemu.machine.mem.SystemMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/// A DMA-coherent buffer (`dma::CoherentAllocation`): physically contiguous system memory the
/// CPU reaches through this object and the device reaches at [#dmaAddress].
///
/// ## Invariants
/// The buffer lies below the device's DMA mask. After the binding's devres release the pages
/// are freed and every CPU access counts an oops and throws.
///
/// ## Thread safety
/// Accessors are plain (unordered) accesses: a driver publishing data to a device orders it
/// with the doorbell MMIO write that follows (MMIO writes are ordered after memory writes).
///
/// ## Lifecycle
/// allocated while bound → freed by devres at unbind (or by [#free] earlier, once).
public final class DmaCoherent {
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment cpu;
    private final PageRun run;
    private final long size;
    private final Scope scope;
    private final Devres.Action devres;
    private final dev.gpuemu.kernel.Oopses oopses;

    private DmaCoherent(Device<? extends Bound> dev, PageRun run, long size, String name) {
        SystemMemory mem = dev.kernel().hw().memory();
        this.run = run;
        this.size = size;
        this.cpu = mem.direct(run.physAddr(), run.bytes());
        this.oopses = dev.kernel().oopses();
        this.scope = new Scope(dev.kernel().oopses(), "DMA buffer " + name + " of " + dev.node());
        this.devres = Devres.add(dev, "dma_free_coherent " + name, () -> {
            scope.end();
            mem.free(run);
        });
    }

    /// `dma_alloc_coherent`: zeroed, contiguous, below the device's DMA mask; `ENOMEM` otherwise.
    public static DmaCoherent alloc(Device<? extends Bound> dev, long size, String name) throws KernelException {
        dev.checkProof("dma_alloc_coherent " + name);
        if (size <= 0) {
            throw new KernelException(Errno.EINVAL, "dma_alloc_coherent size " + size);
        }
        SystemMemory mem = dev.kernel().hw().memory();
        int pages = (int) ((size + SystemMemory.PAGE_SIZE - 1) / SystemMemory.PAGE_SIZE);
        PageRun run = mem.allocContiguous(pages, dev.node() + " " + name);
        if (run == null) {
            throw new KernelException(Errno.ENOMEM, "no contiguous run of " + pages + " pages");
        }
        int bits = dev.node().dmaMaskBits();
        if (bits < 64 && run.physAddr() + run.bytes() > (1L << bits)) {
            mem.free(run);
            throw new KernelException(Errno.ENOMEM, "no memory below the " + bits + "-bit DMA mask");
        }
        mem.direct(run.physAddr(), run.bytes()).fill((byte) 0);
        return new DmaCoherent(dev, run, size, name);
    }

    /// The bus address the device uses.
    public long dmaAddress() {
        scope.check("dma address");
        return run.physAddr();
    }

    public long size() {
        return size;
    }

    public int read32(long offset) {
        check(offset, 4);
        return cpu.get(LE_INT, offset);
    }

    public void write32(long offset, int value) {
        check(offset, 4);
        cpu.set(LE_INT, offset, value);
    }

    public long read64(long offset) {
        check(offset, 8);
        return cpu.get(LE_LONG, offset);
    }

    public void write64(long offset, long value) {
        check(offset, 8);
        cpu.set(LE_LONG, offset, value);
    }

    /// Copies `length` bytes into `dst` at `dstOffset`.
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        check(offset, length);
        MemorySegment.copy(cpu, ValueLayout.JAVA_BYTE, offset, dst, dstOffset, length);
    }

    /// Copies `length` bytes from `src` at `srcOffset`.
    public void write(long offset, byte[] src, int srcOffset, int length) {
        check(offset, length);
        MemorySegment.copy(src, srcOffset, cpu, ValueLayout.JAVA_BYTE, offset, length);
    }

    /// Frees the buffer before unbind (`dma_free_coherent`); a second call throws.
    public void free() {
        if (!devres.release()) {
            throw new IllegalStateException("DMA buffer already freed");
        }
    }

    private void check(long offset, long length) {
        scope.check("DMA buffer access");
        if (offset < 0 || length < 0 || offset > size - length) {
            throw oopses.bug("DMA buffer access at " + offset + "+" + length + " outside " + size + " bytes");
        }
    }
}
