package dev.gpuemu.kernel;

/// A kernel bug detected at run time: in Linux an oops or a `BUG()`, here an exception thrown
/// at the faulty call after the machine's [Oopses] counter was incremented.
///
/// The oops count is the emulator's use-after-unbind detector: a clean run has none.
///
/// ## Thread safety
/// Immutable.
public class KernelOops extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KernelOops(String message) {
        super(message);
    }
}
