package dev.gpuemu.regs.edu;

import static dev.gpuemu.regs.Access.RO;
import static dev.gpuemu.regs.Access.RW;
import static dev.gpuemu.regs.Access.WO;

import dev.gpuemu.regs.Access;
import dev.gpuemu.regs.Field;
import dev.gpuemu.regs.RegisterDef;
import dev.gpuemu.regs.RegisterMaps;
import java.util.List;
import java.util.Optional;

/// BAR0 registers of the edu device.
///
/// | register | offset | access | meaning |
/// |---|---|---|---|
/// | ID | 0x00 | RO | `0xRRrr00ed`: major RR, minor rr |
/// | LIVENESS | 0x04 | RW | reads back the bitwise NOT of the last value written |
/// | FACTORIAL | 0x08 | RW | write n: start computing n!; read: the result |
/// | STATUS | 0x20 | RW | COMPUTING (RO), IRQ_ON_FACTORIAL |
/// | IRQ_STATUS | 0x24 | RO | pending interrupt bits |
/// | IRQ_RAISE | 0x60 | WO | ORs the value into IRQ_STATUS, asserting the line |
/// | IRQ_ACK | 0x64 | WO | clears bits; the line drops when IRQ_STATUS becomes 0 |
/// | DMA_SRC / DMA_DST / DMA_COUNT | 0x80 / 0x88 / 0x90 | RW | 64-bit transfer parameters |
/// | DMA_CMD | 0x98 | RW | START, TO_RAM, IRQ |
public enum EduReg implements RegisterDef {
    ID(0x00, 4, RO, 0x010000EDL, EduRegs.ID_MAJOR, EduRegs.ID_MINOR, EduRegs.ID_MAGIC),
    LIVENESS(0x04, 4, RW, 0),
    FACTORIAL(0x08, 4, RW, 0),
    STATUS(0x20, 4, RW, 0, EduRegs.STATUS_COMPUTING, EduRegs.STATUS_IRQ_ON_FACTORIAL),
    IRQ_STATUS(0x24, 4, RO, 0),
    IRQ_RAISE(0x60, 4, WO, 0),
    IRQ_ACK(0x64, 4, WO, 0),
    DMA_SRC(0x80, 8, RW, 0),
    DMA_DST(0x88, 8, RW, 0),
    DMA_COUNT(0x90, 8, RW, 0),
    DMA_CMD(0x98, 8, RW, 0, EduRegs.DMA_CMD_START, EduRegs.DMA_CMD_TO_RAM, EduRegs.DMA_CMD_IRQ);

    /// The validated map.
    public static final List<EduReg> MAP = RegisterMaps.validate(List.of(values()));
    private static final EduReg[] BY_WORD = new EduReg[0xA0 / 4];

    static {
        for (EduReg r : values()) {
            BY_WORD[(int) (r.offset / 4)] = r;
        }
    }

    private final long offset;
    private final int width;
    private final Access access;
    private final long resetValue;
    private final List<Field> fields;

    EduReg(long offset, int width, Access access, long resetValue, Field... fields) {
        this.offset = offset;
        this.width = width;
        this.access = access;
        this.resetValue = resetValue;
        this.fields = List.of(fields);
    }

    /// The register starting exactly at `offset`, if any.
    public static Optional<EduReg> at(long offset) {
        if (offset < 0 || offset >= 0xA0 || offset % 4 != 0) {
            return Optional.empty();
        }
        EduReg r = BY_WORD[(int) (offset / 4)];
        return r != null && r.offset == offset ? Optional.of(r) : Optional.empty();
    }

    /// The register at `offset` or null; allocation-free form of [#at] for device models.
    public static EduReg atOrNull(long offset) {
        return offset >= 0 && offset < 0xA0 && offset % 4 == 0 && BY_WORD[(int) (offset / 4)] != null
                && BY_WORD[(int) (offset / 4)].offset == offset ? BY_WORD[(int) (offset / 4)] : null;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public Access access() {
        return access;
    }

    @Override
    public long resetValue() {
        return resetValue;
    }

    @Override
    public List<Field> fields() {
        return fields;
    }
}
