package dev.gpuemu.kernel.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.TestBus;
import dev.gpuemu.kernel.sync.Completion;
import dev.gpuemu.machine.irq.InterruptController;
import dev.gpuemu.machine.time.SimClock;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/// The threaded IRQ handler's thread is a participant of the kernel's clock: a FAST-mode wait
/// for what the thread function completes never times out while the thread has work queued or
/// runs, however long that takes in real time; with the thread idle, timeouts still fire.
@Timeout(60)
class IrqThreadParticipantTest {
    private static final int IRQ = 40;
    private static final long MS = 1_000_000L;
    /// Real time the thread function computes: 400 times the default idle grace.
    private static final long COMPUTE_NS = 20 * MS;

    private Machine machine;
    private Kernel kernel;
    private SimClock clock;
    private InterruptController pic;
    private TestBus bus;

    @BeforeEach
    void setUp() throws KernelException {
        machine = Machine.builder().ramBytes(1 << 20).build();
        machine.boot();
        kernel = machine.kernel();
        clock = machine.clock();
        pic = kernel.hw().interrupts();
        bus = new TestBus(kernel.driverCore());
    }

    @AfterEach
    void tearDown() {
        machine.close();
        assertTrue(machine.report().clockFailures().isEmpty(), () -> "clock failures: " + machine.report().clockFailures());
    }

    private IrqRegistration requestSlowThreaded(Completion done) throws KernelException {
        AtomicReference<IrqRegistration> out = new AtomicReference<>();
        bus.register("drv", d -> true, dev -> {
            IrqRegistration r = IrqRegistration.requestThreaded(dev, IRQ, "slow", irq -> {
                pic.line(irq).lower(); // acknowledge in the hard handler
                return IrqReturn.WAKE_THREAD;
            }, irq -> {
                long end = System.nanoTime() + COMPUTE_NS;
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait(); // bottom half work, far beyond the grace
                }
                done.complete();
            });
            out.set(r);
            return r;
        }, (dev, data) -> { });
        bus.add("dev0");
        return out.get();
    }

    @Test
    void shouldNeverTimeOutWaitForCompletionOfSlowThreadedHandler() throws KernelException {
        Completion done = new Completion(clock);
        IrqRegistration r = requestSlowThreaded(done);
        for (int round = 0; round < 5; round++) {
            long start = clock.nowNs();
            pic.line(IRQ).raise();
            assertTrue(done.waitForCompletionTimeout(MS), "round " + round + ": timed out while the IRQ thread ran");
            assertTrue(clock.nowNs() - start < MS);
        }
        assertEquals(5, pic.deliveries(IRQ));
        // The idle IRQ thread does not hold back a timeout.
        assertFalse(done.waitForCompletionTimeout(MS));
        r.free();
        assertEquals(0, kernel.oopses().count());
    }

    @Test
    void shouldStopParticipatingWhenTheRegistrationIsFreed() throws KernelException {
        int before = clock.participants();
        IrqRegistration r = requestSlowThreaded(new Completion(clock));
        assertEquals(before + 1, clock.participants());
        r.free();
        assertEquals(before, clock.participants(), "the IRQ thread closed its registration when it ended");
    }
}
