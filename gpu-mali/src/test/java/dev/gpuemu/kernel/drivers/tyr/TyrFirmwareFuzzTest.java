package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.hw.mali.csf.MaliCsf;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.tools.malifw.MaliFirmwareImage;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/// Fuzz targets: the Mali firmware path end to end with a damaged `mali_csffw.bin`: tyr's
/// container parser (`FwImage.parse`), section loading into the MCU's address space, and the
/// real CSF's MCU boot (`McuBoot`: descriptor, body CRC, shared section). The input is a list of
/// edits to the valid generated image (bytes, 32-bit words, truncation; biased to the headers) or,
/// rarely, raw bytes. Both targets take the same inputs:
/// - [#rebindWithDamagedFirmware], the campaign target: one booted machine per JVM
///   ([TyrRebindRig]), per input the firmware file replaced and tyr bound through sysfs, then
///   unbound; after each input nothing may be left (pages, GEM, DRM devices, devres) and nothing
///   may have oopsed. The unmodified image must bind without a guest error.
/// - [#bootWithDamagedFirmware], for reproducing: a fresh machine per input (no state carried
///   over from earlier probes), checked at shutdown.
///
/// A broken image must give a failed probe with the clocks off, never an exception, an oops, a
/// clock failure or a leaked page (the surefire run sets `gpuemu.failOnLeak`). A crash found by
/// either target is kept as a regression input of both.
class TyrFirmwareFuzzTest {
    private static final byte[] VALID = MaliFirmwareImage.build(MaliFirmwareImage.Spec.defaults());

    @AfterAll
    static void closeRebindRig() {
        MachineReport r = TyrRebindRig.closeShared();
        assertTrue(r == null || r.clean(), () -> String.valueOf(r));
    }

    @FuzzTest
    void rebindWithDamagedFirmware(FuzzedDataProvider data) throws KernelException {
        byte[] fw = damage(VALID, data);
        TyrRebindRig rig = TyrRebindRig.shared(VALID);
        long guestErrors = rig.guestErrors();
        boolean bound = rig.probe(fw);
        if (Arrays.equals(fw, VALID)) {
            assertTrue(bound, "the unmodified image did not bind");
            assertEquals(guestErrors, rig.guestErrors(), "guest errors with the unmodified image");
        }
    }

    @FuzzTest
    void bootWithDamagedFirmware(FuzzedDataProvider data) throws KernelException {
        byte[] fw = damage(VALID, data);
        TyrRig rig = TyrRig.boot(MaliCsf.factory(), fw);
        boolean bound = rig.data.get() != null;
        if (!bound) {
            assertEquals(0, rig.clocksOn(), "clocks left on after a failed probe");
        }
        rig.close();
        assertTrue(rig.machine.report().clean(), rig.machine.report().toString());
    }

    /// Edits of `valid` chosen by `data`.
    static byte[] damage(byte[] valid, FuzzedDataProvider data) {
        if (data.consumeInt(0, 15) == 0) {
            return data.consumeRemainingAsBytes();
        }
        byte[] b = valid.clone();
        int edits = data.consumeInt(1, 8);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int pos = data.consumeBoolean() ? data.consumeInt(0, Math.min(b.length, 256) - 1)
                    : data.consumeInt(0, b.length - 1);
            switch (data.consumeInt(0, 3)) {
                case 0 -> b[pos] = data.consumeByte();
                case 1 -> b = Arrays.copyOf(b, pos);
                default -> {
                    int v = data.consumeInt();
                    int at = pos & ~3;
                    for (int k = 0; k < 4 && at + k < b.length; k++) {
                        b[at + k] = (byte) (v >>> (8 * k));
                    }
                }
            }
        }
        return b;
    }
}
