package dev.gpuemu.images;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.board.PlatformSlot;
import dev.gpuemu.images.YamlTree.Entry;
import dev.gpuemu.images.YamlTree.MapNode;
import dev.gpuemu.images.YamlTree.Node;
import dev.gpuemu.machine.time.ClockMode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/// Reads an image file (docs/images.md) into an [Image], checking everything that can be checked
/// before a machine is built: keys, types, numbers and units, model and driver names against a
/// [DeviceRegistry], vendor/device IDs and BAR sizes against the model, firmware and init files,
/// PCI slots used twice, MMIO ranges that overlap. Every mistake is an [ImageException] pointing
/// at its line and column.
///
/// Firmware files are read when the image is loaded; the machines built from the image get
/// copies of those bytes and never touch host files.
///
/// ## Thread safety
/// Stateless; safe from any thread.
public final class ImageLoader {
    static final List<String> TOP_KEYS = List.of("name", "description", "clock", "ram", "pci", "platform", "faux",
            "drivers", "firmware", "init");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    /// RAM when the image does not say.
    public static final long DEFAULT_RAM = 256L << 20;

    private ImageLoader() {
    }

    /// Loads a user's image file with the built-in registry; errors name the file as given.
    public static Image load(Path file) throws ImageException {
        return load(file, file.toString(), DeviceRegistry.builtin());
    }

    /// Loads an image file.
    ///
    /// @param file      the image file; firmware and init paths are resolved against its directory
    /// @param display   how error messages name the file
    /// @param registry  the models and drivers the image may name
    public static Image load(Path file, String display, DeviceRegistry registry) throws ImageException {
        Node root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = YamlTree.parse(in, display);
        } catch (NoSuchFileException e) {
            throw new ImageException(display, 0, 0, "no such image file");
        } catch (CharacterCodingException e) {
            throw new ImageException(display, 0, 0, "not UTF-8 text");
        } catch (IOException e) {
            throw new ImageException(display, 0, 0, "cannot read: " + e.getMessage());
        }
        return new ImageLoader.Reading(new Nodes(display), file, registry).image(root);
    }

    /// One load: the file's state while its sections are read.
    private static final class Reading {
        private final Nodes n;
        private final Path file;
        private final Path dir;
        private final DeviceRegistry registry;

        Reading(Nodes n, Path file, DeviceRegistry registry) {
            this.n = n;
            this.file = file;
            Path parent = file.toAbsolutePath().getParent();
            this.dir = parent == null ? file.toAbsolutePath() : parent;
            this.registry = registry;
        }

        Image image(Node rootNode) throws ImageException {
            MapNode root = n.map(rootNode, "the image", TOP_KEYS);
            Node nameNode = n.required(root, "name", "the image");
            String name = n.string(nameNode, "name");
            if (!NAME.matcher(name).matches()) {
                throw n.error(nameNode, "image name '" + name + "' must be lower case letters, digits, '.', '_', '-'");
            }
            String description = n.string(n.required(root, "description", "the image"), "description");

            ClockMode mode = ClockMode.FAST;
            long seed = 0;
            Optional<Node> clockNode = n.optional(root, "clock");
            if (clockNode.isPresent()) {
                MapNode clock = n.map(clockNode.get(), "clock", List.of("mode", "seed"));
                Optional<Node> m = n.optional(clock, "mode");
                if (m.isPresent()) {
                    mode = switch (n.string(m.get(), "clock mode")) {
                        case "fast" -> ClockMode.FAST;
                        case "paced" -> ClockMode.PACED;
                        default -> throw n.error(m.get(), "clock mode must be fast or paced, found '"
                                + n.string(m.get(), "clock mode") + "'");
                    };
                }
                Optional<Node> s = n.optional(clock, "seed");
                if (s.isPresent()) {
                    seed = n.number(s.get(), "seed");
                }
            }

            long ram = DEFAULT_RAM;
            Optional<Node> ramNode = n.optional(root, "ram");
            if (ramNode.isPresent()) {
                ram = n.size(ramNode.get(), "ram");
                if (ram <= 0 || ram % 4096 != 0) {
                    throw n.error(ramNode.get(), "ram must be a positive multiple of 4 KiB, found " + ram + " bytes");
                }
            }

            Devices devices = new Devices(n, registry, ram);
            Optional<Node> pci = n.optional(root, "pci");
            if (pci.isPresent()) {
                for (Node d : n.list(pci.get(), "pci").items()) {
                    devices.pci(d);
                }
            }
            Optional<Node> platform = n.optional(root, "platform");
            if (platform.isPresent()) {
                for (Node d : n.list(platform.get(), "platform").items()) {
                    devices.platform(d);
                }
            }
            List<String> drivers = drivers(root);
            faux(root, drivers);
            Map<String, byte[]> firmware = firmware(root);
            Optional<Path> init = Optional.empty();
            Optional<Node> initNode = n.optional(root, "init");
            if (initNode.isPresent()) {
                init = Optional.of(existingFile(initNode.get(), "init script"));
            }

            List<PciSlot> pciSlots = List.copyOf(devices.pciSlots);
            List<PlatformSlot> platformSlots = List.copyOf(devices.platformSlots);
            long ramBytes = ram;
            Consumer<Machine.Builder> configure = b -> {
                b.ramBytes(ramBytes);
                pciSlots.forEach(b::pci);
                platformSlots.forEach(b::platform);
                firmware.forEach(b::firmwareFile);
                for (String drv : drivers) {
                    b.module(registry.driver(drv).orElseThrow());
                }
            };
            Optional<Path> source = file.getFileSystem() == FileSystems.getDefault()
                    ? Optional.of(file) : Optional.empty();
            return new Image(name, description, source, mode, seed, drivers, init, configure);
        }

        private List<String> drivers(MapNode root) throws ImageException {
            List<String> drivers = new ArrayList<>();
            Optional<Node> node = n.optional(root, "drivers");
            if (node.isEmpty()) {
                return drivers;
            }
            for (Node d : n.list(node.get(), "drivers").items()) {
                String name = n.string(d, "driver name");
                if (registry.driver(name).isEmpty()) {
                    throw n.error(d, "unknown driver '" + name + "' (known: " + String.join(", ", registry.driverNames()) + ")");
                }
                if (drivers.contains(name)) {
                    throw n.error(d, "driver '" + name + "' listed twice");
                }
                drivers.add(name);
            }
            return drivers;
        }

        /// Software devices: each must be created by a listed driver, and each listed driver that
        /// creates one must have it listed, so the file names every device the machine has.
        private void faux(MapNode root, List<String> drivers) throws ImageException {
            List<String> faux = new ArrayList<>();
            Optional<Node> node = n.optional(root, "faux");
            if (node.isPresent()) {
                for (Node d : n.list(node.get(), "faux").items()) {
                    String name = n.string(d, "faux device");
                    String drv = registry.softwareDeviceDriver(name).orElseThrow(() -> n.error(d, "unknown faux device '"
                            + name + "' (known: " + String.join(", ", registry.softwareDeviceNames()) + ")"));
                    if (faux.contains(name)) {
                        throw n.error(d, "faux device '" + name + "' listed twice");
                    }
                    if (!drivers.contains(drv)) {
                        throw n.error(d, "faux device '" + name + "' is created by driver '" + drv
                                + "', which is not in drivers");
                    }
                    faux.add(name);
                }
            }
            Optional<Node> driversNode = n.optional(root, "drivers");
            if (driversNode.isPresent()) {
                for (Node d : n.list(driversNode.get(), "drivers").items()) {
                    Optional<String> creates = registry.softwareDeviceOf(n.string(d, "driver name"));
                    if (creates.isPresent() && !faux.contains(creates.get())) {
                        throw n.error(d, "driver '" + n.string(d, "driver name") + "' creates faux device '"
                                + creates.get() + "': list it under faux");
                    }
                }
            }
        }

        private Map<String, byte[]> firmware(MapNode root) throws ImageException {
            Map<String, byte[]> files = new LinkedHashMap<>();
            Optional<Node> node = n.optional(root, "firmware");
            if (node.isEmpty()) {
                return files;
            }
            if (!(node.get() instanceof MapNode m)) {
                throw n.error(node.get(), "firmware must be a map (firmware name: file), found " + node.get().kind());
            }
            for (Entry e : m.entries().values()) {
                if (e.key().isEmpty() || e.key().startsWith("/")) {
                    throw n.error(e.keyPos(), "firmware name '" + e.key() + "' must be a relative name like vendor/file.bin");
                }
                Path p = existingFile(e.value(), "firmware file");
                try {
                    files.put(e.key(), Files.readAllBytes(p));
                } catch (IOException ex) {
                    throw n.error(e.value(), "cannot read firmware file " + p + ": " + ex.getMessage());
                }
            }
            return files;
        }

        private Path existingFile(Node node, String what) throws ImageException {
            String rel = n.string(node, what);
            Path p = dir.resolve(rel).normalize();
            if (!Files.isRegularFile(p)) {
                throw n.error(node, what + " '" + rel + "' not found (looked for " + p + ")");
            }
            return p;
        }
    }
}
