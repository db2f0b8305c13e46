package dev.gpuemu.machine.time;

import java.util.Arrays;

/// A 4-ary min-heap of [Event]s ordered by `(when, seq)`, with O(log n) removal of an arbitrary
/// event through the index each event keeps of itself.
///
/// A 4-ary heap is shallower than a binary one (half the levels) and its four children share a
/// cache line or two, which suits a queue that is popped far more often than it is grown.
///
/// ## Thread safety
/// None; the owning [SimClock] guards every call with its lock.
final class EventQueue {
    private static final int ARITY_SHIFT = 2; // 4 children per node
    private Event[] heap = new Event[64];
    private int size;

    int size() {
        return size;
    }

    /// @return the next event to run, or null if the queue is empty
    Event peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Event e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, e);
    }

    /// Removes and returns the next event; the caller checked the queue is not empty.
    Event poll() {
        Event top = heap[0];
        int last = --size;
        Event tail = heap[last];
        heap[last] = null;
        if (last > 0) {
            siftDown(0, tail);
        }
        top.index = -1;
        return top;
    }

    /// @return true if `e` was in the queue and has been removed
    boolean remove(Event e) {
        int i = e.index;
        if (i < 0) {
            return false;
        }
        int last = --size;
        Event tail = heap[last];
        heap[last] = null;
        e.index = -1;
        if (i != last) {
            siftDown(i, tail);
            if (heap[i] == tail) {
                siftUp(i, tail);
            }
        }
        return true;
    }

    /// Drops every event; none of them will run.
    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].index = -1;
            heap[i].action = null;
            heap[i] = null;
        }
        size = 0;
    }

    private void siftUp(int k, Event x) {
        while (k > 0) {
            int parent = (k - 1) >>> ARITY_SHIFT;
            Event p = heap[parent];
            if (!x.before(p)) {
                break;
            }
            heap[k] = p;
            p.index = k;
            k = parent;
        }
        heap[k] = x;
        x.index = k;
    }

    private void siftDown(int k, Event x) {
        while (true) {
            int first = (k << ARITY_SHIFT) + 1;
            if (first >= size) {
                break;
            }
            int end = Math.min(first + 4, size);
            int min = first;
            for (int c = first + 1; c < end; c++) {
                if (heap[c].before(heap[min])) {
                    min = c;
                }
            }
            Event m = heap[min];
            if (!m.before(x)) {
                break;
            }
            heap[k] = m;
            m.index = k;
            k = min;
        }
        heap[k] = x;
        x.index = k;
    }
}
