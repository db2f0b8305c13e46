package dev.gpuemu.regs;

import java.util.List;

/// One register of a register map: name (as in the datasheet), offset, width, access and reset
/// value, and its bit fields. Register maps are enums implementing this interface and are
/// checked once with [RegisterMaps#validate].
public interface RegisterDef {
    /// Datasheet name, e.g. `GPU_ID`.
    String name();

    /// Byte offset from the block's base.
    long offset();

    /// Width in bytes (4 or 8).
    int width();

    Access access();

    /// Value after reset.
    long resetValue();

    /// Bit fields, possibly empty.
    List<Field> fields();
}
