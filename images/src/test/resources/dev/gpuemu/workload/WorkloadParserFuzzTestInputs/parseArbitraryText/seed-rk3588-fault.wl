# A copy job reading an address its VM does not map: the MMU faults the group, which
# GROUP_GET_STATE reports as a fatal fault of queue 0; memory outside the VM is untouched.
open /dev/dri/card0 -> $fd
ioctl $fd DRM_IOCTL_PANTHOR_VM_CREATE -> id=$vm
ioctl $fd DRM_IOCTL_PANTHOR_BO_CREATE size=64K -> handle=$bo size=$bosize
ioctl $fd DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET handle=$bo -> offset=$off
mmap $fd $off $bosize -> $cpu
let $gpu = 0x1000000
alloc 4K -> $args
struct write drm_panthor_vm_bind_op $args bo_handle=$bo va=$gpu size=$bosize
ioctl $fd DRM_IOCTL_PANTHOR_VM_BIND vm_id=$vm ops.stride=48 ops.count=1 ops.array=$args
struct write drm_panthor_queue_create $args priority=1 ringbuf_size=64K
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_CREATE queues.stride=8 queues.count=1 queues.array=$args max_compute_cores=4 max_fragment_cores=4 max_tiler_cores=1 priority=1 compute_core_mask=0x50005 fragment_core_mask=0x50005 tiler_core_mask=1 vm_id=$vm -> group_handle=$group
ioctl $fd DRM_IOCTL_SYNCOBJ_CREATE -> handle=$s
fill $cpu+0x8000 32K seed=5
kdesc $cpu+0x1000 copy 0x40000000 $gpu+0x8000 32K
let $w = 0x0110000000000000 | $gpu
mem write64 $cpu $w+0x1000
mem write64 $cpu+8 0x0400000000000000
struct write drm_panthor_sync_op $args+64 flags=0x80000000 handle=$s
struct write drm_panthor_queue_submit $args stream_addr=$gpu stream_size=16 syncs.stride=16 syncs.count=1 syncs.array=$args+64
mem write32 $args+256 $s
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_SUBMIT group_handle=$group queue_submits.stride=40 queue_submits.count=1 queue_submits.array=$args
ioctl $fd DRM_IOCTL_SYNCOBJ_WAIT handles=$args+256 count_handles=1 timeout_nsec=0x7fffffffffffffff
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_GET_STATE group_handle=$group -> state=$state fatal_queues=$fq
let $fatal = $state & 2
assert $fatal == 2 "DRM_PANTHOR_GROUP_STATE_FATAL_FAULT"
assert $fq == 1 "queue 0 faulted"
verify $cpu+0x8000 32K seed=5
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_DESTROY group_handle=$group
munmap $cpu $bosize
free $args 4K
close $fd
