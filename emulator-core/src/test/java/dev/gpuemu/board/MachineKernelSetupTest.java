package dev.gpuemu.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.kernel.Kernel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/// `Machine.Builder.kernelSetup`: configuration reaches the kernel before any module initialises
/// (the DRM guard strategy must precede vgem's `module_init`, which allocates its DRM device).
class MachineKernelSetupTest {
    @Test
    void shouldRunKernelSetupInOrderBeforeEveryModuleInit() {
        List<String> order = new ArrayList<>();
        List<Kernel> seen = new ArrayList<>();
        Machine m = Machine.builder()
                .module(k -> order.add("module"))
                .kernelSetup(k -> {
                    order.add("setup 1");
                    seen.add(k);
                })
                .kernelSetup(k -> order.add("setup 2"))
                .build();
        try {
            assertEquals(List.of("setup 1", "setup 2", "module"), order);
            assertSame(m.kernel(), seen.getFirst());
        } finally {
            m.close();
        }
    }

    @Test
    void shouldRefuseANullSetup() {
        assertThrows(NullPointerException.class, () -> Machine.builder().kernelSetup(null));
    }
}
