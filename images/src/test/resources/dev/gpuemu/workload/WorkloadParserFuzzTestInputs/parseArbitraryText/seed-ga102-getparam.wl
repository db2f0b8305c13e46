# nova's upstream uAPI (nova_drm.h) on the render node: GETPARAM and GEM_INFO, with a bad param,
# a zero size and an unknown handle (docs/devices/nvidia-ga102-drm.md).
open /dev/dri/renderD128 -> $fd
ioctl $fd DRM_IOCTL_NOVA_GETPARAM param=1 -> value=$bar1
assert $bar1 == 0x10000000 "NOVA_GETPARAM_VRAM_BAR_SIZE is BAR1's 256 MiB"
ioctl $fd DRM_IOCTL_NOVA_GETPARAM param=2 expect EINVAL
ioctl $fd DRM_IOCTL_NOVA_GETPARAM param=0 expect EINVAL
ioctl $fd DRM_IOCTL_NOVA_GEM_CREATE size=5000 -> handle=$h
ioctl $fd DRM_IOCTL_NOVA_GEM_INFO handle=$h -> size=$size
assert $size == 8192 "GEM_CREATE rounds up to 4 KiB"
ioctl $fd DRM_IOCTL_NOVA_GEM_CREATE size=0 expect EINVAL
ioctl $fd DRM_IOCTL_NOVA_GEM_INFO handle=0 expect ENOENT
ioctl $fd DRM_IOCTL_NOVA_GEM_INFO handle=99 expect ENOENT
ioctl $fd DRM_IOCTL_GEM_CLOSE handle=$h
ioctl $fd DRM_IOCTL_NOVA_GEM_INFO handle=$h expect ENOENT
print "nova: VRAM BAR $bar1 bytes, object of 5000 bytes is $size"
close $fd
