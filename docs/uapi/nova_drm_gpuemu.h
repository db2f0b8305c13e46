/* SPDX-License-Identifier: MIT */
/*
 * nova_drm_gpuemu.h: the nova uAPI as gpuemu implements it.
 *
 * Part 1 is include/uapi/drm/nova_drm.h (upstream, explicitly unstable): GETPARAM, GEM_CREATE,
 * GEM_INFO. Part 2 is gpuemu's own extension, numbered after upstream's ioctls and marked
 * GPUEMU in every name: it is NOT an upstream interface. Described in
 * docs/devices/nvidia-ga102.md ("nova-drm and its uAPI"); the Java layouts (dev.gpuemu.kernel.uapi.nova) are checked
 * against this file by NovaUapiLayoutTest when gcc is installed.
 *
 * Self-contained: needs only <linux/types.h> and <linux/ioctl.h>; drm.h's macros are defined
 * here when drm.h was not included first.
 */
#ifndef NOVA_DRM_GPUEMU_H
#define NOVA_DRM_GPUEMU_H

#include <linux/types.h>
#include <linux/ioctl.h>

#ifndef DRM_IOCTL_BASE
#define DRM_IOCTL_BASE 'd'
#define DRM_IOWR(nr, type) _IOWR(DRM_IOCTL_BASE, nr, type)
#define DRM_COMMAND_BASE 0x40
#endif

#if defined(__cplusplus)
extern "C" {
#endif

/* ---- Part 1: upstream nova_drm.h ----------------------------------------------------------- */

/* The length of the parent PCI device's BAR1 (the VRAM aperture). */
#define NOVA_GETPARAM_VRAM_BAR_SIZE 0x1

struct drm_nova_getparam {
	__u64 param;
	__u64 value;
};

struct drm_nova_gem_create {
	__u32 handle;	/* out */
	__u32 pad;
	__u64 size;	/* in: rounded up to 4 KiB */
};

struct drm_nova_gem_info {
	__u32 handle;	/* in */
	__u32 pad;
	__u64 size;	/* out */
};

#define DRM_NOVA_GETPARAM	0x00
#define DRM_NOVA_GEM_CREATE	0x01
#define DRM_NOVA_GEM_INFO	0x02

#define DRM_IOCTL_NOVA_GETPARAM	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GETPARAM, struct drm_nova_getparam)
#define DRM_IOCTL_NOVA_GEM_CREATE	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GEM_CREATE, struct drm_nova_gem_create)
#define DRM_IOCTL_NOVA_GEM_INFO	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GEM_INFO, struct drm_nova_gem_info)

/* ---- Part 2: gpuemu extension (not upstream) ------------------------------------------------ */
/* Every pad and every unknown flag bit must be 0 (else -EINVAL). */

#define NOVA_GPUEMU_GEM_CREATE_VRAM		(1u << 0)
#define NOVA_GPUEMU_VM_BIND_OP_MAP		0
#define NOVA_GPUEMU_VM_BIND_OP_UNMAP		1
#define NOVA_GPUEMU_VM_BIND_READ_ONLY		(1u << 0)
#define NOVA_GPUEMU_VA_START			(1ull << 20)
#define NOVA_GPUEMU_VA_END			0xFE00000000ull	/* 2^40 - 8 GiB; above: kernel */
#define NOVA_GPUEMU_CHANNEL_STATE_ACTIVE	0
#define NOVA_GPUEMU_CHANNEL_STATE_FAULTED	1
#define NOVA_GPUEMU_SUBMIT_MAX_DWORDS		((1u << 21) - 1)
#define NOVA_GPUEMU_SUBMIT_MAX_SYNCS		64

struct drm_nova_gpuemu_gem_create {
	__u64 size;	/* in; out: rounded up to 4 KiB */
	__u32 flags;	/* NOVA_GPUEMU_GEM_CREATE_VRAM or 0 (system memory) */
	__u32 handle;	/* out */
};

struct drm_nova_gpuemu_gem_mmap_offset {
	__u32 handle;	/* in: a system-memory object */
	__u32 pad;
	__u64 offset;	/* out: fake offset for mmap() on the DRM fd */
};

struct drm_nova_gpuemu_vm_create {
	__u32 flags;	/* 0 */
	__u32 id;	/* out */
	__u64 va_start;	/* out: first user VA */
	__u64 va_end;	/* out: end of the user VA range */
};

struct drm_nova_gpuemu_vm_destroy {
	__u32 id;
	__u32 pad;
};

struct drm_nova_gpuemu_vm_bind {
	__u32 vm_id;
	__u32 op;	/* NOVA_GPUEMU_VM_BIND_OP_* */
	__u32 flags;	/* NOVA_GPUEMU_VM_BIND_READ_ONLY (MAP only) */
	__u32 handle;	/* MAP: object; UNMAP: 0 */
	__u64 offset;	/* MAP: byte offset into the object; UNMAP: 0 */
	__u64 va;
	__u64 range;	/* bytes; offset, va and range 4 KiB aligned */
};

struct drm_nova_gpuemu_channel_create {
	__u32 vm_id;
	__u32 flags;	/* 0 */
	__u32 channel;	/* out */
	__u32 pad;
};

struct drm_nova_gpuemu_channel_destroy {
	__u32 channel;
	__u32 pad;
};

struct drm_nova_gpuemu_submit {
	__u32 channel;
	__u32 handle;		/* pushbuffer object (system memory) */
	__u64 offset;		/* byte offset of the pushbuffer in it, 4-aligned */
	__u32 dwords;		/* pushbuffer length, 1..NOVA_GPUEMU_SUBMIT_MAX_DWORDS */
	__u32 flags;		/* 0 */
	__u64 waits;		/* user pointer: __u32 syncobj handles to wait on */
	__u64 signals;		/* user pointer: __u32 syncobj handles to signal */
	__u32 wait_count;
	__u32 signal_count;
};

struct drm_nova_gpuemu_channel_get_state {
	__u32 channel;
	__u32 state;	/* out: NOVA_GPUEMU_CHANNEL_STATE_* */
	__u64 fault_va;	/* out: faulting GPU VA or 0 */
	__u32 error;	/* out: host channel error code or 0 */
	__u32 pad;
};

#define DRM_NOVA_GPUEMU_GEM_CREATE		0x03
#define DRM_NOVA_GPUEMU_GEM_MMAP_OFFSET		0x04
#define DRM_NOVA_GPUEMU_VM_CREATE		0x05
#define DRM_NOVA_GPUEMU_VM_DESTROY		0x06
#define DRM_NOVA_GPUEMU_VM_BIND			0x07
#define DRM_NOVA_GPUEMU_CHANNEL_CREATE		0x08
#define DRM_NOVA_GPUEMU_CHANNEL_DESTROY		0x09
#define DRM_NOVA_GPUEMU_SUBMIT			0x0A
#define DRM_NOVA_GPUEMU_CHANNEL_GET_STATE	0x0B

#define DRM_IOCTL_NOVA_GPUEMU_GEM_CREATE	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GPUEMU_GEM_CREATE, struct drm_nova_gpuemu_gem_create)
#define DRM_IOCTL_NOVA_GPUEMU_GEM_MMAP_OFFSET	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GPUEMU_GEM_MMAP_OFFSET, struct drm_nova_gpuemu_gem_mmap_offset)
#define DRM_IOCTL_NOVA_GPUEMU_VM_CREATE	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GPUEMU_VM_CREATE, struct drm_nova_gpuemu_vm_create)
#define DRM_IOCTL_NOVA_GPUEMU_VM_DESTROY	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GPUEMU_VM_DESTROY, struct drm_nova_gpuemu_vm_destroy)
#define DRM_IOCTL_NOVA_GPUEMU_VM_BIND		DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GPUEMU_VM_BIND, struct drm_nova_gpuemu_vm_bind)
#define DRM_IOCTL_NOVA_GPUEMU_CHANNEL_CREATE	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GPUEMU_CHANNEL_CREATE, struct drm_nova_gpuemu_channel_create)
#define DRM_IOCTL_NOVA_GPUEMU_CHANNEL_DESTROY	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GPUEMU_CHANNEL_DESTROY, struct drm_nova_gpuemu_channel_destroy)
#define DRM_IOCTL_NOVA_GPUEMU_SUBMIT		DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GPUEMU_SUBMIT, struct drm_nova_gpuemu_submit)
#define DRM_IOCTL_NOVA_GPUEMU_CHANNEL_GET_STATE	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GPUEMU_CHANNEL_GET_STATE, struct drm_nova_gpuemu_channel_get_state)

#if defined(__cplusplus)
}
#endif

#endif /* NOVA_DRM_GPUEMU_H */
