package dev.gpuemu.images;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.board.PlatformSlot;
import dev.gpuemu.images.YamlTree.Entry;
import dev.gpuemu.images.YamlTree.MapNode;
import dev.gpuemu.images.YamlTree.Node;
import dev.gpuemu.images.YamlTree.Pos;
import dev.gpuemu.kernel.bus.pci.PciBus;
import dev.gpuemu.machine.FirmwareNode;
import dev.gpuemu.machine.pci.Bdf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/// The `pci:` and `platform:` sections of an image file: each device checked against its model
/// and against the devices before it (slots, node names, MMIO ranges).
final class Devices {
    static final List<String> PCI_KEYS = List.of("slot", "model", "vendor", "device", "bars", "params");
    static final List<String> PLATFORM_KEYS = List.of("name", "model", "compatible", "reg", "interrupts",
            "interrupt-names", "clocks", "supplies", "params");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    /// An address range something already occupies.
    private record Range(long base, long end, String owner) {
        boolean overlaps(long b, long e) {
            return b < end && base < e;
        }
    }

    private final Nodes n;
    private final DeviceRegistry registry;
    private final List<Range> ranges = new ArrayList<>();
    private final Map<Bdf, Integer> slotLines = new HashMap<>();
    private final Map<String, Integer> nodeLines = new HashMap<>();
    final List<PciSlot> pciSlots = new ArrayList<>();
    final List<PlatformSlot> platformSlots = new ArrayList<>();

    Devices(Nodes n, DeviceRegistry registry, long ramBytes) {
        this.n = n;
        this.registry = registry;
        ranges.add(new Range(Machine.RAM_BASE, Machine.RAM_BASE + ramBytes, "system RAM"));
        ranges.add(new Range(PciBus.MEM32_BASE, PciBus.MEM32_BASE + PciBus.MEM32_SIZE, "the PCI 32-bit memory window"));
        ranges.add(new Range(PciBus.MEM64_BASE, PciBus.MEM64_BASE + PciBus.MEM64_SIZE, "the PCI 64-bit memory window"));
    }

    void pci(Node node) throws ImageException {
        MapNode m = n.map(node, "a pci device", PCI_KEYS);
        Node slotNode = n.required(m, "slot", "a pci device");
        String slotText = n.string(slotNode, "slot");
        Bdf bdf;
        try {
            bdf = Bdf.parse(slotText);
        } catch (IllegalArgumentException e) {
            throw n.error(slotNode, "bad PCI slot '" + slotText + "': " + e.getMessage() + " (write BB:DD.F, e.g. 00:04.0)");
        }
        Integer first = slotLines.putIfAbsent(bdf, slotNode.pos().line());
        if (first != null) {
            throw n.error(slotNode, "PCI slot " + bdf + " is already used (line " + first + ")");
        }
        Node modelNode = n.required(m, "model", "a pci device");
        String modelName = n.string(modelNode, "model");
        PciModel model = registry.pciModel(modelName).orElseThrow(() -> n.error(modelNode, "unknown PCI model '"
                + modelName + "' (known: " + String.join(", ", registry.pciModelNames()) + ")"));
        Optional<Node> vendor = n.optional(m, "vendor");
        if (vendor.isPresent() && n.number(vendor.get(), "vendor") != model.vendorId()) {
            throw n.error(vendor.get(), String.format("vendor 0x%04x does not match model %s (0x%04x)",
                    n.number(vendor.get(), "vendor"), modelName, model.vendorId()));
        }
        Optional<Node> device = n.optional(m, "device");
        if (device.isPresent() && n.number(device.get(), "device") != model.deviceId()) {
            throw n.error(device.get(), String.format("device 0x%04x does not match model %s (0x%04x)",
                    n.number(device.get(), "device"), modelName, model.deviceId()));
        }
        Optional<Node> bars = n.optional(m, "bars");
        if (bars.isPresent()) {
            if (!(bars.get() instanceof MapNode bm)) {
                throw n.error(bars.get(), "bars must be a map (BAR index: size), found " + bars.get().kind());
            }
            for (Entry e : bm.entries().values()) {
                int index;
                try {
                    index = Math.toIntExact(Nodes.parseNumber(e.key()));
                } catch (NumberFormatException | ArithmeticException ex) {
                    throw n.error(e.keyPos(), "bad BAR index '" + e.key() + "' (0..5)");
                }
                Long size = model.barSizes().get(index);
                if (size == null) {
                    throw n.error(e.keyPos(), "model " + modelName + " has no BAR " + index + " (BARs: "
                            + model.barSizes().keySet() + ")");
                }
                long want = n.size(e.value(), "BAR " + index + " size");
                if (want != size) {
                    throw n.error(e.value(), String.format("BAR %d size 0x%x does not match model %s (0x%x)", index, want,
                            modelName, size));
                }
            }
        }
        DeviceParams params = params(m, model.params(), "model " + modelName);
        String name = bdf.toString();
        pciSlots.add(new PciSlot(bdf, hw -> model.factory().create(hw, name, params)));
    }

    void platform(Node node) throws ImageException {
        MapNode m = n.map(node, "a platform device", PLATFORM_KEYS);
        Node nameNode = n.required(m, "name", "a platform device");
        String name = n.string(nameNode, "name");
        Integer first = nodeLines.putIfAbsent(name, nameNode.pos().line());
        if (first != null) {
            throw n.error(nameNode, "platform device '" + name + "' is already defined (line " + first + ")");
        }
        Node modelNode = n.required(m, "model", "a platform device");
        String modelName = n.string(modelNode, "model");
        PlatformModel model = registry.platformModel(modelName).orElseThrow(() -> n.error(modelNode,
                "unknown platform model '" + modelName + "' (known: "
                        + (registry.platformModelNames().isEmpty() ? "none yet" : String.join(", ", registry.platformModelNames()))
                        + ")"));
        List<String> compatible = new ArrayList<>();
        Node compatNode = n.required(m, "compatible", "a platform device");
        for (Node c : n.list(compatNode, "compatible").items()) {
            compatible.add(n.string(c, "compatible string"));
        }
        if (compatible.isEmpty()) {
            throw n.error(compatNode, "compatible needs at least one string");
        }
        Node regNode = n.required(m, "reg", "a platform device");
        List<Node> regItems = n.list(regNode, "reg").items();
        if (regItems.size() != model.regSizes().size()) {
            throw n.error(regNode, "model " + modelName + " has " + model.regSizes().size() + " MMIO range(s), reg lists "
                    + regItems.size());
        }
        List<FirmwareNode.Reg> regs = new ArrayList<>();
        for (int i = 0; i < regItems.size(); i++) {
            MapNode r = n.map(regItems.get(i), "a reg entry", List.of("base", "size"));
            Node baseNode = n.required(r, "base", "a reg entry");
            long base = n.number(baseNode, "reg base");
            Node sizeNode = n.required(r, "size", "a reg entry");
            long size = n.size(sizeNode, "reg size");
            if (size != model.regSizes().get(i)) {
                throw n.error(sizeNode, String.format("reg %d size 0x%x does not match model %s (0x%x)", i, size, modelName,
                        model.regSizes().get(i)));
            }
            if (base < 0 || base > Long.MAX_VALUE - size) {
                throw n.error(baseNode, String.format("reg base 0x%x is outside the physical address space", base));
            }
            claim(baseNode.pos(), base, size, name + " reg " + i);
            regs.add(new FirmwareNode.Reg(base, size));
        }
        List<Integer> irqs = new ArrayList<>();
        Optional<Node> irqNode = n.optional(m, "interrupts");
        if (irqNode.isPresent()) {
            for (Node i : n.list(irqNode.get(), "interrupts").items()) {
                int irq = n.smallNumber(i, "interrupt", Machine.IRQ_LINES - 1);
                if (irq >= Machine.PCI_INTX_BASE && irq < Machine.PCI_INTX_BASE + 4) {
                    throw n.error(i, "interrupt " + irq + " is a PCI INTx line (" + Machine.PCI_INTX_BASE + ".."
                            + (Machine.PCI_INTX_BASE + 3) + ")");
                }
                irqs.add(irq);
            }
        }
        if (irqs.size() != model.irqs()) {
            throw n.error(irqNode.map(Node::pos).orElse(m.pos()), "model " + modelName + " has " + model.irqs()
                    + " interrupt(s), interrupts lists " + irqs.size());
        }
        List<String> irqNames = new ArrayList<>();
        Optional<Node> namesNode = n.optional(m, "interrupt-names");
        if (namesNode.isPresent()) {
            for (Node i : n.list(namesNode.get(), "interrupt-names").items()) {
                irqNames.add(n.string(i, "interrupt name"));
            }
            if (irqNames.size() != irqs.size()) {
                throw n.error(namesNode.get(), "interrupt-names lists " + irqNames.size() + " name(s) for " + irqs.size()
                        + " interrupt(s)");
            }
        }
        List<FirmwareNode.Clock> clocks = clocks(m);
        List<String> supplies = supplies(m);
        DeviceParams params = params(m, model.params(), "model " + modelName);
        FirmwareNode fw = new FirmwareNode(name, compatible, regs, irqs, irqNames, clocks, supplies);
        platformSlots.add(new PlatformSlot(fw, hw -> model.factory().create(hw, name, params)));
    }

    /// `clocks:` a map clock name -> fixed rate (`clocks` + `clock-names` + the board's rates).
    private List<FirmwareNode.Clock> clocks(MapNode device) throws ImageException {
        List<FirmwareNode.Clock> clocks = new ArrayList<>();
        Optional<Node> node = n.optional(device, "clocks");
        if (node.isEmpty()) {
            return clocks;
        }
        if (!(node.get() instanceof MapNode cm)) {
            throw n.error(node.get(), "clocks must be a map (clock name: rate), found " + node.get().kind());
        }
        for (Entry e : cm.entries().values()) {
            if (!NAME.matcher(e.key()).matches()) {
                throw n.error(e.keyPos(), "bad clock name '" + e.key() + "' (letters, digits, '_', '-')");
            }
            clocks.add(new FirmwareNode.Clock(e.key(), n.frequency(e.value(), "clock " + e.key() + " rate")));
        }
        return clocks;
    }

    /// `supplies:` a list of regulator names (`mali-supply` -> `mali`), each once.
    private List<String> supplies(MapNode device) throws ImageException {
        List<String> supplies = new ArrayList<>();
        Optional<Node> node = n.optional(device, "supplies");
        if (node.isEmpty()) {
            return supplies;
        }
        for (Node s : n.list(node.get(), "supplies").items()) {
            String name = n.string(s, "supply name");
            if (!NAME.matcher(name).matches()) {
                throw n.error(s, "bad supply name '" + name + "' (letters, digits, '_', '-')");
            }
            if (supplies.contains(name)) {
                throw n.error(s, "supply '" + name + "' is listed twice");
            }
            supplies.add(name);
        }
        return supplies;
    }

    private void claim(Pos pos, long base, long size, String owner) throws ImageException {
        long end = base + size;
        for (Range r : ranges) {
            if (r.overlaps(base, end)) {
                throw n.error(pos, String.format("MMIO range 0x%x-0x%x of %s overlaps %s (0x%x-0x%x)", base, end - 1, owner,
                        r.owner(), r.base(), r.end() - 1));
            }
        }
        ranges.add(new Range(base, end, owner));
    }

    /// The device's `params:` checked against the model's declared parameters; defaults for the rest.
    private DeviceParams params(MapNode device, List<ModelParam> declared, String what) throws ImageException {
        Map<String, Object> values = new LinkedHashMap<>();
        declared.forEach(p -> values.put(p.name(), p.defaultValue()));
        Optional<Node> node = n.optional(device, "params");
        if (node.isEmpty()) {
            return new DeviceParams(values);
        }
        if (!(node.get() instanceof MapNode pm)) {
            throw n.error(node.get(), "params must be a map, found " + node.get().kind());
        }
        for (Entry e : pm.entries().values()) {
            ModelParam p = declared.stream().filter(d -> d.name().equals(e.key())).findFirst().orElseThrow(() -> n.error(
                    e.keyPos(), "unknown parameter '" + e.key() + "' for " + what + " (" + (declared.isEmpty() ? "it takes none"
                            : "known: " + String.join(", ", declared.stream().map(ModelParam::name).toList())) + ")"));
            String label = "parameter " + p.name();
            values.put(p.name(), switch (p.type()) {
                case INT -> n.number(e.value(), label);
                case SIZE -> n.size(e.value(), label);
                case BOOL -> n.bool(e.value(), label);
                case STRING -> n.string(e.value(), label);
            });
        }
        return new DeviceParams(values);
    }
}
