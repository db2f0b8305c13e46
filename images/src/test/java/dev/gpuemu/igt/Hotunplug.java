package dev.gpuemu.igt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.images.BuiltinImages;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.driver.BusType;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.DrmErrnoException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/// IGT core_hotunplug's `struct hotunplug` and its primitives, on one booted image: the examined
/// device (bus, driver, bus address), the exercised fd (`fd.drm`), the health-check fd and the
/// pending `failure` message the recover fixture looks at.
///
/// Primitives as in IGT: [#driverUnbind], [#driverBind], [#deviceUnplug] (skips where the device
/// has no `remove` attribute), [#busRescan], [#healthcheck], [#recover], [#postHealthcheck].
/// Every sysfs write runs under a real-time bound ([#TIMEOUT], IGT's 60 s): a hang fails.
///
/// ## Invariants
/// `failure` is set when a primitive starts and cleared only by a passing health check, as IGT's
/// `priv->failure`; [#recover] acts on it.
///
/// ## Thread safety
/// Test thread only (the -with-load threads live in [IoctlLoad]).
///
/// ## Lifecycle
/// [#boot] (prepare + pre-check) → subtest → [#recover] → [#postHealthcheck] → [#close] once.
final class Hotunplug implements AutoCloseable {
    /// IGT's hot-unplug timeout; every primitive here is bounded by it.
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String DRI = "/dev/dri/";

    final IgtTarget target;
    final Machine machine;
    final Kernel kernel;
    /// The IGT process: root, so the primary node is authenticated as IGT's is.
    final Process proc;
    final DriverWork work;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    /// `priv->fd.drm`: the exercised fd, null when closed.
    DrmClient drm;
    /// `priv->failure`.
    String failure;
    /// The -with-load threads of the running subtest, if any.
    IoctlLoad load;
    private boolean closed;

    private Hotunplug(IgtTarget target) throws KernelException {
        this.target = target;
        this.work = target.work();
        machine = BuiltinImages.find(target.image).orElseThrow().builder().build();
        kernel = machine.kernel();
        kernel.log().addListener(e -> log.add(e.format()));
        machine.boot(); // no init workload: the CLI runs it separately
        proc = kernel.spawn("core_hotunplug", true);
    }

    /// Boots `target`'s image, then IGT's fixture: `prepare()` (the device is on its bus, bound
    /// to its driver) and the pre-check (no fd open, a health check of both nodes).
    static Hotunplug boot(IgtTarget target) throws KernelException {
        Hotunplug h = new Hotunplug(target);
        try {
            assertTrue(h.bound(), () -> target.device + " bound to " + target.driver + " after boot\n" + h.log());
            assertEquals(target.children, h.children().size(), () -> "child devices " + h.children());
            assertEquals(0, h.proc.openFds(), "pre-check: no fd open");
            h.healthcheck(false);
        } catch (RuntimeException | Error e) {
            h.closeQuietly();
            throw e;
        }
        return h;
    }

    String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    private Optional<BusDevice> device() {
        return kernel.driverCore().findDevice(target.bus, target.device);
    }

    /// `faccessat(sysfs_drv, dev_bus_addr)`: the device is bound to the target's driver.
    boolean bound() {
        return device().flatMap(BusDevice::driverName).filter(target.driver::equals).isPresent();
    }

    /// `faccessat(sysfs_bus, dev_bus_addr)`: the device is on its bus.
    boolean present() {
        return device().isPresent();
    }

    /// Devices whose parent is the examined device (nova-core's auxiliary nova-drm device).
    List<String> children() {
        List<String> out = new ArrayList<>();
        for (BusType<?> bus : kernel.driverCore().buses()) {
            for (BusDevice d : bus.devices()) {
                if (d.parent().filter(p -> p.name().equals(target.device) && p.bus().name().equals(target.bus))
                        .isPresent()) {
                    out.add(bus.name() + ":" + d.name());
                }
            }
        }
        return out;
    }

    /// The device's node of one kind (`card*` or `renderD*`), looked up again each time: minors
    /// may change across a rebind.
    Optional<String> node(boolean render) {
        String prefix = DRI + (render ? "renderD" : "card");
        List<String> found = DrmCore.of(kernel).nodes().stream().filter(p -> p.startsWith(prefix)).toList();
        assertTrue(found.size() <= 1, () -> "one DRM device per image, found " + found);
        return found.stream().findFirst();
    }

    /// `local_drm_open_driver`.
    DrmClient open(boolean render) {
        String path = node(render).orElseThrow(() -> new AssertionError("no " + (render ? "render" : "DRM")
                + " node of " + target.drmName + ": " + DrmCore.of(kernel).nodes()));
        return DrmClient.open(proc, path);
    }

    /// `close_device`: any close error fails (IGT asserts `fd.drm == -1` after a late close).
    static void closeDevice(DrmClient c, String what) {
        try {
            c.close();
        } catch (DrmErrnoException e) {
            fail(what + ": Device close failed: " + e.getMessage(), e);
        }
    }

    /// Closes the exercised fd (and the load's files, which are dups of it).
    void closeDrm(String what) {
        if (load != null) {
            IoctlLoad l = load;
            load = null;
            l.abort();
        }
        if (drm != null) {
            DrmClient c = drm;
            drm = null;
            closeDevice(c, what);
        }
    }

    private <T> T bounded(String timeoutMessage, org.junit.jupiter.api.function.ThrowingSupplier<T> op) {
        return assertTimeoutPreemptively(TIMEOUT, op, timeoutMessage);
    }

    /// `driver_unbind`: write the bus address to `<driver>/unbind`; the device leaves the driver
    /// (and its DRM nodes go).
    void driverUnbind(String prefix) {
        failure = "Driver unbind failure!";
        int r = bounded(prefix + "Driver unbind timeout!", () -> kernel.sysfs().unbind(target.bus, target.driver,
                target.device));
        assertEquals(0, r, "Driver unbind failure!");
        assertTrue(!bound(), "Unbound device still present");
        assertEquals(List.of(), children(), "child devices removed with the driver");
        assertEquals(List.of(), DrmCore.of(kernel).nodes(), "DRM nodes gone with the unbound driver");
    }

    /// `driver_bind`: write the bus address to `<driver>/bind`.
    void driverBind() {
        failure = "Driver re-bind failure!";
        int r = bounded("Driver re-bind timeout!", () -> kernel.sysfs().bind(target.bus, target.driver,
                target.device));
        assertEquals(0, r, () -> "Driver re-bind failure\n" + log());
        assertTrue(bound(), "Rebound device not present!");
        assertEquals(target.children, children().size(), () -> "child devices again: " + children());
    }

    /// `device_unplug`: write "1" to the device's `remove`. Only PCI devices have that attribute:
    /// platform and faux devices skip, as IGT's sysfs write has nothing to write to.
    void deviceUnplug(String prefix) {
        Assumptions.assumeTrue(target.removable(), () -> "Device unplug not supported: " + target.bus + " device "
                + target.device + " has no sysfs 'remove' attribute");
        failure = "Device unplug failure!";
        bounded(prefix + "Device unplug timeout!", () -> {
            kernel.pciBus().remove(target.device);
            return null;
        });
        assertTrue(!present(), "Unplugged device still present");
        assertEquals(List.of(), children(), "child devices removed with the device");
        assertEquals(List.of(), DrmCore.of(kernel).nodes(), "DRM nodes gone with the removed device");
    }

    /// `bus_rescan`: write "1" to the bus's `rescan`; the device is rediscovered (and probed).
    void busRescan() {
        failure = "Bus rescan failure!";
        bounded("Bus rescan timeout!", () -> kernel.pciBus().rescan());
        assertTrue(present(), "Fakely unplugged device not rediscovered!");
        assertTrue(bound(), () -> "rediscovered device probed by " + target.driver + "\n" + log());
        assertEquals(target.children, children().size(), () -> "child devices again: " + children());
    }

    /// `healthcheck`: for the primary, then the render node: reopen (must succeed), `VERSION`
    /// names the driver, the driver's exec check passes, close (must succeed). Clears `failure`.
    void healthcheck(boolean recover) {
        for (boolean render : new boolean[] {false, true}) {
            failure = render ? "Render device reopen failure!" : "DRM device reopen failure!";
            DrmClient c = open(render);
            try {
                failure = "Healthcheck failure!";
                assertEquals(target.drmName, c.version().name(), "VERSION names the driver");
                work.execCheck(c, render, proc, kernel.clock());
            } finally {
                closeDevice(c, (recover ? "recovery " : "") + "health check");
            }
        }
        failure = null;
    }

    /// The fixture after every subtest: close leftovers; unbind a rebound but failed device;
    /// rescan a missing device, else bind an unbound one; if something failed, a recovering
    /// health check must pass.
    void recover() {
        closeDrm("post exercised");
        if (bound() && failure != null) {
            driverUnbind("post ");
        }
        if (!present()) {
            busRescan();
        } else if (!bound()) {
            driverBind();
        }
        if (failure != null) {
            healthcheck(true);
        }
    }

    /// `post_healthcheck`: a failure left by recover aborts (fails here); no fd stays open.
    void postHealthcheck() {
        assertEquals(null, failure, "post health check");
        closeDrm("post health checked");
        assertEquals(0, proc.openFds(), "no fd left open");
        assertEquals(0, kernel.oopses().count(), () -> "oopses: " + kernel.oopses().reports());
    }

    /// Ends the process and shuts the machine down; returns the machine report (leaks, oopses).
    MachineReport closeMachine() {
        if (closed) {
            throw new IllegalStateException("already closed");
        }
        closed = true;
        proc.close();
        machine.close();
        return machine.report();
    }

    private void closeQuietly() {
        if (!closed) {
            try {
                closeDrm("teardown");
            } catch (RuntimeException | AssertionError e) {
                // the test already failed; shutting down is what matters now
            }
            closeMachine();
        }
    }

    /// Tears down after a failed or skipped subtest (a passing one ends with [#closeMachine]).
    @Override
    public void close() {
        closeQuietly();
    }
}
