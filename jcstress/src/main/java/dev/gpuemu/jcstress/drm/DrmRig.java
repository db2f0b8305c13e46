package dev.gpuemu.jcstress.drm;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.faux.FauxDevice;
import dev.gpuemu.kernel.bus.faux.FauxOps;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.drm.DriverInfo;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.drm.DrmDevice;
import dev.gpuemu.kernel.drm.DrmDriver;
import dev.gpuemu.kernel.drm.GuardStrategy;
import dev.gpuemu.kernel.drm.RegistrationData;
import dev.gpuemu.kernel.drm.ioctl.IoctlTable;
import java.util.concurrent.atomic.AtomicReference;

/// The real objects the DRM jcstress tests need, built once per forked test VM: a booted
/// [Machine] (default board, no DRM device of its own) and a faux device that stays bound, whose
/// `Device<Bound>` view is the parent of every DRM device the tests allocate.
///
/// The DRM core of this kernel (its `drm_unplug_srcu` domain, its minor table) is shared by all
/// test states, as one kernel's core is shared by all its DRM devices. The minor table has 64
/// primary minors, so at most 64 test devices may be registered at once: the launcher
/// ([dev.gpuemu.jcstress.Main]) caps jcstress' states per epoch at 64.
///
/// ## Thread safety
/// Immutable after class initialisation (which jcstress runs before any actor).
///
/// ## Lifecycle
/// Lives as long as the VM; the machine is never closed (the VM exits).
public final class DrmRig {
    private static final DrmRig INSTANCE = boot(GuardStrategy.SRCU);

    private final Machine machine;
    private final Device<Bound> parent;

    private DrmRig(final Machine machine, final Device<Bound> parent) {
        this.machine = machine;
        this.parent = parent;
    }

    /// The rig of this VM (default guard strategy, SRCU).
    public static DrmRig get() {
        return INSTANCE;
    }

    /// A rig whose kernel uses the unsafe [GuardStrategy#NONE] (unplug does not wait): the
    /// negative control, built on first use only.
    public static DrmRig unguarded() {
        return Unguarded.INSTANCE;
    }

    private static final class Unguarded {
        static final DrmRig INSTANCE = boot(GuardStrategy.NONE);
    }

    public Kernel kernel() {
        return machine.kernel();
    }

    /// The bound parent view (valid for the VM's life: the faux device is never unbound).
    public Device<Bound> parent() {
        return parent;
    }

    private static DrmRig boot(final GuardStrategy strategy) {
        try {
            final Machine machine = Machine.builder().build();
            machine.boot();
            DrmCore.of(machine.kernel()).setGuardStrategy(strategy);
            final AtomicReference<Device<Bound>> bound = new AtomicReference<>();
            FauxDevice.create(machine.kernel(), "jcstress", new FauxOps<Object>() {
                @Override
                public Object probe(final Device<Core> dev) {
                    bound.set(dev.boundView());
                    return new Object();
                }
            });
            return new DrmRig(machine, bound.get());
        } catch (final KernelException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /// Registration data with a poison flag: [#close()] (run by unplug after its grace period)
    /// poisons it, as `kfree` + slab poisoning would. Fields are plain on purpose: only the
    /// ordering of the real code publishes them.
    public static final class Data implements RegistrationData {
        /// [#magic] of live data.
        public static final int LIVE = 0x600d;
        /// [#magic] of freed data.
        public static final int FREED = 0xdead;

        /// [#LIVE] from construction, [#FREED] once closed.
        public int magic = LIVE;
        /// A second initialised field, for the publication test.
        public long[] table;

        @Override
        public void close() {
            magic = FREED;
            table = null;
        }
    }

    /// A DRM driver with a primary node only (no `DRIVER_RENDER`: one minor per device) and no
    /// ioctls of its own.
    public static final DrmDriver<Object, Data, Object> DRIVER = new DrmDriver<>() {
        private final IoctlTable<Object, Data, Object> table = IoctlTable.empty();

        @Override
        public DriverInfo info() {
            return new DriverInfo(1, 0, 0, "jcstress", "gpuemu jcstress driver");
        }

        @Override
        public int features() {
            return 0;
        }

        @Override
        public IoctlTable<Object, Data, Object> ioctls() {
            return table;
        }

        @Override
        public Object openFile(final DrmDevice<Object, Data> dev) {
            return new Object();
        }
    };
}
