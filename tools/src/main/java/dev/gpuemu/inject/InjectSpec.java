package dev.gpuemu.inject;

/// What an injection run does.
///
/// @param device  bus device name of the target (`vgem`, `fb000000.gpu`, `0000:01:00.0` for nova,
///                `planted-bug`, ...), or null for the image's first device the injector can
///                drive in bus order (on `dual`: the Mali `fb000000.gpu`)
/// @param threads load threads, >= 1
/// @param cycles  injection cycles, >= 1
/// @param seed    seed of every random choice (load steps, cycle timing, modes)
/// @param mode    what each cycle does
/// @param hangBoundNs real-time bound on one unbind, remove, bind or health check (invariant 4)
public record InjectSpec(String device, int threads, int cycles, long seed, InjectMode mode, long hangBoundNs) {
    /// Default bound of invariant 4: 10 s of real time.
    public static final long DEFAULT_HANG_BOUND_NS = 10_000_000_000L;

    public InjectSpec {
        if (threads < 1 || cycles < 1 || hangBoundNs <= 0 || mode == null) {
            throw new IllegalArgumentException("bad inject spec: threads " + threads + ", cycles " + cycles);
        }
    }
}
