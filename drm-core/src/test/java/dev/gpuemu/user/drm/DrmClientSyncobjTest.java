package dev.gpuemu.user.drm;

import static dev.gpuemu.kernel.uapi.drm.DrmSyncobj.DRM_SYNCOBJ_CREATE_SIGNALED;
import static dev.gpuemu.kernel.uapi.drm.DrmSyncobj.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE;
import static dev.gpuemu.kernel.uapi.drm.DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
import static dev.gpuemu.kernel.uapi.drm.DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
import static dev.gpuemu.user.drm.DrmClientGemTest.errnoOf;
import static dev.gpuemu.user.drm.VgemMachine.RENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// Binary syncobjs through [DrmClient] on vgem's render node: wait/signal/reset, sharing through
/// syncobj fds and sync_files, and the errnos of every ioctl. Wait deadlines are absolute
/// simulated `CLOCK_MONOTONIC` times, read from the machine's clock.
class DrmClientSyncobjTest {
    private static final long MS = 1_000_000L;

    private VgemMachine vm;
    private Process p;
    private DrmClient c;

    @BeforeEach
    void setUp() throws Exception {
        vm = new VgemMachine();
        p = vm.spawn();
        c = DrmClient.open(p, RENDER);
    }

    @AfterEach
    void tearDown() {
        c.close();
        p.close();
        assertEquals(0, vm.oopses());
        vm.close();
    }

    private long in(long ns) {
        return vm.clock().nowNs() + ns;
    }

    @Test
    void shouldWaitSignalResetAndTimeOutWithEtime() {
        int s = c.syncobjCreate(DRM_SYNCOBJ_CREATE_SIGNALED);
        assertEquals(1, s, "syncobj handles start at 1");
        assertEquals(0, c.syncobjWait(new int[] {s}, in(MS), 0), "created signaled");
        c.syncobjReset(s);
        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjWait(new int[] {s}, in(MS), 0)),
                "no fence and no WAIT_FOR_SUBMIT");
        long deadline = in(MS);
        var e = org.junit.jupiter.api.Assertions.assertThrows(DrmErrnoException.class,
                () -> c.syncobjWait(new int[] {s}, deadline, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT));
        assertEquals(Errno.ETIME, e.errno());
        assertEquals("DRM_IOCTL_SYNCOBJ_WAIT", e.operation());
        assertTrue(vm.clock().nowNs() >= deadline, "the wait lasted until the absolute deadline");
        c.syncobjSignal(s);
        assertEquals(0, c.syncobjWait(new int[] {s}, in(MS), 0));
        assertEquals(0, c.syncobjWait(new int[] {s}, 0, 0), "a past deadline still reports a signaled fence");
        c.syncobjDestroy(s);
        assertEquals(Errno.ENOENT, errnoOf(() -> c.syncobjWait(new int[] {s}, in(MS), 0)), "destroyed");
    }

    @Test
    void shouldReportFirstSignaledForWaitAnyAndTimeOutForWaitAll() {
        int empty = c.syncobjCreate(0);
        int done = c.syncobjCreate(DRM_SYNCOBJ_CREATE_SIGNALED);
        int[] both = {empty, done};
        assertEquals(1, c.syncobjWait(both, in(MS), DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT), "index of `done`");
        assertEquals(Errno.ETIME, errnoOf(() -> c.syncobjWait(both, in(MS),
                DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT)));
        c.syncobjSignal(empty);
        assertEquals(0, c.syncobjWait(both, in(MS), DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL));
    }

    @Test
    void shouldShareOneSyncobjThroughAnExportedFd() {
        int s = c.syncobjCreate(0);
        int fd = c.syncobjHandleToFd(s, 0);
        int same = c.syncobjFdToHandle(fd);
        assertNotEquals(s, same, "a new handle");
        try (DrmClient other = DrmClient.open(p, RENDER)) {
            int theirs = other.syncobjFdToHandle(fd);
            assertEquals(1, theirs, "another file's own handle space");
            c.syncobjSignal(s);
            assertEquals(0, c.syncobjWait(new int[] {same}, in(MS), 0), "signal seen through the second handle");
            assertEquals(0, other.syncobjWait(new int[] {theirs}, in(MS), 0), "and in the other file");
            other.syncobjReset(theirs);
            assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjWait(new int[] {s}, in(MS), 0)), "reset seen too");
        }
        c.syncobjDestroy(s);
        c.syncobjSignal(same); // the syncobj lives on through its other handle
        assertEquals(0, p.close(fd));
    }

    @Test
    void shouldCarryAFenceThroughASyncFile() {
        int src = c.syncobjCreate(DRM_SYNCOBJ_CREATE_SIGNALED);
        int syncFile = c.syncobjHandleToFd(src, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
        int dst = c.syncobjCreate(0);
        c.syncobjImportSyncFile(dst, syncFile);
        assertEquals(0, c.syncobjWait(new int[] {dst}, in(MS), 0), "the imported fence is signaled");
        c.syncobjReset(src);
        assertEquals(0, c.syncobjWait(new int[] {dst}, in(MS), 0), "a sync_file is a snapshot, not a link");

        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjHandleToFd(src, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE)),
                "no fence to export");
        assertEquals(Errno.ENOENT, errnoOf(() -> c.syncobjImportSyncFile(99, syncFile)), "unknown target");
        int objFd = c.syncobjHandleToFd(src, 0);
        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjImportSyncFile(dst, objFd)), "a syncobj fd is no sync_file");
        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjFdToHandle(syncFile)), "a sync_file is no syncobj fd");
        assertEquals(0, p.close(syncFile));
        assertEquals(0, p.close(objFd));
        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjFdToHandle(objFd)), "closed fd");
    }

    @Test
    void shouldRefuseBadSyncobjArguments() {
        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjCreate(2)), "unknown create flag");
        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjDestroy(5)));
        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjHandleToFd(5, 0)));
        int s = c.syncobjCreate(0);
        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjHandleToFd(s, 2)), "unknown export flag");
        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjWait(new int[0], in(MS), 0)), "no handles");
        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjWait(new int[] {s}, in(MS), 1 << 7)), "unknown wait flag");
        assertEquals(Errno.ENOENT, errnoOf(() -> c.syncobjSignal(s, 77)), "one unknown handle fails the array");
        assertEquals(Errno.EINVAL, errnoOf(() -> c.syncobjWait(new int[] {s}, in(MS), 0)), "and nothing was signaled");
    }

    @Test
    void shouldPassHandleArraysLargerThanTheInitialScratch() {
        int a = c.syncobjCreate(0);
        int b = c.syncobjCreate(0);
        int[] many = new int[5000]; // 20 KB of handles: the scratch grows
        Arrays.fill(many, a);
        many[4999] = b;
        c.syncobjSignal(many);
        assertEquals(0, c.syncobjWait(new int[] {a, b}, in(MS), DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL));
        c.syncobjReset(many);
        assertEquals(Errno.ETIME, errnoOf(() -> c.syncobjWait(many, in(MS), DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT)));
        assertEquals("vgem", c.version().name(), "the client still works after the scratch moved");
    }
}
