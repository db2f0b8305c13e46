package dev.gpuemu.igt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.UserMapping;
import java.util.Optional;

/// vgem has no jobs: the exec check is a dumb-buffer round trip through mmap on the primary node
/// (dumb buffers are not render-allowed: `EACCES` on the render node, as in Linux) and a syncobj
/// signal and wait on the render node; the load's GEM cycle is a dumb create and destroy; there is
/// no spinner.
final class VgemWork implements DriverWork {
    @Override
    public void execCheck(DrmClient drm, boolean render, Process proc, SimClock clock) {
        if (render) {
            int s = drm.syncobjCreate(0);
            drm.syncobjSignal(s);
            assertEquals(0, drm.syncobjWait(new int[] {s}, clock.nowNs(), 0), "a signalled syncobj waits at once");
            drm.syncobjDestroy(s);
            return;
        }
        DrmClient.Dumb d = drm.createDumb(64, 16, 32);
        try (UserMapping m = drm.mmap(drm.mapDumb(d.handle()), d.size(), Fcntl.PROT_READ | Fcntl.PROT_WRITE)) {
            for (long off = 0; off < d.size(); off += 8) {
                m.putLong(off, off * 0x9E37_79B9L);
            }
            for (long off = 0; off < d.size(); off += 8) {
                assertEquals(off * 0x9E37_79B9L, m.getLong(off), "vgem BO reads back at " + off);
            }
        }
        drm.destroyDumb(d.handle());
    }

    @Override
    public Load load(DrmClient drm) {
        return new Load() {
            @Override
            public void gemCycle() {
                drm.destroyDumb(drm.createDumb(16, 16, 32).handle());
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Optional<Spinner> spinner(DrmClient drm, Process proc) {
        return Optional.empty();
    }
}
