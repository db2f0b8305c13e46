package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;

/// The GPU identification and feature registers read at probe (Tyr's `GpuInfo`, the source of
/// `drm_panthor_gpu_info`).
///
/// [#log] prints Tyr's three lines with the **correct** `GPU_ID` decode: upstream Tyr takes
/// bits [23:16] as "major" and never matches a model (`mali-unknown ... major 0x67`); we decode
/// as panthor does (`id` = `GPU_ID >> 16`, version major [15:12], minor [11:4], status [3:0],
/// model by arch major [31:28] and product major [19:16]) and keep Tyr's zero-padded presents.
///
/// ## Invariants
/// Immutable snapshot of the registers at probe time.
public record GpuInfo(int gpuId, int gpuRev, int csfId, int l2Features, int tilerFeatures, int memFeatures,
                      int mmuFeatures, int threadFeatures, int maxThreads, int threadMaxWorkgroupSize,
                      int threadMaxBarrierSize, int coherencyFeatures, int[] textureFeatures, int asPresent,
                      long shaderPresent, long l2Present, long tilerPresent, int coreFeatures) {

    /// Size of `struct drm_panthor_gpu_info`.
    public static final int UAPI_SIZE = 104;

    /// Reads every identification register (Tyr's `GpuInfo::new`, all four texture words).
    public static GpuInfo read(IoMem io) {
        int[] tex = new int[4];
        for (int i = 0; i < 4; i++) {
            tex[i] = io.read32(MaliReg.TEXTURE_FEATURES0.offset() + 4L * i);
        }
        return new GpuInfo(GpuRegs.read32(io, MaliReg.GPU_ID), GpuRegs.read32(io, MaliReg.GPU_REVID),
                GpuRegs.read32(io, MaliReg.CSF_ID), GpuRegs.read32(io, MaliReg.L2_FEATURES),
                GpuRegs.read32(io, MaliReg.TILER_FEATURES), GpuRegs.read32(io, MaliReg.MEM_FEATURES),
                GpuRegs.read32(io, MaliReg.MMU_FEATURES), GpuRegs.read32(io, MaliReg.THREAD_FEATURES),
                GpuRegs.read32(io, MaliReg.THREAD_MAX_THREADS), GpuRegs.read32(io, MaliReg.THREAD_MAX_WORKGROUP_SIZE),
                GpuRegs.read32(io, MaliReg.THREAD_MAX_BARRIER_SIZE), GpuRegs.read32(io, MaliReg.COHERENCY_FEATURES), tex,
                GpuRegs.read32(io, MaliReg.AS_PRESENT), GpuRegs.read64(io, MaliReg.SHADER_PRESENT),
                GpuRegs.read64(io, MaliReg.L2_PRESENT), GpuRegs.read64(io, MaliReg.TILER_PRESENT),
                GpuRegs.read32(io, MaliReg.CORE_FEATURES));
    }

    public GpuInfo {
        textureFeatures = textureFeatures.clone();
    }

    @Override
    public int[] textureFeatures() {
        return textureFeatures.clone();
    }

    public int archMajor() {
        return (int) MaliRegs.ARCH_MAJOR.get(gpuId & 0xFFFF_FFFFL);
    }

    public int archMinor() {
        return (int) MaliRegs.ARCH_MINOR.get(gpuId & 0xFFFF_FFFFL);
    }

    public int productMajor() {
        return (int) MaliRegs.PRODUCT_MAJOR.get(gpuId & 0xFFFF_FFFFL);
    }

    public int versionMajor() {
        return (int) MaliRegs.VERSION_MAJOR.get(gpuId & 0xFFFF_FFFFL);
    }

    public int versionMinor() {
        return (int) MaliRegs.VERSION_MINOR.get(gpuId & 0xFFFF_FFFFL);
    }

    public int versionStatus() {
        return (int) MaliRegs.VERSION_STATUS.get(gpuId & 0xFFFF_FFFFL);
    }

    /// panthor's model table: only `(10, 7)` is the G610.
    public String modelName() {
        return archMajor() == 10 && productMajor() == 7 ? "g610" : "unknown";
    }

    /// Address spaces usable for GPU VMs (`AS_PRESENT` bit count).
    public int asCount() {
        return Integer.bitCount(asPresent);
    }

    /// VA bits the MMU translates (`MMU_FEATURES[7:0]`).
    public int vaBits() {
        return (int) MaliRegs.MMU_VA_BITS.get(mmuFeatures);
    }

    /// PA bits (`MMU_FEATURES[15:8]`).
    public int paBits() {
        return (int) MaliRegs.MMU_PA_BITS.get(mmuFeatures);
    }

    /// Tyr's three probe lines.
    public void log(Device<?> dev) {
        dev.info(String.format("mali-%s id 0x%x major 0x%x minor 0x%x status 0x%x", modelName(), gpuId >>> 16,
                versionMajor(), versionMinor(), versionStatus()));
        dev.info(String.format("Features: L2:%#x Tiler:%#x Mem:%#x MMU:%#x AS:%#x", l2Features, tilerFeatures,
                memFeatures, mmuFeatures, asPresent));
        dev.info(String.format("shader_present=0x%016x l2_present=0x%016x tiler_present=0x%016x", shaderPresent,
                l2Present, tilerPresent));
    }
}
