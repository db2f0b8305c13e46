# A VM, one 16 MiB BO bound at GPU VA 0x1000000, a compute group, then a copy job and a fill job
# in one GROUP_SUBMIT, a saxpy job and an ALU-bound fma_loop job after; each signals a syncobj;
# data verified through mmap. Prints the model's simulated copy bandwidth and FP32 rate as
# measured from inside the guest: each job's stream brackets its RUN_COMPUTE with STORE_STATE
# TIMESTAMP (the GPU's timestamp counter), and DEV_QUERY TIMESTAMP_INFO gives the counter's
# frequency.
# BO layout: 0x0 streams (64 bytes each), 0x1000 kernel descriptors, 0x1800 timestamps (16 bytes
# per job), 0x100000 src (4M), 0x500000 dst (4M), 0x900000 fill target (4M, its first 2M are
# also saxpy's x, its first 256K fma_loop's vector), 0xd00000 saxpy y (2M).
open /dev/dri/card0 -> $fd
alloc 4K -> $args
ioctl $fd DRM_IOCTL_PANTHOR_DEV_QUERY type=2 size=24 pointer=$args
struct read drm_panthor_timestamp_info $args -> timestamp_frequency=$hz
assert $hz == 24000000 "GPU timestamp counter at 24 MHz"
ioctl $fd DRM_IOCTL_PANTHOR_VM_CREATE -> id=$vm
ioctl $fd DRM_IOCTL_PANTHOR_BO_CREATE size=16M -> handle=$bo size=$bosize
ioctl $fd DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET handle=$bo -> offset=$off
mmap $fd $off $bosize -> $cpu
let $gpu = 0x1000000
struct write drm_panthor_vm_bind_op $args bo_handle=$bo va=$gpu size=$bosize
ioctl $fd DRM_IOCTL_PANTHOR_VM_BIND vm_id=$vm ops.stride=48 ops.count=1 ops.array=$args
struct write drm_panthor_queue_create $args priority=1 ringbuf_size=64K
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_CREATE queues.stride=8 queues.count=1 queues.array=$args max_compute_cores=4 max_fragment_cores=4 max_tiler_cores=1 priority=1 compute_core_mask=0x50005 fragment_core_mask=0x50005 tiler_core_mask=1 vm_id=$vm -> group_handle=$group
ioctl $fd DRM_IOCTL_SYNCOBJ_CREATE -> handle=$s1
ioctl $fd DRM_IOCTL_SYNCOBJ_CREATE -> handle=$s2
ioctl $fd DRM_IOCTL_SYNCOBJ_CREATE -> handle=$s3
ioctl $fd DRM_IOCTL_SYNCOBJ_CREATE -> handle=$s4
fill $cpu+0x100000 4M seed=3
kdesc $cpu+0x1000 copy $gpu+0x100000 $gpu+0x500000 4M
kdesc $cpu+0x1040 fill $gpu+0x900000 4M 0x5a5a5a5a5a5a5a5a
kdesc $cpu+0x1080 saxpy $gpu+0x900000 $gpu+0xd00000 512K 0x40000000
kdesc $cpu+0x10c0 fma_loop $gpu+0x900000 64K 1024 0x3f7ff972 0x3e800000
# job N: d30 = its timestamp pair, d16 = its descriptor
cs $cpu -> $len {
  move48 d30 $gpu+0x1800
  store_state d30 0 timestamp
  move48 d16 $gpu+0x1000
  run_compute d16
  store_state d30 8 timestamp
}
cs $cpu+0x40 {
  move48 d30 $gpu+0x1810
  store_state d30 0 timestamp
  move48 d16 $gpu+0x1040
  run_compute d16
  store_state d30 8 timestamp
}
cs $cpu+0x80 {
  move48 d30 $gpu+0x1820
  store_state d30 0 timestamp
  move48 d16 $gpu+0x1080
  run_compute d16
  store_state d30 8 timestamp
}
cs $cpu+0xc0 {
  move48 d30 $gpu+0x1830
  store_state d30 0 timestamp
  move48 d16 $gpu+0x10c0
  run_compute d16
  store_state d30 8 timestamp
}
assert $len == 40 "five instructions"
# copy then fill, one GROUP_SUBMIT of two queue_submits (40 bytes each), signalling $s1 and $s2
struct write drm_panthor_sync_op $args+128 flags=0x80000000 handle=$s1
struct write drm_panthor_sync_op $args+144 flags=0x80000000 handle=$s2
struct write drm_panthor_queue_submit $args stream_addr=$gpu stream_size=$len syncs.stride=16 syncs.count=1 syncs.array=$args+128
struct write drm_panthor_queue_submit $args+40 stream_addr=$gpu+0x40 stream_size=$len syncs.stride=16 syncs.count=1 syncs.array=$args+144
mem write32 $args+256 $s1
mem write32 $args+260 $s2
clock now -> $t0
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_SUBMIT group_handle=$group queue_submits.stride=40 queue_submits.count=2 queue_submits.array=$args
ioctl $fd DRM_IOCTL_SYNCOBJ_WAIT handles=$args+256 count_handles=2 flags=1 timeout_nsec=0x7fffffffffffffff
clock now -> $t1
verify $cpu+0x500000 4M seed=3
mem read64 $cpu+0x900000 -> $f0
mem read64 $cpu+0xcffff8 -> $f1
assert $f0 == 0x5a5a5a5a5a5a5a5a "fill, first word"
assert $f1 == 0x5a5a5a5a5a5a5a5a "fill, last word"
# saxpy: y = 2.0 * x + y over 512K floats (x is the fill pattern, y is zero)
struct write drm_panthor_sync_op $args+128 flags=0x80000000 handle=$s3
struct write drm_panthor_queue_submit $args stream_addr=$gpu+0x80 stream_size=$len syncs.stride=16 syncs.count=1 syncs.array=$args+128
mem write32 $args+256 $s3
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_SUBMIT group_handle=$group queue_submits.stride=40 queue_submits.count=1 queue_submits.array=$args
ioctl $fd DRM_IOCTL_SYNCOBJ_WAIT handles=$args+256 count_handles=1 timeout_nsec=0x7fffffffffffffff
mem read32 $cpu+0xd00000 -> $y0
assert $y0 == 0x5ada5a5a "y[0] = 2.0 * x[0] + 0.0 (x[0] = 0x5a5a5a5a as a float)"
# fma_loop: 1024 times x = 0.9999 * x + 0.25 over 64K floats (2 * 64K * 1024 = 128 Mi flops)
struct write drm_panthor_sync_op $args+128 flags=0x80000000 handle=$s4
struct write drm_panthor_queue_submit $args stream_addr=$gpu+0xc0 stream_size=$len syncs.stride=16 syncs.count=1 syncs.array=$args+128
mem write32 $args+256 $s4
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_SUBMIT group_handle=$group queue_submits.stride=40 queue_submits.count=1 queue_submits.array=$args
ioctl $fd DRM_IOCTL_SYNCOBJ_WAIT handles=$args+256 count_handles=1 timeout_nsec=0x7fffffffffffffff
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_GET_STATE group_handle=$group -> state=$state
assert $state == 0 "no fault"
# The measurements: GPU ticks -> ns -> rates (bytes or flops per us = MB/s or MFLOP/s).
mem read64 $cpu+0x1800 -> $c0
mem read64 $cpu+0x1808 -> $c1
mem read64 $cpu+0x1810 -> $f0
mem read64 $cpu+0x1818 -> $f1
mem read64 $cpu+0x1820 -> $x0
mem read64 $cpu+0x1828 -> $x1
mem read64 $cpu+0x1830 -> $m0
mem read64 $cpu+0x1838 -> $m1
let $cticks = $c1 - $c0
let $fticks = $f1 - $f0
let $xticks = $x1 - $x0
let $cns = $cticks * 1000000000
let $cns = $cns / $hz
let $fns = $fticks * 1000000000
let $fns = $fns / $hz
let $xns = $xticks * 1000000000
let $xns = $xns / $hz
let $mticks = $m1 - $m0
let $mns = $mticks * 1000000000
let $mns = $mns / $hz
assert $cns > 0 "the copy took simulated time"
let $cmbps = 4M * 1000
let $cmbps = $cmbps / $cns
let $fmbps = 4M * 1000
let $fmbps = $fmbps / $fns
let $mflops = 1M * 1000
let $mflops = $mflops / $xns
let $fma = 128M * 1000
let $fma = $fma / $mns
let $wall = $t1 - $t0
print "copy 4 MiB: $cticks GPU ticks at $hz Hz = $cns ns, $cmbps MB/s copied"
print "fill 4 MiB: $fticks GPU ticks = $fns ns, $fmbps MB/s written"
print "saxpy 512K floats (2N = 1M FP32 flops): $xticks GPU ticks = $xns ns, $mflops MFLOP/s"
print "fma_loop 64K floats x 1024 (128 Mi FP32 flops): $mticks GPU ticks = $mns ns, $fma MFLOP/s"
print "copy + fill from GROUP_SUBMIT to SYNCOBJ_WAIT's return (CLOCK_MONOTONIC): $wall ns"
ioctl $fd DRM_IOCTL_PANTHOR_GROUP_DESTROY group_handle=$group
munmap $cpu $bosize
ioctl $fd DRM_IOCTL_GEM_CLOSE handle=$bo
ioctl $fd DRM_IOCTL_PANTHOR_VM_DESTROY id=$vm
free $args 4K
close $fd
