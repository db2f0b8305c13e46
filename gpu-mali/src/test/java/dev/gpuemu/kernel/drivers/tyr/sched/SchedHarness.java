package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PlatformSlot;
import dev.gpuemu.hw.mali.MaliConfig;
import dev.gpuemu.hw.mali.MaliG610;
import dev.gpuemu.hw.mali.csf.CsfPorts;
import dev.gpuemu.hw.mali.csf.MaliCsf;
import dev.gpuemu.hw.mali.mmu.MaliMmu;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.platform.PlatformDevice;
import dev.gpuemu.kernel.bus.platform.PlatformDriver;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.drivers.tyr.GpuInfo;
import dev.gpuemu.kernel.drivers.tyr.TyrData;
import dev.gpuemu.kernel.drivers.tyr.TyrDriver;
import dev.gpuemu.kernel.drivers.tyr.TyrRegistration;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.syncobj.Syncobj;
import dev.gpuemu.kernel.io.DmaCoherent;
import dev.gpuemu.machine.FirmwareNode;
import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsOpcode;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliFwFormat;
import dev.gpuemu.regs.mali.MaliRegs;
import dev.gpuemu.tools.malifw.MaliFirmwareImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/// A machine with the real G610 (MMU + CSF plug-in wired here the way the device registry will)
/// booted by the tyr driver, a scheduler started on it, one user VM with a 64 KiB user buffer at
/// [#USER_VA], and test-side stand-ins for the hooks `TyrFile`/`TyrRegistration` will provide.
final class SchedHarness implements AutoCloseable, SchedRegistration {
    static final String DEV = "fb000000.gpu";
    static final FirmwareNode NODE = new FirmwareNode(DEV, List.of(MaliRegs.COMPATIBLE_RK3588),
            List.of(new FirmwareNode.Reg(0xFB00_0000L, MaliRegs.MMIO_SIZE)), List.of(40, 41, 42),
            List.of("job", "mmu", "gpu"), List.of(new FirmwareNode.Clock("core", 200_000_000L)), List.of("mali", "sram"));
    static final long USER_VA = 0x0010_0000L;
    static final long USER_BYTES = 64 << 10;
    static final long KERNEL_VA = 1L << 32;
    static final int VM_ID = 1;

    final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Machine machine;
    final TyrData data;
    final PlatformDevice<Bound> dev;
    final TyrScheduler sched;
    final TyrVm vm;
    final DmaCoherent user;
    final Map<Integer, Syncobj> syncobjs = new HashMap<>();
    final FileGroups groups;

    SchedHarness() throws KernelException {
        AtomicReference<TyrData> d = new AtomicReference<>();
        AtomicReference<PlatformDevice<Bound>> p = new AtomicReference<>();
        machine = Machine.builder().ramBytes(64 << 20)
                .platform(new PlatformSlot(NODE, hw -> new MaliG610(hw, DEV, MaliConfig.defaults(), MaliCsf.factory())))
                .module(k -> k.platformBus().register(new PlatformDriver<TyrData>() {
                    private final TyrDriver tyr = new TyrDriver();

                    @Override
                    public String name() {
                        return tyr.name();
                    }

                    @Override
                    public List<String> ofMatchTable() {
                        return tyr.ofMatchTable();
                    }

                    @Override
                    public TyrData probe(PlatformDevice<Core> pdev) throws KernelException {
                        TyrData t = tyr.probe(pdev);
                        d.set(t);
                        p.set(pdev.bound());
                        return t;
                    }
                }))
                .firmwareFile(MaliFwFormat.firmwareName(10, 8), MaliFirmwareImage.build(MaliFirmwareImage.Spec.defaults()))
                .build();
        machine.kernel().log().addListener(e -> log.add(e.level() + " " + e.message()));
        machine.boot();
        data = d.get();
        if (data == null) {
            throw new IllegalStateException("tyr did not probe: " + log);
        }
        dev = p.get();
        TyrRegistration reg = data.registrationData();
        sched = reg.scheduler(); // started by probe
        vm = reg.mmu().createVm("user", false, 0, 1L << reg.gpuInfo().vaBits());
        user = DmaCoherent.alloc(dev, USER_BYTES, "test user buffer");
        long[] pages = new long[(int) (USER_BYTES / 4096)];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = user.dmaAddress() + 4096L * i;
        }
        vm.map(USER_VA, pages, 0);
        GroupVm gvm = new GroupVm(vm, KERNEL_VA, 2 * KERNEL_VA);
        groups = new FileGroups(id -> id == VM_ID ? gvm : null);
    }

    GroupVm groupVm() {
        return groups.vms().find(VM_ID);
    }

    // ---- SchedRegistration -------------------------------------------------------------------

    @Override
    public GpuInfo gpuInfo() {
        return data.registrationData().gpuInfo();
    }

    @Override
    public TyrScheduler scheduler() {
        return sched;
    }

    @Override
    public SyncobjTable syncobjs(DrmFile<?> file) {
        return syncobjs::get;
    }

    // ---- streams -------------------------------------------------------------------------------

    static long move48(int d, long imm) {
        return (long) CsOpcode.MOVE48.code() << 56 | (long) d << 48 | (imm & 0xFFFF_FFFF_FFFFL);
    }

    static long move32(int r, int imm) {
        return (long) CsOpcode.MOVE32.code() << 56 | (long) r << 48 | (imm & 0xFFFF_FFFFL);
    }

    /// `STORE_MULTIPLE` of register `r` to `d[addr]`.
    static long store(int r, int addr) {
        return (long) CsOpcode.STORE_MULTIPLE.code() << 56 | (long) r << 48 | (long) addr << 40 | 1L << 16;
    }

    /// A stream at user offset `off` (64-byte aligned) that stores `value` at user offset
    /// `target`; returns its GPU VA.
    long storeStream(long off, long target, int value) {
        return stream(off, move48(10, USER_VA + target), move32(20, value), store(20, 10));
    }

    /// Writes `instrs` at user offset `off`; returns the GPU VA.
    long stream(long off, long... instrs) {
        for (int i = 0; i < instrs.length; i++) {
            user.write64(off + 8L * i, instrs[i]);
        }
        return USER_VA + off;
    }

    /// An instruction the model does not run: `CS_FATAL` with `CS_INSTR_INVALID`.
    static long invalid() {
        return (long) CsOpcode.RUN_TILING.code() << 56;
    }

    static int instrBytes(int n) {
        return n * CsInstr.INSTR_BYTES;
    }

    boolean logged(String s) {
        return log.stream().anyMatch(l -> l.contains(s));
    }

    /// Lets simulated time pass in small steps until `cond` holds (IRQ threads and the log run
    /// on their own threads); false after 100 ms simulated.
    boolean eventually(java.util.function.BooleanSupplier cond) {
        for (int i = 0; i < 1000 && !cond.getAsBoolean(); i++) {
            machine.kernel().clock().advance(100_000L);
        }
        return cond.getAsBoolean();
    }

    @Override
    public void close() {
        machine.close();
    }
}
