package dev.gpuemu.kernel.driver;

import java.util.Objects;

/// Device-managed resources (`devm_*`): actions registered on a bound device and run in LIFO
/// order when the binding ends, after the driver's unbind callback and after its driver data
/// was dropped.
///
/// ## Thread safety
/// Thread-safe: the list is guarded by the device's devres lock (`dev->devres_lock`), not by the
/// device lock, so a driver may add entries from an ioctl while an unbind (holding the device
/// lock) waits for that ioctl's section. Actions run on the thread that unbinds the device,
/// without the devres lock.
public final class Devres {
    private Devres() {
    }

    /// `devm_add_action`: registers `release` to run when the binding of `dev` ends.
    public static Action add(Device<? extends Bound> dev, String name, Runnable release) {
        dev.checkProof("devres add " + name);
        BusDevice node = dev.node();
        DevresEntry e = new DevresEntry(name, release);
        node.devresLock.lock();
        try {
            if (!node.devresOpen) {
                throw dev.kernel().oopses().bug("devres add " + name + " on unbound " + node);
            }
            node.devres.push(e);
        } finally {
            node.devresLock.unlock();
        }
        return new Action(node, e);
    }

    /// Handle of a registered action.
    ///
    /// ## Lifecycle
    /// `release()` or `remove()` may be called once, before the binding ends; afterwards the
    /// action was already run by the driver core and both calls return false.
    public static final class Action {
        private final BusDevice node;
        private final DevresEntry entry;

        Action(BusDevice node, DevresEntry entry) {
            this.node = Objects.requireNonNull(node);
            this.entry = Objects.requireNonNull(entry);
        }

        /// `devm_release_action`: runs the action now and unregisters it.
        public boolean release() {
            if (!take()) {
                return false;
            }
            entry.release.run();
            return true;
        }

        /// `devm_remove_action`: unregisters the action without running it.
        public boolean remove() {
            return take();
        }

        private boolean take() {
            node.devresLock.lock();
            try {
                if (entry.done) {
                    return false;
                }
                entry.done = true;
                node.devres.remove(entry);
                return true;
            } finally {
                node.devresLock.unlock();
            }
        }
    }
}
