# Fill a system-memory object through mmap, copy it into VRAM and back into a second
# system-memory object with two copy-engine submits (the second waits on the first's syncobj),
# verify through mmap and print the simulated copy bandwidth. Pushbuffers are written with
# `mem write32` (headers: SEC_OP INC (1) << 29 | count << 16 | subchannel 4 << 13 | method >> 2).
open /dev/dri/renderD128 -> $fd
let $n = 1M
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_VM_CREATE -> id=$vm
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_CREATE size=$n -> handle=$src
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_CREATE size=$n flags=1 -> handle=$vram
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_CREATE size=$n -> handle=$dst
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_CREATE size=4K -> handle=$pb
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_CREATE size=4K -> handle=$sem
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_VM_BIND vm_id=$vm handle=$src va=0x1000000 range=$n
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_VM_BIND vm_id=$vm handle=$vram va=0x2000000 range=$n
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_VM_BIND vm_id=$vm handle=$dst va=0x3000000 range=$n
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_VM_BIND vm_id=$vm handle=$sem va=0x5000000 range=4K
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_CHANNEL_CREATE vm_id=$vm -> channel=$ch
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_MMAP_OFFSET handle=$src -> offset=$off
mmap $fd $off $n -> $srcp
fill $srcp $n seed=7
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_MMAP_OFFSET handle=$pb -> offset=$off
mmap $fd $off 4K -> $p
# submit 1 (15 dwords at 0): SET_OBJECT; copy 0x1000000 -> 0x2000000 (VRAM); semaphore = 1
mem write32 $p 0x20018000
mem write32 $p+4 0xc6b5
mem write32 $p+8 0x20048100
mem write32 $p+12 0
mem write32 $p+16 0x1000000
mem write32 $p+20 0
mem write32 $p+24 0x2000000
mem write32 $p+28 0x20018106
mem write32 $p+32 $n
mem write32 $p+36 0x20038090
mem write32 $p+40 0
mem write32 $p+44 0x5000000
mem write32 $p+48 1
mem write32 $p+52 0x200180c0
mem write32 $p+56 0x1ce
# submit 2 (13 dwords at 60): copy 0x2000000 (VRAM) -> 0x3000000; semaphore = 2
mem write32 $p+60 0x20048100
mem write32 $p+64 0
mem write32 $p+68 0x2000000
mem write32 $p+72 0
mem write32 $p+76 0x3000000
mem write32 $p+80 0x20018106
mem write32 $p+84 $n
mem write32 $p+88 0x20038090
mem write32 $p+92 0
mem write32 $p+96 0x5000000
mem write32 $p+100 2
mem write32 $p+104 0x200180c0
mem write32 $p+108 0x1ce
ioctl $fd DRM_IOCTL_SYNCOBJ_CREATE -> handle=$s1
ioctl $fd DRM_IOCTL_SYNCOBJ_CREATE -> handle=$s2
alloc 4K -> $args
mem write32 $args $s1
mem write32 $args+4 $s2
clock now -> $t0
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_SUBMIT channel=$ch handle=$pb offset=0 dwords=15 signals=$args signal_count=1
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_SUBMIT channel=$ch handle=$pb offset=60 dwords=13 waits=$args wait_count=1 signals=$args+4 signal_count=1
ioctl $fd DRM_IOCTL_SYNCOBJ_WAIT handles=$args+4 count_handles=1 timeout_nsec=0x7fffffffffffffff
clock now -> $t1
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_CHANNEL_GET_STATE channel=$ch -> state=$state
assert $state == 0 "channel still active"
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_MMAP_OFFSET handle=$dst -> offset=$off
mmap $fd $off $n -> $dstp
verify $dstp $n seed=7
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_GEM_MMAP_OFFSET handle=$sem -> offset=$off
mmap $fd $off 4K -> $semp
mem read32 $semp -> $payload
assert $payload == 2 "second copy released its semaphore"
let $dt = $t1 - $t0
let $moved = 2 * $n
let $scaled = $moved * 1000
let $mbps = $scaled / $dt
print "copied $moved bytes sysmem -> VRAM -> sysmem in $dt ns simulated: $mbps MB/s"
ioctl $fd DRM_IOCTL_NOVA_GPUEMU_CHANNEL_DESTROY channel=$ch
munmap $srcp $n
munmap $dstp $n
munmap $semp 4K
munmap $p 4K
free $args 4K
close $fd
