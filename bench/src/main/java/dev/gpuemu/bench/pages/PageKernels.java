package dev.gpuemu.bench.pages;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// The C side of the paired measurement: `pagekernels.c` (a resource) built with the machine's
/// `gcc -O2 -shared -fPIC` into a temporary shared library and called through FFM. Every kernel
/// loops over a whole batch of pages itself (page `i` at byte offset `i * stride`), so one
/// downcall covers milliseconds of work and its cost (tens of ns) disappears.
///
/// ## Lifecycle
/// [#load] builds and loads the library; [#close] unloads it and deletes the temporary directory.
/// Single use: a second `close()` throws [IllegalStateException].
///
/// ## Thread safety
/// Confined to the thread that loaded it (the library's arena is confined).
final class PageKernels implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor COPY = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor SET = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor CMP = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor SCAN = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);

    private final Arena arena;
    private final Path dir;
    private final String compiler;
    private final MethodHandle memcpy;
    private final MethodHandle memset;
    private final MethodHandle movsb;
    private final MethodHandle stosb;
    private final MethodHandle vcopy;
    private final MethodHandle vzero;
    private final MethodHandle memcmp;
    private final MethodHandle iszero;
    private final MethodHandle iszero4;
    private final int vectorBits;
    private boolean closed;

    private PageKernels(Arena arena, Path dir, String compiler, SymbolLookup lib) throws Throwable {
        this.arena = arena;
        this.dir = dir;
        this.compiler = compiler;
        memcpy = handle(lib, "pk_memcpy_pages", COPY);
        memset = handle(lib, "pk_memset_pages", SET);
        movsb = handle(lib, "pk_movsb_pages", COPY);
        stosb = handle(lib, "pk_stosb_pages", SET);
        vcopy = handle(lib, "pk_vcopy_pages", COPY);
        vzero = handle(lib, "pk_vzero_pages", SET);
        memcmp = handle(lib, "pk_memcmp_pages", CMP);
        iszero = handle(lib, "pk_iszero_pages", SCAN);
        iszero4 = handle(lib, "pk_iszero4_pages", SCAN);
        vectorBits = (int) handle(lib, "pk_variant", FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
    }

    private static MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(lib.findOrThrow(name), fd);
    }

    /// Builds `pagekernels.c` with `gcc` in a fresh temporary directory and loads it.
    ///
    /// @throws IOException with the reason (compiler failure, missing resource, load failure);
    ///                     the temporary directory is deleted in that case
    static PageKernels load(Path gcc) throws IOException {
        Path dir = Files.createTempDirectory("gpuemu-pagekernels");
        Arena arena = Arena.ofConfined();
        try {
            Path src = dir.resolve("pagekernels.c");
            try (InputStream in = PageKernels.class.getResourceAsStream("pagekernels.c")) {
                if (in == null) {
                    throw new IOException("pagekernels.c missing from the jar");
                }
                Files.copy(in, src);
            }
            Path lib = dir.resolve("libpagekernels.so");
            CBaseline.Run build = CBaseline.run(List.of(gcc.toString(), "-O2", "-shared", "-fPIC", "-o", lib.toString(),
                    src.toString()), 120);
            if (build.exit() != 0) {
                throw new IOException("gcc failed (exit " + build.exit() + "): " + build.output().strip());
            }
            String version = CBaseline.run(List.of(gcc.toString(), "--version"), 30).output().lines().findFirst()
                    .orElse("gcc");
            return new PageKernels(arena, dir, version, SymbolLookup.libraryLookup(lib, arena));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            arena.close();
            deleteDir(dir);
            throw new IOException("interrupted while building pagekernels.c", e);
        } catch (Throwable t) {
            arena.close();
            deleteDir(dir);
            throw t instanceof IOException io ? io : new IOException("cannot load pagekernels: " + t, t);
        }
    }

    /// The compiler's version line.
    String compiler() {
        return compiler;
    }

    /// Vector width in bits the hand-vectorised kernels chose at run time (512, 256 or 128).
    int vectorBits() {
        return vectorBits;
    }

    /// The temporary directory holding the source and the library (deleted by [#close]).
    Path dir() {
        return dir;
    }

    void memcpyPages(MemorySegment dst, MemorySegment src, long pages, long stride) {
        copy(memcpy, dst, src, pages, stride);
    }

    void memsetPages(MemorySegment dst, long pages, long stride) {
        set(memset, dst, pages, stride);
    }

    void movsbPages(MemorySegment dst, MemorySegment src, long pages, long stride) {
        copy(movsb, dst, src, pages, stride);
    }

    void stosbPages(MemorySegment dst, long pages, long stride) {
        set(stosb, dst, pages, stride);
    }

    void vcopyPages(MemorySegment dst, MemorySegment src, long pages, long stride) {
        copy(vcopy, dst, src, pages, stride);
    }

    void vzeroPages(MemorySegment dst, long pages, long stride) {
        set(vzero, dst, pages, stride);
    }

    /// Pages of `a` and `b` that differ (glibc `memcmp`).
    long memcmpPages(MemorySegment a, MemorySegment b, long pages, long stride) {
        try {
            return (long) memcmp.invokeExact(a, b, pages, stride);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /// Pages that are not all zero: the gcc-vectorised one-accumulator loop (`four` false) or the
    /// four-loads-per-step intrinsics loop (`four` true).
    long nonZeroPages(MemorySegment s, long pages, long stride, boolean four) {
        try {
            return (long) (four ? iszero4 : iszero).invokeExact(s, pages, stride);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void copy(MethodHandle h, MemorySegment dst, MemorySegment src, long pages, long stride) {
        try {
            h.invokeExact(dst, src, pages, stride);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void set(MethodHandle h, MemorySegment dst, long pages, long stride) {
        try {
            h.invokeExact(dst, pages, stride);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("PageKernels already closed");
        }
        closed = true;
        arena.close();
        deleteDir(dir);
    }

    private static void deleteDir(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A leftover temp file is not worth failing a benchmark for; the OS cleans /tmp.
        }
    }
}
