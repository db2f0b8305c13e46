package dev.gpuemu.user.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.vgem.Vgem;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.drm.gem.GemDevice;
import dev.gpuemu.kernel.drm.gem.ShmemObject;
import dev.gpuemu.kernel.drm.gem.VmaOffsetManager;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.machine.time.SimClock;
import java.util.List;

/// A booted machine with vgem bound, for end-to-end tests through [DrmClient]. Tests may look at
/// kernel state through it (GEM counters, the clock, the object behind a fake offset); the
/// library under test never does.
final class VgemMachine implements AutoCloseable {
    static final String CARD = "/dev/dri/card0";
    static final String RENDER = "/dev/dri/renderD128";

    final Machine machine;
    final Vgem vgem;

    VgemMachine() throws KernelException {
        machine = Machine.builder().build();
        machine.boot();
        vgem = Vgem.init(machine.kernel());
        assertEquals(List.of(CARD, RENDER), DrmCore.of(machine.kernel()).nodes().stream().sorted().toList());
    }

    /// An unprivileged process.
    Process spawn() {
        return machine.kernel().spawn("user", false);
    }

    /// vgem's GEM counters (the device outlives unplug while anything holds it).
    GemDevice gem() {
        return vgem.drm().gem();
    }

    SimClock clock() {
        return machine.kernel().clock();
    }

    /// Pool pages in use on the machine.
    int poolPagesInUse() {
        return machine.kernel().hw().memory().pagesInUse();
    }

    /// The shmem object behind the fake offset `offset` of `bytes`, with a reference the caller
    /// must `put()`.
    ShmemObject objectAt(long offset, long bytes) {
        return (ShmemObject) gem().offsets().lookupObject(offset >>> VmaOffsetManager.PAGE_SHIFT,
                bytes >>> VmaOffsetManager.PAGE_SHIFT);
    }

    /// Unbinds vgem's faux device through sysfs: the DRM device is unplugged.
    void unplug() {
        var node = vgem.device().device().node();
        assertEquals(0, machine.kernel().sysfs().unbind(node.bus().name(), "faux_driver", node.name()));
    }

    long oopses() {
        return machine.kernel().oopses().count();
    }

    @Override
    public void close() {
        vgem.close();
        machine.close();
    }
}
