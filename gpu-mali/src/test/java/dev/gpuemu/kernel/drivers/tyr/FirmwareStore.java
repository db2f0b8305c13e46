package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.board.Machine;
import dev.gpuemu.machine.FirmwareFiles;
import java.lang.reflect.Field;
import java.util.Map;

/// Replaces a firmware file of a running machine, so one booted machine can probe many firmware
/// images (the rebind fuzz target). [FirmwareFiles] is immutable by design (the board hands the
/// kernel a read-only table); this test-only helper reaches into its map by reflection (tests
/// run on the class path, so the field is accessible). The file must exist already: a machine
/// built without it keeps the shared empty table.
///
/// ## Thread safety
/// Call it only while no probe runs (the device is unbound); the sysfs bind that follows takes
/// the driver core's lock, which publishes the new contents to the probing thread.
final class FirmwareStore {
    private FirmwareStore() {
    }

    /// Makes `request_firmware(name)` on `machine` answer a copy of `contents` from now on.
    ///
    /// @throws IllegalArgumentException if the machine has no file `name`
    static void replace(Machine machine, String name, byte[] contents) {
        Map<String, byte[]> files = map(machine.kernel().hw().firmwareFiles());
        if (!files.containsKey(name)) {
            throw new IllegalArgumentException("machine has no firmware file " + name);
        }
        files.put(name, contents.clone());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, byte[]> map(FirmwareFiles table) {
        try {
            Field f = FirmwareFiles.class.getDeclaredField("files");
            f.setAccessible(true);
            return (Map<String, byte[]>) f.get(table);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("FirmwareFiles changed shape: " + e, e);
        }
    }
}
