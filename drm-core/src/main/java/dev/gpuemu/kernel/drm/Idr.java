package dev.gpuemu.kernel.drm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/// `struct idr` with a base of 1, as DRM uses it for GEM handles, syncobj handles and flink
/// names: ids start at 1, 0 is never valid, allocation takes the lowest free id (freed ids are
/// reused).
///
/// ## Thread safety
/// Thread-safe (one lock, the `table_lock` of its owner).
public final class Idr<T> {
    private Object[] slots = new Object[16]; // slot i holds id i + 1
    private int count;
    private int lowestFree; // hint: no free slot below it

    /// Stores `value` under the lowest free id (>= 1), or returns -1 when `max` ids are in use.
    public synchronized int alloc(T value, int max) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if (count >= max) {
            return -1;
        }
        int i = lowestFree;
        while (i < slots.length && slots[i] != null) {
            i++;
        }
        if (i == slots.length) {
            slots = java.util.Arrays.copyOf(slots, slots.length * 2);
        }
        slots[i] = value;
        count++;
        lowestFree = i + 1;
        return i + 1;
    }

    /// The value under `id`, or null.
    @SuppressWarnings("unchecked")
    public synchronized T find(int id) {
        int i = id - 1;
        return i >= 0 && i < slots.length ? (T) slots[i] : null;
    }

    /// Removes and returns the value under `id`, or null when there is none.
    @SuppressWarnings("unchecked")
    public synchronized T remove(int id) {
        int i = id - 1;
        if (i < 0 || i >= slots.length || slots[i] == null) {
            return null;
        }
        T v = (T) slots[i];
        slots[i] = null;
        count--;
        if (i < lowestFree) {
            lowestFree = i;
        }
        return v;
    }

    /// Removes everything, passing each value to `sink` in id order.
    public void drain(Consumer<? super T> sink) {
        List<T> all = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != null) {
                    @SuppressWarnings("unchecked")
                    T v = (T) slots[i];
                    all.add(v);
                    slots[i] = null;
                }
            }
            count = 0;
            lowestFree = 0;
        }
        all.forEach(sink);
    }

    public synchronized int size() {
        return count;
    }
}
