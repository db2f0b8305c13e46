package dev.gpuemu.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.driver.BusType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// The image files gpuemu ships parse with the built-in registry and boot clean.
class ShippedImagesTest {
    private static List<String> bound(Machine m) {
        List<String> out = new ArrayList<>();
        for (BusType<?> bus : m.kernel().driverCore().buses()) {
            for (BusDevice d : bus.devices()) {
                out.add(bus.name() + ":" + d.name() + " -> " + d.driverName().orElse("(unbound)"));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"edu", "vgem"})
    void shouldLoadAndBootCleanWithEveryDeviceBound(String name) throws KernelException {
        Image img = BuiltinImages.find(name).orElseThrow();
        assertEquals(name, img.name());
        assertTrue(img.drivers().contains("edu"), img.drivers().toString());
        Machine m = img.builder().build();
        m.boot();
        List<String> devices = bound(m);
        m.close();
        assertTrue(devices.stream().noneMatch(d -> d.endsWith("(unbound)")), devices.toString());
        assertTrue(m.report().clean(), m.report().toString());
    }

    @Test
    void shouldListShippedImagesWithDescriptions() {
        assertEquals(List.of("edu", "vgem", "rk3588", "ga102-pc", "dual"), BuiltinImages.names());
        assertEquals("dual", BuiltinImages.DEFAULT);
        assertTrue(BuiltinImages.find("vgem").orElseThrow().description().startsWith("vgem"));
        assertTrue(BuiltinImages.find("nosuch").isEmpty());
    }

    @Test
    void shouldGiveVgemImageBothDriversBoundAndTheDrmNodes() throws KernelException {
        Machine m = BuiltinImages.find("vgem").orElseThrow().builder().build();
        m.boot();
        List<String> devices = bound(m);
        List<String> nodes = m.kernel().devfs().list("/dev/dri");
        m.close();
        assertTrue(devices.contains("pci:0000:00:04.0 -> edu"), devices.toString());
        assertTrue(devices.contains("faux:vgem -> faux_driver"), devices.toString());
        assertEquals(List.of("/dev/dri/card0", "/dev/dri/renderD128"), nodes);
        assertTrue(m.report().clean(), m.report().toString());
    }

    @Test
    void shouldApplyImageDefaultsAndLetCallerOverride() throws KernelException {
        Image img = BuiltinImages.find("edu").orElseThrow();
        Machine m = img.builder().seed(99).build();
        assertEquals(99, m.seed());
        m.close();
        Machine d = img.builder().build();
        assertEquals(img.seed(), d.seed());
        d.close();
    }
}
