package dev.gpuemu.kernel.drm;

/// `enum drm_minor_type`: which window of minor numbers and which `/dev/dri` name.
public enum MinorType {
    /// `/dev/dri/cardN`, minors 0..63.
    PRIMARY("card", 0),
    /// `/dev/dri/renderDN`, minors 128..191.
    RENDER("renderD", 128);

    /// Minors per type in the legacy window.
    public static final int WINDOW = 64;

    private final String prefix;
    private final int base;

    MinorType(String prefix, int base) {
        this.prefix = prefix;
        this.base = base;
    }

    /// The first minor number of this type.
    public int base() {
        return base;
    }

    /// `/dev/dri/card0`, `/dev/dri/renderD128`, ...
    public String path(int minor) {
        return "/dev/dri/" + prefix + minor;
    }
}
