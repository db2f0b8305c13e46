package dev.gpuemu.kernel.firmware;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.uapi.Errno;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/// A loaded firmware image (`struct firmware`): the name it was requested by and its bytes.
///
/// [#request] is `request_firmware()`: it looks the name up in the machine's firmware files (the
/// image's `firmware:` table, handed to the kernel read-only when the machine is built). A
/// missing file is `-ENOENT`, logged against the device as Linux does:
/// `Direct firmware load for NAME failed with error -2`. Whether the bytes make sense is the
/// driver's business: a driver that finds them corrupt fails its probe with its own error.
///
/// ## Invariants
/// The contents never change; every [#data()] call returns a fresh read-only view at position 0.
///
/// ## Thread safety
/// Immutable.
///
/// ## Lifecycle
/// There is nothing to release (`release_firmware()` is dropping the reference): the bytes are
/// shared with the machine's read-only table.
public final class Firmware {
    private final String name;
    private final ByteBuffer data;

    private Firmware(String name, ByteBuffer data) {
        this.name = name;
        this.data = data;
    }

    /// `request_firmware(&fw, name, dev)`.
    ///
    /// @throws KernelException `EINVAL` for an empty name, `ENOENT` when the machine has no such
    ///         file (logged with `dev_warn`)
    public static Firmware request(Device<?> dev, String name) throws KernelException {
        Objects.requireNonNull(dev, "dev");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new KernelException(Errno.EINVAL, "request_firmware: empty name");
        }
        Optional<ByteBuffer> found = dev.kernel().hw().firmwareFiles().lookup(name);
        if (found.isEmpty()) {
            dev.warn("Direct firmware load for " + name + " failed with error " + Errno.ENOENT.negative());
            throw new KernelException(Errno.ENOENT, "firmware " + name + " not found");
        }
        ByteBuffer data = found.get();
        dev.dbg("firmware: direct-loading firmware " + name + " (" + data.remaining() + " bytes)");
        return new Firmware(name, data);
    }

    /// The name the firmware was requested by.
    public String name() {
        return name;
    }

    /// Size in bytes.
    public int size() {
        return data.capacity();
    }

    /// The contents: a read-only buffer (big-endian, as every new `ByteBuffer`; set the order you
    /// parse with), positioned at 0.
    public ByteBuffer data() {
        return data.duplicate();
    }

    @Override
    public String toString() {
        return "firmware " + name + " (" + size() + " bytes)";
    }
}
