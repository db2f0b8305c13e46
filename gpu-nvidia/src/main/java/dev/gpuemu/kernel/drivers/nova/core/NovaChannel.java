package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.kernel.KernelException;
import java.util.Optional;

/// A hardware channel (gpuemu's channel window, `regs.nvidia.NvHostReg`) on a [NovaVm], bound to
/// the copy class `AMPERE_DMA_COPY_A` (`regs.nvidia.Clc6b5`) on subchannel [#COPY_SUBCHANNEL].
///
/// [#submit] queues a user pushbuffer (a GPU VA in the channel's VM) followed by a kernel-owned
/// pushbuffer segment that releases the channel's 64-bit semaphore with the submit's sequence
/// number and raises the non-stall interrupt; the interrupt handler reads the semaphore and tells
/// the [SeqnoListener]. Sequence numbers start at 1 and increase by 1 per submit.
///
/// ## Invariants
/// The listener is told about every sequence number exactly once, in increasing order, with
/// error 0 (completed) or a positive errno: `EIO` for work that was pending when the channel
/// faulted or hit another error, `ECANCELED` for work cancelled by [#close] or nova-core's
/// unbind. `completedSeqno()` never decreases. At most [#MAX_IN_FLIGHT] submits are pending.
///
/// ## Thread safety
/// Thread-safe. The listener runs from the interrupt handler or from the thread that closes or
/// unbinds; it must not block and must not call back into this channel.
///
/// ## Lifecycle
/// ACTIVE → FAULTED (a device error; the channel stays stopped) → STOPPED by [#close] (once; a
/// second close throws `IllegalStateException`) or by nova-core's unbind, which stops every
/// channel in bounded simulated time before anything else is released. After unbind every method
/// but `close` counts an oops and throws `UseAfterUnbindException`.
public interface NovaChannel extends AutoCloseable {
    /// The subchannel nova-core binds the copy class to (`SET_OBJECT` is sent by the kernel when
    /// the channel starts; user pushbuffers use this subchannel for copy methods).
    int COPY_SUBCHANNEL = 4;
    /// Most submits pending at once ([#submit] answers `EBUSY` beyond).
    int MAX_IN_FLIGHT = 127;

    /// Channel state.
    enum State {
        /// Accepting submits.
        ACTIVE,
        /// A device error stopped it (see [#fault]); pending work completed with `EIO`.
        FAULTED,
        /// Closed or cancelled by unbind; pending work completed with `ECANCELED`.
        STOPPED
    }

    /// What stopped a faulted channel: the channel's STATUS.ERROR (`NvHostRegs.ERROR_*`) and, for
    /// an MMU fault, the faulting VA and FAULT_INFO fields (`NvHostRegs.FAULT_*`).
    record Fault(int error, long address, int faultType, int accessType, int client, int errorInfo) {
        /// Whether it was a GMMU fault.
        public boolean isMmuFault() {
            return error == dev.gpuemu.regs.nvidia.NvHostRegs.ERROR_MMU_FAULT;
        }
    }

    /// Told about completed (or failed) sequence numbers.
    @FunctionalInterface
    interface SeqnoListener {
        SeqnoListener NONE = (seqno, error) -> { };

        /// `seqno` finished; `error` is 0 on success, else a positive errno (`EIO`, `ECANCELED`).
        void signalled(long seqno, int error);
    }

    /// Hardware channel id (0..63).
    int id();

    /// The VM this channel translates through.
    NovaVm vm();

    /// Queues the pushbuffer `[pushbufferVa, pushbufferVa + 4 * lengthDwords)` and returns its
    /// sequence number.
    ///
    /// @throws KernelException `EINVAL` for a VA not 4-byte aligned, below `USER_VA_START`, ending
    ///         above [NovaVm#PUSHBUFFER_VA_END] or touching the kernel range,
    ///         `lengthDwords` not in `1..GpFifoEntry.MAX_LENGTH`; `EBUSY` with [#MAX_IN_FLIGHT]
    ///         submits pending; `EIO` when the channel faulted; `ENODEV` when it was closed
    long submit(long pushbufferVa, int lengthDwords) throws KernelException;

    /// The last sequence number handed out by [#submit] (0 before the first).
    long submittedSeqno();

    /// The highest sequence number known finished (successfully or not).
    long completedSeqno();

    /// Waits in simulated time until `seqno` finished or `timeoutNs` passed; returns whether it
    /// finished. Does not tell whether it succeeded (the listener does).
    boolean waitSeqno(long seqno, long timeoutNs);

    State state();

    /// The error that stopped a FAULTED channel.
    Optional<Fault> fault();

    /// Stops the channel (disables it in hardware), completes pending work with `ECANCELED` and
    /// unmaps the kernel range of the VM it used.
    @Override
    void close();
}
