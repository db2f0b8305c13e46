package dev.gpuemu.kernel.drm;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.faux.FauxDevice;
import dev.gpuemu.kernel.bus.faux.FauxOps;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.drm.ioctl.IoctlDesc;
import dev.gpuemu.kernel.drm.ioctl.IoctlFlags;
import dev.gpuemu.kernel.drm.ioctl.IoctlTable;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Ioc;
import java.lang.foreign.MemoryLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/// A DRM test driver on the faux bus with ioctls that expose what the core does:
/// - 0x40 `NOP` (`{u64 in; u64 out}`, RENDER_ALLOW): counts calls, writes `in + 1` to `out`;
/// - 0x41 `BLOCK`: signals `entered`, then waits for `release` inside the guard;
/// - 0x42 `FAIL`: writes `out = 7` and fails with `EIO` (copy-out happens anyway);
/// - 0x43 `AUTH_ONLY` (DRM_AUTH), 0x44 `MASTER_ONLY` (DRM_MASTER), 0x45 `ROOT_ONLY`, 0x46
///   `PRIMARY_ONLY` (no RENDER_ALLOW); each just counts;
/// - 0x47 `DATA`: writes whether the registration data is open (1) or closed (0) to `out`.
final class TestDrm implements AutoCloseable {
    static final MemoryLayout ARG = MemoryLayout.structLayout(JAVA_LONG.withName("in"), JAVA_LONG.withName("out"));
    static final int NOP = Ioc.iowr('d', 0x40, 16);
    static final int BLOCK = Ioc.iowr('d', 0x41, 16);
    static final int FAIL = Ioc.iowr('d', 0x42, 16);
    static final int AUTH_ONLY = Ioc.iowr('d', 0x43, 16);
    static final int MASTER_ONLY = Ioc.iowr('d', 0x44, 16);
    static final int ROOT_ONLY = Ioc.iowr('d', 0x45, 16);
    static final int PRIMARY_ONLY = Ioc.iowr('d', 0x46, 16);
    static final int DATA = Ioc.iowr('d', 0x47, 16);

    /// Registration data that records when it was closed.
    static final class Data implements RegistrationData {
        volatile boolean closed;
        volatile boolean unpluggedWhenClosed;
        DrmDevice<Object, Data> dev;

        @Override
        public void close() {
            unpluggedWhenClosed = dev != null && dev.isUnplugged();
            closed = true;
        }
    }

    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicReference<Registration<Object, Data>> registration = new AtomicReference<>();
    final Data data = new Data();
    final Machine machine;
    final FauxDevice faux;
    private final boolean devresOwned;

    final DrmDriver<Object, Data, Object> driver = new DrmDriver<>() {
        private final IoctlTable<Object, Data, Object> table = IoctlTable.of(
                IoctlDesc.iowr("NOP", 0x40, ARG, IoctlFlags.DRM_RENDER_ALLOW, (dev, d, arg, file, task) -> {
                    calls.incrementAndGet();
                    arg.set(JAVA_LONG, 8, arg.get(JAVA_LONG, 0) + 1);
                    return 0;
                }),
                IoctlDesc.iowr("BLOCK", 0x41, ARG, IoctlFlags.DRM_RENDER_ALLOW, (dev, d, arg, file, task) -> {
                    calls.incrementAndGet();
                    entered.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    arg.set(JAVA_LONG, 8, d.closed ? 0 : 1);
                    return 0;
                }),
                IoctlDesc.iowr("FAIL", 0x42, ARG, IoctlFlags.DRM_RENDER_ALLOW, (dev, d, arg, file, task) -> {
                    arg.set(JAVA_LONG, 8, 7);
                    throw new KernelException(Errno.EIO);
                }),
                counting("AUTH_ONLY", 0x43, IoctlFlags.DRM_AUTH | IoctlFlags.DRM_RENDER_ALLOW),
                counting("MASTER_ONLY", 0x44, IoctlFlags.DRM_MASTER),
                counting("ROOT_ONLY", 0x45, IoctlFlags.DRM_ROOT_ONLY | IoctlFlags.DRM_RENDER_ALLOW),
                counting("PRIMARY_ONLY", 0x46, 0),
                IoctlDesc.iowr("DATA", 0x47, ARG, IoctlFlags.DRM_RENDER_ALLOW, (dev, d, arg, file, task) -> {
                    arg.set(JAVA_LONG, 8, d.closed ? 0 : 1);
                    return 0;
                }));

        @Override
        public DriverInfo info() {
            return new DriverInfo(1, 2, 3, "testdrm", "gpuemu DRM test driver");
        }

        @Override
        public int features() {
            return DriverFeatures.DRIVER_GEM | DriverFeatures.DRIVER_RENDER | DriverFeatures.DRIVER_SYNCOBJ;
        }

        @Override
        public IoctlTable<Object, Data, Object> ioctls() {
            return table;
        }

        @Override
        public Object openFile(DrmDevice<Object, Data> dev) {
            return new Object();
        }
    };

    private IoctlDesc<Object, Data, Object> counting(String name, int nr, int flags) {
        return IoctlDesc.iowr(name, nr, ARG, flags, (dev, d, arg, file, task) -> {
            calls.incrementAndGet();
            return 0;
        });
    }

    /// A booted machine with the test driver bound; `devresOwned` picks the registration flavour.
    TestDrm(boolean devresOwned) throws KernelException {
        this(devresOwned, core -> { });
    }

    /// As [#TestDrm(boolean)], with `configure` run on the kernel's DRM core before the test
    /// driver allocates its device (guard strategy, guard-core-ioctls option).
    TestDrm(boolean devresOwned, Consumer<DrmCore> configure) throws KernelException {
        this.devresOwned = devresOwned;
        machine = Machine.builder().build();
        machine.boot();
        configure.accept(DrmCore.of(machine.kernel()));
        faux = FauxDevice.create(machine.kernel(), "testdrm", new FauxOps<AutoCloseable>() {
            @Override
            public AutoCloseable probe(Device<Core> dev) throws KernelException {
                var u = UnregisteredDevice.create(dev, driver, new Object());
                data.dev = u.device();
                if (devresOwned) {
                    u.registerDevres(dev, data);
                    return () -> { };
                }
                Registration<Object, Data> r = u.register(data);
                registration.set(r);
                return r;
            }
        });
    }

    TestDrm() throws KernelException {
        this(false);
    }

    Process spawn(boolean root) {
        return machine.kernel().spawn("test", root);
    }

    /// Anonymous read/write user memory of `bytes`.
    static long anon(Process p, long bytes) {
        long va = p.mmap(0, bytes, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0);
        if (va < 0 && va > -4096) {
            throw new AssertionError("anon mmap failed: " + va);
        }
        return va;
    }

    /// Unbinds the faux device (unplugs through the driver data or devres).
    void unbind() {
        machine.kernel().sysfs().unbind(faux.device().node().bus().name(), "faux_driver", faux.device().name());
    }

    /// Binds the faux device again (a new DRM device, registered by the probe).
    int bind() {
        return machine.kernel().sysfs().bind(faux.device().node().bus().name(), "faux_driver", faux.device().name());
    }

    @Override
    public void close() {
        release.countDown();
        faux.close();
        machine.close();
    }

    /// A bare registration attempt of the test driver on its own faux device, for the
    /// register-failure window (the fault point must be armed first).
    static final class Window {
        private final Machine machine;

        Window(Machine machine) {
            this.machine = machine;
        }

        void create() throws KernelException {
            TestDrm.Data d = new TestDrm.Data();
            DrmDriver<Object, Data, Object> drv = new TestDrm.Bare().driver;
            FauxDevice f = FauxDevice.create(machine.kernel(), "window", new FauxOps<AutoCloseable>() {
                @Override
                public AutoCloseable probe(Device<Core> dev) throws KernelException {
                    return UnregisteredDevice.create(dev, drv, new Object()).register(d);
                }
            });
            f.close();
        }
    }

    /// The driver definition without a machine.
    static final class Bare {
        final DrmDriver<Object, Data, Object> driver;

        Bare() {
            this.driver = new DrmDriver<>() {
                @Override
                public DriverInfo info() {
                    return new DriverInfo(1, 0, 0, "window", "window test");
                }

                @Override
                public int features() {
                    return DriverFeatures.DRIVER_RENDER;
                }

                @Override
                public IoctlTable<Object, Data, Object> ioctls() {
                    return IoctlTable.of(IoctlDesc.iowr("NOP", 0x40, ARG, IoctlFlags.DRM_RENDER_ALLOW,
                            (dev, d, arg, file, task) -> 0));
                }

                @Override
                public Object openFile(DrmDevice<Object, Data> dev) {
                    return new Object();
                }
            };
        }
    }
}
