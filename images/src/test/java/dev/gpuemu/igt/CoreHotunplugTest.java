package dev.gpuemu.igt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.MachineReport;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

/// IGT's core_hotunplug, subtest for subtest, against every DRM driver of the shipped images
/// (vgem, panthor/tyr, nova): the eight subtests and the six -with-load variants. Each case boots
/// its image, runs IGT's fixture (prepare, pre-check), the subtest, the recover fixture and the
/// post health check, then shuts the machine down and requires no oops and no leak.
///
/// Where IGT skips, so does the case, with IGT's reason: the unplug/rescan subtests need the
/// device's sysfs `remove` attribute, which only PCI devices have (vgem is a faux device, the
/// Mali a platform device). The -with-load variants, which IGT runs only on i915/Xe, run here for
/// every driver with a real load ([IoctlLoad]). The matrix with reasons is in docs/HOTUNPLUG.md.
class CoreHotunplugTest {
    /// A core_hotunplug subtest: its IGT name, its base sequence and whether it runs under load.
    record Subtest(String name, Sequence sequence, boolean withLoad) {
        @Override
        public String toString() {
            return name;
        }

        void run(Hotunplug h) {
            assertNull(h.drm, "no exercised fd before the subtest");
            sequence.run(h, withLoad);
        }
    }

    /// The base sequences of core_hotunplug.c.
    enum Sequence {
        UNBIND_REBIND("unbind-rebind") {
            @Override
            void run(Hotunplug h, boolean load) {
                h.driverUnbind("");
                h.driverBind();
                h.healthcheck(false);
            }
        },
        UNPLUG_RESCAN("unplug-rescan") {
            @Override
            void run(Hotunplug h, boolean load) {
                h.deviceUnplug("");
                h.busRescan();
                h.healthcheck(false);
            }
        },
        HOTUNBIND_REBIND("hotunbind-rebind") {
            @Override
            void run(Hotunplug h, boolean load) {
                hot(h, load, false);
                h.closeDrm("late close of the unbound instance");
                h.driverBind();
                h.healthcheck(false);
            }
        },
        HOTUNPLUG_RESCAN("hotunplug-rescan") {
            @Override
            void run(Hotunplug h, boolean load) {
                hot(h, load, true);
                h.closeDrm("late close of the removed instance");
                h.busRescan();
                h.healthcheck(false);
            }
        },
        HOTREBIND("hotrebind") {
            @Override
            void run(Hotunplug h, boolean load) {
                hot(h, load, false);
                h.driverBind();
                h.healthcheck(false); // the old fd is closed by the recover fixture
            }
        },
        HOTREPLUG("hotreplug") {
            @Override
            void run(Hotunplug h, boolean load) {
                hot(h, load, true);
                h.busRescan();
                h.healthcheck(false);
            }
        },
        HOTREBIND_LATECLOSE("hotrebind-lateclose") {
            @Override
            void run(Hotunplug h, boolean load) {
                hot(h, load, false);
                h.driverBind();
                h.healthcheck(false);
                h.closeDrm("late close of the unbound instance");
                h.healthcheck(false);
            }
        },
        HOTREPLUG_LATECLOSE("hotreplug-lateclose") {
            @Override
            void run(Hotunplug h, boolean load) {
                hot(h, load, true);
                h.busRescan();
                h.healthcheck(false);
                h.closeDrm("late close of the removed instance");
                h.healthcheck(false);
            }
        };

        final String igtName;

        Sequence(String igtName) {
            this.igtName = igtName;
        }

        abstract void run(Hotunplug h, boolean load);

        /// Opens the exercised fd (the primary node, as IGT), starts the load if asked, then
        /// unbinds the driver or removes the device with the fd open; the load is checked and
        /// stopped afterwards, the fd stays open.
        private static void hot(Hotunplug h, boolean load, boolean unplug) {
            h.drm = h.open(false);
            IoctlLoad l = load ? IoctlLoad.start(h) : null;
            if (l != null) {
                l.unplugBegins();
            }
            if (unplug) {
                h.deviceUnplug("hot ");
            } else {
                h.driverUnbind("hot ");
            }
            if (l != null) {
                l.finish();
                h.load = null;
            }
        }
    }

    static List<Subtest> subtests() {
        List<Subtest> out = new ArrayList<>();
        for (Sequence s : Sequence.values()) {
            out.add(new Subtest(s.igtName, s, false));
        }
        for (Sequence s : Sequence.values()) {
            if (s != Sequence.UNBIND_REBIND && s != Sequence.UNPLUG_RESCAN) {
                out.add(new Subtest(s.igtName + "-with-load", s, true));
            }
        }
        return out;
    }

    static Stream<Arguments> matrix() {
        return subtests().stream().flatMap(s -> Stream.of(IgtTarget.values()).map(t -> Arguments.of(s, t)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("matrix")
    void shouldPassTheSubtestThenRecoverWithoutOopsOrLeak(Subtest subtest, IgtTarget target) throws Throwable {
        Hotunplug h = Hotunplug.boot(target);
        TestAbortedException skipped = null;
        Throwable failed = null;
        try {
            subtest.run(h);
        } catch (TestAbortedException e) {
            skipped = e;
        } catch (Throwable t) {
            failed = t;
        }
        try {
            h.recover();
            h.postHealthcheck();
        } catch (Throwable t) {
            if (failed == null) {
                failed = t;
            } else {
                failed.addSuppressed(t);
            }
        }
        if (failed != null) {
            h.close();
            throw new AssertionError(subtest + " on " + target + ": " + failed.getMessage() + "\n" + h.log(), failed);
        }
        MachineReport r = h.closeMachine();
        assertEquals(0, r.oopses(), () -> "oopses: " + r.oopsMessages());
        assertTrue(r.clean(), () -> "machine report after all files closed: " + r);
        if (skipped != null) {
            throw skipped;
        }
    }

    @org.junit.jupiter.api.Test
    void shouldListIgtsFourteenSubtestsForEveryDriver() {
        assertEquals(List.of("unbind-rebind", "unplug-rescan", "hotunbind-rebind", "hotunplug-rescan", "hotrebind",
                "hotreplug", "hotrebind-lateclose", "hotreplug-lateclose", "hotunbind-rebind-with-load",
                "hotunplug-rescan-with-load", "hotrebind-with-load", "hotreplug-with-load",
                "hotrebind-lateclose-with-load", "hotreplug-lateclose-with-load"),
                subtests().stream().map(Subtest::name).toList());
        assertEquals(14 * 3, matrix().count());
    }
}
