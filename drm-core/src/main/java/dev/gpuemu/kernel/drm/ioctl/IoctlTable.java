package dev.gpuemu.kernel.drm.ioctl;

import dev.gpuemu.kernel.drm.RegistrationData;
import dev.gpuemu.kernel.uapi.Ioc;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/// A driver's ioctl table, validated when built (the checks of `declare_drm_ioctls!`):
/// - entries are contiguous from `DRM_COMMAND_BASE` (0x40), with no gap, and end before
///   `DRM_COMMAND_END` (0xA0);
/// - every command has type `'d'` and the argument size encoded in it equals its layout's size
///   (an ioctl without layout has size 0);
/// - names are unique and flags known.
///
/// ## Thread safety
/// Immutable.
public final class IoctlTable<D, R extends RegistrationData, F> {
    public static final int DRM_COMMAND_BASE = 0x40;
    public static final int DRM_COMMAND_END = 0xA0;

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final IoctlTable<?, ?, ?> EMPTY = new IoctlTable(new IoctlDesc[0]);

    private final IoctlDesc<D, R, F>[] byIndex;

    private IoctlTable(IoctlDesc<D, R, F>[] byIndex) {
        this.byIndex = byIndex;
    }

    /// A driver without ioctls of its own.
    @SuppressWarnings("unchecked")
    public static <D, R extends RegistrationData, F> IoctlTable<D, R, F> empty() {
        return (IoctlTable<D, R, F>) EMPTY;
    }

    /// Builds and validates a table; throws `IllegalArgumentException` naming the bad entry.
    @SafeVarargs
    public static <D, R extends RegistrationData, F> IoctlTable<D, R, F> of(IoctlDesc<D, R, F>... entries) {
        return of(List.of(entries));
    }

    /// Builds and validates a table from entries in number order.
    @SuppressWarnings("unchecked")
    public static <D, R extends RegistrationData, F> IoctlTable<D, R, F> of(List<IoctlDesc<D, R, F>> entries) {
        if (entries.size() > DRM_COMMAND_END - DRM_COMMAND_BASE) {
            throw new IllegalArgumentException("more than " + (DRM_COMMAND_END - DRM_COMMAND_BASE) + " driver ioctls");
        }
        Set<String> names = new HashSet<>();
        IoctlDesc<D, R, F>[] table = new IoctlDesc[entries.size()];
        for (int i = 0; i < table.length; i++) {
            IoctlDesc<D, R, F> d = entries.get(i);
            String where = d.name() + " (" + Ioc.toString(d.cmd()) + ")";
            if (Ioc.type(d.cmd()) != Ioc.DRM_TYPE) {
                throw new IllegalArgumentException(where + ": type is not 'd'");
            }
            if (d.nr() != DRM_COMMAND_BASE + i) {
                throw new IllegalArgumentException(where + ": number 0x" + Integer.toHexString(d.nr()) + " at index " + i
                        + ", expected 0x" + Integer.toHexString(DRM_COMMAND_BASE + i) + " (entries must be contiguous from 0x40)");
            }
            long layoutSize = d.layout() == null ? 0 : d.layout().byteSize();
            if (!d.isReserved() && Ioc.size(d.cmd()) != layoutSize) {
                throw new IllegalArgumentException(where + ": command size " + Ioc.size(d.cmd()) + " != struct size " + layoutSize);
            }
            if (!d.isReserved() && layoutSize > 0 && Ioc.dir(d.cmd()) == Ioc.NONE) {
                throw new IllegalArgumentException(where + ": has an argument but no direction");
            }
            if ((d.flags() & ~IoctlFlags.ALL) != 0) {
                throw new IllegalArgumentException(where + ": unknown flags 0x" + Integer.toHexString(d.flags()));
            }
            if (!names.add(d.name())) {
                throw new IllegalArgumentException(where + ": duplicate name");
            }
            table[i] = d;
        }
        return new IoctlTable<>(table);
    }

    /// Number of entries (reserved ones included).
    public int size() {
        return byIndex.length;
    }

    /// The entry at `index = nr - 0x40`, or null beyond the table.
    public IoctlDesc<D, R, F> get(int index) {
        return index >= 0 && index < byIndex.length ? byIndex[index] : null;
    }

    /// The entries in number order.
    public List<IoctlDesc<D, R, F>> entries() {
        return List.of(byIndex);
    }
}
