package dev.gpuemu.images;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/// The parameters one device of an image was given: every parameter its model declares, set from
/// the image's `params:` or defaulted. Handed to the model factory.
///
/// ## Invariants
/// Holds exactly the model's declared parameters, each with a value of its declared type.
///
/// ## Thread safety
/// Immutable.
public final class DeviceParams {
    private static final DeviceParams EMPTY = new DeviceParams(Map.of());

    private final Map<String, Object> values;

    DeviceParams(Map<String, Object> values) {
        this.values = Map.copyOf(values);
    }

    /// No parameters (a model that declares none).
    public static DeviceParams empty() {
        return EMPTY;
    }

    /// An `INT` or `SIZE` parameter.
    public long getLong(String name) {
        return (Long) get(name);
    }

    /// A `BOOL` parameter.
    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    /// A `STRING` parameter.
    public String getString(String name) {
        return (String) get(name);
    }

    private Object get(String name) {
        Object v = values.get(Objects.requireNonNull(name, "name"));
        if (v == null) {
            throw new IllegalArgumentException("model declares no parameter '" + name + "'");
        }
        return v;
    }

    @Override
    public String toString() {
        return new TreeMap<>(values).toString();
    }
}
