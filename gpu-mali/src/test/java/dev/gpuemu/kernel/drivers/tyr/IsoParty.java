package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.panthor.KernelDesc;
import dev.gpuemu.user.panthor.PanthorClient;
import dev.gpuemu.user.panthor.PanthorInfo.Bo;
import dev.gpuemu.user.panthor.PanthorOps.BindOp;
import dev.gpuemu.user.panthor.PanthorOps.SyncOp;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// One user process of an isolation test: its own render-node file ([PanthorClient]), a first VM
/// with a compute group ([GpuJobs], BO at [GpuJobs#VA]), and helpers to run one copy and wait for
/// it, to map extra BOs into a VM, and to read the fault reports the kernel logged.
///
/// ## Lifecycle
/// [#open] → [#close] once: the extra mappings, the jobs' CPU mapping, the client (its file:
/// groups and VMs go with it), the process.
final class IsoParty implements AutoCloseable {
    private static final Pattern FAULT = Pattern.compile("Unhandled Page fault in AS(\\d+) at VA 0x([0-9A-F]{16})");

    final Process proc;
    final PanthorClient client;
    final GpuJobs jobs;
    private final List<UserMapping> maps = new ArrayList<>();

    private IsoParty(TyrRig rig, String name) {
        proc = rig.machine.kernel().spawn(name, false);
        client = PanthorClient.open(proc, TyrUser.RENDER);
        jobs = GpuJobs.create(client);
    }

    static IsoParty open(TyrRig rig, String name) {
        return new IsoParty(rig, name);
    }

    /// Creates a BO of `bytes`, binds it at `va` of VM `vm` with `mapFlags`, maps it on the CPU and
    /// fills it with `seed`'s pattern.
    UserMapping mapFilled(int vm, long va, int bytes, int mapFlags, long seed) {
        Bo bo = client.boCreate(bytes, 0, 0);
        client.vmBind(vm, 0, List.of(BindOp.map(bo.handle(), 0, va, bo.size(), mapFlags)));
        UserMapping m = client.mmapBo(bo);
        maps.add(m);
        fill(m, 0, bytes, seed);
        return m;
    }

    static long word(long seed, long i) {
        return (seed * 0x9E37_79B9_7F4A_7C15L) ^ (i * 0xBF58_476D_1CE4_E5B9L) ^ i;
    }

    static void fill(UserMapping m, long off, int bytes, long seed) {
        for (long i = 0; i < bytes / 8; i++) {
            m.putLong(off + 8 * i, word(seed, i));
        }
    }

    /// Index of the first word of `[off, off + bytes)` that is not `seed`'s pattern, or -1.
    static int firstMismatch(UserMapping m, long off, int bytes, long seed) {
        for (int i = 0; i < bytes / 8; i++) {
            if (m.getLong(off + 8L * i) != word(seed, i)) {
                return i;
            }
        }
        return -1;
    }

    /// Submits one COPY of `bytes` from `src` to `dst` on `group` (descriptor/stream slot `slot`
    /// of `j`'s BO), waits for its syncobj and returns its fence.
    DmaFence copyAndWait(GpuJobs j, int group, int slot, long src, long dst, int bytes) {
        int s = client.syncobjCreate();
        var submit = j.job(slot, KernelDesc.copy(src, dst, bytes), false, List.of(SyncOp.signal(s)));
        client.groupSubmit(group, List.of(submit));
        client.syncobjWait(s, Long.MAX_VALUE);
        DmaFence f = fence(s);
        client.syncobjDestroy(s);
        return f;
    }

    /// The fence of syncobj `handle`, read kernel-side (the uAPI has no fence-status query here).
    DmaFence fence(int handle) {
        KFile f = proc.fget(client.drm().fd());
        try {
            return f.privateData(DrmFile.class).syncobjFind(handle).fence();
        } finally {
            f.put();
        }
    }

    /// The fault addresses of the "Unhandled Page fault" reports among `log[from..]`.
    static List<Long> faultVas(TyrRig rig, int from) {
        List<Long> out = new ArrayList<>();
        synchronized (rig.log) {
            for (String l : rig.log.subList(from, rig.log.size())) {
                Matcher m = FAULT.matcher(l);
                if (m.find()) {
                    out.add(Long.parseUnsignedLong(m.group(2), 16));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        maps.forEach(UserMapping::close);
        jobs.close();
        client.close();
        proc.close();
    }
}
