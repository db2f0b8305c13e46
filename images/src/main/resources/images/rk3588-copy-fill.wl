# A VM, one 16 MiB BO bound at GPU VA 0x1000000, a compute group, then a copy job, a fill job
# and a saxpy job through GROUP_SUBMIT; each signals a syncobj; data verified through mmap.
# Prints the model's simulated copy bandwidth and FP32 rate.
# BO layout: 0x0 streams, 0x1000 kernel descriptors, 0x100000 src (4M), 0x500000 dst (4M),
# 0x900000 fill target (4M, its first 2M are also saxpy's x), 0xd00000 saxpy y (2M).
# The streams are written as raw words (MOVE48 d16 = opcode 1, dst 16; RUN_COMPUTE = opcode 4).
open /dev/dri/card0 -> $fd
ioctl $fd DRM_IOCTL_PANTHOR_VM_CREATE -> id=$vm
ioctl $fd DRM_IOCTL_PANTHOR_BO_CREATE size=16M -> handle=$bo size=$bosize
ioctl $fd DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET handle=$bo -> offset=$off
mmap $fd $off $bosize -> $cpu
let $gpu = 0x1000000
alloc 4K -> $args
struct write drm_panthor_vm_bind_op $args bo_handle=$bo va=$gpu size=$bosize
ioctl $fd DRM_IOCTL_PANTHOR_VM_BIND vm_id=$vm ops.stride=48 ops.count=1 ops.array=$args
struct write drm_panthor_queue_create $args priority=1 ringbuf_size=64K
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_CREATE queues.stride=8 queues.count=1 queues.array=$args max_compute_cores=4 max_fragment_cores=4 max_tiler_cores=1 priority=1 compute_core_mask=0x50005 fragment_core_mask=0x50005 tiler_core_mask=1 vm_id=$vm -> group_handle=$group
ioctl $fd DRM_IOCTL_SYNCOBJ_CREATE -> handle=$s1
ioctl $fd DRM_IOCTL_SYNCOBJ_CREATE -> handle=$s2
fill $cpu+0x100000 4M seed=3
kdesc $cpu+0x1000 copy $gpu+0x100000 $gpu+0x500000 4M
kdesc $cpu+0x1040 fill $gpu+0x900000 4M 0x5a5a5a5a5a5a5a5a
let $w = 0x0110000000000000 | $gpu
mem write64 $cpu $w+0x1000
mem write64 $cpu+8 0x0400000000000000
mem write64 $cpu+16 $w+0x1040
mem write64 $cpu+24 0x0400000000000000
struct write drm_panthor_sync_op $args+64 flags=0x80000000 handle=$s1
struct write drm_panthor_queue_submit $args stream_addr=$gpu stream_size=32 syncs.stride=16 syncs.count=1 syncs.array=$args+64
mem write32 $args+256 $s1
clock now -> $t0
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_SUBMIT group_handle=$group queue_submits.stride=40 queue_submits.count=1 queue_submits.array=$args
ioctl $fd DRM_IOCTL_SYNCOBJ_WAIT handles=$args+256 count_handles=1 timeout_nsec=0x7fffffffffffffff
clock now -> $t1
verify $cpu+0x500000 4M seed=3
mem read64 $cpu+0x900000 -> $f0
mem read64 $cpu+0xcffff8 -> $f1
assert $f0 == 0x5a5a5a5a5a5a5a5a "fill, first word"
assert $f1 == 0x5a5a5a5a5a5a5a5a "fill, last word"
let $ns = $t1 - $t0
let $bytes_x1000 = 8M * 1000
let $mbps = $bytes_x1000 / $ns
print "copy 4 MiB + fill 4 MiB: $ns ns simulated, $mbps MB/s (bytes written per us)"
# saxpy: y = 2.0 * x + y over 512K floats (x is the fill pattern, y is zero)
kdesc $cpu+0x1080 saxpy $gpu+0x900000 $gpu+0xd00000 512K 0x40000000
mem write64 $cpu+0x40 $w+0x1080
mem write64 $cpu+0x48 0x0400000000000000
struct write drm_panthor_sync_op $args+64 flags=0x80000000 handle=$s2
struct write drm_panthor_queue_submit $args stream_addr=$gpu+0x40 stream_size=16 syncs.stride=16 syncs.count=1 syncs.array=$args+64
mem write32 $args+256 $s2
clock now -> $t2
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_SUBMIT group_handle=$group queue_submits.stride=40 queue_submits.count=1 queue_submits.array=$args
ioctl $fd DRM_IOCTL_SYNCOBJ_WAIT handles=$args+256 count_handles=1 timeout_nsec=0x7fffffffffffffff
clock now -> $t3
let $sns = $t3 - $t2
let $flops_x1000 = 1M * 1000
let $mflops = $flops_x1000 / $sns
print "saxpy 512K floats (1M FP32 ops): $sns ns simulated, $mflops MFLOP/s"
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_GET_STATE group_handle=$group -> state=$state
assert $state == 0 "no fault"
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_DESTROY group_handle=$group
munmap $cpu $bosize
ioctl $fd DRM_IOCTL_GEM_CLOSE handle=$bo
ioctl $fd DRM_IOCTL_PANTHOR_VM_DESTROY id=$vm
free $args 4K
close $fd
