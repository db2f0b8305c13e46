package dev.gpuemu.kernel.uapi.nova;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/// Building blocks of the nova layouts: the C scalar types of the emulated (little-endian, LP64)
/// CPU and `(MemorySegment)`-coordinate field accessors, as `kernel.uapi.panthor`'s.
///
/// ## Thread safety
/// Constants only.
final class NovaUapi {
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    private NovaUapi() {
    }

    static MemoryLayout u32(String name) {
        return U32.withName(name);
    }

    static MemoryLayout u64(String name) {
        return U64.withName(name);
    }

    static StructLayout struct(String name, MemoryLayout... members) {
        return MemoryLayout.structLayout(members).withName(name);
    }

    /// A handle on field `name` of a struct at offset 0 of the segment.
    static VarHandle field(StructLayout layout, String name) {
        return MethodHandles.insertCoordinates(
                layout.varHandle(MemoryLayout.PathElement.groupElement(name)), 1, 0L);
    }
}
