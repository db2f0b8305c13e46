package dev.gpuemu.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.images.BuiltinImages;
import dev.gpuemu.kernel.drm.DrmCore;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// How the injector sees nova: the PCI device bound to nova-core is the target, its render node is
/// found through the auxiliary child, a failing nova-drm probe leaves nova-core bound with the
/// child unbound, and [Target#bindAll] brings the DRM device back by binding the child.
class NovaTargetTest {
    private Machine machine;

    private Machine boot(String image) throws Exception {
        machine = BuiltinImages.find(image).orElseThrow().builder().seed(1).build();
        machine.boot();
        return machine;
    }

    @AfterEach
    void shutDown() {
        if (machine != null) {
            machine.close();
        }
    }

    @Test
    void shouldTargetTheNovaCorePciDeviceAndFindTheRenderNodeThroughItsChild() throws Exception {
        var k = boot("ga102-pc").kernel();
        List<Target> all = Target.all(k);
        assertEquals(1, all.size(), all.toString());
        Target t = all.getFirst();
        assertEquals(Target.Kind.NOVA, t.kind);
        assertEquals("pci", t.bus);
        assertEquals("NovaCore", t.driver);
        assertEquals(InjectNovaTest.GPU, t.device);
        assertTrue(t.supportsRemove());
        assertTrue(t.isReady());
        String child = t.drmDevice().orElseThrow().name();
        assertTrue(child.startsWith("NovaCore.nova-drm."), child);
        assertTrue(t.loadNode().orElseThrow().startsWith("/dev/dri/renderD"), t.loadNode().toString());
        assertEquals(InjectNovaTest.GPU, Target.find(k, child).orElseThrow().device, "the child names its parent");
    }

    @Test
    void shouldDefaultToTheMaliOnDualAndFindTheGa102ByName() throws Exception {
        var k = boot("dual").kernel();
        assertEquals(List.of("fb000000.gpu", InjectNovaTest.GPU), Target.all(k).stream().map(t -> t.device).toList());
        assertEquals(Target.Kind.NOVA, Target.find(k, InjectNovaTest.GPU).orElseThrow().kind);
    }

    @Test
    void shouldLeaveNovaCoreBoundAndRebindOnlyTheChildWhenNovaDrmsProbeFails() throws Exception {
        var k = boot("ga102-pc").kernel();
        Target t = Target.all(k).getFirst();
        assertEquals(0, t.unbind());
        assertFalse(t.isBound());
        assertTrue(t.drmDevice().isEmpty(), "the child went with nova-core");

        k.faults().arm(DrmCore.FAULT_PRIMARY_MINOR, 1, null);
        int rc = t.bind();
        k.faults().disarm(DrmCore.FAULT_PRIMARY_MINOR);
        assertEquals(0, rc, "nova-core's probe does not fail with its child's");
        assertTrue(t.isBound());
        assertFalse(t.isReady());
        assertFalse(t.drmDevice().orElseThrow().isBound(), "the child stays unbound");
        assertTrue(t.loadNode().isEmpty(), "no DRM node");
        assertTrue(t.registrationFailureSeen(rc));

        assertEquals(0, t.bindAll());
        assertTrue(t.isReady());
        assertFalse(t.registrationFailureSeen(0), "a clean bind is not a registration failure");
        Checker c = new Checker();
        k.clock().participating(() -> t.healthCheck(c, 5));
        assertEquals(0, c.violationCount(), c.violations().toString());
        assertEquals(0, k.oopses().count());
    }

    @Test
    void shouldCallAFailingNovaCoreBindOrABoundChildNoRegistrationFailure() throws Exception {
        var k = boot("ga102-pc").kernel();
        Target t = Target.all(k).getFirst();
        assertFalse(t.registrationFailureSeen(-19), "the parent's bind must not fail");
        assertFalse(t.registrationFailureSeen(0), "the child is bound: the registration did not fail");
    }
}
