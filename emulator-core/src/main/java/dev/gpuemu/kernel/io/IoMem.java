package dev.gpuemu.kernel.io;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.Devres;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.MmioBus;

/// A bound-scoped MMIO mapping (`IoMem`, `pci::Bar`): the only way kernel code touches device
/// registers. Accesses go through the machine's MMIO bus at `base + offset`.
///
/// ## Ordering
/// Every access is ordered like `readl`/`writel`: the bus delivers it synchronously to the
/// device model under the model's lock, so two accesses from one thread reach the device in
/// program order and a read returns after every earlier write took effect.
///
/// ## Invariants
/// Valid from creation until the binding's devres release unmaps it; any access afterwards
/// counts an oops and throws `UseAfterUnbindException`. An offset outside the mapping is a
/// kernel bug (oops), never a guest error.
///
/// ## Thread safety
/// Thread-safe.
///
/// ## Lifecycle
/// mapped in probe (or later while bound) → unmapped by devres at unbind, after the driver data
/// was dropped, so driver-data destructors may still use it.
public final class IoMem {
    private final Device<?> owner;
    private final MmioBus bus;
    private final long base;
    private final long size;
    private final String name;
    private final Scope scope;

    private IoMem(Device<?> owner, MmioBus bus, long base, long size, String name, Scope scope) {
        this.owner = owner;
        this.bus = bus;
        this.base = base;
        this.size = size;
        this.name = name;
        this.scope = scope;
    }

    /// Claims and maps `[base, base+size)` for the bound device (`devm_ioremap_resource`).
    public static IoMem map(Device<? extends Bound> dev, long base, long size, String name) throws KernelException {
        dev.checkProof("ioremap " + name);
        IoResources.Claim claim = dev.kernel().ioResources().claim(base, size, name);
        Scope scope = new Scope(dev.kernel().oopses(), "MMIO mapping " + name + " of " + dev.node());
        IoMem io = new IoMem(dev.toNormal(), dev.kernel().hw().mmio(), base, size, name, scope);
        Devres.add(dev, "iounmap " + name, () -> {
            scope.end();
            dev.kernel().ioResources().release(claim);
        });
        return io;
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    public String name() {
        return name;
    }

    /// Whether the mapping is still valid (a point check).
    public boolean isMapped() {
        return scope.isAlive();
    }

    public int read8(long offset) {
        return (int) read(offset, AccessSize.BYTE, "read8");
    }

    public int read16(long offset) {
        return (int) read(offset, AccessSize.WORD, "read16");
    }

    public int read32(long offset) {
        return (int) read(offset, AccessSize.DWORD, "read32");
    }

    public long read64(long offset) {
        return read(offset, AccessSize.QWORD, "read64");
    }

    public void write8(long offset, int value) {
        write(offset, AccessSize.BYTE, value & 0xFFL, "write8");
    }

    public void write16(long offset, int value) {
        write(offset, AccessSize.WORD, value & 0xFFFFL, "write16");
    }

    public void write32(long offset, int value) {
        write(offset, AccessSize.DWORD, value & 0xFFFF_FFFFL, "write32");
    }

    public void write64(long offset, long value) {
        write(offset, AccessSize.QWORD, value, "write64");
    }

    private long read(long offset, AccessSize size, String op) {
        check(offset, size, op);
        return bus.read(base + offset, size);
    }

    private void write(long offset, AccessSize size, long value, String op) {
        check(offset, size, op);
        bus.write(base + offset, size, value);
    }

    private void check(long offset, AccessSize access, String op) {
        if (!scope.isAlive()) { // the message is built only on the failure path: no allocation per access
            scope.check(name + " " + op + "(0x" + Long.toHexString(offset) + ")");
        }
        if (offset < 0 || offset > size - access.bytes()) {
            throw owner.kernel().oopses().bug(name + " " + op + " offset 0x" + Long.toHexString(offset)
                    + " outside mapping of 0x" + Long.toHexString(size) + " bytes");
        }
    }

    @Override
    public String toString() {
        return String.format("%s [mem 0x%08x-0x%08x]%s", name, base, base + size - 1, scope.isAlive() ? "" : " (unmapped)");
    }
}
