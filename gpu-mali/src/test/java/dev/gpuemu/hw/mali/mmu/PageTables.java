package dev.gpuemu.hw.mali.mmu;

import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.regs.mali.MaliPte;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/// Test helper: builds AArch64 4 KiB page tables in system memory the way io-pgtable-arm does for
/// panthor, taking table pages from a bump pool starting at `poolBase` (plain RAM the test owns).
public final class PageTables {
    private static final ValueLayout.OfLong LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private final SystemMemory memory;
    private long next;
    private final List<Long> tables = new ArrayList<>();
    private final long root;

    public PageTables(SystemMemory memory, long poolBase) {
        this.memory = memory;
        this.next = poolBase;
        this.root = newTable();
    }

    /// Physical address of the level-0 table (what `AS_TRANSTAB` gets).
    public long root() {
        return root;
    }

    /// Physical addresses of every table page.
    public List<Long> tables() {
        return List.copyOf(tables);
    }

    /// Maps the 4 KiB page at `va` to `pa` (access flag set).
    public void mapPage(long va, long pa, boolean readOnly, boolean noExec) {
        put(3, va, MaliPte.page(pa, readOnly, noExec, MaliPte.MEMATTR_IDX_CACHED));
    }

    /// Maps a 1 GiB (level 1) or 2 MiB (level 2) block at `va` to `pa`.
    public void mapBlock(int level, long va, long pa) {
        put(level, va, (pa & MaliPte.ADDR_MASK) | MaliPte.TYPE_BLOCK | MaliPte.AF | MaliPte.SH_INNER | MaliPte.AP_UNPRIV);
    }

    /// Writes descriptor `desc` for `va` at `level`, creating the tables above it.
    public void put(int level, long va, long desc) {
        long table = root;
        for (int l = 0; l < level; l++) {
            long slot = table + 8L * MaliPte.index(va, l);
            long d = read(slot);
            if ((d & MaliPte.TYPE_MASK) != MaliPte.TYPE_TABLE_OR_PAGE) {
                long t = newTable();
                write(slot, MaliPte.table(t));
                table = t;
            } else {
                table = MaliPte.address(d);
            }
        }
        write(table + 8L * MaliPte.index(va, level), desc);
    }

    /// The physical address of the level-`level` descriptor slot for `va` (tables must exist).
    public long slot(int level, long va) {
        long table = root;
        for (int l = 0; l < level; l++) {
            table = MaliPte.address(read(table + 8L * MaliPte.index(va, l)));
        }
        return table + 8L * MaliPte.index(va, level);
    }

    public long read(long pa) {
        return memory.direct(pa, 8).get(LE, 0);
    }

    public void write(long pa, long value) {
        memory.direct(pa, 8).set(LE, 0, value);
    }

    private long newTable() {
        long t = next;
        next += MaliPte.PAGE_SIZE;
        memory.direct(t, MaliPte.PAGE_SIZE).fill((byte) 0);
        tables.add(t);
        return t;
    }
}
