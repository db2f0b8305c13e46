package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.panthor.CsBuilder;
import dev.gpuemu.user.panthor.KernelDesc;
import dev.gpuemu.user.panthor.PanthorOps.SyncOp;
import dev.gpuemu.user.panthor.PanthorInfo.GroupState;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/// GPU isolation on the real G610 with its CSF, through the process syscall path: a copy job in one
/// VM cannot read or write memory mapped only in another VM (of another file, or of the same
/// file), nor memory outside every mapping, nor through a read-only mapping. Every attempt is a
/// reported fault, as panthor reports it: the job's fence signals `-EINVAL`, `GROUP_GET_STATE`
/// shows `FATAL_FAULT` on the queue, the MMU fault is counted and logged ("Unhandled Page fault
/// in AS.. at VA ..") with an address inside the attempted range, and the faulting VM becomes
/// `UNUSABLE`. The victim's bytes read back unchanged through its own mmap, its VM stays usable
/// and its group still runs jobs. After every file is closed the machine shuts down clean.
class TyrGpuIsolationTest {
    /// Where the victim maps its secret: mapped in no attacker VM.
    static final long X = 0x4000_0000L;
    static final int BYTES = 64 << 10;
    static final long VICTIM_SEED = 0xB0B;
    static final long ATTACKER_SEED = 0xA11CE;

    private TyrRig rig;
    private IsoParty victim;
    private UserMapping secret;

    @BeforeEach
    void setUp() throws Exception {
        rig = TyrRig.bootCsf();
        rig.reg();
        victim = IsoParty.open(rig, "victim");
        secret = victim.mapFilled(victim.jobs.vm, X, BYTES, 0, VICTIM_SEED);
    }

    @AfterEach
    void tearDown() {
        victim.close();
        assertEquals(0, rig.reg().mmu().vms().stream().filter(v -> !v.isMcu()).count(), "every user VM freed");
        rig.close();
        assertEquals(0, rig.machine.kernel().oopses().count(), rig.log::toString);
        assertTrue(rig.machine.report().clean(), rig.machine.report().toString());
    }

    /// One attempt: a copy from `src` to `dst`; the fault must land in `[faultFrom, faultTo)`.
    record Attempt(String name, long src, long dst, long faultFrom, long faultTo) {
    }

    private static List<Attempt> attempts() {
        long own = GpuJobs.VA + GpuJobs.SRC;
        long ownDst = GpuJobs.VA + GpuJobs.DST;
        long high = (1L << 47) - BYTES; // top of the default user range, mapped by nobody
        long alias = own | 1L << 48;    // the attacker's own source with a bit above the 48-bit VA space
        return List.of(
                new Attempt("read the victim's VA", X, ownDst, X, X + BYTES),
                new Attempt("write the victim's VA", own, X, X, X + BYTES),
                new Attempt("read VA 0", 0, ownDst, 0, BYTES),
                new Attempt("write VA 0", own, 0, 0, BYTES),
                new Attempt("read the top of the user range", high, ownDst, high, high + BYTES),
                new Attempt("write the top of the user range", own, high, high, high + BYTES),
                new Attempt("read past the 48-bit VA space", alias, ownDst, alias, alias + BYTES));
    }

    /// The victim is intact: secret unchanged through its mmap, VM usable, group innocent, and its
    /// own jobs (one reading the secret) still run.
    private void assertVictimIntact(String after) {
        assertEquals(-1, IsoParty.firstMismatch(secret, 0, BYTES, VICTIM_SEED), after + ": secret unchanged");
        assertEquals(PanthorDrm.DRM_PANTHOR_VM_STATE_USABLE, victim.client.vmGetState(victim.jobs.vm), after);
        assertEquals(new GroupState(0, 0), victim.client.groupGetState(victim.jobs.group), after);
        victim.jobs.cpu.fill(GpuJobs.DST, BYTES, (byte) 0);
        DmaFence f = victim.copyAndWait(victim.jobs, victim.jobs.group, 0, X, GpuJobs.VA + GpuJobs.DST, BYTES);
        assertEquals(0, f.error(), after + ": the victim's job runs");
        assertEquals(-1, IsoParty.firstMismatch(victim.jobs.cpu, GpuJobs.DST, BYTES, VICTIM_SEED), after);
    }

    /// The job behind `f` faulted as panthor reports it, at an address in `[from, to)`.
    private void assertReportedFault(String name, IsoParty a, int vm, int group, DmaFence f, long faultsBefore,
            int logFrom, long from, long to) {
        assertTrue(f.isSignaled(), name);
        assertEquals(-Errno.EINVAL.code(), f.error(), name + ": panthor's -EINVAL on the faulting queue's fence");
        GroupState st = a.client.groupGetState(group);
        assertEquals(PanthorDrm.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
                st.state() & PanthorDrm.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, name);
        assertEquals(1, st.fatalQueues(), name + ": queue 0 faulted");
        assertTrue(TyrRig.eventually(() -> a.client.vmGetState(vm) == PanthorDrm.DRM_PANTHOR_VM_STATE_UNUSABLE),
                name + ": the MMU fault made the attacker's VM unusable");
        assertTrue(rig.reg().mmu().faults() > faultsBefore, name + ": the MMU fault was counted");
        List<Long> vas = IsoParty.faultVas(rig, logFrom);
        assertFalse(vas.isEmpty(), name + ": fault logged; " + rig.log);
        long va = vas.getFirst();
        assertTrue(Long.compareUnsigned(va, from) >= 0 && Long.compareUnsigned(va, to) < 0,
                name + ": fault at 0x" + Long.toHexString(va));
    }

    @Test
    void shouldFaultEveryCopyReachingAnotherFilesVmOrNoMappingAndLeaveTheVictimIntact() {
        int slot = 0;
        for (Attempt at : attempts()) {
            try (IsoParty a = IsoParty.open(rig, "attacker")) {
                a.jobs.writeSource();
                a.jobs.cpu.fill(GpuJobs.DST, BYTES, (byte) 0x77);
                long faults = rig.reg().mmu().faults();
                int logFrom = rig.log.size();
                DmaFence f = a.copyAndWait(a.jobs, a.jobs.group, slot++, at.src(), at.dst(), BYTES);
                assertReportedFault(at.name(), a, a.jobs.vm, a.jobs.group, f, faults, logFrom, at.faultFrom(),
                        at.faultTo());
                for (long off = 0; off < BYTES; off += 8) {
                    assertEquals(0x7777_7777_7777_7777L, a.jobs.cpu.getLong(GpuJobs.DST + off),
                            at.name() + ": nothing reached the attacker's destination");
                }
            }
            assertVictimIntact(at.name());
        }
        assertEquals(1, rig.reg().mmu().vms().stream().filter(v -> !v.isMcu()).count(), "only the victim's VM left");
    }

    @Test
    void shouldKeepTwoVmsOfOneFileApartAtTheSameVaAndFaultAJobReachingTheOther() {
        try (IsoParty a = IsoParty.open(rig, "two-vms")) {
            GpuJobs vm1 = a.jobs;
            GpuJobs vm2 = GpuJobs.create(a.client); // its BO at the same VA, in its own VM
            try {
                UserMapping other = a.mapFilled(vm2.vm, X, BYTES, 0, VICTIM_SEED);
                IsoParty.fill(vm1.cpu, GpuJobs.SRC, BYTES, 1);
                IsoParty.fill(vm2.cpu, GpuJobs.SRC, BYTES, 2);
                vm2.cpu.fill(GpuJobs.DST, BYTES, (byte) 0x55);
                // The same VA names each VM's own pages.
                DmaFence ok = a.copyAndWait(vm1, vm1.group, 0, GpuJobs.VA + GpuJobs.SRC, GpuJobs.VA + GpuJobs.DST,
                        BYTES);
                assertEquals(0, ok.error());
                assertEquals(-1, IsoParty.firstMismatch(vm1.cpu, GpuJobs.DST, BYTES, 1), "VM1 copied VM1's source");
                for (long off = 0; off < BYTES; off += 8) {
                    assertEquals(0x5555_5555_5555_5555L, vm2.cpu.getLong(GpuJobs.DST + off), "VM2 untouched");
                }
                // VM1's group reaching X, mapped only in VM2.
                long faults = rig.reg().mmu().faults();
                int logFrom = rig.log.size();
                DmaFence bad = a.copyAndWait(vm1, vm1.group, 1, GpuJobs.VA + GpuJobs.SRC, X, BYTES);
                assertReportedFault("write VM2's VA from VM1", a, vm1.vm, vm1.group, bad, faults, logFrom, X,
                        X + BYTES);
                assertEquals(-1, IsoParty.firstMismatch(other, 0, BYTES, VICTIM_SEED), "VM2's bytes unchanged");
                assertEquals(PanthorDrm.DRM_PANTHOR_VM_STATE_USABLE, a.client.vmGetState(vm2.vm));
                assertEquals(new GroupState(0, 0), a.client.groupGetState(vm2.group));
                DmaFence again = a.copyAndWait(vm2, vm2.group, 0, X, GpuJobs.VA + GpuJobs.DST, BYTES);
                assertEquals(0, again.error(), "VM2's group still runs");
                assertEquals(-1, IsoParty.firstMismatch(vm2.cpu, GpuJobs.DST, BYTES, VICTIM_SEED));
            } finally {
                vm2.close();
            }
        }
        assertVictimIntact("two VMs in one file");
    }

    @Test
    void shouldFaultAWriteThroughAReadOnlyMappingAndKeepItsBytes() {
        try (IsoParty a = IsoParty.open(rig, "read-only")) {
            UserMapping ro = a.mapFilled(a.jobs.vm, X, BYTES, PanthorDrm.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY,
                    ATTACKER_SEED);
            a.jobs.writeSource();
            // Reading through the read-only mapping works.
            DmaFence read = a.copyAndWait(a.jobs, a.jobs.group, 0, X, GpuJobs.VA + GpuJobs.DST, BYTES);
            assertEquals(0, read.error());
            assertEquals(-1, IsoParty.firstMismatch(a.jobs.cpu, GpuJobs.DST, BYTES, ATTACKER_SEED));
            long faults = rig.reg().mmu().faults();
            int logFrom = rig.log.size();
            DmaFence write = a.copyAndWait(a.jobs, a.jobs.group, 1, GpuJobs.VA + GpuJobs.SRC, X, BYTES);
            assertReportedFault("write through a read-only mapping", a, a.jobs.vm, a.jobs.group, write, faults,
                    logFrom, X, X + BYTES);
            synchronized (rig.log) {
                assertTrue(rig.log.subList(logFrom, rig.log.size()).stream().anyMatch(l -> l.contains("PERM_FAULT")),
                        "a permission fault, not a translation fault: " + rig.log);
                assertTrue(rig.log.subList(logFrom, rig.log.size()).stream()
                        .anyMatch(l -> l.contains("access type 0x3: WRITE")), rig.log::toString);
            }
            assertEquals(-1, IsoParty.firstMismatch(ro, 0, BYTES, ATTACKER_SEED), "read-only bytes unchanged");
        }
        assertVictimIntact("read-only");
    }

    /// More VMs with running groups than the G610 has user address spaces (8 CSG slots, AS 1..7):
    /// every group's job waits on a flag in its own BO, so all are bound at once; then the flags
    /// are raised. Each VM maps its own BO at the same VA: a job whose address space was handed to
    /// another VM while its group ran would copy the other VM's bytes (or into them).
    @Test
    @Timeout(120)
    void shouldNotHandARunningGroupsAddressSpaceToAnotherVm() {
        int perFile = 4;
        long flag = 0x50000;
        try (IsoParty a = IsoParty.open(rig, "many-a"); IsoParty b = IsoParty.open(rig, "many-b")) {
            List<GpuJobs> jobs = new java.util.ArrayList<>();
            List<IsoParty> owner = new java.util.ArrayList<>();
            for (IsoParty p : List.of(a, b)) {
                jobs.add(p.jobs);
                owner.add(p);
                for (int i = 1; i < perFile; i++) {
                    jobs.add(GpuJobs.create(p.client));
                    owner.add(p);
                }
            }
            int n = jobs.size();
            assertTrue(n > rig.reg().mmu().slotCount() - 1, "more VMs than user address spaces");
            int[] syncs = new int[n];
            for (int i = 0; i < n; i++) {
                GpuJobs j = jobs.get(i);
                IsoParty p = owner.get(i);
                IsoParty.fill(j.cpu, GpuJobs.SRC, BYTES, 100 + i);
                j.cpu.fill(GpuJobs.DST, BYTES, (byte) 0);
                j.cpu.putLong(flag, 0);
                KernelDesc.copy(GpuJobs.VA + GpuJobs.SRC, GpuJobs.VA + GpuJobs.DST, BYTES).writeTo(j.cpu,
                        GpuJobs.DESCS);
                CsBuilder s = new CsBuilder().move48(40, GpuJobs.VA + flag).move32(42, 0)
                        .syncWait32(CsBuilder.COND_GREATER, 40, 42)
                        .move48(CsBuilder.SPD_BASE, GpuJobs.VA + GpuJobs.DESCS).runCompute(0);
                syncs[i] = p.client.syncobjCreate();
                p.client.groupSubmit(j.group, List.of(j.stream(0, 0, s, List.of(SyncOp.signal(syncs[i])))));
            }
            for (GpuJobs j : jobs) {
                j.cpu.putInt(flag, 1);
            }
            long deadline = rig.machine.clock().nowNs() + 100_000_000L; // 100 ms simulated: ample
            List<String> wrong = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                IsoParty p = owner.get(i);
                try {
                    p.client.syncobjWait(syncs[i], deadline);
                    if (p.fence(syncs[i]).error() != 0) {
                        wrong.add("job " + i + " fence error " + p.fence(syncs[i]).error());
                    }
                } catch (DrmErrnoException e) {
                    wrong.add("job " + i + " never finished (" + e.errno() + ")");
                }
            }
            for (int i = 0; i < n; i++) {
                if (IsoParty.firstMismatch(jobs.get(i).cpu, GpuJobs.DST, BYTES, 100 + i) != -1) {
                    wrong.add("VM " + i + "'s destination does not hold VM " + i + "'s source");
                }
            }
            assertEquals(List.of(), wrong, "each job ran in its own VM's address space");
            for (int i = 1; i < perFile; i++) {
                jobs.get(i).close();
                jobs.get(perFile + i).close();
            }
        }
        assertVictimIntact("many VMs");
    }
}
