package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/// `PANTHOR_UOBJ_GET_ARRAY`: copies a `drm_panthor_obj_array` of `count` elements of `stride`
/// bytes from user memory into kernel elements of the layout's size.
///
/// - `stride` smaller than the kernel's element (all fields of these v1 structs are mandatory):
///   `EINVAL`;
/// - `stride` larger: the extra bytes of each element must be zero (`copy_struct_from_user`),
///   else `E2BIG`;
/// - more than [#MAX_BYTES] to copy in (`count` is a `u32`: a count past `INT_MAX` counts as
///   huge, never negative): `ENOMEM`, as `kvmalloc_array` fails;
/// - a faulting user range: `EFAULT`.
///
/// ## Thread safety
/// Stateless.
final class UserArrays {
    /// Largest array copied in (kvmalloc would fail beyond; the VM_BIND ops array has the same).
    static final long MAX_BYTES = 64L << 20;

    private UserArrays() {
    }

    /// The elements, packed at the layout's size, in `arena`.
    static MemorySegment copy(Task task, Arena arena, StructLayout layout, int stride, int count, long array)
            throws KernelException {
        long size = layout.byteSize();
        long n = Integer.toUnsignedLong(count);
        if (n == 0) {
            return arena.allocate(1, 8);
        }
        long ustride = Integer.toUnsignedLong(stride);
        if (ustride < size) {
            throw new KernelException(Errno.EINVAL, "obj_array stride " + Integer.toUnsignedString(stride) + " < " + size);
        }
        if (ustride > MAX_BYTES / n) { // n * ustride > MAX_BYTES, without overflow
            throw new KernelException(Errno.ENOMEM, "obj_array of " + n + " x " + ustride + " bytes");
        }
        MemorySegment out = arena.allocate(size * n, 8);
        MemorySegment raw = arena.allocate(ustride * n, 8);
        if (!task.copyFromUser(raw, 0, array, ustride * n)) {
            throw KernelException.of(Errno.EFAULT);
        }
        for (int i = 0; i < count; i++) {
            for (long b = size; b < ustride; b++) {
                if (raw.get(ValueLayout.JAVA_BYTE, i * ustride + b) != 0) {
                    throw new KernelException(Errno.E2BIG, "non-zero bytes past the known struct");
                }
            }
            MemorySegment.copy(raw, i * ustride, out, i * size, size);
        }
        return out;
    }
}
