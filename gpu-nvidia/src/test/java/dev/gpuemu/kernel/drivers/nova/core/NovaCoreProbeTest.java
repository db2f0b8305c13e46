package dev.gpuemu.kernel.drivers.nova.core;

import static org.junit.jupiter.api.Assertions.*;

import dev.gpuemu.hw.nvidia.NvConfig;
import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.FalconFwFormat;
import dev.gpuemu.regs.nvidia.NvRegs;
import java.util.List;
import org.junit.jupiter.api.Test;

class NovaCoreProbeTest {
    @Test
    void shouldLogTheChipAndCreateTheAuxiliaryDevice() throws Exception {
        try (NovaRig rig = NovaRig.boot()) {
            assertTrue(rig.has("NovaCore 0000:01:00.0: NVIDIA (Chipset: GA102, Architecture: Ampere, Revision: a.1)"),
                    rig.log.toString());
            NovaAuxData aux = rig.aux();
            assertSame(aux, rig.childData.get());
            assertEquals(Chipset.GA102, aux.chipset());
            assertEquals(256L << 20, aux.bar1Length());
            assertEquals(256L << 20, aux.vramSize());
            assertEquals(254L << 20, aux.usableVramSize());
            assertTrue(rig.order.get(0).startsWith("child probe NovaCore.nova-drm."), rig.order.toString());
            assertEquals(0, rig.oopses());
        }
    }

    @Test
    void shouldRegisterTheSysmemFlushPageAndUnregisterItAtUnbind() throws Exception {
        try (NovaRig rig = NovaRig.boot()) {
            long page = rig.data().sysmemFlushAddress();
            assertEquals(page, rig.gpu.state().sysmemFlushAddr());
            assertEquals(0, rig.unbind());
            assertEquals(0, rig.gpu.state().sysmemFlushAddr());
            assertFalse(rig.has("not active"));
            assertEquals(0, rig.oopses());
        }
    }

    @Test
    void shouldWarnWhenTheFlushRegisterNoLongerHoldsOurPage() throws Exception {
        try (NovaRig rig = NovaRig.boot()) {
            rig.data().bar0().write32(0x100C10, 0x1234);
            rig.unbind();
            assertTrue(rig.has("NovaCore 0000:01:00.0: attempt to unregister a sysmem flush page that is not active"),
                    rig.log.toString());
            assertEquals(0, rig.oopses());
        }
    }

    @Test
    void shouldBootBothFalcons() throws Exception {
        try (NovaRig rig = NovaRig.boot()) {
            rig.data();
            var st = rig.gpu.state();
            assertTrue(st.gsp().toString().length() > 0);
            int scratch = rig.data().bar0().read32(0x1400 + 4 * FalconFwFormat.DONE_SCRATCH_INDEX);
            assertEquals(FalconFwFormat.DONE_SEC2 | FalconFwFormat.DONE_GSP, scratch);
        }
    }

    @Test
    void shouldFailProbeWithoutFirmware() throws Exception {
        try (NovaRig rig = new NovaRig(NvConfig.defaults(), false)) {
            assertNull(rig.data.get());
            assertTrue(rig.has("NVIDIA (Chipset: GA102"));
            assertEquals(0, rig.gpu.state().sysmemFlushAddr(), "flush page unregistered on probe failure");
            assertEquals(0, rig.oopses());
        }
    }

    @Test
    void shouldTimeOutWhenGfwBootNeverCompletes() throws Exception {
        try (NovaRig rig = new NovaRig(NvConfig.defaults().withGfwBootDelayNs(60_000_000_000L), true)) {
            assertNull(rig.data.get());
            assertTrue(rig.has("NovaCore 0000:01:00.0: GFW boot did not complete"), rig.log.toString());
            assertEquals(0, rig.gpu.state().sysmemFlushAddr());
        }
    }

    @Test
    void shouldProbeTuringWithTheLoOnlyFlushHal() throws Exception {
        try (NovaRig rig = new NovaRig(NvConfig.defaults().withChipset(Chipset.TU102), true)) {
            assertTrue(rig.has("NVIDIA (Chipset: TU102, Architecture: Turing, Revision: a.1)"), rig.log.toString());
            assertEquals(rig.data().sysmemFlushAddress(), rig.gpu.state().sysmemFlushAddr());
        }
    }

    @Test
    void shouldUnbindTheChildBeforeTheDataDropsAndTheDataBeforeDevres() throws Exception {
        try (NovaRig rig = NovaRig.boot()) {
            NovaAuxData aux = rig.aux();
            assertEquals(0, rig.unbind());
            List<String> order = rig.order.subList(1, rig.order.size());
            assertEquals(List.of("child unbind alive=true", "data dropped", "devres"), order);
            assertFalse(aux.isAlive());
            assertThrows(dev.gpuemu.kernel.UseAfterUnbindException.class, aux::vramSize);
            assertEquals(1, rig.oopses());
        }
    }

    @Test
    void shouldRebindAfterUnbindAndAfterPciRemoveRescan() throws Exception {
        try (NovaRig rig = NovaRig.boot()) {
            NovaCoreData first = rig.data();
            assertEquals(0, rig.unbind());
            assertTrue(rig.bind() >= 0, rig.log.toString());
            assertNotSame(first, rig.data());
            assertTrue(rig.aux().isAlive());
            rig.machine.kernel().pciBus().remove(NovaRig.DEV);
            assertFalse(rig.aux().isAlive());
            NovaCoreData before = rig.data();
            rig.machine.kernel().pciBus().rescan();
            assertNotSame(before, rig.data());
            assertTrue(rig.aux().isAlive());
            assertEquals(rig.data().sysmemFlushAddress(), rig.gpu.state().sysmemFlushAddr());
            assertEquals(0, rig.oopses());
        }
    }
}
