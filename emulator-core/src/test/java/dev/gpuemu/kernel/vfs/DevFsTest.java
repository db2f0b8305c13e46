package dev.gpuemu.kernel.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.List;
import org.junit.jupiter.api.Test;

/// `/dev` node registration: lookup, sorted listing, duplicates, removal.
class DevFsTest {
    private final DevFs devFs = new DevFs();
    private final CharDev dev = (task, flags) -> {
        throw new KernelException(Errno.ENXIO);
    };

    @Test
    void shouldLookUpAndListRegisteredNodesSorted() throws KernelException {
        devFs.register("/dev/dri/renderD129", dev);
        devFs.register("/dev/dri/card0", dev);
        devFs.register("/dev/dri/renderD128", dev);
        devFs.register("/dev/null", dev);
        devFs.register("/dev/dri0", dev); // not inside /dev/dri
        assertSame(dev, devFs.lookup("/dev/dri/card0"));
        assertNull(devFs.lookup("/dev/dri/card1"));
        assertNull(devFs.lookup(null));
        assertEquals(List.of("/dev/dri/card0", "/dev/dri/renderD128", "/dev/dri/renderD129", "/dev/dri0", "/dev/null"),
                devFs.list());
        assertEquals(List.of("/dev/dri/card0", "/dev/dri/renderD128", "/dev/dri/renderD129"), devFs.list("/dev/dri"));
        assertEquals(List.of("/dev/dri/card0", "/dev/dri/renderD128", "/dev/dri/renderD129"), devFs.list("/dev/dri/"));
        assertEquals(List.of(), devFs.list("/dev/input"));
    }

    @Test
    void shouldRejectADuplicatePathWithEexist() throws KernelException {
        devFs.register("/dev/dri/card0", dev);
        KernelException e = assertThrows(KernelException.class, () -> devFs.register("/dev/dri/card0", dev));
        assertEquals(Errno.EEXIST, e.errno());
    }

    @Test
    void shouldRemoveTheNodeOnCloseAndThrowOnSecondClose() throws KernelException {
        DevFs.Registration r = devFs.register("/dev/dri/card0", dev);
        r.close();
        assertNull(devFs.lookup("/dev/dri/card0"));
        assertThrows(IllegalStateException.class, r::close);
        // The path is free again; closing the old registration did not touch the new node.
        DevFs.Registration again = devFs.register("/dev/dri/card0", dev);
        assertSame(dev, devFs.lookup("/dev/dri/card0"));
        again.close();
    }

    @Test
    void shouldRejectPathsOutsideDev() {
        assertThrows(IllegalArgumentException.class, () -> devFs.register("/tmp/x", dev));
        assertThrows(IllegalArgumentException.class, () -> devFs.register("/dev/", dev));
        assertThrows(IllegalArgumentException.class, () -> devFs.register("/dev/dri/", dev));
    }
}
