package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.platform.PlatformDevice;
import dev.gpuemu.kernel.bus.platform.PlatformDriver;
import dev.gpuemu.kernel.clk.Clk;
import dev.gpuemu.kernel.clk.Regulator;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Devres;
import dev.gpuemu.kernel.drivers.tyr.fw.TyrFw;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrMmu;
import dev.gpuemu.kernel.drivers.tyr.sched.TyrScheduler;
import dev.gpuemu.kernel.drm.Registration;
import dev.gpuemu.kernel.drm.UnregisteredDevice;
import dev.gpuemu.kernel.io.Dma;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/// The Tyr platform driver (drivers/gpu/drm/tyr/driver.rs) for `rockchip,rk3588-mali` and
/// `arm,mali-valhall-csf`.
///
/// Probe, in Tyr's order with panthor's additions:
/// 1. clocks `core` (required), `stacks`, `coregroup` (optional), prepared and enabled;
/// 2. regulators `mali`, `sram`, enabled;
/// 3. MMIO resource 0 mapped (2 MiB);
/// 4. soft reset ([TyrGpu#softReset]); 5. L2 power-on ([TyrGpu#l2PowerOn]);
/// 6. [GpuInfo] read and logged; DMA mask from the MMU's PA bits;
/// 7. interrupts `job`, `mmu`, `gpu` ([TyrIrq]);
/// 8. firmware loaded into the MCU VM and the MCU booted ([TyrFw]); the CSF scheduler started
///    ([TyrScheduler]);
/// 9. the DRM device `panthor` 1.5.0 registered, its registration devres-owned, with
///    [TyrRegistration] as registration data; `Tyr initialized correctly.`
///
/// A failure unwinds what was done (clocks disabled, MCU stopped); devres frees the rest.
///
/// ## Thread safety
/// Stateless.
public final class TyrDriver implements PlatformDriver<TyrData> {
    private static final TyrDrm DRM = new TyrDrm();
    private static final long JOB_IRQ_BASE = MaliReg.JOB_IRQ_RAWSTAT.offset();
    private static final long MMU_IRQ_BASE = MaliReg.MMU_IRQ_RAWSTAT.offset();
    private static final long GPU_IRQ_BASE = MaliReg.GPU_IRQ_RAWSTAT.offset();

    @Override
    public String name() {
        return "tyr";
    }

    @Override
    public List<String> ofMatchTable() {
        return List.of(MaliRegs.COMPATIBLE_RK3588, MaliRegs.COMPATIBLE_VALHALL_CSF);
    }

    @Override
    public TyrData probe(PlatformDevice<Core> pdev) throws KernelException {
        PlatformDevice<Bound> dev = pdev.bound();
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            List<Clk> clocks = List.of(Clk.get(dev, "core"), Clk.getOptional(dev, "stacks"),
                    Clk.getOptional(dev, "coregroup"));
            for (Clk c : clocks) {
                c.prepareEnable();
                undo.push(c::disableUnprepare);
            }
            List<Regulator> regulators = List.of(Regulator.get(dev, "mali"), Regulator.get(dev, "sram"));
            for (Regulator r : regulators) {
                r.enable();
                undo.push(r::disable);
            }
            if (dev.resourceSize(0) < MaliRegs.MMIO_SIZE) {
                dev.err("MMIO resource smaller than 2 MiB");
                throw new KernelException(Errno.EINVAL, "MMIO resource too small");
            }
            IoMem io = dev.ioremapResource(0, "tyr/mmio");
            TyrGpu gpu = new TyrGpu(dev, io);
            gpu.softReset();
            gpu.l2PowerOn();
            GpuInfo info = GpuInfo.read(io);
            info.log(dev);
            Dma.setMask(dev, info.paBits());

            TyrMmu mmu = new TyrMmu(dev, io, info.asPresent(), info.vaBits());
            AtomicReference<TyrFw> fwRef = new AtomicReference<>();
            TyrIrq job = TyrIrq.request(dev, dev.irqByName(MaliRegs.IRQ_JOB), MaliRegs.IRQ_JOB, io, JOB_IRQ_BASE, 0,
                    bits -> {
                        TyrFw fw = fwRef.get();
                        if (fw != null) {
                            fw.handleJobIrq(bits);
                        }
                    });
            int mmuMask = (1 << mmu.slotCount()) - 1;
            TyrIrq mmuIrq = TyrIrq.request(dev, dev.irqByName(MaliRegs.IRQ_MMU), MaliRegs.IRQ_MMU, io, MMU_IRQ_BASE,
                    mmuMask | mmuMask << 16, mmu::handleIrq);
            TyrIrq gpuIrq = TyrIrq.request(dev, dev.irqByName(MaliRegs.IRQ_GPU), MaliRegs.IRQ_GPU, io, GPU_IRQ_BASE,
                    TyrGpu.IRQ_MASK, gpu::handleIrq);

            TyrFw fw = TyrFw.load(dev, io, mmu, info.archMajor(), info.archMinor());
            fwRef.set(fw);
            undo.push(fw::stop);
            fw.boot(job);
            TyrScheduler sched = TyrScheduler.start(dev, fw, mmu);
            undo.push(sched::stop);

            TyrRegistration regData = new TyrRegistration(io, info, gpu, mmu, fw, sched, job,
                    List.of(job, mmuIrq, gpuIrq));
            var unregistered = UnregisteredDevice.create(dev, DRM, new TyrDrm.Data(info));
            var normal = unregistered.device();
            undo.clear(); // from here the registration data owns the MCU; TyrData owns clocks
            Registration<TyrDrm.Data, TyrRegistration> reg;
            try {
                reg = unregistered.register(regData); // closes regData itself on failure
            } catch (KernelException | RuntimeException e) {
                disableAll(clocks, regulators);
                throw e;
            }
            // Devres-owned registration (Registration::new_foreign_owned); TyrData releases the
            // action first when it drops, so unplug precedes the clock disable.
            Devres.Action action = Devres.add(dev, "drm registration panthor", reg::close);
            dev.info("Tyr initialized correctly.");
            return new TyrData(clocks, regulators, action, regData,
                    new TyrDrm.Handle(normal, reg.primaryNode(), reg.renderNode()));
        } catch (KernelException | RuntimeException e) {
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
            throw e;
        }
    }

    private static void disableAll(List<Clk> clocks, List<Regulator> regulators) {
        clocks.forEach(Clk::disableUnprepare);
        regulators.forEach(Regulator::disable);
    }

    @Override
    public void unbind(PlatformDevice<Core> pdev, TyrData data) {
        pdev.dbg("unbinding");
    }
}
