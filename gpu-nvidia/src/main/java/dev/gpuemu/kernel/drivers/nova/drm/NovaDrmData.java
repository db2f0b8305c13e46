package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.driver.Devres;

/// nova-drm's auxiliary driver data: the devres-owned DRM registration and its node paths.
///
/// Dropped by the driver core after the unbind callback: releasing the registration's devres
/// action unplugs the DRM device (waiting for running ioctls) and closes [NovaRegistration]
/// (channels stopped, fences signalled with errors, VMs and VRAM released) while nova-core is
/// still bound.
///
/// ## Lifecycle
/// returned by probe → closed once by the driver core at unbind.
public final class NovaDrmData implements AutoCloseable {
    private final Devres.Action registration;
    private final NovaRegistration regData;
    private final String primaryNode;
    private final String renderNode;
    private boolean closed;

    NovaDrmData(Devres.Action registration, NovaRegistration regData, String primaryNode, String renderNode) {
        this.registration = registration;
        this.regData = regData;
        this.primaryNode = primaryNode;
        this.renderNode = renderNode;
    }

    /// The registration data (for tests; closed after unplug).
    public NovaRegistration registrationData() {
        return regData;
    }

    public String primaryNode() {
        return primaryNode;
    }

    public String renderNode() {
        return renderNode;
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("nova-drm driver data already dropped");
        }
        closed = true;
        registration.release();
    }
}
