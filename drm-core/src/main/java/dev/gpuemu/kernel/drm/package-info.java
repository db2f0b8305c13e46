/// **Kernel world: the DRM core's device lifecycle.** A DRM device is created as an
/// [UnregisteredDevice] (thread-confined, single use), consumed into a [Registration], and
/// unplugged when the registration closes: `unplugged` is set, every open
/// `drm_dev_enter` section is waited for (an SRCU grace period under the default
/// [GuardStrategy]; a write lock under `RWLOCK`; not at all under the bench-only `NONE`), the
/// minors leave `/dev/dri`, CPU mappings are zapped, and only then is the [RegistrationData]
/// freed.
///
/// Contexts are classes: [DrmDevice] (`Normal`, storable), [IoctlDevice] (`Ioctl`: was
/// registered, may be unplugging; the only one offering a [RegistrationGuard]) and
/// [RegisteredDevice] (`Registered`: currently registered and the parent bound; exists only
/// inside a guard).
package dev.gpuemu.kernel.drm;
