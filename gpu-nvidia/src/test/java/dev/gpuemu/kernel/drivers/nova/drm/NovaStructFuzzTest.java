package dev.gpuemu.kernel.drivers.nova.drm;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.nova.NovaClient;
import dev.gpuemu.user.nova.NovaClient.Bo;
import dev.gpuemu.user.nova.NovaClient.Vm;
import dev.gpuemu.user.nova.NvPush;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/// Fuzz target: nova-drm's VM_BIND and SUBMIT handlers with structured inputs on the real GA102
/// (nova-core, GSP boot, host channels; booted once per JVM). Each input is one client session:
/// a VM, a 64 KiB system-memory pushbuffer object filled with fuzz-chosen pushbuffer contents
/// (well-formed incrementing method headers on any subchannel with their data, the copy
/// engine's `SET_OBJECT` and 1D copies between fuzz-chosen VAs, raw dwords), a 64 KiB VRAM
/// object, then up to eight steps built with [FuzzedDataProvider] through [NovaClient]:
/// VM_BIND map / unmap (mostly page-aligned VAs in the VM's range, offsets and ranges in and
/// around the objects), CHANNEL_CREATE, SUBMIT of a dword range of either object with wait and
/// signal syncobjs (signals waited for a bounded simulated time), and the state / destroy calls.
///
/// Crashes: an exception other than an errno answer, an unknown errno, an oops, a clock
/// failure, pages still in use once the session closed and the GPU settled, a leak at shutdown.
class NovaStructFuzzTest {
    private static final long OBJ_SIZE = 64 << 10;
    private static final long PAGE = 4096;
    private static final long WAIT_NS = 50_000_000L;
    private static final long SETTLE_NS = 10_000_000_000L;

    private static Ga102DrmRig rig;
    private static int baseline;

    private static synchronized Ga102DrmRig rig() throws KernelException {
        if (rig == null) {
            rig = new Ga102DrmRig();
            assertNotNull(rig.drmData, "nova-drm did not bind");
            baseline = memory().pagesInUse();
        }
        return rig;
    }

    private static SystemMemory memory() {
        return rig.machine.kernel().hw().memory();
    }

    @FuzzTest
    void session(FuzzedDataProvider data) throws KernelException {
        Ga102DrmRig r = rig();
        Process proc = r.spawn();
        NovaClient c = NovaClient.open(proc, Ga102DrmRig.RENDER);
        try {
            Vm vm = c.vmCreate();
            Bo pb = c.createSysmem(OBJ_SIZE);
            Bo vram = c.createVram(OBJ_SIZE);
            UserMapping map = c.mmap(pb);
            pushbuffer(map, vm, data);
            List<Integer> channels = new ArrayList<>();
            int steps = data.consumeInt(1, 8);
            for (int s = 0; s < steps && data.remainingBytes() > 0; s++) {
                try {
                    step(r, c, vm, List.of(pb, vram), channels, data);
                } catch (DrmErrnoException e) {
                    assertNotNull(e.errno(), e.getMessage());
                }
            }
        } catch (DrmErrnoException e) {
            fail("setup failed: " + e.getMessage());
        } finally {
            c.close();
            proc.close();
        }
        if (!r.machine.clock().await(() -> memory().pagesInUse() == baseline, SETTLE_NS)) {
            fail((memory().pagesInUse() - baseline) + " page(s) in use after the session: " + memory().leaks());
        }
        if (r.oopses() != 0) {
            fail("oops " + r.machine.kernel().oopses().reports());
        }
        if (!r.machine.clock().failures().isEmpty()) {
            throw new AssertionError("clock failure", r.machine.clock().failures().getFirst());
        }
    }

    private static long va(Vm vm, FuzzedDataProvider data) {
        return data.consumeInt(0, 7) == 0 ? data.consumeLong() : vm.vaStart() + PAGE * data.consumeInt(0, 40);
    }

    private static void pushbuffer(UserMapping map, Vm vm, FuzzedDataProvider data) {
        List<Integer> words = new ArrayList<>();
        if (data.consumeBoolean()) {
            for (int w : new NvPush().setObject().words()) {
                words.add(w);
            }
        }
        int items = data.consumeInt(0, 8);
        for (int i = 0; i < items && words.size() < 1024; i++) {
            switch (data.consumeInt(0, 3)) {
                case 0 -> {
                    int count = data.consumeInt(0, 4);
                    words.add(NvPush.incrementing(data.consumeInt(0, 7), 4 * data.consumeInt(0, 0xFFF), count));
                    for (int k = 0; k < count; k++) {
                        words.add(data.consumeInt());
                    }
                }
                case 1 -> {
                    for (int w : new NvPush().copy(va(vm, data), va(vm, data), data.consumeInt(0, 1 << 16),
                            va(vm, data), data.consumeInt()).words()) {
                        words.add(w);
                    }
                }
                default -> words.add(data.consumeInt());
            }
        }
        for (int i = 0; i < words.size(); i++) {
            map.putInt(4L * i, words.get(i));
        }
    }

    private static void step(Ga102DrmRig r, NovaClient c, Vm vm, List<Bo> objs, List<Integer> channels,
            FuzzedDataProvider data) {
        switch (data.consumeInt(0, 5)) {
            case 0, 1 -> {
                int vmId = data.consumeInt(0, 7) == 0 ? data.consumeInt() : vm.id();
                Bo bo = data.pickValue(objs);
                int handle = data.consumeInt(0, 7) == 0 ? data.consumeInt(0, 5) : bo.handle();
                long off = data.consumeInt(0, 7) == 0 ? data.consumeLong() : PAGE * data.consumeInt(0, 17);
                long range = data.consumeInt(0, 7) == 0 ? data.consumeLong()
                        : data.consumeBoolean() ? bo.size() : PAGE * data.consumeInt(0, 17);
                long va = va(vm, data);
                if (data.consumeInt(0, 3) == 0) {
                    c.vmUnmap(vmId, va, range);
                } else {
                    c.vmMap(vmId, handle, off, va, range, data.consumeBoolean());
                }
            }
            case 2 -> channels.add(c.channelCreate(data.consumeInt(0, 7) == 0 ? data.consumeInt() : vm.id()));
            case 3 -> {
                int channel = channels.isEmpty() || data.consumeInt(0, 7) == 0 ? data.consumeInt(0, 4)
                        : data.pickValue(channels);
                int handle = data.consumeInt(0, 7) == 0 ? data.consumeInt(0, 5) : data.pickValue(objs).handle();
                long off = data.consumeInt(0, 7) == 0 ? data.consumeLong() : 4L * data.consumeInt(0, 64);
                int dwords = data.consumeInt(0, 7) == 0 ? data.consumeInt() : data.consumeInt(0, 1024);
                int[] waits = new int[data.consumeInt(0, 1)];
                int[] signals = new int[data.consumeInt(0, 2)];
                for (int i = 0; i < waits.length; i++) {
                    waits[i] = data.consumeInt(0, 4);
                }
                try {
                    for (int i = 0; i < signals.length; i++) {
                        signals[i] = c.syncobjCreate();
                    }
                    c.submit(channel, handle, off, dwords, waits, signals);
                    for (int h : signals) {
                        try {
                            c.syncobjWait(h, r.machine.clock().nowNs() + WAIT_NS);
                        } catch (DrmErrnoException e) {
                            assertNotNull(e.errno(), e.getMessage());
                        }
                    }
                } finally {
                    for (int h : signals) {
                        if (h != 0) {
                            c.syncobjDestroy(h);
                        }
                    }
                }
            }
            case 4 -> {
                if (!channels.isEmpty() && data.consumeBoolean()) {
                    int ch = data.pickValue(channels);
                    c.channelState(ch);
                    c.channelDestroy(ch);
                    channels.remove((Integer) ch);
                } else {
                    c.gemInfo(data.pickValue(objs).handle());
                }
            }
            default -> c.vmDestroy(data.consumeInt(0, 3) == 0 ? vm.id() : data.consumeInt(0, 4));
        }
    }

    @AfterAll
    static synchronized void shutDown() {
        if (rig != null) {
            rig.close();
            assertTrue(rig.machine.report().clean(), rig.machine.report().toString());
            rig = null;
        }
    }
}
