package dev.gpuemu.tools.nvfw;

import static dev.gpuemu.regs.nvidia.FalconFwFormat.*;

import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.FalconRegs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/// Writes the falcon firmware images gpuemu ships ([dev.gpuemu.regs.nvidia.FalconFwFormat]),
/// deterministic byte for byte:
///
/// - `nvidia/<chip>/gsp/booter_load-535.113.01.bin` for SEC2: answers the driver's nonce
///   (`MAILBOX1 = MAILBOX0 ^ BOOTER_SIGNATURE`), sets `DONE_SEC2` in scratch 0x10, reports
///   `STATUS_OK` in `MAILBOX0`, halts.
/// - `nvidia/<chip>/gsp/gsp-535.113.01.bin` for the GSP: answers the nonce
///   (`GSP_SIGNATURE`), writes `GSP_READY` to `MAILBOX0` and raises SWGEN0, waits for the driver's
///   `GSP_ACK` in `MAILBOX0`, sets `DONE_GSP`, reports `STATUS_OK`, halts.
///
/// Usage: `NvFirmwareImages <firmware root dir>`; writes the GA102 images below it.
public final class NvFirmwareImages {
    private NvFirmwareImages() {
    }

    /// The SEC2 `booter_load` image.
    public static byte[] booterLoad() {
        return image(FALCON_SEC2, 1,
                instr(OP_MBOX1_XOR_MBOX0, 0, BOOTER_SIGNATURE),
                instr(OP_SCRATCH_OR, DONE_SCRATCH_INDEX, DONE_SEC2),
                instr(OP_MBOX0_SET, 0, STATUS_OK),
                instr(OP_HALT, 0, 0));
    }

    /// The GSP `gsp` image.
    public static byte[] gsp() {
        return image(FALCON_GSP, 1,
                instr(OP_MBOX1_XOR_MBOX0, 0, GSP_SIGNATURE),
                instr(OP_MBOX0_SET, 0, GSP_READY),
                instr(OP_IRQ, 0, FalconRegs.IRQ_SWGEN0),
                instr(OP_MBOX0_WAIT, 0, GSP_ACK),
                instr(OP_SCRATCH_OR, DONE_SCRATCH_INDEX, DONE_GSP),
                instr(OP_MBOX0_SET, 0, STATUS_OK),
                instr(OP_HALT, 0, 0));
    }

    /// Writes both images for `chipset` below `root`; returns the paths written.
    public static Path[] write(Path root, Chipset chipset) throws IOException {
        Path booter = root.resolve(firmwareName(chipset, "booter_load"));
        Path gsp = root.resolve(firmwareName(chipset, "gsp"));
        Files.createDirectories(gsp.getParent());
        Files.write(booter, booterLoad());
        Files.write(gsp, gsp());
        return new Path[] {booter, gsp};
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: NvFirmwareImages <firmware root dir>");
            System.exit(2);
        }
        for (Path p : write(Path.of(args[0]), Chipset.GA102)) {
            System.out.println("wrote " + p);
        }
    }
}
