package dev.gpuemu.hw.nvidia.host;

import dev.gpuemu.machine.time.Timer;
import dev.gpuemu.regs.nvidia.NvHostRegs;
import dev.gpuemu.regs.nvidia.PushbufferHeader;
import java.util.Arrays;

/// One channel: its registers ([dev.gpuemu.regs.nvidia.NvHostReg]), the configuration latched at
/// enable, the pushbuffer decoder's position and the copy engine's method state.
///
/// ## Invariants
/// - `state == STATE_BUSY` iff the channel has work in flight and exactly one pending event
///   ([#timer]) that continues it; no event exists in any other state.
/// - While enabled, `gpGet < entries` and the latched configuration is valid.
///
/// ## Thread safety
/// Plain fields, guarded by the device lock.
final class Channel {
    final int id;

    // Registers (configuration written while disabled, latched at enable).
    long gpfifoBase;
    int entries;
    int gpPut;
    int gpGet;
    long pdb;
    int pdbAperture;
    int classId;
    boolean enabled;
    int state = NvHostRegs.STATE_DISABLED;
    int error;
    int errorSubchannel;
    int errorInfo;
    long faultVa;
    int faultInfo;

    // Scheduling: the event continuing this channel, and an epoch that invalidates stale events.
    Timer timer;
    int epoch;

    // Decoder position.
    boolean inSegment;
    long segVa;
    int segRemaining;
    int methodRemaining;
    int method;
    int subchannel;
    int secOp;
    long pendingCycles;
    long pendingNs;
    int pendingAction;
    int pendingLaunch;

    /// Class bound to each subchannel by SET_OBJECT (0: none).
    final int[] boundClass = new int[PushbufferHeader.SUBCHANNELS];

    // Host semaphore (SEM_*).
    long semAddr;
    long semPayload;

    /// The copy class's method state.
    final CeState ce = new CeState();

    Channel(int id) {
        this.id = id;
    }

    /// Clears every register and all run state (engine reset).
    void resetAll() {
        gpfifoBase = 0;
        entries = 0;
        pdb = 0;
        pdbAperture = 0;
        classId = 0;
        enabled = false;
        state = NvHostRegs.STATE_DISABLED;
        error = 0;
        errorSubchannel = 0;
        errorInfo = 0;
        faultVa = 0;
        faultInfo = 0;
        stopRun();
    }

    /// Drops in-flight work and decoder state (the caller sets the state).
    void stopRun() {
        epoch++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        inSegment = false;
        segVa = 0;
        segRemaining = 0;
        methodRemaining = 0;
        pendingCycles = 0;
        pendingNs = 0;
        Arrays.fill(boundClass, 0);
        semAddr = 0;
        semPayload = 0;
        ce.clear();
    }

    /// The `STATUS` register value.
    int status() {
        return state | error << 8 | errorSubchannel << 16;
    }

    /// Copy-engine method state (`clc6b5.h` methods as last written).
    static final class CeState {
        long semaphoreVa;
        int semaphorePayload;
        int srcPhysMode;
        int dstPhysMode;
        long offsetIn;
        long offsetOut;
        int pitchIn;
        int pitchOut;
        int lineLengthIn;
        int lineCount;
        int remapConstA;
        int remapConstB;
        int remapComponents;

        void clear() {
            semaphoreVa = 0;
            semaphorePayload = 0;
            srcPhysMode = 0;
            dstPhysMode = 0;
            offsetIn = 0;
            offsetOut = 0;
            pitchIn = 0;
            pitchOut = 0;
            lineLengthIn = 0;
            lineCount = 0;
            remapConstA = 0;
            remapConstB = 0;
            remapComponents = 0;
        }
    }
}
