package dev.gpuemu.hw.mali.mmu;

import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliPte;
import dev.gpuemu.regs.mali.MaliRegs;

/// The registers of one address space: what the driver programmed (`AS_TRANSTAB`, `AS_MEMATTR`,
/// `AS_TRANSCFG`, `AS_LOCKADDR`), the configuration latched by the last `UPDATE` (what
/// translations use), the fault record and the command-in-progress bit.
///
/// ## Invariants
/// Translations read only the latched (`active*`) configuration; a programmed value has no effect
/// until `AS_COMMAND` UPDATE.
///
/// ## Thread safety
/// Not thread-safe: used under the device lock.
final class AddressSpace {
    final int index;
    long transtab;
    long memattr;
    long lockaddr;
    long transcfg;
    long activeTranstab;
    long activeMemattr;
    long activeTranscfg;
    boolean locked;
    int faultStatus;
    long faultAddress;
    boolean commandActive;

    AddressSpace(int index) {
        this.index = index;
    }

    /// `AS_COMMAND` UPDATE: latches the programmed configuration.
    void update() {
        activeTranstab = transtab;
        activeMemattr = memattr;
        activeTranscfg = transcfg;
    }

    /// The latched address mode (`AS_TRANSCFG.ADRMODE`).
    int adrmode() {
        return (int) MaliRegs.AS_TRANSCFG_ADRMODE.get(activeTranscfg);
    }

    /// Input address bits of the latched configuration: panthor programs `INA_BITS = 55 - va_bits`;
    /// 0 means the full 48 bits. Clamped to 25..48 (levels 0..2 start).
    int inputBits() {
        int ina = (int) MaliRegs.AS_TRANSCFG_INA_BITS.get(activeTranscfg);
        return ina == 0 ? MaliPte.VA_BITS : Math.clamp(55 - ina, 25, MaliPte.VA_BITS);
    }

    /// The value `reg` reads (64-bit registers whole).
    long read(MaliAsReg reg) {
        return switch (reg) {
            case AS_TRANSTAB -> transtab;
            case AS_MEMATTR -> memattr;
            case AS_LOCKADDR -> lockaddr;
            case AS_TRANSCFG -> transcfg;
            case AS_FAULTSTATUS -> Integer.toUnsignedLong(faultStatus);
            case AS_FAULTADDRESS -> faultAddress;
            case AS_STATUS -> commandActive ? MaliAsReg.AS_STATUS_ACTIVE : 0;
            case AS_COMMAND, AS_FAULTEXTRA -> 0;
        };
    }

    /// Back to reset state: every register 0, nothing latched, no fault, no command.
    void reset() {
        transtab = 0;
        memattr = 0;
        lockaddr = 0;
        transcfg = 0;
        update();
        locked = false;
        faultStatus = 0;
        faultAddress = 0;
        commandActive = false;
    }
}
