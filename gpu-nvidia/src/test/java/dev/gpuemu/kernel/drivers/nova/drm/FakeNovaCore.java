package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.nova.core.NovaAuxData;
import dev.gpuemu.kernel.drivers.nova.core.NovaChannel;
import dev.gpuemu.kernel.drivers.nova.core.NovaVm;
import dev.gpuemu.kernel.drivers.nova.core.VramAllocation;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.nvidia.Boot0;
import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.NvHostRegs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/// A stand-in for nova-core's registration data, following the contract's documented behaviour
/// (errnos, seqno order, ECANCELED at close, EIO after a fault) without a device: VRAM is a plain
/// segment with a first-fit allocator, VMs record their mappings, channels complete submits only
/// when the test says so ([FakeChannel#completeAll], [FakeChannel#fault]). It lets nova-drm's
/// ioctl and lifecycle rules be tested through the real DRM core before the GA102 path exists.
final class FakeNovaCore implements NovaAuxData {
    static final long BAR1 = 256L << 20;
    static final long VRAM = 4L << 20;
    static final int HW_CHANNELS = 4;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment vram = arena.allocate(VRAM, 4096);
    private final TreeMap<Long, Long> used = new TreeMap<>();
    final List<FakeChannel> channels = new CopyOnWriteArrayList<>();
    final List<FakeVm> vms = new CopyOnWriteArrayList<>();
    volatile boolean autoComplete;

    @Override
    public Chipset chipset() {
        return Chipset.GA102;
    }

    @Override
    public Boot0 boot0() {
        return Boot0.of(Chipset.GA102, 0xa1);
    }

    @Override
    public long bar1Length() {
        return BAR1;
    }

    @Override
    public long vramSize() {
        return VRAM;
    }

    @Override
    public long usableVramSize() {
        return VRAM;
    }

    @Override
    public synchronized long freeVram() {
        return VRAM - used.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public synchronized VramAllocation allocVram(long size) throws KernelException {
        if (size <= 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        long aligned = (size + 4095) & -4096L;
        long at = 0;
        for (var e : used.entrySet()) {
            if (e.getKey() - at >= aligned) {
                break;
            }
            at = e.getKey() + e.getValue();
        }
        if (at + aligned > VRAM) {
            throw new KernelException(Errno.ENOMEM, "fake VRAM full");
        }
        used.put(at, aligned);
        return new FakeVram(at, aligned);
    }

    @Override
    public NovaVm createVm() {
        FakeVm vm = new FakeVm();
        vms.add(vm);
        return vm;
    }

    @Override
    public synchronized NovaChannel createChannel(NovaVm vm, NovaChannel.SeqnoListener listener)
            throws KernelException {
        if (((FakeVm) vm).closed) {
            throw KernelException.of(Errno.EINVAL);
        }
        if (channels.stream().filter(c -> c.state != NovaChannel.State.STOPPED).count() >= HW_CHANNELS) {
            throw new KernelException(Errno.EBUSY, "no free fake channel");
        }
        FakeChannel c = new FakeChannel(channels.size(), (FakeVm) vm, listener);
        channels.add(c);
        return c;
    }

    @Override
    public boolean isAlive() {
        return true;
    }

    final class FakeVram implements VramAllocation {
        private final long offset;
        private final long size;
        boolean closed;

        FakeVram(long offset, long size) {
            this.offset = offset;
            this.size = size;
        }

        @Override
        public long offset() {
            return offset;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read32(long o) {
            return vram.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, offset + o);
        }

        @Override
        public void write32(long o, int value) {
            vram.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, offset + o, value);
        }

        @Override
        public long read64(long o) {
            return vram.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, offset + o);
        }

        @Override
        public void write64(long o, long value) {
            vram.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, offset + o, value);
        }

        @Override
        public void read(long o, byte[] dst, int dstOffset, int length) {
            MemorySegment.copy(vram, java.lang.foreign.ValueLayout.JAVA_BYTE, offset + o, dst, dstOffset, length);
        }

        @Override
        public void write(long o, byte[] src, int srcOffset, int length) {
            MemorySegment.copy(src, srcOffset, vram, java.lang.foreign.ValueLayout.JAVA_BYTE, offset + o, length);
        }

        @Override
        public MemorySegment page(long pageIndex) {
            if (pageIndex < 0 || pageIndex * 4096 >= size) {
                throw new IndexOutOfBoundsException(pageIndex);
            }
            return vram.asSlice(offset + pageIndex * 4096, 4096);
        }

        @Override
        public void close() {
            synchronized (FakeNovaCore.this) {
                if (closed) {
                    throw new IllegalStateException("fake VRAM closed twice");
                }
                closed = true;
                used.remove(offset);
            }
        }
    }

    static final class FakeVm implements NovaVm {
        final TreeMap<Long, Long> maps = new TreeMap<>();
        final List<Boolean> readOnly = new ArrayList<>();
        boolean closed;

        @Override
        public synchronized void map(long va, long size, Target target, boolean ro) throws KernelException {
            if (closed || ((va | size) & 4095) != 0 || size <= 0 || va < USER_VA_START || va > USER_VA_END - size
                    || (va < KERNEL_VA_END && va + size > KERNEL_VA_START)) {
                throw KernelException.of(Errno.EINVAL);
            }
            var below = maps.floorEntry(va + size - 1);
            if (below != null && below.getKey() + below.getValue() > va) {
                throw new KernelException(Errno.EINVAL, "fake overlap");
            }
            long pages = switch (target) {
                case Vram v -> (v.allocation().size() - v.offset()) / 4096;
                case SysPages s -> s.pages();
            };
            if (pages < size / 4096) {
                throw new KernelException(Errno.EINVAL, "fake target too small");
            }
            maps.put(va, size);
            readOnly.add(ro);
        }

        @Override
        public synchronized long unmap(long va, long size) throws KernelException {
            if (closed) {
                throw KernelException.of(Errno.EINVAL);
            }
            Long s = maps.remove(va);
            return s == null ? 0 : s / 4096;
        }

        @Override
        public synchronized long mappedPages() {
            return maps.values().stream().mapToLong(s -> s / 4096).sum();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                throw new IllegalStateException("fake VM closed twice");
            }
            closed = true;
            maps.clear();
        }
    }

    final class FakeChannel implements NovaChannel {
        final int id;
        final FakeVm vm;
        final SeqnoListener listener;
        final List<Long> pushbufferVas = new CopyOnWriteArrayList<>();
        volatile State state = State.ACTIVE;
        private long submitted;
        private long completed;
        private Fault fault;

        FakeChannel(int id, FakeVm vm, SeqnoListener listener) {
            this.id = id;
            this.vm = vm;
            this.listener = listener;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public NovaVm vm() {
            return vm;
        }

        @Override
        public long submit(long va, int dwords) throws KernelException {
            long s;
            synchronized (this) {
                if (state == State.FAULTED) {
                    throw KernelException.of(Errno.EIO);
                }
                if (state == State.STOPPED) {
                    throw KernelException.of(Errno.ENODEV);
                }
                if ((va & 3) != 0 || dwords <= 0 || va + 4L * dwords > NovaVm.PUSHBUFFER_VA_END
                        || va + 4L * dwords > NovaVm.KERNEL_VA_START) {
                    throw KernelException.of(Errno.EINVAL);
                }
                s = ++submitted;
                pushbufferVas.add(va);
            }
            if (autoComplete) {
                completeAll();
            }
            return s;
        }

        /// Completes every pending seqno successfully.
        void completeAll() {
            finish(0);
        }

        /// An MMU fault at `va`: pending work completes with EIO, the channel stays FAULTED.
        void fault(long va) {
            synchronized (this) {
                state = State.FAULTED;
                fault = new Fault(NvHostRegs.ERROR_MMU_FAULT, va, 2, 1, 1, 0);
            }
            finish(Errno.EIO.code());
        }

        private void finish(int error) {
            long from;
            long to;
            synchronized (this) {
                from = completed + 1;
                to = submitted;
                completed = submitted;
            }
            for (long s = from; s <= to; s++) {
                listener.signalled(s, error);
            }
        }

        @Override
        public synchronized long submittedSeqno() {
            return submitted;
        }

        @Override
        public synchronized long completedSeqno() {
            return completed;
        }

        @Override
        public boolean waitSeqno(long seqno, long timeoutNs) {
            return completedSeqno() >= seqno;
        }

        @Override
        public State state() {
            return state;
        }

        @Override
        public synchronized Optional<Fault> fault() {
            return Optional.ofNullable(fault);
        }

        @Override
        public void close() {
            synchronized (this) {
                if (state == State.STOPPED) {
                    throw new IllegalStateException("fake channel closed twice");
                }
                state = State.STOPPED;
            }
            finish(Errno.ECANCELED.code());
        }
    }
}
