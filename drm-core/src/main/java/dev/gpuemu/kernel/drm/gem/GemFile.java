package dev.gpuemu.kernel.drm.gem;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/// The GEM part of one open DRM file (`drm_file.object_idr`): the table of handles naming
/// objects. Handles are the lowest free id >= 1 (0 is never valid); ids freed by
/// [#handleDelete(int)] are reused.
///
/// A handle holds no reference of its own: the object's first handle (over all files) takes the
/// "handle reference", its last handle drops it. Each handle grants this file the right to mmap
/// the object ([VmaOffsetManager#allow]).
///
/// ## Invariants
/// A published slot names a live object with `handleCount() > 0`; an id is in use from
/// reservation (during [#handleCreate]) until its release finished.
///
/// ## Thread safety
/// Thread-safe: concurrent ioctls on one file may create, look up and delete handles. The table
/// lock (`table_lock`) is held only for slot updates; driver hooks run outside it.
///
/// ## Lifecycle
/// opened with the DRM file → handles come and go → [#release()] once at file close (every
/// remaining handle is released; creating a handle afterwards is a kernel bug and throws).
public final class GemFile {
    private final GemDevice dev;
    private final Object owner;
    private final ReentrantLock tableLock = new ReentrantLock();
    // Guarded by tableLock. Index = handle; null for free or reserved ids.
    private GemObject[] slots = new GemObject[16];
    // Guarded by tableLock. Ids in use (published or reserved); bit 0 is never set.
    private final BitSet ids = new BitSet();
    private int live;
    private boolean released;

    /// @param owner the DRM core's file object (for driver hooks), may be null
    public GemFile(GemDevice dev, Object owner) {
        this.dev = Objects.requireNonNull(dev, "dev");
        this.owner = owner;
    }

    public GemDevice device() {
        return dev;
    }

    /// The owning DRM file object, or null.
    public Object owner() {
        return owner;
    }

    /// `drm_gem_handle_create`: names `obj` with a new handle. The caller holds a reference to
    /// `obj` (it keeps it; the handle reference is separate).
    ///
    /// Order: handle count (first handle takes the handle reference), id reservation, mmap grant,
    /// `funcs.open`, publication. A failure unwinds in reverse, leaving no handle, no grant and
    /// the refcount as before.
    ///
    /// @return the handle (>= 1)
    /// @throws KernelException ENOSPC when no id is left, or the error `funcs.open` threw
    public int handleCreate(GemObject obj) throws KernelException {
        Objects.requireNonNull(obj, "obj");
        if (obj.device() != dev) {
            throw dev.bug("handle for an object of another device: " + obj);
        }
        int handle = 0;
        boolean counted = false;
        dev.objectNameLock().lock();
        try {
            obj.handleGetLocked();
            counted = true;
            handle = reserveId();
        } finally {
            dev.objectNameLock().unlock();
            if (counted && handle == 0) {
                obj.handlePut(); // reservation failed: undo the handle count
            }
        }
        dev.offsets().allow(obj.vmaNode(), this);
        try {
            obj.funcs().open(obj, this);
        } catch (KernelException | RuntimeException e) {
            dev.offsets().revoke(obj.vmaNode(), this);
            freeId(handle);
            obj.handlePut();
            throw e;
        }
        publish(handle, obj);
        return handle;
    }

    private int reserveId() throws KernelException {
        tableLock.lock();
        try {
            if (released) {
                throw new IllegalStateException("handle create on a released file");
            }
            int id = ids.nextClearBit(1);
            if (id == Integer.MAX_VALUE || id < 1) {
                throw new KernelException(Errno.ENOSPC, "no free GEM handle");
            }
            ids.set(id);
            if (id >= slots.length) {
                slots = Arrays.copyOf(slots, Math.max(id + 1, slots.length * 2));
            }
            return id;
        } finally {
            tableLock.unlock();
        }
    }

    private void publish(int handle, GemObject obj) {
        tableLock.lock();
        try {
            slots[handle] = obj;
            live++;
        } finally {
            tableLock.unlock();
        }
    }

    private void freeId(int handle) {
        tableLock.lock();
        try {
            ids.clear(handle);
        } finally {
            tableLock.unlock();
        }
    }

    /// `drm_gem_object_lookup`: the object named by `handle` with a new reference, or null.
    public GemObject lookup(int handle) {
        tableLock.lock();
        try {
            if (handle <= 0 || handle >= slots.length) {
                return null;
            }
            GemObject obj = slots[handle];
            return obj == null ? null : obj.get();
        } finally {
            tableLock.unlock();
        }
    }

    /// `drm_gem_handle_delete` (GEM_CLOSE): unpublishes `handle`, releases it (`funcs.close`,
    /// grant revoked, handle count dropped; the last handle drops the handle reference), then
    /// frees the id.
    ///
    /// @return 0, or `-EINVAL` if `handle` names nothing (guest mistake, not an exception)
    public int handleDelete(int handle) {
        GemObject obj;
        tableLock.lock();
        try {
            if (handle <= 0 || handle >= slots.length || slots[handle] == null) {
                return Errno.EINVAL.negative();
            }
            obj = slots[handle];
            slots[handle] = null; // the id stays reserved until the release is done
            live--;
        } finally {
            tableLock.unlock();
        }
        releaseHandle(obj);
        freeId(handle);
        return 0;
    }

    /// `drm_gem_object_release_handle`.
    private void releaseHandle(GemObject obj) {
        try {
            obj.funcs().close(obj, this);
        } finally {
            dev.offsets().revoke(obj.vmaNode(), this);
            obj.handlePut();
        }
    }

    /// `drm_gem_release` at file close: releases every remaining handle.
    ///
    /// @throws IllegalStateException on a second call
    public void release() {
        List<GemObject> objs = new ArrayList<>();
        tableLock.lock();
        try {
            if (released) {
                throw new IllegalStateException("GEM file already released");
            }
            released = true;
            for (int h = ids.nextSetBit(1); h >= 0; h = ids.nextSetBit(h + 1)) {
                if (slots[h] != null) {
                    objs.add(slots[h]);
                    slots[h] = null;
                }
            }
            ids.clear();
            live = 0;
        } finally {
            tableLock.unlock();
        }
        for (GemObject obj : objs) {
            releaseHandle(obj);
        }
    }

    /// Number of published handles.
    public int handleCount() {
        tableLock.lock();
        try {
            return live;
        } finally {
            tableLock.unlock();
        }
    }

    /// Whether [#release()] ran.
    public boolean isReleased() {
        tableLock.lock();
        try {
            return released;
        } finally {
            tableLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "gem file of " + dev.name() + " (" + handleCount() + " handles)";
    }
}
