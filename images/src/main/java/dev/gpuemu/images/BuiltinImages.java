package dev.gpuemu.images;

import dev.gpuemu.board.PciSlot;
import dev.gpuemu.hw.edu.EduDevice;
import dev.gpuemu.kernel.drivers.edu.EduDriver;
import dev.gpuemu.machine.pci.Bdf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The images gpuemu ships. At this stage: `edu`, a PCI machine with the edu test device at
/// 0000:00:04.0 and its driver built in. GPU images arrive with the GPU issues.
public final class BuiltinImages {
    /// The image `gpuemu boot` uses when none is named.
    public static final String DEFAULT = "edu";

    private static final Map<String, Image> IMAGES = new LinkedHashMap<>();

    static {
        add(new Image("edu", "PCI machine with the edu test device (QEMU edu model) and its driver", b -> b
                .pci(new PciSlot(new Bdf(0, 4, 0), hw -> new EduDevice(hw, "0000:00:04.0")))
                .module(k -> k.pciBus().register(new EduDriver()))));
    }

    private BuiltinImages() {
    }

    private static void add(Image image) {
        IMAGES.put(image.name(), image);
    }

    /// The image with this name.
    public static Optional<Image> find(String name) {
        return Optional.ofNullable(IMAGES.get(name));
    }

    /// All image names, in listing order.
    public static List<String> names() {
        return List.copyOf(IMAGES.keySet());
    }
}
