package dev.gpuemu.machine.bus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/// Test register handler: registers are a map of (offset -> value) at the handler's impl size; every
/// call is recorded as `R off size` / `W off size value` (hex) and checks the device lock is held.
final class RecordingHandler implements RegisterHandler {
    final List<String> calls = new ArrayList<>();
    final Map<Long, Long> regs = new HashMap<>();
    ReentrantLock lock;
    boolean calledWithoutLock;

    @Override
    public long read(long offset, AccessSize size) {
        checkLock();
        calls.add(String.format("R %x %d", offset, size.bytes()));
        return regs.getOrDefault(offset, 0L) & size.mask();
    }

    @Override
    public void write(long offset, AccessSize size, long value) {
        checkLock();
        calls.add(String.format("W %x %d %x", offset, size.bytes(), value));
        regs.put(offset, value);
    }

    private void checkLock() {
        if (lock != null && !lock.isHeldByCurrentThread()) {
            calledWithoutLock = true;
        }
    }
}
