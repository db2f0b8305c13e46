package dev.gpuemu.images;

import dev.gpuemu.board.KernelModule;
import dev.gpuemu.hw.edu.EduDevice;
import dev.gpuemu.hw.mali.CsfFrontend;
import dev.gpuemu.hw.mali.MaliConfig;
import dev.gpuemu.hw.mali.MaliG610;
import dev.gpuemu.hw.mali.MaliHwPorts;
import dev.gpuemu.hw.mali.csf.MaliCsf;
import dev.gpuemu.hw.nvidia.Ga102;
import dev.gpuemu.hw.nvidia.NvConfig;
import dev.gpuemu.hw.nvidia.host.NvHost;
import dev.gpuemu.kernel.drivers.edu.EduDriver;
import dev.gpuemu.kernel.drivers.nova.core.NovaCoreDriver;
import dev.gpuemu.kernel.drivers.nova.drm.NovaAuxDriver;
import dev.gpuemu.kernel.drivers.tyr.TyrDriver;
import dev.gpuemu.kernel.drivers.vgem.Vgem;
import dev.gpuemu.regs.edu.EduRegs;
import dev.gpuemu.regs.mali.MaliRegs;
import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.NvBar0Map;
import dev.gpuemu.regs.nvidia.NvRegs;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/// The device models and drivers image files may name, by name: the composition root's table of
/// everything the emulator can put into a machine. GPU issues add their models and drivers to
/// [#builtin()].
///
/// Three kinds of entries:
/// - **models**: PCI ([PciModel]) and platform ([PlatformModel]) hardware;
/// - **drivers**: built-in kernel modules ([KernelModule], their `module_init`);
/// - **software devices**: faux devices a driver's `module_init` creates itself (vgem's
///   `vgem_init` creates the faux device `vgem`); an image lists them under `faux:` and must load
///   the driver that creates them.
///
/// ## Invariants
/// Names are unique within each kind; a software device's driver is registered.
///
/// ## Thread safety
/// Immutable.
public final class DeviceRegistry {
    /// The G610's command stream frontend: the emulated MCU and CSF.
    private static final Function<MaliHwPorts, CsfFrontend> MALI_CSF = MaliCsf.factory();

    private static final DeviceRegistry BUILTIN = builder()
            .pci(new PciModel("edu", EduRegs.VENDOR_ID, EduRegs.DEVICE_ID, Map.of(0, EduRegs.BAR0_SIZE), List.of(),
                    (hw, name, params) -> new EduDevice(hw, name)))
            .platform(new PlatformModel("mali-g610", List.of(MaliRegs.MMIO_SIZE), 3, List.of(
                    new ModelParam("shader-present", ModelParam.Type.INT, MaliConfig.RK3588.shaderPresent(),
                            "SHADER_PRESENT mask (default 0x50005: the RK3588's four cores)"),
                    new ModelParam("gpu-clock-hz", ModelParam.Type.INT, MaliConfig.RK3588.gpuClockHz(),
                            "GPU core clock in Hz")),
                    (hw, name, params) -> new MaliG610(hw, name,
                            new MaliConfig(params.getLong("gpu-clock-hz"), params.getLong("shader-present")), MALI_CSF)))
            .pci(new PciModel("ga102", NvRegs.VENDOR_ID, Chipset.GA102.pciDeviceId(),
                    Map.of(0, (long) NvBar0Map.BAR0_SIZE, 1, Chipset.DEFAULT_VRAM_BYTES), List.of(
                    new ModelParam("vram", ModelParam.Type.SIZE, Chipset.DEFAULT_VRAM_BYTES,
                            "VRAM size (= BAR1 size; a power of two), default 256MiB"),
                    new ModelParam("chipset", ModelParam.Type.STRING, "GA102",
                            "chipset of the nova-core table (TU102..AD107), default GA102")),
                    (hw, name, params) -> new Ga102(hw, name, NvConfig.defaults()
                            .withChipset(Chipset.valueOf(params.getString("chipset").toUpperCase(Locale.ROOT)))
                            .withVramBytes(params.getLong("vram")), NvHost::new)))
            .driver("edu", k -> k.pciBus().register(new EduDriver()))
            .driver("nova-core", k -> k.pciBus().register(new NovaCoreDriver()))
            .driver("nova-drm", k -> k.auxiliaryBus().register(new NovaAuxDriver()))
            .driver("tyr", k -> k.platformBus().register(new TyrDriver()))
            .driver("vgem", Vgem::init)
            .softwareDevice("vgem", "vgem")
            .build();

    private final Map<String, PciModel> pci;
    private final Map<String, PlatformModel> platform;
    private final Map<String, KernelModule> drivers;
    private final Map<String, String> softwareDevices;

    private DeviceRegistry(Builder b) {
        this.pci = Map.copyOf(b.pci);
        this.platform = Map.copyOf(b.platform);
        this.drivers = Map.copyOf(b.drivers);
        this.softwareDevices = Map.copyOf(b.softwareDevices);
    }

    /// Everything gpuemu ships.
    public static DeviceRegistry builtin() {
        return BUILTIN;
    }

    /// An empty registry to fill (tests; [#toBuilder()] extends an existing one).
    public static Builder builder() {
        return new Builder();
    }

    /// A builder holding this registry's entries.
    public Builder toBuilder() {
        Builder b = new Builder();
        b.pci.putAll(pci);
        b.platform.putAll(platform);
        b.drivers.putAll(drivers);
        b.softwareDevices.putAll(softwareDevices);
        return b;
    }

    public Optional<PciModel> pciModel(String name) {
        return Optional.ofNullable(pci.get(name));
    }

    public Optional<PlatformModel> platformModel(String name) {
        return Optional.ofNullable(platform.get(name));
    }

    public Optional<KernelModule> driver(String name) {
        return Optional.ofNullable(drivers.get(name));
    }

    /// The driver whose `module_init` creates the software device `name`.
    public Optional<String> softwareDeviceDriver(String name) {
        return Optional.ofNullable(softwareDevices.get(name));
    }

    /// The software device the driver `driver` creates, if any.
    public Optional<String> softwareDeviceOf(String driver) {
        return softwareDevices.entrySet().stream().filter(e -> e.getValue().equals(driver)).map(Map.Entry::getKey)
                .sorted().findFirst();
    }

    /// Sorted names, for error messages and docs.
    public List<String> pciModelNames() {
        return pci.keySet().stream().sorted().toList();
    }

    public List<String> platformModelNames() {
        return platform.keySet().stream().sorted().toList();
    }

    public List<String> driverNames() {
        return drivers.keySet().stream().sorted().toList();
    }

    public List<String> softwareDeviceNames() {
        return softwareDevices.keySet().stream().sorted().toList();
    }

    /// Registry construction.
    public static final class Builder {
        private final Map<String, PciModel> pci = new LinkedHashMap<>();
        private final Map<String, PlatformModel> platform = new LinkedHashMap<>();
        private final Map<String, KernelModule> drivers = new LinkedHashMap<>();
        private final Map<String, String> softwareDevices = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder pci(PciModel model) {
            put(pci, model.name(), model, "PCI model");
            return this;
        }

        public Builder platform(PlatformModel model) {
            put(platform, model.name(), model, "platform model");
            return this;
        }

        public Builder driver(String name, KernelModule module) {
            put(drivers, name, Objects.requireNonNull(module, "module"), "driver");
            return this;
        }

        /// A software (faux) device `name` that driver `driver`'s `module_init` creates.
        public Builder softwareDevice(String name, String driver) {
            put(softwareDevices, name, Objects.requireNonNull(driver, "driver"), "software device");
            return this;
        }

        public DeviceRegistry build() {
            softwareDevices.forEach((dev, drv) -> {
                if (!drivers.containsKey(drv)) {
                    throw new IllegalStateException("software device " + dev + ": driver " + drv + " not registered");
                }
            });
            return new DeviceRegistry(this);
        }

        private static <V> void put(Map<String, V> map, String name, V value, String kind) {
            if (map.putIfAbsent(Objects.requireNonNull(name, "name"), value) != null) {
                throw new IllegalArgumentException(kind + " registered twice: " + name);
            }
        }
    }
}
