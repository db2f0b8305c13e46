package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.clk.Clk;
import dev.gpuemu.kernel.clk.Regulator;
import dev.gpuemu.kernel.driver.Devres;
import java.util.List;

/// Tyr's platform driver data (`TyrData` in driver.rs): the clocks and regulators, and the handle
/// of the devres-owned DRM registration.
///
/// Dropped by the driver core after the unbind callback, before devres runs. The drop first
/// releases the registration's devres action early (`devm_release_action`): the DRM device is
/// unplugged and [TyrRegistration] closed (MCU stopped) while clocks still run; then the clocks
/// are disabled (Tyr's `Drop`), then the regulators. Devres later frees the IRQs and the mapping.
///
/// ## Lifecycle
/// returned by probe → closed once by the driver core at unbind.
public final class TyrData implements AutoCloseable {
    private final List<Clk> clocks;
    private final List<Regulator> regulators;
    private final Devres.Action registration;
    private final TyrRegistration regData;
    private final TyrDrm.Handle drm;
    private boolean closed;

    TyrData(List<Clk> clocks, List<Regulator> regulators, Devres.Action registration, TyrRegistration regData,
            TyrDrm.Handle drm) {
        this.clocks = List.copyOf(clocks);
        this.regulators = List.copyOf(regulators);
        this.registration = registration;
        this.regData = regData;
        this.drm = drm;
    }

    public List<Clk> clocks() {
        return clocks;
    }

    /// The registration data (for tests; closed after unplug).
    public TyrRegistration registrationData() {
        return regData;
    }

    /// The DRM device and its node paths.
    public TyrDrm.Handle drm() {
        return drm;
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("tyr driver data already dropped");
        }
        closed = true;
        registration.release();
        for (Clk c : clocks) {
            c.disableUnprepare();
        }
        for (Regulator r : regulators) {
            r.disable();
        }
    }
}
