package dev.gpuemu.machine.bus;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/// The machine's physical MMIO address space: [MmioRegion]s mapped at base addresses
/// (vm-device's `Bus`, QEMU's system memory region container for MMIO).
///
/// Guest (kernel) accesses go through [#read(long, AccessSize)] and
/// [#write(long, AccessSize, long)]. An address no mapping decodes, or an access running off the end
/// of its mapping, is an `UNASSIGNED_ACCESS` guest error: reads answer open bus (all ones, masked to
/// the access size), writes are dropped. Everything inside a mapping follows [MmioRegion]'s rules.
///
/// ## Invariants
/// Mappings never overlap; every mapping lies inside `[0, Long.MAX_VALUE]`.
///
/// ## Thread safety
/// Lookup is RCU-like: the mappings live in an immutable array sorted by base, published through a
/// volatile field and replaced wholesale by [#map] / [MmioMapping#unmap()] (which serialise on this
/// bus). An access binary-searches the snapshot it loaded: no lock, no allocation. An access racing
/// an unmap may still reach the old region; the owner must keep the region open until it has
/// quiesced its users (the PCI host unmaps only from configuration writes the kernel serialises).
///
/// ## Lifecycle
/// Lives as long as the machine.
public final class MmioBus {
    private static final String SOURCE = "mmio-bus";

    private final GuestErrors errors;
    // ORDERING: the array is never mutated after publication; the volatile store in map/remove
    // publishes its contents to accessors' volatile load.
    private volatile MmioMapping[] mappings = new MmioMapping[0];

    /// @param errors where guest errors are counted
    public MmioBus(GuestErrors errors) {
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /// The guest-error counter this bus reports to.
    public GuestErrors errors() {
        return errors;
    }

    /// Maps `region` at physical address `base`.
    ///
    /// @throws BusException `INVALID_RANGE` if `base` is negative or the range wraps past
    ///         `Long.MAX_VALUE`; `DEVICE_OVERLAP` if it overlaps an existing mapping
    public synchronized MmioMapping map(long base, MmioRegion region) {
        Objects.requireNonNull(region, "region");
        if (base < 0 || base > Long.MAX_VALUE - region.size()) {
            throw new BusException(BusError.INVALID_RANGE, String.format("%s at 0x%x", region.name(), base));
        }
        MmioMapping m = new MmioMapping(this, base, region);
        MmioMapping[] old = mappings;
        int at = 0;
        while (at < old.length && old[at].base() < base) {
            at++;
        }
        // Sorted and disjoint, so only the neighbours can overlap.
        if (at > 0 && old[at - 1].end() > base) {
            throw new BusException(BusError.DEVICE_OVERLAP, m + " overlaps " + old[at - 1]);
        }
        if (at < old.length && old[at].base() < m.end()) {
            throw new BusException(BusError.DEVICE_OVERLAP, m + " overlaps " + old[at]);
        }
        MmioMapping[] next = new MmioMapping[old.length + 1];
        System.arraycopy(old, 0, next, 0, at);
        next[at] = m;
        System.arraycopy(old, at, next, at + 1, old.length - at);
        mappings = next;
        return m;
    }

    synchronized void remove(MmioMapping m) {
        MmioMapping[] old = mappings;
        int at = Arrays.asList(old).indexOf(m);
        if (at < 0) {
            throw new BusException(BusError.DEVICE_NOT_FOUND, m.toString());
        }
        MmioMapping[] next = new MmioMapping[old.length - 1];
        System.arraycopy(old, 0, next, 0, at);
        System.arraycopy(old, at + 1, next, at, old.length - at - 1);
        mappings = next;
    }

    /// The mapping that decodes `addr`.
    ///
    /// @throws BusException `DEVICE_NOT_FOUND` if none does
    public MmioMapping mappingAt(long addr) {
        MmioMapping m = find(mappings, addr);
        if (m == null) {
            throw new BusException(BusError.DEVICE_NOT_FOUND, String.format("0x%x", addr));
        }
        return m;
    }

    /// A snapshot of the current mappings, sorted by base (for dumps such as `/proc/iomem`).
    public List<MmioMapping> mappings() {
        return List.of(mappings);
    }

    /// A guest read of `size` at physical address `addr`; open bus on error.
    public long read(long addr, AccessSize size) {
        MmioMapping m = find(mappings, addr);
        if (m == null || addr > m.end() - size.bytes()) {
            errors.report(Kind.UNASSIGNED_ACCESS, SOURCE, readMessage(size), addr);
            return size.mask();
        }
        return m.region().read(addr - m.base(), size, errors);
    }

    /// A guest write of the low `size` bytes of `value` at physical address `addr`; dropped on error.
    public void write(long addr, AccessSize size, long value) {
        MmioMapping m = find(mappings, addr);
        if (m == null || addr > m.end() - size.bytes()) {
            errors.report(Kind.UNASSIGNED_ACCESS, SOURCE, writeMessage(size), addr);
            return;
        }
        m.region().write(addr - m.base(), size, value, errors);
    }

    private static MmioMapping find(MmioMapping[] table, long addr) {
        int lo = 0;
        int hi = table.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            MmioMapping m = table[mid];
            if (addr < m.base()) {
                hi = mid - 1;
            } else if (addr >= m.end()) {
                lo = mid + 1;
            } else {
                return m;
            }
        }
        return null;
    }

    private static String readMessage(AccessSize size) {
        return switch (size) {
            case BYTE -> "unassigned read BYTE";
            case WORD -> "unassigned read WORD";
            case DWORD -> "unassigned read DWORD";
            case QWORD -> "unassigned read QWORD";
        };
    }

    private static String writeMessage(AccessSize size) {
        return switch (size) {
            case BYTE -> "unassigned write BYTE";
            case WORD -> "unassigned write WORD";
            case DWORD -> "unassigned write DWORD";
            case QWORD -> "unassigned write QWORD";
        };
    }
}
