package dev.gpuemu.kernel.uapi.panthor;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/// Building blocks of the panthor layouts: the C scalar types of the emulated (little-endian,
/// LP64) CPU and field accessors. The same conventions as `kernel.uapi.drm.Uapi` (package-private
/// there), plus `__u8`, fixed arrays and fields of nested structs, which panthor needs.
///
/// ## Thread safety
/// Constants only.
final class PanthorUapi {
    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    private PanthorUapi() {
    }

    static MemoryLayout u8(String name) {
        return U8.withName(name);
    }

    static MemoryLayout u32(String name) {
        return U32.withName(name);
    }

    static MemoryLayout u64(String name) {
        return U64.withName(name);
    }

    /// `__u8 name[count]`.
    static MemoryLayout u8s(String name, int count) {
        return MemoryLayout.sequenceLayout(count, U8).withName(name);
    }

    /// `__u32 name[count]`.
    static MemoryLayout u32s(String name, int count) {
        return MemoryLayout.sequenceLayout(count, U32).withName(name);
    }

    static StructLayout struct(String name, MemoryLayout... members) {
        return MemoryLayout.structLayout(members).withName(name);
    }

    /// A nested struct member: `struct drm_panthor_obj_array ops;`.
    static MemoryLayout member(StructLayout type, String name) {
        return type.withName(name);
    }

    /// A `(MemorySegment)`-coordinate handle for the (possibly nested: `"ops", "count"`) field of
    /// a struct at offset 0 of the segment.
    static VarHandle field(StructLayout layout, String... path) {
        PathElement[] elements = new PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = PathElement.groupElement(path[i]);
        }
        return MethodHandles.insertCoordinates(layout.varHandle(elements), 1, 0L);
    }

    /// A `(MemorySegment, long index)`-coordinate handle for element `index` of array `field`.
    static VarHandle element(StructLayout layout, String field) {
        VarHandle vh = layout.varHandle(PathElement.groupElement(field), PathElement.sequenceElement());
        return MethodHandles.insertCoordinates(vh, 1, 0L);
    }
}
