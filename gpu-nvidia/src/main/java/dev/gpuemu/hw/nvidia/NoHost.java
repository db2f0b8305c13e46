package dev.gpuemu.hw.nvidia;

import dev.gpuemu.machine.GuestErrors.Kind;

/// The host block of a GA102 built without one: the channel window reads 0, writes and doorbells
/// are counted (and reported as guest errors: nothing answers them), resets are counted.
///
/// ## Thread safety
/// Called under the device lock, like every [HostEngine].
public final class NoHost implements HostEngine {
    private final NvHwPorts ports;
    private long writes;
    private long doorbells;
    private long resets;

    public NoHost(NvHwPorts ports) {
        this.ports = ports;
    }

    @Override
    public int readRegister(int offset) {
        return 0;
    }

    @Override
    public void writeRegister(int offset, int value) {
        writes++;
        ports.errors().report(Kind.DEVICE, ports.name(), "write to the channel window without a host model", offset);
    }

    @Override
    public void notifyChannelPending(int token) {
        doorbells++;
        ports.errors().report(Kind.DEVICE, ports.name(), "doorbell without a host model: token " + token);
    }

    @Override
    public void reset() {
        resets++;
    }

    /// Channel-window writes seen.
    public long writes() {
        return writes;
    }

    /// Doorbells seen.
    public long doorbells() {
        return doorbells;
    }

    /// Resets seen.
    public long resets() {
        return resets;
    }
}
