package dev.gpuemu.kernel.uapi.panthor;

import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.field;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.struct;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u32;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u64;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// Tiler heaps: `TILER_HEAP_CREATE` and `TILER_HEAP_DESTROY`. The layouts are exact even where a
/// driver answers these ioctls with an error (the emulated G610 models no tiler).
///
/// ## Thread safety
/// Constants only.
public final class PanthorTiler {
    /// Smallest `chunk_size` panthor accepts (128 KiB).
    public static final int CHUNK_SIZE_MIN = 128 * 1024;
    /// Largest `chunk_size` panthor accepts (8 MiB).
    public static final int CHUNK_SIZE_MAX = 8 * 1024 * 1024;

    private PanthorTiler() {
    }

    /// `struct drm_panthor_tiler_heap_create` (40 bytes).
    public static final class HeapCreate {
        public static final StructLayout LAYOUT = struct("drm_panthor_tiler_heap_create",
                u32("vm_id"), u32("initial_chunk_count"), u32("chunk_size"), u32("max_chunks"),
                u32("target_in_flight"), u32("handle"), u64("tiler_heap_ctx_gpu_va"),
                u64("first_heap_chunk_gpu_va"));
        public static final VarHandle VM_ID = field(LAYOUT, "vm_id");
        public static final VarHandle INITIAL_CHUNK_COUNT = field(LAYOUT, "initial_chunk_count");
        public static final VarHandle CHUNK_SIZE = field(LAYOUT, "chunk_size");
        public static final VarHandle MAX_CHUNKS = field(LAYOUT, "max_chunks");
        public static final VarHandle TARGET_IN_FLIGHT = field(LAYOUT, "target_in_flight");
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle TILER_HEAP_CTX_GPU_VA = field(LAYOUT, "tiler_heap_ctx_gpu_va");
        public static final VarHandle FIRST_HEAP_CHUNK_GPU_VA = field(LAYOUT, "first_heap_chunk_gpu_va");

        private HeapCreate() {
        }
    }

    /// `struct drm_panthor_tiler_heap_destroy` (8 bytes).
    public static final class HeapDestroy {
        public static final StructLayout LAYOUT = struct("drm_panthor_tiler_heap_destroy",
                u32("handle"), u32("pad"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private HeapDestroy() {
        }
    }
}
