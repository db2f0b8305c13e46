package dev.gpuemu.kernel.uapi.drm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/// Building blocks of the uAPI layouts: the C scalar types of x86-64 in the emulated CPU's byte
/// order (little-endian), and field accessors.
///
/// User pointers (`char __user *`, `__u64 handles`) are 64-bit integers here: they are addresses
/// in the emulated process, never host pointers.
///
/// ## Thread safety
/// Constants only.
final class Uapi {
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt S32 = U32;
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong S64 = U64;
    /// `__kernel_size_t` on x86-64.
    static final ValueLayout.OfLong SIZE_T = U64;
    /// A user pointer on x86-64.
    static final ValueLayout.OfLong USER_PTR = U64;

    private Uapi() {
    }

    static MemoryLayout u32(String name) {
        return U32.withName(name);
    }

    static MemoryLayout s32(String name) {
        return S32.withName(name);
    }

    static MemoryLayout u64(String name) {
        return U64.withName(name);
    }

    static MemoryLayout s64(String name) {
        return S64.withName(name);
    }

    static MemoryLayout ptr(String name) {
        return USER_PTR.withName(name);
    }

    static MemoryLayout sizeT(String name) {
        return SIZE_T.withName(name);
    }

    static StructLayout struct(String name, MemoryLayout... members) {
        return MemoryLayout.structLayout(members).withName(name);
    }

    /// A `(MemorySegment)`-coordinate handle for `field` of a struct at offset 0 of the segment:
    /// `(int) HANDLE.get(seg)`, `HANDLE.set(seg, 5)`. The segment must be aligned like the C
    /// struct (native memory from an arena, or a `long[]`-backed heap segment).
    static VarHandle field(StructLayout layout, String field) {
        VarHandle vh = layout.varHandle(MemoryLayout.PathElement.groupElement(field));
        return MethodHandles.insertCoordinates(vh, 1, 0L);
    }

    /// Byte offset of `field` in `layout`.
    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    static MemorySegment checkSize(MemorySegment seg, StructLayout layout) {
        if (seg.byteSize() < layout.byteSize()) {
            throw new IllegalArgumentException(layout.name().orElse("struct") + " needs " + layout.byteSize()
                    + " bytes, segment has " + seg.byteSize());
        }
        return seg;
    }
}
