package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.nova.NovaClient;
import dev.gpuemu.user.nova.NvPush;
import java.util.ArrayList;
import java.util.List;

/// One user process of a nova isolation test: its own render-node file ([NovaClient]), a VM with a
/// 64 KiB system-memory source at [#SRC], a destination at [#DST] and a semaphore page at [#SEM]
/// (all mapped on the CPU too), and a pushbuffer object; helpers to map more objects, to submit a
/// pushbuffer and wait for it, and to compare contents with seeded patterns.
///
/// ## Lifecycle
/// [#open] → [#close] once: CPU mappings, the client (its file: channels and VMs go with it), the
/// process.
final class NovaParty implements AutoCloseable {
    static final int BYTES = 64 << 10;
    static final long SRC = 0x100_0000L;
    static final long DST = 0x200_0000L;
    static final long SEM = 0x300_0000L;

    final Process proc;
    final NovaClient nova;
    final NovaClient.Vm vm;
    final UserMapping src;
    final UserMapping dst;
    final UserMapping sem;
    final NovaClient.Bo pb;
    private final UserMapping pbMap;
    private final List<UserMapping> maps = new ArrayList<>();

    private NovaParty(Ga102DrmRig rig, String name) {
        proc = rig.machine.kernel().spawn(name, false);
        nova = NovaClient.open(proc, Ga102DrmRig.RENDER);
        vm = nova.vmCreate();
        src = mapNew(vm.id(), SRC, BYTES, false, false);
        dst = mapNew(vm.id(), DST, BYTES, false, false);
        sem = mapNew(vm.id(), SEM, 4096, false, false);
        pb = nova.createSysmem(4096);
        pbMap = nova.mmap(pb);
    }

    static NovaParty open(Ga102DrmRig rig, String name) {
        return new NovaParty(rig, name);
    }

    /// A new object of `bytes` (in VRAM when `vram`) mapped at `va` of VM `vmId` and on the CPU.
    UserMapping mapNew(int vmId, long va, int bytes, boolean vram, boolean readOnly) {
        NovaClient.Bo bo = vram ? nova.createVram(bytes) : nova.createSysmem(bytes);
        nova.vmMap(vmId, bo.handle(), 0, va, bytes, readOnly);
        UserMapping m = nova.mmap(bo);
        maps.add(m);
        return m;
    }

    static long word(long seed, long i) {
        return (seed * 0x9E37_79B9_7F4A_7C15L) ^ (i * 0xBF58_476D_1CE4_E5B9L) ^ i;
    }

    static void fill(UserMapping m, long seed) {
        for (long i = 0; i < m.length() / 8; i++) {
            m.putLong(8 * i, word(seed, i));
        }
    }

    /// Index of the first word of `m` that is not `seed`'s pattern, or -1.
    static long firstMismatch(UserMapping m, long seed) {
        for (long i = 0; i < m.length() / 8; i++) {
            if (m.getLong(8 * i) != word(seed, i)) {
                return i;
            }
        }
        return -1;
    }

    /// Whether every byte of `m` is `b`.
    static boolean all(UserMapping m, byte b) {
        for (long i = 0; i < m.length(); i++) {
            if (m.getByte(i) != b) {
                return false;
            }
        }
        return true;
    }

    /// Writes `words` at the start of the pushbuffer object.
    void write(int[] words) {
        for (int i = 0; i < words.length; i++) {
            pbMap.putInt(4L * i, words[i]);
        }
    }

    /// A copy of `bytes` from `from` to `to` with a semaphore release at [#SEM], on a fresh
    /// channel state (`SET_OBJECT` first).
    static NvPush copy(long from, long to, int bytes) {
        return new NvPush().setObject().copy(from, to, bytes, SEM, 1);
    }

    /// Submits `push` on `channel`, waits for its syncobj and returns the job's fence.
    DmaFence run(int channel, NvPush push) {
        write(push.words());
        int s = nova.syncobjCreate();
        nova.submit(channel, pb.handle(), 0, push.dwords(), new int[0], new int[] {s});
        nova.syncobjWait(s, Long.MAX_VALUE);
        DmaFence f = fence(s);
        nova.syncobjDestroy(s);
        return f;
    }

    /// Submits `words` on `channel`: 0 or `-errno`.
    int submitRaw(int channel, int[] words) {
        write(words);
        try {
            nova.submit(channel, pb.handle(), 0, words.length, new int[0], new int[0]);
            return 0;
        } catch (dev.gpuemu.user.drm.DrmErrnoException e) {
            return e.errno().negative();
        }
    }

    /// The fence of syncobj `handle`, read kernel-side (the extension has no fence-status query).
    DmaFence fence(int handle) {
        KFile f = proc.fget(nova.drm().fd());
        try {
            return f.privateData(DrmFile.class).syncobjFind(handle).fence();
        } finally {
            f.put();
        }
    }

    @Override
    public void close() {
        maps.forEach(UserMapping::close);
        pbMap.close();
        nova.close();
        proc.close();
    }
}
