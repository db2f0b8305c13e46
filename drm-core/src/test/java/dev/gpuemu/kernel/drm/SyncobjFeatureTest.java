package dev.gpuemu.kernel.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.bus.faux.FauxDevice;
import dev.gpuemu.kernel.bus.faux.FauxOps;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import org.junit.jupiter.api.Test;

/// The syncobj ioctls exist only for drivers with `DRIVER_SYNCOBJ`: a driver without the
/// feature answers every one of them with `EOPNOTSUPP`, before looking at the argument.
class SyncobjFeatureTest {

    @Test
    void shouldAnswerEopnotsuppToEverySyncobjIoctlWithoutDriverSyncobj() throws Exception {
        try (Machine machine = Machine.builder().build()) {
            machine.boot();
            DrmDriver<Object, TestDrm.Data, Object> drv = new TestDrm.Bare().driver; // DRIVER_RENDER only
            assertEquals(0, drv.features() & DriverFeatures.DRIVER_SYNCOBJ);
            FauxDevice f = FauxDevice.create(machine.kernel(), "nosyncobj", new FauxOps<AutoCloseable>() {
                @Override
                public AutoCloseable probe(Device<Core> dev) throws dev.gpuemu.kernel.KernelException {
                    return UnregisteredDevice.create(dev, drv, new Object()).register(new TestDrm.Data());
                }
            });
            Process p = machine.kernel().spawn("t", false);
            int fd = p.open("/dev/dri/renderD128", Fcntl.O_RDWR);
            assertTrue(fd >= 0, "open: " + fd);
            long arg = TestDrm.anon(p, 4096); // zeroed, valid arguments for every struct
            int[] cmds = {DrmIoctls.SYNCOBJ_CREATE, DrmIoctls.SYNCOBJ_DESTROY, DrmIoctls.SYNCOBJ_HANDLE_TO_FD,
                    DrmIoctls.SYNCOBJ_FD_TO_HANDLE, DrmIoctls.SYNCOBJ_WAIT, DrmIoctls.SYNCOBJ_RESET,
                    DrmIoctls.SYNCOBJ_SIGNAL};
            for (int cmd : cmds) {
                assertEquals(Errno.EOPNOTSUPP.negative(), p.ioctl(fd, cmd, arg),
                        dev.gpuemu.kernel.uapi.Ioc.toString(cmd));
            }
            assertEquals(0, p.close(fd));
            p.close();
            f.close();
        }
    }
}
