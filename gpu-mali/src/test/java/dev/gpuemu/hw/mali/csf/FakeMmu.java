package dev.gpuemu.hw.mali.csf;

import dev.gpuemu.hw.mali.GpuMemory;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/// A stand-in MMU for the CSF tests: per address space a map of 4 KiB VA pages to physical
/// pages of a [SystemMemory], read-only pages, and a record of every fault (with the
/// `AS_FAULTSTATUS` an MMU would latch: `TRANSLATION_FAULT_3` for an unmapped page,
/// `PERM_FAULT_3` for a write to a read-only one).
final class FakeMmu implements GpuMemory {
    record Fault(int as, long va, int access) {
    }

    private final SystemMemory mem;
    private final Map<Long, Long>[] pages;
    private final Set<Long>[] readOnly;
    private final int[] faultStatus = new int[8];
    final List<Fault> faults = new ArrayList<>();

    @SuppressWarnings("unchecked")
    FakeMmu(SystemMemory mem) {
        this.mem = mem;
        this.pages = new Map[8];
        this.readOnly = new Set[8];
        for (int i = 0; i < 8; i++) {
            pages[i] = new HashMap<>();
            readOnly[i] = new HashSet<>();
        }
    }

    void map(int as, long va, long pa, boolean ro) {
        pages[as].put(va >>> 12, pa >>> 12);
        if (ro) {
            readOnly[as].add(va >>> 12);
        }
    }

    void unmap(int as, long va) {
        pages[as].remove(va >>> 12);
    }

    int faultStatus(int as) {
        return faultStatus[as];
    }

    @Override
    public long translate(int as, long va, int accessType, int sourceId) {
        Long page = pages[as].get(va >>> 12);
        MaliException type = null;
        if (page == null) {
            type = MaliException.TRANSLATION_FAULT_3;
        } else if (accessType == MaliAsReg.ACCESS_WRITE && readOnly[as].contains(va >>> 12)) {
            type = MaliException.PERM_FAULT_3;
        }
        if (type != null) {
            faults.add(new Fault(as, va, accessType));
            faultStatus[as] = type.code() | accessType << 8 | sourceId << 16;
            return FAULT;
        }
        return page << 12 | (va & 0xFFF);
    }

    @Override
    public MemorySegment physical(long pa, long length) {
        if (pa < mem.base() || pa + length > mem.base() + mem.size() || (pa & 0xFFF) + length > 4096) {
            return null;
        }
        return mem.direct(pa, length);
    }
}
