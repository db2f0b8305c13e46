package dev.gpuemu.kernel.uapi;

/// A signal delivered to user code for a bad memory access: `SIGSEGV` (no mapping, or protection)
/// or `SIGBUS` (the mapping's fault handler had no page). Thrown to the user program, which may
/// catch it as a test expectation; it never escapes into the kernel or machine.
///
/// ## Thread safety
/// Immutable.
public final class UserFault extends RuntimeException {
    /// The signal numbers of x86-64 Linux.
    public enum Signal {
        SIGBUS(7), SIGSEGV(11);

        private final int number;

        Signal(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }
    }

    private final Signal signal;
    private final long address;

    public UserFault(Signal signal, long address, String reason) {
        super(signal + " at 0x" + Long.toHexString(address) + ": " + reason, null, false, false);
        this.signal = signal;
        this.address = address;
    }

    public Signal signal() {
        return signal;
    }

    /// The faulting user address.
    public long address() {
        return address;
    }
}
