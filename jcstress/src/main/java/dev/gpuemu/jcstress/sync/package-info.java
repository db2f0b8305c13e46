/// jcstress tests of the kernel's synchronisation primitives: SRCU grace periods and epoch flips,
/// `Revocable` revoke against access.
package dev.gpuemu.jcstress.sync;
