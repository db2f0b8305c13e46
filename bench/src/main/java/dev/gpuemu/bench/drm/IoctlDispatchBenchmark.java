package dev.gpuemu.bench.drm;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.faux.FauxDevice;
import dev.gpuemu.kernel.bus.faux.FauxOps;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.drivers.vgem.VgemDriver;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.drm.GuardStrategy;
import dev.gpuemu.kernel.drm.IoctlDevice;
import dev.gpuemu.kernel.drm.Registration;
import dev.gpuemu.kernel.drm.RegistrationGuard;
import dev.gpuemu.kernel.drm.UnregisteredDevice;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/// The DRM ioctl path on vgem, end to end from `ioctl(2)` (fd lookup, `drm_ioctl` checks, copy in,
/// handler, copy out), with and without the `drm_dev_enter` guard: issue [3/8]'s goals are a null
/// ioctl (`getCap`) under 60 ns/op on one thread, 0 B/op, and a guard overhead under 15 %.
///
/// - `version`: `DRM_IOCTL_VERSION` with all lengths 0 (the null form; the kernel writes the
///   lengths back, so each op first zeroes them with one 48-byte user store); `versionStrings`
///   with buffers for the three strings (each op copies them out).
/// - `getCap`: `DRM_IOCTL_GET_CAP(DRM_CAP_PRIME)` (vgem has no KMS, so `DRM_CAP_DUMB_BUFFER` would
///   be the `EOPNOTSUPP` path).
/// - `gemCreateClose`: `MODE_CREATE_DUMB` of 4 KiB, then `GEM_CLOSE` of its handle, on the
///   primary node (dumb buffers are not render-allowed); two ioctls per op; allocates the GEM
///   object, so not 0 B/op. The other ioctls go to the render node.
/// - `fenceSignalEnoent`: `DRM_IOCTL_VGEM_FENCE_SIGNAL` of an unknown fence: a driver ioctl whose
///   handler runs inside the guard and answers `ENOENT` (allocation-free shared exception).
/// - `guardEnterExit`: `drm_dev_enter` + `registrationData()` + `drm_dev_exit` through the public
///   `IoctlDevice.registrationGuard()`; `pointCheck`: `drm_dev_is_unplugged`.
///
/// Parameters: `guard` is the [GuardStrategy] of the kernel's DRM core (`SRCU` is the real design;
/// `NONE` opens no section and is the unguarded baseline; `RWLOCK` may be added with
/// `-p guard=SRCU,RWLOCK,NONE`). `coreGuarded` ([DrmCore#setGuardCoreIoctls]) puts a guard around
/// the core ioctls too; in Linux (and by default) they only do the two point checks.
///
/// Run: `java -jar bench/target/benchmarks.jar IoctlDispatchBenchmark -prof gc`, or the runner
/// [IoctlDispatchBench] for the table with guarded/unguarded ratios.
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class IoctlDispatchBenchmark {

    /// Core ioctls: guard strategy × core ioctls guarded or not.
    @State(Scope.Thread)
    public static class CoreIoctls {
        @Param({"SRCU", "NONE"})
        public String guard;
        @Param({"false", "true"})
        public boolean coreGuarded;
        VgemRig rig;

        @Setup(Level.Trial)
        public void setUp() throws KernelException {
            rig = VgemRig.boot(GuardStrategy.valueOf(guard), coreGuarded);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rig.close();
        }
    }

    /// Driver ioctls: always guarded by the strategy; `coreGuarded` does not apply.
    @State(Scope.Thread)
    public static class DriverIoctls {
        @Param({"SRCU", "NONE"})
        public String guard;
        VgemRig rig;

        @Setup(Level.Trial)
        public void setUp() throws KernelException {
            rig = VgemRig.boot(GuardStrategy.valueOf(guard), false);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rig.close();
        }
    }

    /// The guard alone: a vgem DRM device registered directly (so the bench holds its
    /// [Registration] and the `Ioctl` view), no process.
    @State(Scope.Thread)
    public static class Guard {
        @Param({"SRCU", "NONE"})
        public String guard;
        Machine machine;
        FauxDevice faux;
        IoctlDevice<VgemDriver.Data, VgemDriver.Binding> dev;

        @Setup(Level.Trial)
        public void setUp() throws KernelException {
            machine = Machine.builder().build();
            machine.boot();
            DrmCore.of(machine.kernel()).setGuardStrategy(GuardStrategy.valueOf(guard));
            VgemDriver driver = new VgemDriver();
            faux = FauxDevice.create(machine.kernel(), "vgem", new FauxOps<Registration<VgemDriver.Data, VgemDriver.Binding>>() {
                @Override
                public Registration<VgemDriver.Data, VgemDriver.Binding> probe(Device<Core> d) throws KernelException {
                    Registration<VgemDriver.Data, VgemDriver.Binding> r =
                            UnregisteredDevice.create(d, driver, new VgemDriver.Data()).register(new VgemDriver.Binding());
                    dev = r.device();
                    return r; // closed (unplugged) when the faux device unbinds
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            faux.close();
            machine.close();
            VgemRig.checkClean(machine.report());
        }
    }

    @Benchmark
    public int version(CoreIoctls s) {
        return s.rig.version();
    }

    @Benchmark
    public int versionStrings(CoreIoctls s) {
        return s.rig.versionStrings();
    }

    @Benchmark
    public int getCap(CoreIoctls s) {
        return s.rig.getCap();
    }

    @Benchmark
    public int gemCreateClose(CoreIoctls s) {
        return s.rig.createClose();
    }

    @Benchmark
    public int fenceSignalEnoent(DriverIoctls s) {
        return s.rig.fenceSignal();
    }

    @Benchmark
    public boolean guardEnterExit(Guard s) {
        Optional<RegistrationGuard<VgemDriver.Data, VgemDriver.Binding>> o = s.dev.registrationGuard();
        if (o.isEmpty()) {
            throw new IllegalStateException("vgem unplugged during the benchmark");
        }
        RegistrationGuard<VgemDriver.Data, VgemDriver.Binding> g = o.get();
        boolean closed = g.registrationData().isClosed();
        g.close();
        return closed;
    }

    @Benchmark
    public boolean pointCheck(Guard s) {
        return s.dev.isUnplugged();
    }
}
