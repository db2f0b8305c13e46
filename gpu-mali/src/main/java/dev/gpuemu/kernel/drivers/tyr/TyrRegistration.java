package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.drivers.tyr.fw.TyrFw;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrMmu;
import dev.gpuemu.kernel.drivers.tyr.sched.SchedRegistration;
import dev.gpuemu.kernel.drivers.tyr.sched.SyncobjTable;
import dev.gpuemu.kernel.drivers.tyr.sched.TyrScheduler;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.RegistrationData;
import dev.gpuemu.kernel.io.IoMem;
import java.util.List;

/// Tyr's registration data: everything bound to the device that ioctls use, valid only inside a
/// registration guard (the DRM core closes it after unplug, when no ioctl runs any more).
///
/// [#close] shuts the GPU down in panthor's unplug order: the scheduler stopped first
/// (`panthor_sched_unplug`: groups terminated, jobs in flight cancelled, their fences signalled
/// with `-ECANCELED`, waiters woken), interrupts suspended except the `job` one until the MCU
/// stopped, the MCU disabled, VMs and page tables freed, the L2 powered off.
/// The IRQ registrations and the MMIO mapping themselves are devres-owned and released after.
///
/// ## Thread safety
/// Fields are immutable references to thread-safe objects.
///
/// ## Lifecycle
/// created at the end of probe → closed once after unplug.
public final class TyrRegistration implements RegistrationData, SchedRegistration {
    private final IoMem io;
    private final GpuInfo info;
    private final TyrGpu gpu;
    private final TyrMmu mmu;
    private final TyrFw fw;
    private final TyrScheduler scheduler;
    private final List<TyrIrq> irqs;
    private final TyrIrq jobIrq;
    private boolean closed;

    TyrRegistration(IoMem io, GpuInfo info, TyrGpu gpu, TyrMmu mmu, TyrFw fw, TyrScheduler scheduler, TyrIrq jobIrq,
                    List<TyrIrq> irqs) {
        this.io = io;
        this.info = info;
        this.gpu = gpu;
        this.mmu = mmu;
        this.fw = fw;
        this.scheduler = scheduler;
        this.jobIrq = jobIrq;
        this.irqs = List.copyOf(irqs);
    }

    public IoMem io() {
        return io;
    }

    @Override
    public GpuInfo gpuInfo() {
        return info;
    }

    public TyrGpu gpu() {
        return gpu;
    }

    public TyrMmu mmu() {
        return mmu;
    }

    public TyrFw fw() {
        return fw;
    }

    @Override
    public TyrScheduler scheduler() {
        return scheduler;
    }

    /// The file's syncobj handles (`drm_syncobj_find`).
    @Override
    public SyncobjTable syncobjs(DrmFile<?> file) {
        return file::syncobjFind;
    }

    public List<TyrIrq> irqs() {
        return irqs;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            throw new IllegalStateException("tyr registration data already closed");
        }
        closed = true;
        scheduler.stop(); // first: nothing may be in flight when the MCU stops
        for (TyrIrq irq : irqs) {
            if (irq != jobIrq) {
                irq.suspend();
            }
        }
        fw.stop();
        jobIrq.suspend();
        mmu.close();
        if (io.isMapped()) {
            gpu.l2PowerOff();
        }
    }
}
