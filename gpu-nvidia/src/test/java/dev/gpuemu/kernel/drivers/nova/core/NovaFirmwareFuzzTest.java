package dev.gpuemu.kernel.drivers.nova.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.hw.nvidia.NvConfig;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.regs.nvidia.FalconFwFormat;
import dev.gpuemu.tools.nvfw.NvFirmwareImages;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/// Fuzz targets for the NVIDIA falcon firmware format:
/// - [#checkArbitraryImage]: `FalconFwFormat.check` on arbitrary bytes at an arbitrary offset
///   for each falcon: it answers 0 or an `ERR_*` code, never throws;
/// - [#bootWithDamagedFirmware]: nova-core's probe on a booted GA102 machine with damaged
///   `booter_load` and `gsp` images (edits of the valid ones, biased to the header, or raw
///   bytes): the falcon loading path (firmware request, IMEM load through the falcon's ports,
///   the falcon's check and program run, the GSP handshake). A broken image is a failed probe,
///   never an exception, an oops, a clock failure or a leaked page. A fresh machine per input, for
///   reproducing;
/// - [#rebindWithDamagedFirmware], the campaign target, the same inputs and properties on one
///   booted machine per JVM ([NovaRebindRig]): per input the firmware files replaced and
///   nova-core bound through sysfs, then unbound; after each input nothing may be left (pages,
///   GEM, DRM devices, devres, the auxiliary child) and nothing may have oopsed. The unmodified
///   images must bind without a guest error.
///
/// A crash found by either boot target is kept as a regression input of both.
class NovaFirmwareFuzzTest {
    private static final byte[] BOOTER = NvFirmwareImages.booterLoad();
    private static final byte[] GSP = NvFirmwareImages.gsp();

    @AfterAll
    static void closeRebindRig() {
        MachineReport r = NovaRebindRig.closeShared();
        assertTrue(r == null || r.clean(), () -> String.valueOf(r));
    }

    @FuzzTest
    void checkArbitraryImage(FuzzedDataProvider data) {
        int falcon = data.consumeInt(0, 3);
        long offset = data.consumeBoolean() ? 0 : data.consumeLong(-64, 4096);
        byte[] bytes = data.consumeRemainingAsBytes();
        int r = FalconFwFormat.check(MemorySegment.ofArray(bytes), offset, falcon);
        assertTrue(r == 0 || (r >= FalconFwFormat.ERR_BAD_MAGIC && r <= FalconFwFormat.ERR_BAD_OPERAND),
                Integer.toHexString(r));
    }

    @FuzzTest
    void bootWithDamagedFirmware(FuzzedDataProvider data) throws KernelException {
        byte[] booter = data.consumeBoolean() ? damage(BOOTER, data) : BOOTER;
        byte[] gsp = data.consumeBoolean() ? damage(GSP, data) : GSP;
        NovaRig rig = new NovaRig(NvConfig.defaults(), booter, gsp);
        rig.close();
        assertTrue(rig.machine.report().clean(), rig.machine.report().toString());
    }

    @FuzzTest
    void rebindWithDamagedFirmware(FuzzedDataProvider data) throws KernelException {
        byte[] booter = data.consumeBoolean() ? damage(BOOTER, data) : BOOTER;
        byte[] gsp = data.consumeBoolean() ? damage(GSP, data) : GSP;
        NovaRebindRig rig = NovaRebindRig.shared(BOOTER, GSP);
        long guestErrors = rig.guestErrors();
        boolean bound = rig.probe(booter, gsp);
        if (Arrays.equals(booter, BOOTER) && Arrays.equals(gsp, GSP)) {
            assertTrue(bound, "the unmodified images did not bind");
            assertEquals(guestErrors, rig.guestErrors(), "guest errors with the unmodified images");
        }
    }

    /// Edits of `valid` chosen by `data`: bytes, 32-bit words (little endian, aligned),
    /// 64-bit instructions, truncation; or, one time in sixteen, raw bytes.
    static byte[] damage(byte[] valid, FuzzedDataProvider data) {
        if (data.consumeInt(0, 15) == 0) {
            return data.consumeBytes(data.consumeInt(0, 512));
        }
        byte[] b = valid.clone();
        int edits = data.consumeInt(1, 6);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int pos = data.consumeBoolean() ? data.consumeInt(0, Math.min(b.length, FalconFwFormat.HEADER_SIZE) - 1)
                    : data.consumeInt(0, b.length - 1);
            switch (data.consumeInt(0, 3)) {
                case 0 -> b[pos] = data.consumeByte();
                case 1 -> b = Arrays.copyOf(b, pos);
                case 2 -> {
                    long v = data.consumeLong();
                    int at = pos & ~7;
                    for (int k = 0; k < 8 && at + k < b.length; k++) {
                        b[at + k] = (byte) (v >>> (8 * k));
                    }
                }
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
