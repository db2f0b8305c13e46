package dev.gpuemu.kernel.driver;

import dev.gpuemu.kernel.Kernel;
import java.util.Objects;
import java.util.Optional;

/// A view of a device in a given context `C` ([Normal], [Bound] or [Core]).
///
/// The driver core creates one [Normal] view per device (storable), one [Bound] view per binding
/// and one [Core] view per bus callback. Views of `Bound` and `Core` context carry the scope of
/// their binding or callback: once it ended, any operation that needs the proof counts an oops
/// and throws `UseAfterUnbindException`. Bus implementations subclass this with typed views
/// (for example `PciDevice<C>`).
///
/// ## Invariants
/// A `Device<Bound>` or `Device<Core>` whose scope is alive proves the device is bound.
///
/// ## Thread safety
/// Views are immutable and may be shared; the proof they give holds only while their scope is
/// alive.
///
/// ## Lifecycle
/// Normal views live as long as referenced. Core views end when the callback returns; Bound
/// views end after the driver data was dropped, before devres is released.
public class Device<C extends DeviceContext> {
    private final BusDevice node;
    private final Scope scope;

    /// For the driver core and bus implementations. `scope == null` makes a [Normal] view.
    protected Device(BusDevice node, Scope scope) {
        this.node = Objects.requireNonNull(node, "node");
        this.scope = scope;
    }

    /// The device this view refers to. For bus implementations and the driver core.
    public final BusDevice node() {
        return node;
    }

    /// The scope that limits this view, empty for a [Normal] view.
    public final Optional<Scope> scope() {
        return Optional.ofNullable(scope);
    }

    /// Checks that this view's proof still holds; counts an oops and throws otherwise.
    public final void checkProof(String operation) {
        if (scope != null && !scope.isAlive()) { // build the message only when it is needed
            scope.check(operation + " (" + node + ")");
        }
    }

    /// For bus views' operations that need a bound device: a [Normal] view (no proof at all) is a
    /// kernel bug and so is a view whose scope ended; both count an oops and throw.
    protected final void requireBound(String operation) {
        if (scope == null) {
            throw node.kernel().oopses().bug(operation + " on " + node + " without a bound device");
        }
        checkProof(operation);
    }

    public final String name() {
        return node.name();
    }

    public final String busName() {
        return node.bus().name();
    }

    public final Kernel kernel() {
        return node.kernel();
    }

    /// The `Bound` view of the current binding, from any view that proves it (a `Core` view of a
    /// callback, say): valid until the binding ends, so it can be kept in per-binding state.
    public final Device<Bound> boundView() {
        requireBound("bound view");
        return new Device<>(node, node.binding);
    }

    /// A storable reference to the same device.
    public final Device<Normal> toNormal() {
        return node.normal();
    }

    /// Whether two views refer to the same device.
    public final boolean sameDevice(Device<?> other) {
        return other != null && other.node == node;
    }

    /// `dev_info()`: logs with the `driver device: ` prefix.
    public final void info(String message) {
        node.kernel().log().info(prefix() + message);
    }

    /// `dev_warn()`.
    public final void warn(String message) {
        node.kernel().log().warn(prefix() + message);
    }

    /// `dev_err()`.
    public final void err(String message) {
        node.kernel().log().err(prefix() + message);
    }

    /// `dev_dbg()`.
    public final void dbg(String message) {
        node.kernel().log().debug(prefix() + message);
    }

    private String prefix() {
        return node.driverString() + " " + node.name() + ": ";
    }

    @Override
    public String toString() {
        return node + (scope == null ? "" : " [" + scope + "]");
    }
}
