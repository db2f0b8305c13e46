package dev.gpuemu.kernel.drivers.vgem;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.faux.FauxDevice;
import dev.gpuemu.kernel.bus.faux.FauxOps;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.drm.DrmDevice;
import dev.gpuemu.kernel.drm.Registration;
import dev.gpuemu.kernel.drm.UnregisteredDevice;
import java.util.concurrent.atomic.AtomicReference;

/// vgem's module: `vgem_init` creates the faux device `vgem`, whose probe allocates and registers
/// the DRM device. The registration lives in the binding's driver data, so unbinding the faux
/// device (sysfs `unbind`, or module exit) unplugs the DRM device.
///
/// ## Lifecycle
/// [#init] once → [#close] (module exit) once.
public final class Vgem implements AutoCloseable {
    private final FauxDevice faux;
    private final AtomicReference<DrmDevice<VgemDriver.Data, VgemDriver.Binding>> drm;

    private Vgem(FauxDevice faux, AtomicReference<DrmDevice<VgemDriver.Data, VgemDriver.Binding>> drm) {
        this.faux = faux;
        this.drm = drm;
    }

    /// The per-binding driver data: owns the DRM registration.
    public static final class Bound implements AutoCloseable {
        private final Registration<VgemDriver.Data, VgemDriver.Binding> registration;
        private final VgemDriver.Binding binding;

        Bound(Registration<VgemDriver.Data, VgemDriver.Binding> registration, VgemDriver.Binding binding) {
            this.registration = registration;
            this.binding = binding;
        }

        public Registration<VgemDriver.Data, VgemDriver.Binding> registration() {
            return registration;
        }

        /// The registration data (for tests: it is closed only after unplug).
        public VgemDriver.Binding binding() {
            return binding;
        }

        @Override
        public void close() {
            registration.close();
        }
    }

    /// `vgem_init`: creates and binds the faux device.
    public static Vgem init(Kernel kernel) throws KernelException {
        VgemDriver driver = new VgemDriver();
        AtomicReference<DrmDevice<VgemDriver.Data, VgemDriver.Binding>> drm = new AtomicReference<>();
        return new Vgem(FauxDevice.create(kernel, "vgem", new FauxOps<Bound>() {
            @Override
            public Bound probe(Device<Core> dev) throws KernelException {
                var unregistered = UnregisteredDevice.create(dev, driver, new VgemDriver.Data());
                DrmDevice<VgemDriver.Data, VgemDriver.Binding> normal = unregistered.device();
                VgemDriver.Binding binding = new VgemDriver.Binding();
                Bound bound = new Bound(unregistered.register(binding), binding);
                drm.set(normal);
                return bound;
            }
        }), drm);
    }

    /// The DRM device of the latest binding, in the `Normal` context: it outlives unbind while
    /// files, mappings or dma-bufs hold it, so tests and reports can read its GEM counters
    /// (`drm().gem()`) before and after unplug. A rebind replaces it.
    public DrmDevice<VgemDriver.Data, VgemDriver.Binding> drm() {
        return drm.get();
    }

    /// The faux device (for sysfs control).
    public FauxDevice device() {
        return faux;
    }

    /// `vgem_exit`.
    @Override
    public void close() {
        faux.close();
    }
}
