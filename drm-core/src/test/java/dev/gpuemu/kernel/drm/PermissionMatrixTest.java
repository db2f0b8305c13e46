package dev.gpuemu.kernel.drm;

import static dev.gpuemu.kernel.drm.ioctl.IoctlFlags.DRM_AUTH;
import static dev.gpuemu.kernel.drm.ioctl.IoctlFlags.DRM_MASTER;
import static dev.gpuemu.kernel.drm.ioctl.IoctlFlags.DRM_RENDER_ALLOW;
import static dev.gpuemu.kernel.drm.ioctl.IoctlFlags.DRM_ROOT_ONLY;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.drivers.vgem.Vgem;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.VgemDrm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// The DRM permission matrix (`drm_ioctl_permit`, kernel-semantics.md §1.4): every core ioctl
/// and vgem's driver ioctls x {master, authenticated non-master, unauthenticated, render} x
/// {root, non-root}, with the errno each cell gives; the AUTH / MASTER / ROOT_ONLY flags on
/// [TestDrm]'s flag ioctls (the core table carries none of them); SET_MASTER / DROP_MASTER.
///
/// Expected flags are Linux's (drm_ioctl.c, vgem_drv.c), written here independently of the
/// tables under test. A permitted cell runs the handler with a zeroed argument; it may fail
/// for its own reasons but never with `EACCES`.
class PermissionMatrixTest {
    /// Linux's `drm_ioctls[]` flags for the ioctls our core implements.
    private static final Map<Integer, Integer> LINUX_CORE_FLAGS = new TreeMap<>(Map.ofEntries(
            Map.entry(Ioc.nr(DrmIoctls.VERSION), DRM_RENDER_ALLOW),
            Map.entry(Ioc.nr(DrmIoctls.GEM_CLOSE), DRM_RENDER_ALLOW),
            Map.entry(Ioc.nr(DrmIoctls.GET_CAP), DRM_RENDER_ALLOW),
            Map.entry(Ioc.nr(DrmIoctls.SET_CLIENT_CAP), 0),
            Map.entry(Ioc.nr(DrmIoctls.SET_MASTER), 0),
            Map.entry(Ioc.nr(DrmIoctls.DROP_MASTER), 0),
            Map.entry(Ioc.nr(DrmIoctls.PRIME_HANDLE_TO_FD), DRM_RENDER_ALLOW),
            Map.entry(Ioc.nr(DrmIoctls.PRIME_FD_TO_HANDLE), DRM_RENDER_ALLOW),
            Map.entry(Ioc.nr(DrmIoctls.MODE_CREATE_DUMB), 0),
            Map.entry(Ioc.nr(DrmIoctls.MODE_MAP_DUMB), 0),
            Map.entry(Ioc.nr(DrmIoctls.MODE_DESTROY_DUMB), 0),
            Map.entry(Ioc.nr(DrmIoctls.SYNCOBJ_CREATE), DRM_RENDER_ALLOW),
            Map.entry(Ioc.nr(DrmIoctls.SYNCOBJ_DESTROY), DRM_RENDER_ALLOW),
            Map.entry(Ioc.nr(DrmIoctls.SYNCOBJ_HANDLE_TO_FD), DRM_RENDER_ALLOW),
            Map.entry(Ioc.nr(DrmIoctls.SYNCOBJ_FD_TO_HANDLE), DRM_RENDER_ALLOW),
            Map.entry(Ioc.nr(DrmIoctls.SYNCOBJ_WAIT), DRM_RENDER_ALLOW),
            Map.entry(Ioc.nr(DrmIoctls.SYNCOBJ_RESET), DRM_RENDER_ALLOW),
            Map.entry(Ioc.nr(DrmIoctls.SYNCOBJ_SIGNAL), DRM_RENDER_ALLOW)));

    /// The four kinds of client a process can hold.
    enum Client { MASTER, AUTHENTICATED, UNAUTHENTICATED, RENDER }

    /// The fds of one process on a device with card0 and renderD128, one per [Client]: the first
    /// primary opener drops master (authenticated non-master), the second becomes master on open
    /// (no master at that point), the third is a plain primary opener.
    private static Map<Client, Integer> openClients(Process p) {
        Map<Client, Integer> fds = new LinkedHashMap<>();
        int first = p.open("/dev/dri/card0", Fcntl.O_RDWR);
        assertEquals(0, p.ioctl(first, DrmIoctls.DROP_MASTER, 0), "the first opener is master and may drop it");
        fds.put(Client.AUTHENTICATED, first);
        fds.put(Client.MASTER, p.open("/dev/dri/card0", Fcntl.O_RDWR));
        fds.put(Client.UNAUTHENTICATED, p.open("/dev/dri/card0", Fcntl.O_RDWR));
        fds.put(Client.RENDER, p.open("/dev/dri/renderD128", Fcntl.O_RDWR));
        fds.values().forEach(fd -> assertNotEquals(true, fd < 0, "open failed: " + fd));
        return fds;
    }

    /// `drm_ioctl_permit` written out from §1.4; a root opener is authenticated from the start.
    private static boolean permitted(int flags, Client c, boolean root) {
        boolean render = c == Client.RENDER;
        boolean authenticated = c != Client.UNAUTHENTICATED || root;
        if ((flags & DRM_ROOT_ONLY) != 0 && !root) {
            return false;
        }
        if ((flags & DRM_AUTH) != 0 && !render && !authenticated) {
            return false;
        }
        if ((flags & DRM_MASTER) != 0 && c != Client.MASTER) {
            return false;
        }
        return (flags & DRM_RENDER_ALLOW) != 0 || !render;
    }

    private static Executable cell(Process p, int fd, int cmd, String name, int flags, Client c, boolean root, long arg) {
        return () -> {
            p.memory().fill(arg, 4096, (byte) 0);
            int ret = p.ioctl(fd, cmd, arg);
            String where = name + " as " + c + (root ? " (root)" : " (non-root)") + " -> " + ret;
            if (permitted(flags, c, root)) {
                assertNotEquals(Errno.EACCES.negative(), ret, where);
            } else {
                assertEquals(Errno.EACCES.negative(), ret, where);
            }
        };
    }

    @Test
    void shouldCarryLinuxFlagsInTheCoreTable() {
        Map<Integer, Integer> actual = new TreeMap<>();
        for (int nr = 0; nr < 0x100; nr++) {
            if (nr >= DrmIoctls.DRM_COMMAND_BASE && nr < DrmIoctls.DRM_COMMAND_END) {
                continue;
            }
            CoreIoctl c = CoreIoctls.get(nr);
            if (c != null) {
                actual.put(nr, c.flags());
            }
        }
        assertEquals(LINUX_CORE_FLAGS, actual);
    }

    @ParameterizedTest(name = "root={0}")
    @ValueSource(booleans = {false, true})
    void shouldGiveEachCoreAndVgemIoctlTheErrnoOfItsCell(boolean root) throws Exception {
        try (Machine m = Machine.builder().build()) {
            m.boot();
            try (Vgem vgem = Vgem.init(m.kernel())) {
                Process p = m.kernel().spawn("matrix", root);
                long arg = TestDrm.anon(p, 4096);
                Map<Client, Integer> fds = openClients(p);
                List<Executable> cells = new ArrayList<>();
                for (var e : LINUX_CORE_FLAGS.entrySet()) {
                    int nr = e.getKey();
                    if (nr == Ioc.nr(DrmIoctls.SET_MASTER) || nr == Ioc.nr(DrmIoctls.DROP_MASTER)) {
                        continue; // they change the clients; see the master tests
                    }
                    CoreIoctl core = CoreIoctls.get(nr);
                    for (Client c : Client.values()) {
                        cells.add(cell(p, fds.get(c), core.cmd(), core.name(), e.getValue(), c, root, arg));
                    }
                }
                for (Client c : Client.values()) {
                    cells.add(cell(p, fds.get(c), VgemDrm.FENCE_ATTACH, "VGEM_FENCE_ATTACH", DRM_RENDER_ALLOW, c, root, arg));
                    cells.add(cell(p, fds.get(c), VgemDrm.FENCE_SIGNAL, "VGEM_FENCE_SIGNAL", DRM_RENDER_ALLOW, c, root, arg));
                }
                assertAll(cells);
                assertEquals((LINUX_CORE_FLAGS.size() - 2 + 2) * Client.values().length, cells.size());
                p.close();
                assertEquals(0, m.kernel().oopses().count());
            }
        }
    }

    @ParameterizedTest(name = "root={0}")
    @ValueSource(booleans = {false, true})
    void shouldApplyAuthMasterRootOnlyAndRenderAllowFlags(boolean root) throws Exception {
        try (TestDrm t = new TestDrm()) {
            Process p = t.spawn(root);
            long arg = TestDrm.anon(p, 4096);
            Map<Client, Integer> fds = openClients(p);
            int[][] rows = {
                    {TestDrm.AUTH_ONLY, DRM_AUTH | DRM_RENDER_ALLOW},
                    {TestDrm.MASTER_ONLY, DRM_MASTER},
                    {TestDrm.ROOT_ONLY, DRM_ROOT_ONLY | DRM_RENDER_ALLOW},
                    {TestDrm.PRIMARY_ONLY, 0},
                    {TestDrm.NOP, DRM_RENDER_ALLOW}};
            List<Executable> cells = new ArrayList<>();
            int allowed = 0;
            for (int[] row : rows) {
                for (Client c : Client.values()) {
                    cells.add(cell(p, fds.get(c), row[0], "0x" + Integer.toHexString(Ioc.nr(row[0])), row[1], c, root, arg));
                    allowed += permitted(row[1], c, root) ? 1 : 0;
                }
            }
            assertAll(cells);
            // A denied call never reaches the handler: only permitted cells count.
            assertEquals(allowed, t.calls.get());
            p.close();
        }
    }

    @Test
    void shouldMakeOnlyTheFirstPrimaryOpenerMaster() throws Exception {
        try (TestDrm t = new TestDrm()) {
            Process p = t.spawn(false);
            long arg = TestDrm.anon(p, 4096);
            int first = p.open("/dev/dri/card0", Fcntl.O_RDWR);
            int render = p.open("/dev/dri/renderD128", Fcntl.O_RDWR);
            int second = p.open("/dev/dri/card0", Fcntl.O_RDWR);
            assertEquals(0, p.ioctl(first, TestDrm.MASTER_ONLY, arg));
            assertEquals(Errno.EACCES.negative(), p.ioctl(second, TestDrm.MASTER_ONLY, arg));
            assertEquals(Errno.EACCES.negative(), p.ioctl(render, DrmIoctls.SET_MASTER, 0), "SET_MASTER is not render-allowed");
            assertEquals(Errno.EACCES.negative(), p.ioctl(render, DrmIoctls.DROP_MASTER, 0));
            p.close();
        }
    }

    @Test
    void shouldMoveMasterBetweenFilesThroughDropAndSet() throws Exception {
        try (TestDrm t = new TestDrm()) {
            Process root = t.spawn(true);
            long arg = TestDrm.anon(root, 4096);
            int a = root.open("/dev/dri/card0", Fcntl.O_RDWR);
            int b = root.open("/dev/dri/card0", Fcntl.O_RDWR);
            assertEquals(0, root.ioctl(a, DrmIoctls.SET_MASTER, 0), "SET_MASTER by the master is a no-op");
            assertEquals(Errno.EBUSY.negative(), root.ioctl(b, DrmIoctls.SET_MASTER, 0), "another file is master");
            assertEquals(Errno.EINVAL.negative(), root.ioctl(b, DrmIoctls.DROP_MASTER, 0), "not the master");
            assertEquals(0, root.ioctl(a, DrmIoctls.DROP_MASTER, 0));
            assertEquals(Errno.EACCES.negative(), root.ioctl(a, TestDrm.MASTER_ONLY, arg), "dropped");
            assertEquals(Errno.EINVAL.negative(), root.ioctl(a, DrmIoctls.DROP_MASTER, 0), "drop twice");
            assertEquals(0, root.ioctl(b, DrmIoctls.SET_MASTER, 0));
            assertEquals(0, root.ioctl(b, TestDrm.MASTER_ONLY, arg));
            assertEquals(Errno.EBUSY.negative(), root.ioctl(a, DrmIoctls.SET_MASTER, 0));
            assertEquals(0, root.ioctl(a, TestDrm.AUTH_ONLY, arg), "a former master stays authenticated");
            root.close(b);
            assertEquals(0, root.ioctl(a, DrmIoctls.SET_MASTER, 0), "closing the master frees the seat");
            assertEquals(0, root.ioctl(a, TestDrm.MASTER_ONLY, arg));
            root.close();
        }
    }

    @Test
    void shouldLetANonRootFormerMasterRegainMasterButNoOtherNonRootFile() throws Exception {
        try (TestDrm t = new TestDrm()) {
            Process user = t.spawn(false);
            Process other = t.spawn(false);
            int a = user.open("/dev/dri/card0", Fcntl.O_RDWR);
            int plain = user.open("/dev/dri/card0", Fcntl.O_RDWR);
            int foreign = other.open("/dev/dri/card0", Fcntl.O_RDWR);
            // drm_master_check_perm: neither root nor a former master of this process -> EACCES,
            // before the EINVAL / EBUSY of the master state.
            assertEquals(Errno.EACCES.negative(), user.ioctl(plain, DrmIoctls.DROP_MASTER, 0));
            assertEquals(Errno.EACCES.negative(), user.ioctl(plain, DrmIoctls.SET_MASTER, 0));
            assertEquals(0, user.ioctl(a, DrmIoctls.DROP_MASTER, 0));
            assertEquals(Errno.EACCES.negative(), user.ioctl(plain, DrmIoctls.SET_MASTER, 0), "no seat stealing");
            assertEquals(Errno.EACCES.negative(), other.ioctl(foreign, DrmIoctls.SET_MASTER, 0));
            assertEquals(0, user.ioctl(a, DrmIoctls.SET_MASTER, 0), "was_master and same process");
            Process root = t.spawn(true);
            int r = root.open("/dev/dri/card0", Fcntl.O_RDWR);
            assertEquals(Errno.EBUSY.negative(), root.ioctl(r, DrmIoctls.SET_MASTER, 0));
            assertEquals(0, user.ioctl(a, DrmIoctls.DROP_MASTER, 0));
            assertEquals(0, root.ioctl(r, DrmIoctls.SET_MASTER, 0), "CAP_SYS_ADMIN takes a free seat");
            assertEquals(Errno.EBUSY.negative(), user.ioctl(a, DrmIoctls.SET_MASTER, 0), "permitted, but taken");
            root.close();
            other.close();
            user.close();
        }
    }
}
