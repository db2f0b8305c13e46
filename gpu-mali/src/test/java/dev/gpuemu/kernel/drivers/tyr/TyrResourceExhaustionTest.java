package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm;
import dev.gpuemu.kernel.drivers.tyr.sched.FileGroups;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.panthor.CsBuilder;
import dev.gpuemu.user.panthor.KernelDesc;
import dev.gpuemu.user.panthor.PanthorClient;
import dev.gpuemu.user.panthor.PanthorInfo.Bo;
import dev.gpuemu.user.panthor.PanthorInfo.GpuInfo;
import dev.gpuemu.user.panthor.PanthorInfo.GroupState;
import dev.gpuemu.user.panthor.PanthorOps.BindOp;
import dev.gpuemu.user.panthor.PanthorOps.GroupSpec;
import dev.gpuemu.user.panthor.PanthorOps.QueueSpec;
import dev.gpuemu.user.panthor.PanthorOps.QueueSubmit;
import dev.gpuemu.user.panthor.PanthorOps.SyncOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/// Hostile sizes and counts on tyr with the real G610 and its CSF, through the process syscall
/// path. Expected errnos are panthor's (panthor_drv.c / panthor_mmu.c / panthor_sched.c, and the
/// shmem helper under BO_CREATE): BO_CREATE size 0 `EINVAL` (panthor_ioctl_bo_create); a size whose
/// page rounding wraps or exceeds `MAX_LFS_FILESIZE` `EINVAL` (shmem_file_setup); a BO larger than
/// RAM is created lazily and fails with `ENOMEM` when pinned (VM_BIND's drm_gem_shmem_pin) or
/// mapped (drm_gem_shmem_mmap gets all pages); `PANTHOR_MAX_VMS_PER_FILE` (32) and
/// `MAX_GROUPS_PER_POOL` (128) answer `EBUSY` (xa_alloc with XA_LIMIT on a full range); VM_BIND
/// ops unaligned, outside the user VA range or wrapping `EINVAL` (panthor_vm_bind_prepare_op_ctx,
/// panthor_vm_prepare_map_op_ctx); a MAP over an existing mapping replaces it (drm_gpuvm remap, no
/// error). After each: no oops, no exception out of the model, and once the files are closed every
/// pool page is back and a copy job still runs.
class TyrResourceExhaustionTest {
    /// Page-table pages the firmware (MCU) VM may have grown while groups' kernel objects were
    /// mapped in it: tables are kept until unbind (PageTable, as io-pgtable-arm keeps them), so
    /// they are not a leak; [#shouldCapVmsAndGroupsPerFileWithEbusy] shows they do not accumulate.
    static final int FW_TABLE_SLACK = 2;

    private TyrRig rig;
    private int poolAtStart;

    @BeforeEach
    void setUp() throws Exception {
        rig = TyrRig.bootCsf();
        rig.reg();
        poolAtStart = pool().pagesInUse();
    }

    @AfterEach
    void tearDown() {
        assertEquals(0, rig.reg().mmu().vms().stream().filter(v -> !v.isMcu()).count(), "every user VM freed");
        int left = pool().pagesInUse() - poolAtStart;
        assertTrue(left >= 0 && left <= FW_TABLE_SLACK, "every pool page back but firmware-VM page tables: " + left);
        try (IsoParty p = IsoParty.open(rig, "after")) {
            p.jobs.writeSource();
            assertEquals(0, p.copyAndWait(p.jobs, p.jobs.group, 0, GpuJobs.VA + GpuJobs.SRC, GpuJobs.VA + GpuJobs.DST,
                    GpuJobs.DATA_BYTES).error(), "a normal job still runs");
            assertEquals(-1, p.jobs.firstMismatch(GpuJobs.DST));
        }
        assertEquals(0, rig.machine.kernel().oopses().count(), rig.log::toString);
        rig.close();
        assertTrue(rig.machine.report().clean(), rig.machine.report().toString());
    }

    private SystemMemory pool() {
        return rig.machine.kernel().hw().memory();
    }

    private static Errno errnoOf(Executable call) {
        return assertThrows(DrmErrnoException.class, call).errno();
    }

    private PanthorClient open(List<AutoCloseable> owned) {
        var proc = rig.machine.kernel().spawn("hog", false);
        PanthorClient c = PanthorClient.open(proc, TyrUser.RENDER);
        owned.add(proc::close);
        owned.add(c);
        return c;
    }

    private static void closeAll(List<AutoCloseable> owned) throws Exception {
        for (AutoCloseable c : owned.reversed()) {
            c.close();
        }
    }

    @Test
    void shouldAnswerEinvalForZeroAndOverflowingSizesAndEnomemWhenAHugeBoIsPinned() throws Exception {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            PanthorClient c = open(owned);
            assertAll(
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.boCreate(0, 0, 0)), "size 0"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.boCreate(-1L, 0, 0)), "2^64-1: rounding wraps"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.boCreate(-4096L, 0, 0)), "2^64-4K > MAX_LFS_FILESIZE"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.boCreate(1L << 63, 0, 0)), "2^63 > MAX_LFS_FILESIZE"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.boCreate((1L << 63) - 1, 0, 0)), "2^63-1 rounds past it"));
            int vm = c.vmCreate(0).id();
            long huge = 4 * pool().size();
            int before = pool().pagesInUse();
            Bo big = c.boCreate(huge, 0, 0);
            assertEquals(huge, big.size());
            assertEquals(before, pool().pagesInUse(), "shmem pages come at first use, as in Linux");
            assertEquals(Errno.ENOMEM, errnoOf(() -> c.vmBind(vm, 0, List.of(BindOp.map(big.handle(), 0, 0x1_0000_0000L,
                    huge, 0)))), "VM_BIND pins every page");
            assertEquals(Errno.ENOMEM, errnoOf(() -> c.drm().mmap(c.boMmapOffset(big.handle()), huge, Fcntl.PROT_READ)),
                    "mmap gets every page");
            assertEquals(before, pool().pagesInUse(), "the failed allocations left nothing behind");
            assertEquals(PanthorDrm.DRM_PANTHOR_VM_STATE_USABLE, c.vmGetState(vm));
        } finally {
            closeAll(owned);
        }
    }

    @Test
    void shouldBindBosUntilRamRunsOutThenGiveEveryPageBackAtClose() throws Exception {
        List<AutoCloseable> owned = new ArrayList<>();
        int bound = 0;
        try {
            PanthorClient c = open(owned);
            int vm = c.vmCreate(0).id();
            long chunk = 1L << 20;
            while (true) {
                Bo bo = c.boCreate(chunk, 0, 0);
                try {
                    c.vmBind(vm, 0, List.of(BindOp.map(bo.handle(), 0, 0x1_0000_0000L + bound * chunk, chunk, 0)));
                    bound++;
                } catch (DrmErrnoException e) {
                    assertEquals(Errno.ENOMEM, e.errno(), "the pool ran out");
                    break;
                }
                assertTrue(bound < 4096, "the pool never ran out");
            }
            assertTrue(bound * chunk > pool().size() / 2, "most of RAM went into BOs: " + bound + " MiB");
            assertEquals(PanthorDrm.DRM_PANTHOR_VM_STATE_USABLE, c.vmGetState(vm));
        } finally {
            closeAll(owned);
        }
    }

    @Test
    void shouldCapVmsAndGroupsPerFileWithEbusy() throws Exception {
        fillVmAndGroupPools();
        int afterFirstRound = pool().pagesInUse();
        fillVmAndGroupPools();
        assertEquals(afterFirstRound, pool().pagesInUse(), "a second round takes nothing more");
    }

    private void fillVmAndGroupPools() throws Exception {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            PanthorClient c = open(owned);
            int first = c.vmCreate(0).id();
            for (int i = 1; i < TyrFile.MAX_VMS; i++) {
                c.vmCreate(0);
            }
            assertEquals(Errno.EBUSY, errnoOf(() -> c.vmCreate(0)), "PANTHOR_MAX_VMS_PER_FILE + 1");
            GpuInfo info = c.gpuInfo();
            GroupSpec spec = GroupSpec.compute(first, PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM, info.shaderPresent(),
                    info.tilerPresent(), List.of(new QueueSpec(0, 4096)));
            List<Integer> groups = new ArrayList<>();
            for (int i = 0; i < FileGroups.MAX_GROUPS; i++) {
                groups.add(c.groupCreate(spec));
            }
            assertEquals(Errno.EBUSY, errnoOf(() -> c.groupCreate(spec)), "MAX_GROUPS_PER_POOL + 1");
            c.groupDestroy(groups.get(5));
            assertEquals((int) groups.get(5), c.groupCreate(spec), "the freed handle is reused");
            // Another file is not limited by this one's pools.
            PanthorClient other = open(owned);
            int vm2 = other.vmCreate(0).id();
            other.groupCreate(GroupSpec.compute(vm2, PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM, info.shaderPresent(),
                    info.tilerPresent(), List.of(new QueueSpec(0, 4096))));
        } finally {
            closeAll(owned);
        }
    }

    @Test
    void shouldBindAcrossEveryPageTableLevelAndAtTheTopAndRefuseBadBinds() throws Exception {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            PanthorClient c = open(owned);
            var created = c.vmCreate(0);
            int vm = created.id();
            long end = created.userVaRange();
            Bo page = c.boCreate(4096, 0, 0);
            Bo table = c.boCreate(2L << 20, 0, 0);
            List<BindOp> ops = new ArrayList<>();
            // AArch64 4 KiB tables: L0 entries span 512 GiB, L1 1 GiB, L2 2 MiB. One page under every
            // L0 entry of the user range (an L1, L2 and L3 table each)...
            for (long va = 1L << 39; va < end; va += 1L << 39) {
                ops.add(BindOp.map(page.handle(), 0, va, 4096, 0));
            }
            // ...one under every L1 entry of the first 512 GiB (a full L1 table)...
            for (long va = 1L << 30; va < 1L << 39; va += 1L << 30) {
                ops.add(BindOp.map(page.handle(), 0, va, 4096, 0));
            }
            // ...one under every L2 entry of the first GiB (a full L2 table)...
            for (long va = 4L << 20; va < 1L << 30; va += 2L << 20) {
                ops.add(BindOp.map(page.handle(), 0, va, 4096, 0));
            }
            // ...and a full L3 table, and the last page of the user range.
            ops.add(BindOp.map(table.handle(), 0, 2L << 20, 2L << 20, 0));
            ops.add(BindOp.map(page.handle(), 0, end - 4096, 4096, 0));
            for (int i = 0; i < ops.size(); i += 256) {
                c.vmBind(vm, 0, ops.subList(i, Math.min(ops.size(), i + 256)));
            }
            TyrVm k = rig.reg().mmu().vms().stream().filter(v -> !v.isMcu()).findFirst().orElseThrow();
            long pages = ops.size() - 1 + 512;
            assertEquals(pages, k.mappedPages(), ops.size() + " bind ops");
            assertTrue(k.translate(end - 4096) >= 0, "the topmost page is mapped");
            assertEquals(k.translate(1L << 39), k.translate(end - 4096), "the same BO page behind both VAs");
            assertAll(
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.vmBind(vm, 0, List.of(BindOp.map(page.handle(), 0, end,
                            4096, 0)))), "at the end of the user range"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.vmBind(vm, 0, List.of(BindOp.map(page.handle(), 0,
                            -4096L, 4096, 0)))), "VA + size wraps"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.vmBind(vm, 0, List.of(BindOp.map(table.handle(), 0,
                            end - 4096, 8192, 0)))), "crossing the end"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.vmBind(vm, 0, List.of(BindOp.map(page.handle(), 0,
                            0x7000_0800L, 4096, 0)))), "unaligned VA"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.vmBind(vm, 0, List.of(BindOp.map(page.handle(), 0,
                            0x7000_0000L, 0x800, 0)))), "unaligned size"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> c.vmBind(vm, 0, List.of(BindOp.unmap(0x7000_0800L,
                            4096)))), "unaligned unmap"));
            // A MAP over existing mappings replaces them (drm_gpuvm remap): no error, same count.
            c.vmBind(vm, 0, List.of(BindOp.map(table.handle(), 0, 2L << 20, 2L << 20, 0)));
            assertEquals(pages, k.mappedPages());
            // A job on this VM reaches the topmost page: its bytes land in the job BO.
            long jva = 0x8010_0000L;
            Bo jb = c.boCreate(64 << 10, 0, 0);
            c.vmBind(vm, 0, List.of(BindOp.map(jb.handle(), 0, jva, jb.size(), 0)));
            GpuInfo info = c.gpuInfo();
            int group = c.groupCreate(GroupSpec.compute(vm, PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM,
                    info.shaderPresent(), info.tilerPresent(), List.of(new QueueSpec(0, 4096))));
            try (var pm = c.mmapBo(page); var jm = c.mmapBo(jb)) {
                IsoParty.fill(pm, 0, 4096, 77);
                KernelDesc.copy(end - 4096, jva + 0x8000, 4096).writeTo(jm, 0x1000);
                CsBuilder b = new CsBuilder().move48(CsBuilder.SPD_BASE, jva + 0x1000).runCompute(0);
                b.writeTo(jm, 0);
                int s = c.syncobjCreate();
                c.groupSubmit(group, List.of(new QueueSubmit(0, jva, b.sizeBytes(), 0, List.of(SyncOp.signal(s)))));
                c.syncobjWait(s, Long.MAX_VALUE);
                assertEquals(new GroupState(0, 0), c.groupGetState(group));
                assertEquals(-1, IsoParty.firstMismatch(jm, 0x8000, 4096, 77), "copied through the topmost page");
            }
            long beforeUnmap = k.mappedPages();
            c.vmBind(vm, 0, List.of(BindOp.unmap(0, end)));
            assertEquals(beforeUnmap - pages - jb.size() / 4096, k.mappedPages(),
                    "one UNMAP of the whole user range removes every user page (the group's kernel pages stay)");
            assertEquals(-1, k.translate(end - 4096));
        } finally {
            closeAll(owned);
        }
    }
}
