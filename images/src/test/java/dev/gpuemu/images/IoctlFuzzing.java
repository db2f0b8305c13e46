package dev.gpuemu.images;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import java.util.ArrayList;
import java.util.List;

/// Turns one fuzz input into a short sequence of `ioctl(fd, cmd, ptr)` calls on a
/// [FuzzMachine]'s render node. Command numbers are biased towards the DRM core's and the
/// driver's real ones (exact, with a mutated size or direction, any number of the DRM type,
/// any int); the payload is written to the scratch mapping, a few 8-byte slots of it may be
/// replaced by pointers into the scratch mapping (so array and string pointers in the structs
/// point somewhere mapped); the argument pointer is mostly the scratch address, sometimes 0,
/// the end of the mapping or any value.
///
/// ## Thread safety
/// Stateless.
final class IoctlFuzzing {
    /// Most ioctls per input.
    static final int MAX_CALLS = 8;
    /// Longest payload per call.
    static final int MAX_PAYLOAD = 1024;

    private IoctlFuzzing() {
    }

    /// The DRM core's ioctls followed by `driver`'s.
    static List<DrmIoctl> known(List<DrmIoctl> driver) {
        List<DrmIoctl> all = new ArrayList<>(DrmIoctls.ALL);
        all.addAll(driver);
        return List.copyOf(all);
    }

    /// Runs one input on `m`: every call's result is checked, then the machine.
    static void run(FuzzMachine m, List<DrmIoctl> known, FuzzedDataProvider data) {
        UserMemory mem = m.process().memory();
        int calls = data.consumeInt(1, MAX_CALLS);
        for (int i = 0; i < calls && data.remainingBytes() > 0; i++) {
            int cmd = command(data, known);
            byte[] payload = data.consumeBytes(data.consumeInt(0, MAX_PAYLOAD));
            mem.fill(FuzzMachine.SCRATCH_VA, MAX_PAYLOAD + 64, (byte) 0);
            for (int b = 0; b < payload.length; b++) {
                mem.putByte(FuzzMachine.SCRATCH_VA + b, payload[b]);
            }
            int relocs = data.consumeInt(0, 4);
            for (int r = 0; r < relocs; r++) {
                long slot = 8L * data.consumeInt(0, MAX_PAYLOAD / 8 - 1);
                long target = data.consumeInt(0, FuzzMachine.SCRATCH_BYTES - 1);
                mem.putLong(FuzzMachine.SCRATCH_VA + slot, FuzzMachine.SCRATCH_VA + target);
            }
            long ptr = switch (data.consumeInt(0, 7)) {
                case 0 -> 0L;
                case 1 -> FuzzMachine.SCRATCH_VA + FuzzMachine.SCRATCH_BYTES - data.consumeInt(0, 64);
                case 2 -> data.consumeLong();
                default -> FuzzMachine.SCRATCH_VA;
            };
            int ret = m.process().ioctl(m.fd(), cmd, ptr);
            m.checkResult(cmd, ret);
        }
        m.afterInput();
    }

    private static int command(FuzzedDataProvider data, List<DrmIoctl> known) {
        int kind = data.consumeInt(0, 9);
        if (kind <= 5) {
            return data.pickValue(known).cmd();
        }
        return switch (kind) {
            case 6 -> {
                int c = data.pickValue(known).cmd();
                yield Ioc.ioc(data.consumeInt(0, 3), Ioc.DRM_TYPE, Ioc.nr(c), data.consumeInt(0, Ioc.MAX_SIZE));
            }
            case 7 -> {
                int c = data.pickValue(known).cmd();
                yield Ioc.ioc(Ioc.dir(c), Ioc.DRM_TYPE, Ioc.nr(c), data.consumeInt(0, 2 * Ioc.size(c) + 16));
            }
            case 8 -> Ioc.ioc(data.consumeInt(0, 3), Ioc.DRM_TYPE, data.consumeInt(0, 255),
                    data.consumeInt(0, Ioc.MAX_SIZE));
            default -> data.consumeInt();
        };
    }
}
