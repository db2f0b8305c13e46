package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryDevice;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryDriver;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Devres;
import dev.gpuemu.kernel.drivers.nova.core.NovaAuxData;
import dev.gpuemu.kernel.drm.Registration;
import dev.gpuemu.kernel.drm.UnregisteredDevice;
import java.util.List;

/// The nova-drm auxiliary driver (drivers/gpu/drm/nova/driver.rs): matches `NovaCore.nova-drm`,
/// borrows the parent's [NovaAuxData] (registration data of the auxiliary device) into its
/// [NovaRegistration], allocates and registers the DRM device `nova` with a render node
/// (`Registration::new_foreign_owned`: devres-owned, released first when [NovaDrmData] drops).
///
/// Unbind: the callback marks the registration stopping (submits waiting on in-fences return
/// `ENODEV`, so unplug's wait is bounded); then the driver data drops: the DRM device is unplugged
/// (later ioctls `ENODEV`, open files stay closable) and the registration data closed.
///
/// ## Thread safety
/// Stateless.
public final class NovaAuxDriver implements AuxiliaryDriver<NovaDrmData> {
    private static final NovaDrmDriver DRM = new NovaDrmDriver();

    @Override
    public String name() {
        return "nova-drm";
    }

    @Override
    public List<String> idTable() {
        return List.of(NovaAuxData.MATCH_ID);
    }

    @Override
    public NovaDrmData probe(AuxiliaryDevice<Core> adev) throws KernelException {
        AuxiliaryDevice<Bound> dev = adev.bound();
        NovaAuxData aux = dev.registrationData(NovaAuxData.class);
        NovaRegistration regData = new NovaRegistration(aux, dev.kernel().clock());
        var unregistered = UnregisteredDevice.create(dev, DRM, new NovaDrmDriver.Data(aux.chipset().name()));
        Registration<NovaDrmDriver.Data, NovaRegistration> reg = unregistered.register(regData);
        Devres.Action action = Devres.add(dev, "drm registration nova", reg::close);
        return new NovaDrmData(action, regData, reg.primaryNode(), reg.renderNode());
    }

    @Override
    public void unbind(AuxiliaryDevice<Core> adev, NovaDrmData data) {
        data.registrationData().stop();
    }
}
