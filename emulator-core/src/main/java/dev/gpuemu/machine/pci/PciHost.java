package dev.gpuemu.machine.pci;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.MmioBus;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/// The PCI host bridge: configuration access by [Bdf] to the functions physically present, their
/// BARs decoded on the machine's [MmioBus], and INTx routing to interrupt-controller lines.
///
/// There is deliberately no list of present functions: like firmware and Linux, the kernel finds
/// devices by reading VENDOR_ID at each BDF; an absent function answers all ones (master abort).
///
/// **INTx routing.** With [#setIntxRouting(int)] set, a function at device `d` with interrupt pin
/// `p` (1 = INTA# .. 4 = INTD#) is wired to controller line
/// `baseIrq + ((d + p - 1) mod 4)`. This is the standard swizzle (as a PCI-PCI bridge or QEMU's
/// gpex host applies): consecutive slots rotate their INTA# over the four lines, so single-function
/// devices in adjacent slots do not share an IRQ. On attach the host writes the routed line into
/// the function's INTERRUPT_LINE register, as firmware does on a real machine.
///
/// Multi-function devices: a read of function 0's HEADER_TYPE sets bit 7 when another function of
/// the same device is present, so the kernel knows to scan functions 1..7.
///
/// ## Thread safety
/// Presence is a concurrent map; attach/detach/routing are synchronised on this host; config
/// accesses synchronise on the function's [PciConfigSpace].
///
/// ## Lifecycle
/// Lives as long as the machine. Detach every function before closing its BAR regions.
public final class PciHost {
    private static final String SOURCE = "pci-host";
    private static final int HEADER_TYPE_MULTI_FUNCTION = 0x80;

    private final MmioBus bus;
    private final GuestErrors errors;
    private final ConcurrentHashMap<Bdf, PciFunction> functions = new ConcurrentHashMap<>();
    private volatile int intxBase = -1;

    /// @param bus where BARs are decoded
    /// @param errors where malformed config accesses are counted
    public PciHost(MmioBus bus, GuestErrors errors) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /// Plugs `function` in at `bdf` and writes its routed IRQ into INTERRUPT_LINE.
    ///
    /// @throws IllegalStateException if `bdf` is occupied or the function is attached elsewhere
    public synchronized void attach(Bdf bdf, PciFunction function) {
        Objects.requireNonNull(bdf, "bdf");
        PciConfigSpace config = Objects.requireNonNull(function, "function").config();
        if (functions.containsKey(bdf)) {
            throw new IllegalStateException("PCI slot " + bdf + " is occupied");
        }
        config.attach(bus, errors, "pci " + bdf);
        functions.put(bdf, function);
        route(bdf, config);
    }

    /// Unplugs the function at `bdf`, unmapping its BARs.
    ///
    /// @throws IllegalStateException if nothing is attached there
    public synchronized void detach(Bdf bdf) {
        PciFunction f = functions.remove(bdf);
        if (f == null) {
            throw new IllegalStateException("no PCI function at " + bdf);
        }
        f.config().detach();
    }

    /// Sets the controller line of INTA# at device 0 and re-routes every present function.
    public synchronized void setIntxRouting(int baseIrq) {
        if (baseIrq < 0 || baseIrq > 0xff - 3) {
            throw new IllegalArgumentException("base IRQ must be 0..252: " + baseIrq);
        }
        intxBase = baseIrq;
        functions.forEach((bdf, f) -> route(bdf, f.config()));
    }

    /// The controller line the function at `bdf` interrupts on: `baseIrq + ((device + pin - 1) mod 4)`;
    /// -1 if routing is not set up, nothing is attached at `bdf`, or the function has no pin.
    public int intxIrq(Bdf bdf) {
        PciFunction f = functions.get(bdf);
        int base = intxBase;
        if (f == null || base < 0) {
            return -1;
        }
        return swizzle(base, bdf, f.config().interruptPin());
    }

    private static int swizzle(int base, Bdf bdf, int pin) {
        return pin == 0 ? -1 : base + (bdf.device() + pin - 1) % 4;
    }

    private void route(Bdf bdf, PciConfigSpace config) {
        int base = intxBase;
        if (base >= 0) {
            int irq = swizzle(base, bdf, config.interruptPin());
            if (irq >= 0) {
                config.setInterruptLine(irq);
            }
        }
    }

    /// Configuration read of `size` at `offset` of the function at `bdf`.
    ///
    /// @return the value; all ones if no function is present; all ones and a `PCI_CONFIG` guest
    ///         error if the access does not fit in the 256-byte space
    public long configRead(Bdf bdf, int offset, AccessSize size) {
        int n = size.bytes();
        if (offset < 0 || offset > PciConfigSpace.SIZE - n) {
            errors.report(Kind.PCI_CONFIG, SOURCE, "config read outside the 256-byte space", offset);
            return size.mask();
        }
        PciFunction f = functions.get(bdf);
        if (f == null) {
            return size.mask();
        }
        long v = f.config().read(offset, n);
        int ht = PciConfigSpace.HEADER_TYPE;
        if (bdf.function() == 0 && offset <= ht && ht < offset + n && hasOtherFunctions(bdf)) {
            v |= (long) HEADER_TYPE_MULTI_FUNCTION << (8 * (ht - offset));
        }
        return v;
    }

    /// Configuration write of the low `size` bytes of `value` at `offset` of the function at
    /// `bdf`. Ignored if no function is present; ignored and a `PCI_CONFIG` guest error if the
    /// access does not fit in the 256-byte space.
    public void configWrite(Bdf bdf, int offset, AccessSize size, long value) {
        int n = size.bytes();
        if (offset < 0 || offset > PciConfigSpace.SIZE - n) {
            errors.report(Kind.PCI_CONFIG, SOURCE, "config write outside the 256-byte space", offset);
            return;
        }
        PciFunction f = functions.get(bdf);
        if (f != null) {
            f.config().write(offset, n, value & size.mask());
        }
    }

    private boolean hasOtherFunctions(Bdf bdf) {
        for (int fn = 1; fn < 8; fn++) {
            if (functions.containsKey(new Bdf(bdf.bus(), bdf.device(), fn))) {
                return true;
            }
        }
        return false;
    }
}
