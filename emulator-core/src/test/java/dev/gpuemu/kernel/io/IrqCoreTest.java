package dev.gpuemu.kernel.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.TestBus;
import dev.gpuemu.machine.irq.InterruptController;
import dev.gpuemu.machine.irq.IrqLine;
import dev.gpuemu.machine.time.SimClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// The generic IRQ layer on a booted machine: a test-bus driver requests lines, and the test
/// plays the device by driving controller lines directly.
///
/// Barrier: `clock.advance(BARRIER_NS)` returns only after every event due before its deadline
/// ran, including deliveries posted (at delay 0) by a raise and their level-triggered reposts.
class IrqCoreTest {
    private static final int IRQ = 40;
    private static final long BARRIER_NS = 1_000;
    private static final long REAL_TIMEOUT_S = 5;

    private Machine machine;
    private Kernel kernel;
    private SimClock clock;
    private InterruptController pic;
    private TestBus bus;
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

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

    private IrqLine line(int n) {
        return pic.line(n);
    }

    /// Binds a test device whose probe runs `probe` and returns its result as driver data.
    private <T> T bind(TestBus.Probe<T> probe) throws KernelException {
        AtomicReference<T> out = new AtomicReference<>();
        bus.register("drv", d -> true, dev -> {
            T t = probe.probe(dev);
            out.set(t);
            return t;
        }, (dev, data) -> { });
        bus.add("dev0");
        return out.get();
    }

    private IrqRegistration requestOnBind(int irq, String name, IrqHandler handler) throws KernelException {
        return bind(dev -> IrqRegistration.request(dev, irq, name, handler));
    }

    private void settle() {
        clock.advance(BARRIER_NS);
    }

    private boolean logged(String message) {
        return kernel.log().tail(200).stream().anyMatch(e -> e.message().equals(message));
    }

    /// Polls `cond` in real time (for state changed by an IRQ thread, which no clock event reports).
    private static boolean eventually(BooleanSupplier cond) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(REAL_TIMEOUT_S);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        return true;
    }

    @Test
    void shouldRunHardHandlerOnClockThreadUntilDeviceLowersLine() throws KernelException {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<String> thread = new AtomicReference<>();
        AtomicInteger seenIrq = new AtomicInteger(-1);
        requestOnBind(IRQ, "hard", irq -> {
            thread.set(Thread.currentThread().getName());
            seenIrq.set(irq);
            if (calls.incrementAndGet() >= 3) {
                line(irq).lower(); // the device is quiet after the third acknowledge
            }
            return IrqReturn.HANDLED;
        });
        line(IRQ).raise();
        settle();
        // Level-triggered: called while the line stayed high, and not once after it dropped.
        assertEquals(3, calls.get());
        assertEquals("gpuemu-clock", thread.get());
        assertEquals(IRQ, seenIrq.get());
        clock.advance(1_000_000);
        assertEquals(3, calls.get());
        assertEquals(3, pic.deliveries(IRQ));
        // A new assertion is delivered again.
        line(IRQ).raise();
        settle();
        assertEquals(4, calls.get());
        assertFalse(pic.isMasked(IRQ));
    }

    @Test
    void shouldCallEverySharedHandlerAndKeepLineAfterOneIsFreed() throws KernelException {
        AtomicInteger aCalls = new AtomicInteger();
        AtomicInteger bCalls = new AtomicInteger();
        AtomicReference<IrqRegistration> a = new AtomicReference<>();
        bind(dev -> {
            a.set(IrqRegistration.request(dev, IRQ, "a", irq -> {
                aCalls.incrementAndGet();
                return IrqReturn.NONE; // not this device
            }));
            return IrqRegistration.request(dev, IRQ, "b", irq -> {
                bCalls.incrementAndGet();
                line(irq).lower();
                return IrqReturn.HANDLED;
            });
        });
        line(IRQ).raise();
        settle();
        assertEquals(1, aCalls.get());
        assertEquals(1, bCalls.get());
        // Freeing one sharer leaves the line unmasked for the other.
        a.get().free();
        assertFalse(pic.isMasked(IRQ));
        line(IRQ).raise();
        settle();
        assertEquals(1, aCalls.get());
        assertEquals(2, bCalls.get());
    }

    @Test
    void shouldMaskLineThatNobodyRegisteredWhenItFires() {
        int stray = 41;
        assertFalse(pic.isMasked(stray));
        line(stray).raise();
        settle();
        assertTrue(logged("irq 41: unexpected IRQ trap, no handler; disabling"));
        assertTrue(pic.isMasked(stray));
        assertEquals(1, pic.deliveries(stray), "masked after the first delivery, though still high");
        assertTrue(pic.level(stray));
    }

    @Test
    void shouldMaskLineAfterHundredConsecutiveUnhandledInterrupts() throws KernelException {
        AtomicInteger calls = new AtomicInteger();
        requestOnBind(IRQ, "deaf", irq -> {
            calls.incrementAndGet();
            return IrqReturn.NONE; // never ours, never quiets the device
        });
        line(IRQ).raise();
        settle();
        assertEquals(IrqCore.NOBODY_CARED_LIMIT, calls.get());
        assertTrue(pic.isMasked(IRQ));
        assertTrue(logged("irq 40: nobody cared (try booting with the \"irqpoll\" option)"));
        assertTrue(logged("Disabling IRQ #40"));
    }

    @Test
    void shouldNotMaskLineWhenHandledInterruptsBreakUnhandledRuns() throws KernelException {
        AtomicInteger calls = new AtomicInteger();
        requestOnBind(IRQ, "shy", irq -> {
            int n = calls.incrementAndGet();
            if (n == 250) {
                line(irq).lower();
            }
            return n % 50 == 0 ? IrqReturn.HANDLED : IrqReturn.NONE; // runs of 49 NONEs
        });
        line(IRQ).raise();
        settle();
        assertEquals(250, calls.get());
        assertFalse(pic.isMasked(IRQ));
        assertFalse(logged("irq 40: nobody cared (try booting with the \"irqpoll\" option)"));
    }

    @Test
    void shouldRunThreadFnOnIrqThreadWithLineMaskedUntilItReturns() throws Exception {
        AtomicInteger hardCalls = new AtomicInteger();
        AtomicInteger threadRuns = new AtomicInteger();
        AtomicReference<String> threadName = new AtomicReference<>();
        AtomicReference<Boolean> maskedInThread = new AtomicReference<>();
        Semaphore entered = new Semaphore(0);
        Semaphore proceed = new Semaphore(0);
        bind(dev -> IrqRegistration.requestThreaded(dev, IRQ, "thr", irq -> {
            hardCalls.incrementAndGet();
            return IrqReturn.WAKE_THREAD;
        }, irq -> {
            threadName.set(Thread.currentThread().getName());
            maskedInThread.set(pic.isMasked(irq));
            entered.release();
            try {
                proceed.tryAcquire(REAL_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            line(irq).lower(); // acknowledge the device
            threadRuns.incrementAndGet();
        }));
        line(IRQ).raise();
        assertTrue(entered.tryAcquire(REAL_TIMEOUT_S, TimeUnit.SECONDS));
        assertEquals("irq/40-thr", threadName.get());
        assertTrue(maskedInThread.get());
        // ONESHOT: the line is still high, yet masked, so the hard handler is not re-entered.
        settle();
        assertEquals(1, hardCalls.get());
        assertTrue(pic.isMasked(IRQ));
        assertTrue(pic.level(IRQ));
        // When the thread function returns, the line is unmasked again.
        proceed.release();
        assertTrue(eventually(() -> !pic.isMasked(IRQ)));
        assertEquals(1, threadRuns.get());
        settle();
        assertEquals(1, hardCalls.get(), "the device was quiet when the line was unmasked");
        // The next interrupt goes through the same path.
        proceed.release();
        line(IRQ).raise();
        assertTrue(entered.tryAcquire(REAL_TIMEOUT_S, TimeUnit.SECONDS));
        assertTrue(eventually(() -> threadRuns.get() == 2 && !pic.isMasked(IRQ)));
        assertEquals(2, hardCalls.get());
    }

    @Test
    void shouldKeepSharedOneshotLineMaskedUntilEveryWokenThreadFinished() throws Exception {
        Semaphore entered = new Semaphore(0);
        Semaphore proceedA = new Semaphore(0);
        Semaphore proceedB = new Semaphore(0);
        AtomicInteger done = new AtomicInteger();
        bind(dev -> {
            IrqRegistration.requestThreaded(dev, IRQ, "a", irq -> IrqReturn.WAKE_THREAD, irq -> {
                entered.release();
                acquire(proceedA);
                done.incrementAndGet();
            });
            return IrqRegistration.requestThreaded(dev, IRQ, "b", irq -> IrqReturn.WAKE_THREAD, irq -> {
                entered.release();
                acquire(proceedB);
                line(irq).lower(); // b's device was the one asserting
                done.incrementAndGet();
            });
        });
        line(IRQ).raise();
        assertTrue(entered.tryAcquire(2, REAL_TIMEOUT_S, TimeUnit.SECONDS), "both threads woken by one interrupt");
        proceedA.release();
        assertTrue(eventually(() -> done.get() == 1));
        assertTrue(pic.isMasked(IRQ), "b's thread still runs: the shared line stays masked");
        proceedB.release();
        assertTrue(eventually(() -> done.get() == 2 && !pic.isMasked(IRQ)));
    }

    @Test
    void shouldUnmaskForRemainingSharerWhenFreeingRegistrationWhoseThreadRuns() throws Exception {
        Semaphore entered = new Semaphore(0);
        AtomicInteger bCalls = new AtomicInteger();
        AtomicReference<IrqRegistration> a = new AtomicReference<>();
        bind(dev -> {
            a.set(IrqRegistration.requestThreaded(dev, IRQ, "a", irq -> {
                line(irq).lower();
                return IrqReturn.WAKE_THREAD;
            }, irq -> {
                entered.release();
                acquire(new Semaphore(0)); // blocks until free interrupts it
            }));
            return IrqRegistration.request(dev, IRQ, "b", irq -> {
                bCalls.incrementAndGet();
                line(irq).lower();
                return IrqReturn.HANDLED;
            });
        });
        line(IRQ).raise();
        assertTrue(entered.tryAcquire(REAL_TIMEOUT_S, TimeUnit.SECONDS));
        assertTrue(pic.isMasked(IRQ));
        a.get().free();
        assertFalse(pic.isMasked(IRQ), "the remaining sharer gets its line back");
        line(IRQ).raise();
        settle();
        assertTrue(bCalls.get() >= 1);
    }

    private static void acquire(Semaphore s) {
        try {
            s.tryAcquire(REAL_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldNeverRunHandlerAfterFreeAndRejectSecondFree() throws KernelException {
        AtomicInteger calls = new AtomicInteger();
        IrqRegistration r = requestOnBind(IRQ, "freed", irq -> {
            calls.incrementAndGet();
            line(irq).lower();
            return IrqReturn.HANDLED;
        });
        line(IRQ).raise();
        settle();
        assertEquals(1, calls.get());
        assertTrue(r.isActive());
        r.free();
        assertFalse(r.isActive());
        // The line is masked with its last action gone: a new assertion reaches nobody.
        line(IRQ).raise();
        settle();
        assertEquals(1, calls.get());
        assertTrue(pic.isMasked(IRQ));
        assertThrows(IllegalStateException.class, r::free);
        assertEquals(0, kernel.oopses().count());
    }

    @Test
    void shouldWaitForHandlerInFlightBeforeFreeReturns() throws Exception {
        Semaphore entered = new Semaphore(0);
        Semaphore proceed = new Semaphore(0);
        IrqRegistration r = requestOnBind(IRQ, "slow", irq -> {
            entered.release();
            try {
                proceed.tryAcquire(REAL_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            line(irq).lower();
            events.add("handler returned");
            return IrqReturn.HANDLED;
        });
        line(IRQ).raise();
        assertTrue(entered.tryAcquire(REAL_TIMEOUT_S, TimeUnit.SECONDS));
        Thread freer = Thread.ofPlatform().start(() -> {
            r.free();
            events.add("free returned");
        });
        freer.join(100);
        assertTrue(freer.isAlive(), "free() returned while the handler was still running");
        proceed.release();
        freer.join(TimeUnit.SECONDS.toMillis(REAL_TIMEOUT_S));
        assertFalse(freer.isAlive());
        assertEquals(List.of("handler returned", "free returned"), events);
    }

    @Test
    void shouldWaitForRunningThreadFnBeforeFreeReturnsAndEndTheIrqThread() throws Exception {
        Semaphore entered = new Semaphore(0);
        Semaphore proceed = new Semaphore(0);
        IrqRegistration r = bind(dev -> IrqRegistration.requestThreaded(dev, IRQ, "slowthr",
                irq -> IrqReturn.WAKE_THREAD, irq -> {
                    entered.release();
                    proceed.acquireUninterruptibly(); // free() interrupts the thread; ignore it
                    line(irq).lower();
                    events.add("thread fn returned");
                }));
        line(IRQ).raise();
        assertTrue(entered.tryAcquire(REAL_TIMEOUT_S, TimeUnit.SECONDS));
        assertTrue(irqThreadAlive("irq/40-slowthr"));
        Thread freer = Thread.ofPlatform().start(() -> {
            r.free();
            events.add("free returned");
        });
        freer.join(100);
        assertTrue(freer.isAlive(), "free() returned while the thread function was still running");
        proceed.release();
        freer.join(TimeUnit.SECONDS.toMillis(REAL_TIMEOUT_S));
        assertFalse(freer.isAlive());
        assertEquals(List.of("thread fn returned", "free returned"), events);
        assertFalse(irqThreadAlive("irq/40-slowthr"), "the IRQ thread lives exactly as long as the registration");
    }

    private static boolean irqThreadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void shouldFreeHandlerAtUnbindThroughDevres() throws KernelException {
        AtomicInteger calls = new AtomicInteger();
        IrqRegistration r = requestOnBind(IRQ, "managed", irq -> {
            calls.incrementAndGet();
            line(irq).lower();
            return IrqReturn.HANDLED;
        });
        line(IRQ).raise();
        settle();
        assertEquals(1, calls.get());
        assertEquals(0, kernel.sysfs().unbind("test", "drv", "dev0"));
        assertFalse(r.isActive());
        line(IRQ).raise();
        settle();
        assertEquals(1, calls.get());
        // devres already freed it: an explicit free afterwards is a double free.
        assertThrows(IllegalStateException.class, r::free);
    }

    @Test
    void shouldRejectOutOfRangeIrqWithEinval() throws KernelException {
        List<Errno> errors = new ArrayList<>();
        bind((Device<Core> dev) -> {
            for (int irq : new int[] {-1, Machine.IRQ_LINES}) {
                try {
                    IrqRegistration.request(dev, irq, "bad", n -> IrqReturn.HANDLED);
                } catch (KernelException e) {
                    errors.add(e.errno());
                }
            }
            return new Object();
        });
        assertEquals(List.of(Errno.EINVAL, Errno.EINVAL), errors);
        assertEquals(0, kernel.oopses().count());
    }

    @Test
    void shouldCountOneOopsForThrowingHandlerAndKeepRunning() throws KernelException {
        AtomicInteger calls = new AtomicInteger();
        requestOnBind(IRQ, "crashy", irq -> {
            line(irq).lower();
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return IrqReturn.HANDLED;
        });
        line(IRQ).raise();
        settle();
        assertEquals(1, kernel.oopses().count());
        assertTrue(kernel.oopses().reports().getFirst().contains("handler threw java.lang.IllegalStateException: boom"),
                kernel.oopses().reports()::toString);
        assertTrue(clock.failures().isEmpty());
        // The machine keeps running: time advances and the next interrupt is handled.
        line(IRQ).raise();
        settle();
        assertEquals(2, calls.get());
        assertFalse(pic.isMasked(IRQ));
        assertEquals(1, kernel.oopses().count());
    }
}
