package dev.gpuemu.kernel.bus.platform;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.DeviceContext;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.machine.FirmwareNode;
import java.util.List;

/// A platform device as a driver sees it (`platform::Device<Ctx>`).
///
/// ## Thread safety
/// Thread-safe.
public final class PlatformDevice<C extends DeviceContext> extends Device<C> {
    private final PlatformDev dev;
    private final Scope binding;

    PlatformDevice(PlatformDev dev, Scope scope, Scope binding) {
        super(dev, scope);
        this.dev = dev;
        this.binding = binding;
    }

    public List<String> compatible() {
        return dev.firmwareNode().compatible();
    }

    /// The Bound view of this binding.
    public PlatformDevice<Bound> bound() {
        requireBound("bound view");
        return new PlatformDevice<>(dev, binding, binding);
    }

    /// `devm_platform_ioremap_resource`: claims and maps MMIO resource `index`. `ENXIO` when the
    /// node has no such resource (as `platform_get_resource` failing), `EBUSY` when claimed.
    public IoMem ioremapResource(int index, String name) throws KernelException {
        requireBound("ioremap resource");
        List<FirmwareNode.Reg> regs = dev.firmwareNode().regs();
        if (index < 0 || index >= regs.size()) {
            throw new KernelException(Errno.ENXIO, dev + " has no MMIO resource " + index);
        }
        FirmwareNode.Reg r = regs.get(index);
        return IoMem.map(bound(), r.base(), r.size(), name);
    }

    /// Size of MMIO resource `index`; `ENXIO` when absent.
    public long resourceSize(int index) throws KernelException {
        List<FirmwareNode.Reg> regs = dev.firmwareNode().regs();
        if (index < 0 || index >= regs.size()) {
            throw new KernelException(Errno.ENXIO, dev + " has no MMIO resource " + index);
        }
        return regs.get(index).size();
    }

    /// `platform_get_irq`: interrupt number `index`; `ENXIO` when absent.
    public int irq(int index) throws KernelException {
        List<Integer> irqs = dev.firmwareNode().irqs();
        if (index < 0 || index >= irqs.size()) {
            throw new KernelException(Errno.ENXIO, dev + " has no IRQ " + index);
        }
        return irqs.get(index);
    }

    /// `platform_get_irq_byname`; `ENXIO` when absent.
    public int irqByName(String name) throws KernelException {
        int i = dev.firmwareNode().irqNames().indexOf(name);
        if (i < 0) {
            throw new KernelException(Errno.ENXIO, dev + " has no IRQ named " + name);
        }
        return dev.firmwareNode().irqs().get(i);
    }
}
