package dev.gpuemu.kernel.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/// `unmap_mapping_range` semantics of [FileMapping]: every VMA's entries are cleared before the
/// first wait, and each address space is waited for once, however many of its VMAs map the file.
class FileMappingTest {
    private final List<String> events = new ArrayList<>();

    private FileMapping.AccessDomain domain(String name) {
        return () -> events.add("sync " + name);
    }

    private FileMapping.Mapped vma(String name, FileMapping.AccessDomain mm, boolean present) {
        return (pgoff, pages) -> {
            events.add("clear " + name);
            return present ? mm : null;
        };
    }

    @Test
    void shouldClearEveryVmaFirstThenWaitOncePerAddressSpace() {
        FileMapping m = new FileMapping("test");
        FileMapping.AccessDomain a = domain("A");
        FileMapping.AccessDomain b = domain("B");
        m.add(vma("a1", a, true));
        m.add(vma("a2", a, true));
        m.add(vma("b1", b, true));
        m.add(vma("a3", a, true));
        m.zapAll();
        assertEquals(List.of("clear a1", "clear a2", "clear b1", "clear a3", "sync A", "sync B"), events);
    }

    @Test
    void shouldNotWaitForAnAddressSpaceWhoseVmasHadNoEntryPresent() {
        FileMapping m = new FileMapping("test");
        FileMapping.AccessDomain a = domain("A");
        FileMapping.AccessDomain b = domain("B");
        m.add(vma("a1", a, false));
        m.add(vma("b1", b, true));
        m.add(vma("b2", b, false));
        m.zapRange(0, 1);
        assertEquals(List.of("clear a1", "clear b1", "clear b2", "sync B"), events);
    }
}
