/// JMH benchmarks and the runners behind `gpuemu bench ...`.
///
/// The benchmarks themselves run from a class-path jar (`bench/target/benchmarks.jar`, or the
/// gpuemu CLI jar), where this descriptor is ignored; it is enforced at compile time.
module dev.gpuemu.bench {
    requires dev.gpuemu.core;
    requires dev.gpuemu.drm;
    requires dev.gpuemu.mali;
    requires java.desktop;
    requires HdrHistogram;
    requires jmh.core;
    requires java.management;
    requires jdk.management;
    requires com.fasterxml.jackson.databind;

    exports dev.gpuemu.bench.drm;
    exports dev.gpuemu.bench.ioctl;
    exports dev.gpuemu.bench.pages;

    opens dev.gpuemu.bench.drm;
    opens dev.gpuemu.bench.kernel;
    opens dev.gpuemu.bench.pages;
}
