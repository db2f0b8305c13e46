package dev.gpuemu.kernel.drivers.nova.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drivers.nova.core.NovaVm;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import dev.gpuemu.regs.nvidia.Clc56f;
import dev.gpuemu.regs.nvidia.NvHostRegs;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.nova.NovaClient;
import dev.gpuemu.user.nova.NvPush;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// GPU isolation on nova-drm with the real GA102 (GMMU, copy engine), through the process syscall
/// path with gpuemu's extension (per-file VMs, VM_BIND, channels, SUBMIT): a copy whose source or
/// destination is mapped only in another VM (another file's, or another VM of the same file), in
/// no VM, or read-only, is a GMMU fault: the fence signals `-EIO`, the channel stops,
/// `CHANNEL_GET_STATE` reports `FAULTED` with the MMU error and a fault address inside the
/// attempted range, and later submits get `EIO`. The victim's system-memory and VRAM objects read
/// back unchanged through its mmaps and its channel still copies. Pushbuffers aimed at another
/// channel's ring or semaphore, at the shadow pushbuffers, or at physical memory never reach the
/// GPU (`EINVAL` from SUBMIT, nothing queued). After closing every file nothing is left.
class NovaGpuIsolationTest {
    /// Where the victim maps its system-memory secret and its VRAM secret.
    static final long X_SYS = 0x4000_0000L;
    static final long X_VRAM = 0x5000_0000L;
    static final int BYTES = NovaParty.BYTES;
    static final long SYS_SEED = 0x5E5;
    static final long VRAM_SEED = 0x7A7;
    /// Each nova-core channel's kernel window (GPFIFO at 0, semaphore at 0x800) sits at
    /// `KERNEL_VA_START + id * 64 KiB` of its VM (HwChannel).
    static final long CHANNEL_WINDOW = 0x10000;

    private Ga102DrmRig rig;
    private NovaParty victim;
    private UserMapping secretSys;
    private UserMapping secretVram;
    private int victimChannel;
    private int victimHwId;
    private long freeVramAtStart;

    @BeforeEach
    void setUp() throws Exception {
        rig = new Ga102DrmRig();
        freeVramAtStart = rig.drmData.registrationData().aux().freeVram();
        victim = NovaParty.open(rig, "victim");
        secretSys = victim.mapNew(victim.vm.id(), X_SYS, BYTES, false, false);
        secretVram = victim.mapNew(victim.vm.id(), X_VRAM, BYTES, true, false);
        NovaParty.fill(secretSys, SYS_SEED);
        NovaParty.fill(secretVram, VRAM_SEED);
        int[] vc = createChannel(victim, victim.vm.id());
        victimChannel = vc[0];
        victimHwId = vc[1];
    }

    @AfterEach
    void tearDown() {
        victim.close();
        assertEquals(freeVramAtStart, rig.drmData.registrationData().aux().freeVram(), "all VRAM back");
        assertEquals(List.of(), rig.drmData.registrationData().channels(), "no channel left");
        assertEquals(0, rig.oopses(), () -> String.join("\n", rig.log));
        rig.close();
        assertTrue(rig.machine.report().clean(), rig.machine.report().toString());
    }

    /// The victim is intact: both secrets unchanged, its channel active and still copying both.
    private void assertVictimIntact(String after) {
        assertEquals(-1, NovaParty.firstMismatch(secretSys, SYS_SEED), after + ": sysmem secret unchanged");
        assertEquals(-1, NovaParty.firstMismatch(secretVram, VRAM_SEED), after + ": VRAM secret unchanged");
        assertFalse(victim.nova.channelState(victimChannel).faulted(), after);
        for (long[] c : new long[][] {{X_SYS, SYS_SEED}, {X_VRAM, VRAM_SEED}}) {
            victim.dst.fill(0, BYTES, (byte) 0);
            DmaFence f = victim.run(victimChannel, NovaParty.copy(c[0], NovaParty.DST, BYTES));
            assertEquals(0, f.error(), after + ": the victim's channel copies");
            assertEquals(-1, NovaParty.firstMismatch(victim.dst, c[1]), after);
        }
    }

    /// The job behind `f` was a GMMU fault at an address in `[from, to)`; the channel is stopped.
    private static void assertGmmuFault(String name, NovaParty a, int channel, DmaFence f, long from, long to) {
        assertTrue(f.isSignaled(), name);
        assertEquals(Errno.EIO.negative(), f.error(), name + ": the faulting job's fence");
        NovaClient.ChannelState st = a.nova.channelState(channel);
        assertTrue(st.faulted(), name + ": CHANNEL_GET_STATE reports the fault");
        assertEquals(NvHostRegs.ERROR_MMU_FAULT, st.error(), name);
        assertTrue(Long.compareUnsigned(st.faultVa(), from) >= 0 && Long.compareUnsigned(st.faultVa(), to) < 0,
                name + ": fault at 0x" + Long.toHexString(st.faultVa()));
        assertEquals(Errno.EIO.negative(), a.submitRaw(channel, NovaParty.copy(NovaParty.SRC, NovaParty.DST, 8).words()),
                name + ": a stopped channel refuses work");
    }

    record Attempt(String name, long src, long dst, long faultFrom, long faultTo) {
    }

    private static List<Attempt> attempts() {
        long top = NovaGpuemu.NOVA_GPUEMU_VA_END - BYTES; // the top of the user range, mapped by nobody
        return List.of(
                new Attempt("read the victim's sysmem VA", X_SYS, NovaParty.DST, X_SYS, X_SYS + BYTES),
                new Attempt("write the victim's sysmem VA", NovaParty.SRC, X_SYS, X_SYS, X_SYS + BYTES),
                new Attempt("read the victim's VRAM VA", X_VRAM, NovaParty.DST, X_VRAM, X_VRAM + BYTES),
                new Attempt("write the victim's VRAM VA", NovaParty.SRC, X_VRAM, X_VRAM, X_VRAM + BYTES),
                new Attempt("read VA 0", 0, NovaParty.DST, 0, BYTES),
                new Attempt("write VA 0", NovaParty.SRC, 0, 0, BYTES),
                new Attempt("read the top of the user range", top, NovaParty.DST, top, top + BYTES),
                new Attempt("write the top of the user range", NovaParty.SRC, top, top, top + BYTES));
    }

    @Test
    void shouldFaultEveryCopyReachingAnotherFilesVmOrNoMappingAndLeaveTheVictimIntact() {
        try (NovaParty a = NovaParty.open(rig, "attacker")) {
            NovaParty.fill(a.src, 1);
            for (Attempt at : attempts()) {
                a.dst.fill(0, BYTES, (byte) 0x77);
                int ch = a.nova.channelCreate(a.vm.id()); // a fresh channel: a faulted one stays stopped
                DmaFence f = a.run(ch, NovaParty.copy(at.src(), at.dst(), BYTES));
                assertGmmuFault(at.name(), a, ch, f, at.faultFrom(), at.faultTo());
                assertTrue(NovaParty.all(a.dst, (byte) 0x77), at.name() + ": nothing reached the attacker");
                a.nova.channelDestroy(ch);
                assertVictimIntact(at.name());
            }
            // The attacker's VM is not poisoned: a new channel on it copies its own memory.
            int ch = a.nova.channelCreate(a.vm.id());
            assertEquals(0, a.run(ch, NovaParty.copy(NovaParty.SRC, NovaParty.DST, BYTES)).error());
            assertEquals(-1, NovaParty.firstMismatch(a.dst, 1));
        }
        assertVictimIntact("attacker closed");
    }

    @Test
    void shouldKeepTwoVmsOfOneFileApartAndFaultAChannelReachingTheOther() {
        try (NovaParty a = NovaParty.open(rig, "two-vms")) {
            NovaClient.Vm vm2 = a.nova.vmCreate();
            // VM2 maps its own objects at VM1's VAs, and a secret at X_VRAM.
            UserMapping src2 = a.mapNew(vm2.id(), NovaParty.SRC, BYTES, true, false);
            UserMapping dst2 = a.mapNew(vm2.id(), NovaParty.DST, BYTES, false, false);
            a.mapNew(vm2.id(), NovaParty.SEM, 4096, false, false);
            UserMapping other = a.mapNew(vm2.id(), X_VRAM, BYTES, true, false);
            NovaParty.fill(a.src, 1);
            NovaParty.fill(src2, 2);
            NovaParty.fill(other, 3);
            dst2.fill(0, BYTES, (byte) 0x55);
            int ch1 = a.nova.channelCreate(a.vm.id());
            int ch2 = a.nova.channelCreate(vm2.id());
            assertEquals(0, a.run(ch1, NovaParty.copy(NovaParty.SRC, NovaParty.DST, BYTES)).error());
            assertEquals(-1, NovaParty.firstMismatch(a.dst, 1), "VM1's VA names VM1's memory");
            assertTrue(NovaParty.all(dst2, (byte) 0x55), "VM2 untouched");
            DmaFence bad = a.run(ch1, NovaParty.copy(X_VRAM, NovaParty.DST, BYTES));
            assertGmmuFault("read VM2's VA from VM1", a, ch1, bad, X_VRAM, X_VRAM + BYTES);
            assertEquals(-1, NovaParty.firstMismatch(a.dst, 1), "nothing of VM2 reached VM1");
            assertFalse(a.nova.channelState(ch2).faulted(), "VM2's channel is not affected");
            assertEquals(0, a.run(ch2, NovaParty.copy(X_VRAM, NovaParty.DST, BYTES)).error());
            assertEquals(-1, NovaParty.firstMismatch(dst2, 3), "VM2's channel reads VM2's memory");
            assertEquals(-1, NovaParty.firstMismatch(other, 3));
        }
        assertVictimIntact("two VMs");
    }

    @Test
    void shouldFaultACopyIntoAReadOnlyMappingAndKeepItsBytes() {
        try (NovaParty a = NovaParty.open(rig, "read-only")) {
            long roVa = 0x6000_0000L;
            UserMapping ro = a.mapNew(a.vm.id(), roVa, BYTES, true, true);
            NovaParty.fill(ro, 9);
            NovaParty.fill(a.src, 1);
            int ch = a.nova.channelCreate(a.vm.id());
            assertEquals(0, a.run(ch, NovaParty.copy(roVa, NovaParty.DST, BYTES)).error(), "reading it works");
            assertEquals(-1, NovaParty.firstMismatch(a.dst, 9));
            DmaFence f = a.run(ch, NovaParty.copy(NovaParty.SRC, roVa, BYTES));
            assertGmmuFault("write through a read-only mapping", a, ch, f, roVa, roVa + BYTES);
            assertEquals(-1, NovaParty.firstMismatch(ro, 9), "read-only bytes unchanged");
        }
        assertVictimIntact("read-only");
    }

    /// Cross-VM cases of the submit checker, end to end (PushbufferCheckerTest covers the rules on
    /// their own): a copy or semaphore aimed at another channel's kernel window (the victim's, in
    /// another VM; or the attacker's second channel on the same VM), at the shadow pushbuffer
    /// range, or at a physical address is `EINVAL` and nothing runs.
    @Test
    void shouldRefusePushbuffersAimedAtOtherChannelsShadowsOrPhysicalMemory() {
        try (NovaParty a = NovaParty.open(rig, "pushbuffer")) {
            NovaParty.fill(a.src, 1);
            int ch = a.nova.channelCreate(a.vm.id());
            int[] sib = createChannel(a, a.vm.id());
            int sibling = sib[0];
            long victimWindow = NovaVm.KERNEL_VA_START + CHANNEL_WINDOW * victimHwId;
            long siblingWindow = NovaVm.KERNEL_VA_START + CHANNEL_WINDOW * sib[1];
            int[] physical = NovaParty.copy(NovaParty.SRC, 0x1000, BYTES).words();
            physical[physical.length - 1] |= 1 << 13; // LAUNCH_DMA DST_TYPE = PHYSICAL: any VM's memory
            List<int[]> bad = List.of(
                    NovaParty.copy(NovaParty.SRC, victimWindow, 64).words(),          // the victim's GPFIFO
                    NovaParty.copy(victimWindow + 0x800, NovaParty.DST, 8).words(),   // the victim's semaphore
                    NovaParty.copy(NovaParty.SRC, siblingWindow, 64).words(),         // the sibling's GPFIFO
                    NovaParty.copy(NovaGpuemu.NOVA_GPUEMU_VA_END, NovaParty.DST, 64).words(), // shadow pushbuffers
                    hostRelease(victimWindow + 0x800),                                // host semaphore into the kernel
                    physical);
            for (int[] words : bad) {
                assertEquals(Errno.EINVAL.negative(), a.submitRaw(ch, words), Arrays.toString(words));
            }
            assertFalse(a.nova.channelState(ch).faulted(), "nothing was queued");
            assertEquals(0, a.run(ch, NovaParty.copy(NovaParty.SRC, NovaParty.DST, BYTES)).error());
            assertEquals(0, a.run(sibling, NovaParty.copy(NovaParty.SRC, NovaParty.DST, BYTES)).error());
            assertEquals(-1, NovaParty.firstMismatch(a.dst, 1));
        }
        assertVictimIntact("refused pushbuffers");
    }

    /// `CHANNEL_CREATE` on `vmId` of `p`: the file's channel id and nova-core's channel id.
    private int[] createChannel(NovaParty p, int vmId) {
        var before = new java.util.HashSet<>(rig.drmData.registrationData().channels());
        int id = p.nova.channelCreate(vmId);
        var created = new java.util.HashSet<>(rig.drmData.registrationData().channels());
        created.removeAll(before);
        assertEquals(1, created.size());
        return new int[] {id, created.iterator().next().hwId()};
    }

    /// Host `SEM_ADDR_LO/HI`, `SEM_PAYLOAD_LO` and `SEM_EXECUTE` (release) at `va`.
    private static int[] hostRelease(long va) {
        return new int[] {NvPush.incrementing(0, Clc56f.SEM_ADDR_LO, 3), (int) va, (int) (va >>> 32), 1,
            NvPush.incrementing(0, Clc56f.SEM_EXECUTE, 1), Clc56f.SEM_EXECUTE_OPERATION_RELEASE};
    }
}
