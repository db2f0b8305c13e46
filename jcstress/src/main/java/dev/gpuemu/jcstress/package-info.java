/// OpenJDK jcstress memory-model tests of the concurrency claims the design rests on, and the
/// launcher of `jcstress.jar`. See docs/RELIABILITY.md, "Memory-model tests (jcstress)".
package dev.gpuemu.jcstress;
