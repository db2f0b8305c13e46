package dev.gpuemu.bench.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.kernel.drm.GuardStrategy;
import dev.gpuemu.kernel.uapi.Errno;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/// The benchmark rig outside JMH: it boots with each configuration, its self-check passes, the
/// benchmark ops answer as measured, and it tears down without leaks or oopses.
class VgemRigTest {

    @ParameterizedTest
    @CsvSource({"SRCU,false", "SRCU,true", "RWLOCK,true", "NONE,false", "NONE,true"})
    void shouldRunEveryBenchmarkOpAndTearDownCleanly(GuardStrategy guard, boolean coreGuarded) throws Exception {
        VgemRig rig = VgemRig.boot(guard, coreGuarded);
        for (int i = 0; i < 1000; i++) { // handles and pages are given back every round
            assertEquals(0, rig.version());
            assertEquals(0, rig.versionStrings());
            assertEquals(0, rig.getCap());
            assertEquals(0, rig.createClose());
            assertEquals(Errno.ENOENT.negative(), rig.fenceSignal());
        }
        assertEquals(4, rig.mem.getLong(rig.versionNull + 16), "the null form learned the length too");
        assertEquals(4, rig.mem.getLong(rig.versionStrings + 16), "name_len is the full length of \"vgem\"");
        rig.close();
        assertThrows(IllegalStateException.class, rig::close);
    }
}
