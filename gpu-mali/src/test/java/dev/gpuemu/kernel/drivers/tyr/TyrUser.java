package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.panthor.PanthorClient;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.function.Executable;

/// A booted [TyrRig] plus one user process with a [PanthorClient] on the render node and a
/// scratch page of anonymous user memory, for uAPI tests.
///
/// ## Lifecycle
/// [#open] → [#close] once: client, process, machine; checks no oops happened.
final class TyrUser implements AutoCloseable {
    static final String RENDER = "/dev/dri/renderD128";
    static final String CARD = "/dev/dri/card0";

    final TyrRig rig;
    final Process proc;
    final PanthorClient client;
    /// A 64 KiB anonymous read/write mapping.
    final long scratch;
    private final Arena arena = Arena.ofConfined();

    private TyrUser(TyrRig booted) throws KernelException {
        rig = booted;
        rig.reg(); // bound, or fail with the log
        proc = rig.machine.kernel().spawn("user", false);
        client = PanthorClient.open(proc, RENDER);
        scratch = proc.mmap(0, 64 << 10, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS,
                -1, 0);
    }

    /// On the G610 with the stub MCU (no jobs run).
    static TyrUser open() throws KernelException {
        return new TyrUser(TyrRig.boot());
    }

    /// On the G610 with the real CSF: jobs run.
    static TyrUser openCsf() throws KernelException {
        return new TyrUser(TyrRig.bootCsf());
    }

    /// A zeroed argument struct.
    MemorySegment arg(MemoryLayout layout) {
        return arena.allocate(layout);
    }

    /// The raw ioctl: 0 or `-errno`.
    int ioctl(int cmd, MemorySegment arg) {
        return client.ioctl(cmd, arg);
    }

    static Errno errnoOf(Executable call) {
        return assertThrows(DrmErrnoException.class, call).errno();
    }

    void expect(Errno e, int cmd, MemorySegment arg) {
        assertEquals(e.negative(), ioctl(cmd, arg), () -> "errno of " + PanthorClient.ioctlName(cmd));
    }

    @Override
    public void close() {
        client.close();
        proc.close();
        arena.close();
        rig.close();
        assertEquals(0, rig.machine.kernel().oopses().count(), rig.log::toString);
    }
}
