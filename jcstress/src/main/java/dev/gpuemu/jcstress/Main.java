package dev.gpuemu.jcstress;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/// Launcher of `jcstress.jar`: jcstress' own `org.openjdk.jcstress.Main` with the defaults these
/// tests need, each added only when the command line does not set it.
///
/// - `-jvmArgsPrepend <jvm.flags>`: the project's JVM flags for every forked test VM (the Vector
///   API incubator module the machine's memory uses, native access for `membarrier(2)` through
///   FFM, ...), read from `gpuemu-jcstress.properties` (filtered from the parent pom).
/// - `-strideSize 16 -strideCount 4`: at most 64 test states per epoch. The DRM tests register
///   one real DRM device per state on one shared kernel, whose minor table holds 64 primary
///   minors; jcstress' default (256 x 40 states alive at once) would run out (`ENOSPC`). Every
///   sample of these tests costs at least one grace period, so the extra per-epoch handshakes
///   are not what limits the sample rate.
///
/// jcstress exits non-zero (an `AssertionError` out of `main`) when a test saw a forbidden
/// outcome or failed, which is what fails the Maven build.
public final class Main {
    private Main() {
    }

    public static void main(final String[] args) throws Exception {
        final List<String> a = new ArrayList<>(List.of(args));
        if (!a.contains("-jvmArgs") && !a.contains("-jvmArgsPrepend")) {
            a.add("-jvmArgsPrepend");
            a.add(jvmFlags());
        }
        if (!a.contains("-strideSize")) {
            a.add("-strideSize");
            a.add("16");
        }
        if (!a.contains("-strideCount")) {
            a.add("-strideCount");
            a.add("4");
        }
        org.openjdk.jcstress.Main.main(a.toArray(String[]::new));
    }

    private static String jvmFlags() throws IOException {
        try (InputStream in = Main.class.getResourceAsStream("/gpuemu-jcstress.properties")) {
            if (in == null) {
                throw new IllegalStateException("gpuemu-jcstress.properties missing from the jar");
            }
            final Properties p = new Properties();
            p.load(in);
            return p.getProperty("jvm.flags").trim();
        }
    }
}
