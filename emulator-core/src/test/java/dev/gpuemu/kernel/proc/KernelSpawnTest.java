package dev.gpuemu.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.log.LogEntry;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.vfs.DevFs;
import dev.gpuemu.kernel.vfs.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/// Processes as the kernel owns them: spawn, the live set, `/dev`, and shutdown killing
/// whatever still runs.
class KernelSpawnTest {

    @Test
    void shouldKillLiveProcessesAtShutdownAndLogIt() throws Exception {
        Machine machine = Machine.builder().build();
        machine.boot();
        Kernel kernel = machine.kernel();
        FakeDev dev = new FakeDev(2);
        DevFs.Registration node = kernel.devfs().register("/dev/fake", dev);
        Process user = kernel.spawn("user", false);
        Process root = kernel.spawn("init", true);
        Process done = kernel.spawn("done", false);
        assertNotEquals(user.pid(), root.pid());
        assertTrue(root.capable(Task.CAP_SYS_ADMIN));
        assertFalse(user.capable(Task.CAP_SYS_ADMIN));
        int fd = user.open("/dev/fake", Fcntl.O_RDWR);
        assertTrue(user.mmap(0, 4096, Fcntl.PROT_READ, Fcntl.MAP_SHARED, fd, 0) > 0);
        done.close();
        assertEquals(2, kernel.processes().size());
        machine.close();
        assertTrue(user.exited());
        assertTrue(root.exited());
        assertEquals(1, dev.releases.get());
        assertEquals(1, dev.vmaCloses.get());
        List<String> lines = kernel.log().tail(100).stream().map(LogEntry::message).toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("killed process " + user.pid() + " (user)")), lines::toString);
        assertTrue(lines.stream().noneMatch(l -> l.contains("(done")), lines::toString);
        assertEquals(0, kernel.processes().size());
        assertThrows(IllegalStateException.class, () -> kernel.spawn("late", false));
        node.close();
        dev.arena.close();
    }
}
