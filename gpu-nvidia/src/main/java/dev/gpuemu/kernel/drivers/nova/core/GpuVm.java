package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.pci.PciDevice;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.kernel.io.DmaCoherent;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.nvidia.GmmuPde;
import dev.gpuemu.regs.nvidia.GmmuPte;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/// [NovaVm] with GMMU version-2 tables in coherent system memory: PDE3 (the PDB) -> PDE2 -> PDE1
/// -> PDE0 (dual, small half) -> PTE, each table one 4 KiB [DmaCoherent] page. Tables are never
/// freed before [#close] (an unmap only clears PTEs).
///
/// ## Thread safety
/// Thread-safe: `this` guards the tables and the page count.
final class GpuVm implements NovaVm {
    /// A table page and its child tables (null for the PTE level).
    private static final class Table {
        final DmaCoherent mem;
        final Table[] children;

        Table(DmaCoherent mem, int fanout) {
            this.mem = mem;
            this.children = fanout == 0 ? null : new Table[fanout];
        }
    }

    private static final int SYS = GmmuPde.APERTURE_SYSTEM_COHERENT_MEMORY;

    private final NovaDevice device;
    private final PciDevice<? extends Bound> pdev;
    private final Scope scope;
    private final Table root;
    private final List<DmaCoherent> tables = new ArrayList<>();
    final List<HwChannel> channels = new CopyOnWriteArrayList<>();
    private long mappedPages;
    private boolean closed;

    GpuVm(NovaDevice device, PciDevice<? extends Bound> pdev, Scope scope) throws KernelException {
        this.device = device;
        this.pdev = pdev;
        this.scope = scope;
        this.root = newTable(4);
    }

    private Table newTable(int fanout) throws KernelException {
        DmaCoherent mem = DmaCoherent.alloc(pdev, 4096, "nova gmmu table");
        tables.add(mem);
        return new Table(mem, fanout);
    }

    NovaDevice device() {
        return device;
    }

    /// The PDB (PDE3 table) bus address, aperture system coherent.
    long pdbAddress() {
        return root.mem.dmaAddress();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /// The PTE table covering `va`, creating missing levels when `create`.
    private Table pteTable(long va, boolean create) throws KernelException {
        int[] idx = {GmmuPde.pde3Index(va), GmmuPde.pde2Index(va), GmmuPde.pde1Index(va), GmmuPde.pde0Index(va)};
        int[] fanout = {512, 512, 256, 0};
        Table t = root;
        for (int level = 0; level < 4; level++) {
            Table next = t.children[idx[level]];
            if (next == null) {
                if (!create) {
                    return null;
                }
                next = newTable(fanout[level]);
                t.children[idx[level]] = next;
                long addr = next.mem.dmaAddress();
                if (level == 3) { // PDE0: dual entry, small-page half at +8
                    t.mem.write64((long) idx[level] * GmmuPde.DUAL_PDE_SIZE + 8, GmmuPde.dualSmall(SYS, addr, false));
                } else {
                    t.mem.write64((long) idx[level] * GmmuPde.PDE_SIZE, GmmuPde.encode(SYS, addr, false));
                }
            }
            t = next;
        }
        return t;
    }

    /// Writes one PTE (kernel and user paths); 0 clears it.
    void setPte(long va, long pte) throws KernelException {
        Table t = pteTable(va, pte != 0);
        if (t != null) {
            t.mem.write64((long) GmmuPde.pteIndex(va) * GmmuPte.SIZE, pte);
        }
    }

    long getPte(long va) throws KernelException {
        Table t = pteTable(va, false);
        return t == null ? 0 : t.mem.read64((long) GmmuPde.pteIndex(va) * GmmuPte.SIZE);
    }

    private static boolean inKernelRange(long va, long size) {
        return va < KERNEL_VA_END && va + size > KERNEL_VA_START;
    }

    private void checkRange(long va, long size) throws KernelException {
        if (size <= 0 || (va & (PAGE_SIZE - 1)) != 0 || (size & (PAGE_SIZE - 1)) != 0 || va < USER_VA_START
                || va > USER_VA_END - size || inKernelRange(va, size)) {
            throw new KernelException(Errno.EINVAL, String.format("bad GPU VA range 0x%x+0x%x", va, size));
        }
    }

    @Override
    public void map(long va, long size, Target target, boolean readOnly) throws KernelException {
        scope.check("nova VM map");
        checkRange(va, size);
        long pages = size / PAGE_SIZE;
        long[] ptes = new long[Math.toIntExact(pages)];
        switch (target) {
            case Vram v -> {
                if (!(v.allocation() instanceof VramHeap.Allocation a) || a.heap() != device.heap() || a.isClosed()
                        || v.offset() < 0 || (v.offset() & (PAGE_SIZE - 1)) != 0
                        || v.offset() > a.size() - size) {
                    throw new KernelException(Errno.EINVAL, "bad VRAM target " + v.allocation());
                }
                long base = a.offset() + v.offset();
                for (int i = 0; i < ptes.length; i++) {
                    ptes[i] = GmmuPte.encode(GmmuPte.APERTURE_VIDEO_MEMORY, base + i * PAGE_SIZE, readOnly);
                }
            }
            case SysPages s -> {
                long[] addrs = s.dmaAddresses();
                if (addrs.length < pages) {
                    throw new KernelException(Errno.EINVAL, "sysmem target of " + addrs.length + " pages for "
                            + pages);
                }
                for (int i = 0; i < ptes.length; i++) {
                    if ((addrs[i] & (PAGE_SIZE - 1)) != 0 || addrs[i] < 0) {
                        throw new KernelException(Errno.EINVAL, "misaligned page 0x" + Long.toHexString(addrs[i]));
                    }
                    ptes[i] = GmmuPte.encode(GmmuPte.APERTURE_SYSTEM_COHERENT_MEMORY, addrs[i], readOnly);
                }
            }
        }
        synchronized (this) {
            checkOpen();
            for (long i = 0; i < pages; i++) {
                if (getPte(va + i * PAGE_SIZE) != 0) {
                    throw new KernelException(Errno.EINVAL, String.format("GPU VA 0x%x already mapped",
                            va + i * PAGE_SIZE));
                }
            }
            for (int i = 0; i < ptes.length; i++) {
                setPte(va + i * PAGE_SIZE, ptes[i]);
            }
            mappedPages += pages;
        }
    }

    @Override
    public long unmap(long va, long size) throws KernelException {
        scope.check("nova VM unmap");
        checkRange(va, size);
        synchronized (this) {
            checkOpen();
            long n = 0;
            for (long off = 0; off < size; off += PAGE_SIZE) {
                if (getPte(va + off) != 0) {
                    setPte(va + off, 0);
                    n++;
                }
            }
            mappedPages -= n;
            return n;
        }
    }

    private void checkOpen() throws KernelException {
        if (closed) {
            throw new KernelException(Errno.EINVAL, "nova VM closed");
        }
    }

    @Override
    public synchronized long mappedPages() {
        scope.check("nova VM mappedPages");
        return mappedPages;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("nova VM already closed");
            }
            closed = true;
        }
        if (!scope.isAlive()) {
            return; // nova-core's unbind released everything
        }
        for (HwChannel ch : channels) {
            ch.stopIfOpen();
        }
        release();
        device.vmClosed(this);
    }

    /// Frees the table pages (close, or nova-core's unbind after the channels stopped).
    synchronized void release() {
        for (DmaCoherent t : tables) {
            t.free();
        }
        tables.clear();
    }
}
