package dev.gpuemu.workload;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/// The scalar fields of a uAPI struct by the names a script uses: C member names, `outer.inner`
/// for members of a nested struct (`ops.count` of `drm_panthor_vm_bind`) and `name[i]` for
/// array elements (`texture_features[2]`), each with its byte offset and size.
///
/// ## Thread safety
/// Immutable values; the per-layout cache is concurrent.
final class StructFields {
    /// One scalar: `bytes` little-endian bytes at `offset`.
    record Slot(long offset, long bytes) {
    }

    private static final Map<StructLayout, Map<String, Slot>> CACHE = new ConcurrentHashMap<>();

    private StructFields() {
    }

    /// Every scalar of `layout`, in declaration order.
    static Map<String, Slot> of(StructLayout layout) {
        return CACHE.computeIfAbsent(layout, l -> {
            Map<String, Slot> out = new LinkedHashMap<>();
            walk(l, "", 0, out);
            return Map.copyOf(out);
        });
    }

    /// The names, in declaration order (the map of [#of] is unordered).
    static List<String> names(StructLayout layout) {
        List<String> out = new ArrayList<>();
        Map<String, Slot> tmp = new LinkedHashMap<>();
        walk(layout, "", 0, tmp);
        out.addAll(tmp.keySet());
        return out;
    }

    private static void walk(GroupLayout g, String prefix, long base, Map<String, Slot> out) {
        long at = base;
        for (MemoryLayout m : g.memberLayouts()) {
            if (!(m instanceof PaddingLayout)) {
                String name = prefix + m.name().orElseThrow();
                switch (m) {
                    case GroupLayout inner -> walk(inner, name + ".", at, out);
                    case SequenceLayout seq -> {
                        long step = seq.elementLayout().byteSize();
                        for (long i = 0; i < seq.elementCount(); i++) {
                            out.put(name + "[" + i + "]", new Slot(at + i * step, step));
                        }
                    }
                    case ValueLayout v -> out.put(name, new Slot(at, v.byteSize()));
                    default -> throw new IllegalStateException("unexpected member " + m);
                }
            }
            at += m.byteSize();
        }
    }

    /// Whether `v` fits a field of `bytes` bytes (signed or unsigned).
    static boolean fits(long v, long bytes) {
        return bytes >= 8 || (v >= -(1L << (8 * bytes - 1)) && v < (1L << (8 * bytes)));
    }
}
