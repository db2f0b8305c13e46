package dev.gpuemu.workload;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/// The state of one workload thread: its variables, the ones it assigned (handed to the thread
/// that joins it), its pattern seed and its scratch page for ioctl arguments.
///
/// ## Thread safety
/// Confined to its thread; a joiner reads it after `Thread.join` (which orders the reads).
final class Frame {
    final String thread;
    final Map<String, Long> vars;
    final Set<String> assigned = new HashSet<>();
    long seed;
    /// User address of this thread's ioctl argument page, 0 until first use.
    long scratch;
    /// The statement this thread is running (for errors that escape it).
    Pos at;

    Frame(String thread, Map<String, Long> vars, long seed) {
        this.thread = thread;
        this.vars = new HashMap<>(vars);
        this.seed = seed;
    }

    void set(String name, long value) {
        vars.put(name, value);
        assigned.add(name);
    }

    /// Copies what `child` assigned into this frame (at join).
    void merge(Frame child) {
        for (String name : child.assigned) {
            set(name, child.vars.get(name));
        }
    }
}
