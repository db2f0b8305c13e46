package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.panthor.PanthorClient;
import dev.gpuemu.user.panthor.PanthorInfo.Bo;
import dev.gpuemu.user.panthor.PanthorInfo.GpuInfo;
import dev.gpuemu.user.panthor.PanthorInfo.Vm;
import dev.gpuemu.user.panthor.PanthorOps.BindOp;
import dev.gpuemu.user.panthor.PanthorOps.GroupSpec;
import dev.gpuemu.user.panthor.PanthorOps.QueueSpec;
import dev.gpuemu.user.panthor.PanthorOps.QueueSubmit;
import dev.gpuemu.user.panthor.PanthorOps.SyncOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/// Fuzz target: panthor's VM_BIND, GROUP_CREATE and GROUP_SUBMIT handlers with structured
/// inputs on the real G610 and CSF (booted once per JVM). Each input is one client session: a
/// VM, a 64 KiB BO whose first words are fuzz-chosen command-stream instructions, then up to
/// eight steps built with [FuzzedDataProvider] through [PanthorClient] (so arrays, strides and
/// pointers are well formed): VM_BIND op arrays (map / unmap / sync-only, mostly page-aligned
/// VAs, sizes and offsets in and around the BO), GROUP_CREATE queue arrays, GROUP_SUBMIT of
/// queue_submits whose stream points into the bound BO with a signal syncobj waited for a
/// bounded simulated time, and the destroy / state calls.
///
/// Crashes: an exception other than an errno answer, an unknown errno, an oops, a clock
/// failure, pages still in use once the session closed and the GPU settled, a leak at shutdown.
class PanthorStructFuzzTest {
    private static final long BO_SIZE = 64 << 10;
    private static final long VA = 0x100_0000L;
    private static final long PAGE = 4096;
    private static final long WAIT_NS = 50_000_000L;
    private static final long SETTLE_NS = 10_000_000_000L;

    private static TyrRig rig;
    private static GpuInfo info;
    private static List<String> baseline;

    private static synchronized TyrRig rig() throws KernelException {
        if (rig == null) {
            rig = TyrRig.bootCsf();
            rig.reg();
            baseline = sessionIndependent();
        }
        return rig;
    }

    private static SystemMemory memory() {
        return rig.machine.kernel().hw().memory();
    }

    /// The live allocations and pins, without the MCU's page-table pages: like io-pgtable, the
    /// MCU VM keeps a table page once a kernel mapping needed it, until the device goes.
    private static List<String> sessionIndependent() {
        return memory().leaks().stream().filter(l -> !l.contains(" mcu pgtable: ")).toList();
    }

    @FuzzTest
    void session(FuzzedDataProvider data) throws KernelException {
        TyrRig r = rig();
        Process proc = r.machine.kernel().spawn("fuzz", false);
        PanthorClient c = PanthorClient.open(proc, TyrUser.RENDER);
        try {
            if (info == null) {
                info = c.gpuInfo();
            }
            Vm vm = c.vmCreate(0);
            Bo bo = c.boCreate(BO_SIZE, 0, 0);
            UserMapping map = c.mmapBo(bo);
            int words = data.consumeInt(0, 32);
            for (int i = 0; i < words; i++) {
                map.putLong(8L * i, data.consumeLong());
            }
            List<Integer> groups = new ArrayList<>();
            int steps = data.consumeInt(1, 8);
            for (int s = 0; s < steps && data.remainingBytes() > 0; s++) {
                try {
                    step(r, c, vm, bo, groups, data);
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
        if (!r.machine.clock().await(() -> sessionIndependent().equals(baseline), SETTLE_NS)) {
            List<String> extra = new ArrayList<>(sessionIndependent());
            extra.removeAll(baseline);
            fail("still allocated after the session: " + extra);
        }
        if (r.machine.kernel().oopses().count() != 0) {
            fail("oops " + r.machine.kernel().oopses().reports());
        }
        if (!r.machine.clock().failures().isEmpty()) {
            throw new AssertionError("clock failure", r.machine.clock().failures().getFirst());
        }
    }

    private static void step(TyrRig r, PanthorClient c, Vm vm, Bo bo, List<Integer> groups, FuzzedDataProvider data) {
        switch (data.consumeInt(0, 5)) {
            case 0, 1 -> {
                int vmId = data.consumeInt(0, 7) == 0 ? data.consumeInt() : vm.id();
                int flags = data.consumeInt(0, 7) == 0 ? data.consumeInt() : 0;
                List<BindOp> ops = new ArrayList<>();
                int n = data.consumeInt(1, 4);
                for (int i = 0; i < n; i++) {
                    ops.add(bindOp(bo, data));
                }
                c.vmBind(vmId, flags, ops);
            }
            case 2 -> {
                List<QueueSpec> queues = new ArrayList<>();
                int n = data.consumeInt(0, 3);
                for (int i = 0; i < n; i++) {
                    int ring = switch (data.consumeInt(0, 3)) {
                        case 0 -> data.consumeInt();
                        case 1 -> 8192;
                        default -> 4096;
                    };
                    queues.add(new QueueSpec(data.consumeInt(0, 16), ring));
                }
                GroupSpec spec = GroupSpec.compute(data.consumeInt(0, 7) == 0 ? data.consumeInt() : vm.id(),
                        data.consumeInt(0, 4), info.shaderPresent(), info.tilerPresent(), queues);
                if (data.consumeInt(0, 7) == 0) {
                    spec = new GroupSpec(spec.vmId(), spec.priority(), queues, data.consumeLong(), data.consumeInt(0, 255),
                            data.consumeLong(), data.consumeInt(0, 255), data.consumeLong(), data.consumeInt(0, 255));
                }
                groups.add(c.groupCreate(spec));
            }
            case 3 -> {
                int group = groups.isEmpty() || data.consumeInt(0, 7) == 0 ? data.consumeInt(0, 4) : data.pickValue(groups);
                List<QueueSubmit> subs = new ArrayList<>();
                List<Integer> signals = new ArrayList<>();
                int n = data.consumeInt(0, 3);
                for (int i = 0; i < n; i++) {
                    List<SyncOp> syncs = new ArrayList<>();
                    if (data.consumeBoolean()) {
                        int h = c.syncobjCreate();
                        signals.add(h);
                        syncs.add(SyncOp.signal(h));
                    }
                    if (data.consumeInt(0, 7) == 0) {
                        syncs.add(new SyncOp(data.consumeInt(), data.consumeInt(0, 8), data.consumeLong()));
                    }
                    long addr = data.consumeInt(0, 7) == 0 ? data.consumeLong() : VA + 64L * data.consumeInt(0, 16);
                    int size = data.consumeInt(0, 7) == 0 ? data.consumeInt() : 8 * data.consumeInt(0, 32);
                    subs.add(new QueueSubmit(data.consumeInt(0, 3), addr, size, 0, syncs));
                }
                try {
                    c.groupSubmit(group, subs);
                    for (int h : signals) {
                        try {
                            c.syncobjWait(h, r.machine.clock().nowNs() + WAIT_NS);
                        } catch (DrmErrnoException e) {
                            assertNotNull(e.errno(), e.getMessage());
                        }
                    }
                } finally {
                    for (int h : signals) {
                        c.syncobjDestroy(h);
                    }
                }
            }
            case 4 -> {
                if (!groups.isEmpty() && data.consumeBoolean()) {
                    int g = data.pickValue(groups);
                    c.groupGetState(g);
                    c.groupDestroy(g);
                    groups.remove((Integer) g);
                } else {
                    c.vmGetState(vm.id());
                }
            }
            default -> c.vmDestroy(data.consumeInt(0, 3) == 0 ? vm.id() : data.consumeInt(0, 4));
        }
    }

    private static BindOp bindOp(Bo bo, FuzzedDataProvider data) {
        long va = data.consumeInt(0, 7) == 0 ? data.consumeLong() : VA + PAGE * data.consumeInt(0, 32);
        long size = data.consumeInt(0, 7) == 0 ? data.consumeLong() : PAGE * data.consumeInt(0, 20);
        return switch (data.consumeInt(0, 5)) {
            case 0 -> BindOp.unmap(va, size);
            case 1 -> new BindOp(data.consumeInt(), data.consumeInt(0, 4), data.consumeLong(), va, size, List.of());
            case 2 -> BindOp.syncOnly(List.of());
            default -> {
                long off = data.consumeInt(0, 7) == 0 ? data.consumeLong() : PAGE * data.consumeInt(0, 17);
                int flags = data.consumeInt(0, 3) == 0 ? data.consumeInt(0, 7) : 0;
                yield BindOp.map(bo.handle(), off, data.consumeBoolean() ? VA : va, data.consumeBoolean() ? bo.size() : size,
                        flags);
            }
        };
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
