# A copy to a GPU VA the VM does not map: the GMMU faults, the channel stops, the submit's fence
# signals with an error (the syncobj wait returns), CHANNEL_GET_STATE reports the fault and its
# VA, later submits fail with EIO, and the source is unchanged.
open /dev/dri/renderD128 -> $fd
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_VM_CREATE -> id=$vm
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_CREATE size=64K -> handle=$src
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_CREATE size=4K -> handle=$pb
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_VM_BIND vm_id=$vm handle=$src va=0x1000000 range=64K
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_CHANNEL_CREATE vm_id=$vm -> channel=$ch
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_MMAP_OFFSET handle=$src -> offset=$off
mmap $fd $off 64K -> $srcp
fill $srcp 64K seed=3
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_MMAP_OFFSET handle=$pb -> offset=$off
mmap $fd $off 4K -> $p
# copy 0x1000000 -> 0x7000000 (not mapped), semaphore at 0x1000000 (mapped), 13 dwords
mem write32 $p 0x20048100
mem write32 $p+4 0
mem write32 $p+8 0x1000000
mem write32 $p+12 0
mem write32 $p+16 0x7000000
mem write32 $p+20 0x20018106
mem write32 $p+24 0x10000
mem write32 $p+28 0x20038090
mem write32 $p+32 0
mem write32 $p+36 0x1000000
mem write32 $p+40 1
mem write32 $p+44 0x200180c0
mem write32 $p+48 0x1ce
ioctl $fd DRM_IOCTL_SYNCOBJ_CREATE -> handle=$s
alloc 4K -> $args
mem write32 $args $s
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_SUBMIT channel=$ch handle=$pb dwords=13 signals=$args signal_count=1
ioctl $fd DRM_IOCTL_SYNCOBJ_WAIT handles=$args count_handles=1 timeout_nsec=0x7fffffffffffffff
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_CHANNEL_GET_STATE channel=$ch -> state=$state fault_va=$va error=$err
assert $state == 1 "NOVA_GPUEMU_CHANNEL_STATE_FAULTED"
assert $va >= 0x7000000 "fault in the unmapped destination"
assert $va < 0x7010000
assert $err == 1 "host ERROR_MMU_FAULT"
print "channel $ch faulted at GPU VA $va (error $err)"
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_SUBMIT channel=$ch handle=$pb dwords=13 expect EIO
verify $srcp 64K seed=3
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_CHANNEL_DESTROY channel=$ch
munmap $srcp 64K
munmap $p 4K
free $args 4K
close $fd
