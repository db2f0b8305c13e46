package dev.gpuemu.hw.nvidia.host;

import static dev.gpuemu.regs.nvidia.NvHostRegs.*;

import dev.gpuemu.hw.nvidia.HostEngine;
import dev.gpuemu.hw.nvidia.NvHwPorts;
import dev.gpuemu.hw.nvidia.mmu.Gmmu;
import dev.gpuemu.hw.nvidia.mmu.GmmuFault;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.regs.nvidia.Clc6b5;
import dev.gpuemu.regs.nvidia.GmmuPde;
import dev.gpuemu.regs.nvidia.NvHostReg;
import java.util.Objects;

/// The GA102's host block: [NvHostReg#CHANNEL_COUNT] channels programmed through gpuemu's
/// channel-control window, each fetching its GPFIFO through its own GMMU VM when its doorbell
/// rings, decoding pushbuffer methods ([PushbufferRunner]) and running `AMPERE_DMA_COPY_A`
/// launches on the [CopyEngine]. Plugs into the GA102 top as `Function<NvHwPorts, HostEngine>`
/// (`NvHost::new`).
///
/// ## Time
/// Work runs in clock-thread events (never `Thread.sleep`): an entry's fetch and method decode
/// and every launch take the simulated time of [NvHostTimings]; a copy's bytes, its semaphore
/// and its interrupt land when its time is up, and `GP_GET` advances when an entry's work is done.
///
/// ## Errors
/// Guest mistakes never throw: a bad register access is a counted guest error; a bad GPFIFO
/// entry, pushbuffer header, method, class, launch or a GMMU fault stops the channel
/// (`STATUS.STATE = ERROR`, cause in `STATUS.ERROR`, `ERROR_INFO`, `FAULT_*`), counts a guest
/// error and raises the channel's stall interrupt.
///
/// ## Thread safety
/// [HostEngine] methods run with the device lock held (the caller's); clock events take it.
///
/// ## Lifecycle
/// Lives as long as the device; [#reset()] returns every channel to its reset state and drops
/// in-flight work (nothing is written afterwards).
public final class NvHost implements HostEngine {
    private static final int WINDOW_END = NvHostReg.CHANNEL_BASE + NvHostReg.CHANNEL_COUNT * NvHostReg.CHANNEL_STRIDE;

    private final NvHwPorts ports;
    private final String source;
    private final Channel[] channels = new Channel[NvHostReg.CHANNEL_COUNT];
    private final PushbufferRunner runner;

    /// Builds the host block on the GA102 top's ports.
    public NvHost(NvHwPorts ports) {
        this.ports = Objects.requireNonNull(ports, "ports");
        this.source = ports.name() + " host";
        for (int i = 0; i < channels.length; i++) {
            channels[i] = new Channel(i);
        }
        VmIo io = new VmIo(new Gmmu(ports.vram(), ports.sysmem()), ports.vram(), ports.sysmem());
        this.runner = new PushbufferRunner(ports, io, new CopyEngine(io, ports.clock()), this::stop);
    }

    @Override
    public int readRegister(int offset) {
        Channel ch = channelAt(offset);
        NvHostReg r = ch == null ? null : NvHostReg.atOrNull((offset - NvHostReg.CHANNEL_BASE) % NvHostReg.CHANNEL_STRIDE);
        if (r == null) {
            ports.errors().report(Kind.UNASSIGNED_ACCESS, source, "read of an unknown host register", offset);
            return 0;
        }
        return switch (r) {
            case GPFIFO_BASE_LO -> (int) ch.gpfifoBase;
            case GPFIFO_BASE_HI -> (int) (ch.gpfifoBase >>> 32);
            case GPFIFO_ENTRIES -> ch.entries;
            case GP_PUT -> ch.gpPut;
            case GP_GET -> ch.gpGet;
            case PDB_LO -> (int) ch.pdb;
            case PDB_HI -> (int) (ch.pdb >>> 32);
            case PDB_APERTURE -> ch.pdbAperture;
            case CLASS -> ch.classId;
            case ENABLE -> ch.enabled ? ENABLE_BIT : 0;
            case STATUS -> ch.status();
            case FAULT_ADDR_LO -> (int) ch.faultVa;
            case FAULT_ADDR_HI -> (int) (ch.faultVa >>> 32);
            case FAULT_INFO -> ch.faultInfo;
            case WORK_SUBMIT_TOKEN -> ch.id;
            case ERROR_INFO -> ch.errorInfo;
        };
    }

    @Override
    public void writeRegister(int offset, int value) {
        Channel ch = channelAt(offset);
        NvHostReg r = ch == null ? null : NvHostReg.atOrNull((offset - NvHostReg.CHANNEL_BASE) % NvHostReg.CHANNEL_STRIDE);
        if (r == null) {
            ports.errors().report(Kind.UNASSIGNED_ACCESS, source, "write of an unknown host register", offset);
            return;
        }
        switch (r) {
            case GP_PUT -> ch.gpPut = value;
            case ENABLE -> {
                boolean on = (value & ENABLE_BIT) != 0;
                if (on && !ch.enabled) {
                    enable(ch);
                } else if (!on && ch.enabled) {
                    ch.enabled = false;
                    ch.stopRun();
                    ch.state = STATE_DISABLED;
                }
            }
            case GPFIFO_BASE_LO, GPFIFO_BASE_HI, GPFIFO_ENTRIES, PDB_LO, PDB_HI, PDB_APERTURE, CLASS -> {
                if (ch.enabled) {
                    ports.errors().report(Kind.DEVICE, source, "channel configuration written while enabled", offset);
                    return;
                }
                configure(ch, r, value);
            }
            default -> ports.errors().report(Kind.READ_ONLY_WRITE, source, "write to a read-only host register", offset);
        }
    }

    @Override
    public void notifyChannelPending(int token) {
        if (token < 0 || token >= channels.length) {
            ports.errors().report(Kind.DEVICE, source, "doorbell with an unknown work-submit token", token);
            return;
        }
        Channel ch = channels[token];
        if (!ch.enabled || ch.state == STATE_ERROR) {
            ports.errors().report(Kind.DEVICE, source, "doorbell of a disabled or stopped channel", token);
            return;
        }
        runner.kick(ch);
    }

    @Override
    public void reset() {
        for (Channel ch : channels) {
            ch.resetAll();
        }
    }

    private void configure(Channel ch, NvHostReg r, int value) {
        long v = value & 0xFFFF_FFFFL;
        switch (r) {
            case GPFIFO_BASE_LO -> ch.gpfifoBase = (ch.gpfifoBase & ~0xFFFF_FFFFL) | v;
            case GPFIFO_BASE_HI -> ch.gpfifoBase = (ch.gpfifoBase & 0xFFFF_FFFFL) | (v & 0x1FFFF) << 32;
            case GPFIFO_ENTRIES -> ch.entries = value;
            case PDB_LO -> ch.pdb = (ch.pdb & ~0xFFFF_FFFFL) | v;
            case PDB_HI -> ch.pdb = (ch.pdb & 0xFFFF_FFFFL) | v << 32;
            case PDB_APERTURE -> ch.pdbAperture = value;
            case CLASS -> ch.classId = value;
            default -> throw new IllegalStateException("not a configuration register: " + r);
        }
    }

    private void enable(Channel ch) {
        ch.enabled = true;
        ch.stopRun();
        ch.gpGet = 0;
        ch.gpPut = 0;
        ch.error = ERROR_NONE;
        ch.errorInfo = 0;
        ch.errorSubchannel = 0;
        ch.faultVa = 0;
        ch.faultInfo = 0;
        int n = ch.entries;
        boolean ok = n >= 2 && n <= NvHostReg.MAX_GPFIFO_ENTRIES && Integer.bitCount(n) == 1
                && (ch.gpfifoBase & 7) == 0 && ch.gpfifoBase + 8L * n <= 1L << GmmuPde.VA_BITS
                && (ch.pdb & (GmmuPde.PAGE_SIZE - 1)) == 0
                && ch.pdbAperture >= GmmuPde.APERTURE_VIDEO_MEMORY
                && ch.pdbAperture <= GmmuPde.APERTURE_SYSTEM_NON_COHERENT_MEMORY
                && ch.classId == Clc6b5.AMPERE_DMA_COPY_A;
        if (ok) {
            ch.state = STATE_IDLE;
        } else {
            stop(ch, ERROR_BAD_CONFIG, 0, 0);
        }
    }

    /// Stops `ch` with `error` (cause detail `info`, subchannel `subchannel`): state ERROR, work
    /// dropped, guest error counted, stall interrupt raised. For `ERROR_MMU_FAULT`, `fault` holds
    /// the fault and `info` the client.
    void stop(Channel ch, int error, int info, int subchannel, GmmuFault fault) {
        if (error == ERROR_MMU_FAULT) {
            ch.faultVa = fault.va();
            ch.faultInfo = fault.type() | fault.access() << 8 | info << 16 | 1 << 31;
            ch.errorInfo = 0;
        } else {
            ch.errorInfo = info;
        }
        ch.stopRun();
        ch.state = STATE_ERROR;
        ch.error = error;
        ch.errorSubchannel = subchannel;
        ports.errors().report(Kind.DEVICE, source, "channel stopped with error " + error, ch.id);
        ports.intr().raiseStall(ch.id);
    }

    private void stop(Channel ch, int error, int info, int subchannel) {
        stop(ch, error, info, subchannel, null);
    }

    private Channel channelAt(int offset) {
        if (offset < NvHostReg.CHANNEL_BASE || offset >= WINDOW_END || (offset & 3) != 0) {
            return null;
        }
        return channels[(offset - NvHostReg.CHANNEL_BASE) / NvHostReg.CHANNEL_STRIDE];
    }
}
