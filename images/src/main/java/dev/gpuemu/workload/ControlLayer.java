package dev.gpuemu.workload;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.Optional;

/// The control layer, like a shell writing sysfs: `bind`/`unbind` (`/sys/bus/BUS/drivers/DRV/`),
/// `driver_override`, PCI `remove`/`rescan`, and waiting for a device to be bound or unbound.
/// Errors of these writes are data: without `expect` they must succeed, with `expect ERRNO` they
/// must fail with that errno.
///
/// ## Thread safety
/// The sysfs surface is thread-safe; so is this.
final class ControlLayer {
    /// Default limit of `wait bound|unbound` in simulated time.
    static final long DEFAULT_WAIT_NS = 1_000_000_000L;
    /// Poll period of `wait` in simulated time (deterministic, unlike a condition on the clock thread).
    static final long POLL_NS = 10_000L;

    private final Interpreter run;
    private final Kernel kernel;

    ControlLayer(Interpreter run, Kernel kernel) {
        this.run = run;
        this.kernel = kernel;
    }

    void bind(Stmt.Bind s) {
        int rc = s.bind() ? kernel.sysfs().bind(s.bus(), s.driver(), s.device())
                : kernel.sysfs().unbind(s.bus(), s.driver(), s.device());
        result(s.pos(), (s.bind() ? "bind " : "unbind ") + s.bus() + " " + s.driver() + " " + s.device(), rc, s.expect());
    }

    void driverOverride(Stmt.DriverOverride s) {
        int rc = kernel.sysfs().setDriverOverride(s.bus(), s.device(), s.value());
        result(s.pos(), "driver_override " + s.bus() + " " + s.device(), rc, s.expect());
    }

    void pciRemove(Stmt.PciRemove s) {
        int rc = 0;
        try {
            kernel.pciBus().remove(s.bdf());
        } catch (KernelException e) {
            rc = e.errno().negative();
        }
        result(s.pos(), "pci remove " + s.bdf(), rc, s.expect());
    }

    void pciRescan(Stmt.PciRescan s, Frame f) {
        int added;
        try {
            added = kernel.pciBus().rescan().size();
        } catch (KernelException e) {
            throw new CheckFailed(s.pos(), "pci rescan failed: " + e.getMessage());
        }
        if (s.into() != null) {
            f.set(s.into(), added);
        }
    }

    void waitBound(Stmt.WaitBound s, Frame f) {
        long limit = s.within() == null ? DEFAULT_WAIT_NS : run.eval(s.within(), f);
        long deadline = kernel.clock().nowNs() + limit;
        while (bound(s.bus(), s.device()) != s.bound()) {
            long left = deadline - kernel.clock().nowNs();
            if (left <= 0) {
                throw new CheckFailed(s.pos(), s.bus() + " device " + s.device() + " is "
                        + (s.bound() ? "not bound" : "still bound") + " after " + limit + " ns"
                        + kernel.driverCore().findDevice(s.bus(), s.device()).map(d -> "").orElse(" (no such device)"));
            }
            kernel.clock().sleep(Math.min(POLL_NS, left));
        }
        run.pass();
    }

    private boolean bound(String bus, String device) {
        Optional<BusDevice> d = kernel.driverCore().findDevice(bus, device);
        return d.isPresent() && d.get().isBound();
    }

    private void result(Pos pos, String what, int rc, Errno expect) {
        if (expect == null) {
            if (rc < 0) {
                throw new CheckFailed(pos, what + " failed: " + name(rc));
            }
            return;
        }
        if (rc != expect.negative()) {
            throw new CheckFailed(pos, what + (rc >= 0 ? " succeeded" : " failed with " + name(rc)) + ", expected " + expect);
        }
        run.pass();
    }

    private static String name(int rc) {
        Errno e = Errno.ofCode(rc);
        return e == null ? "errno " + (-rc) : e.name();
    }
}
