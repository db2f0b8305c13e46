# A vgem dumb buffer from userspace, like an IGT test: create, map, fill, verify, close.
# Run: ./gpuemu run --image vgem docs/examples/vgem-dumb.wl
open /dev/dri/card0 -> $fd
ioctl $fd DRM_IOCTL_MODE_CREATE_DUMB width=64 height=64 bpp=32 -> handle=$h size=$size pitch=$pitch
assert $pitch == 256 "64 pixels of 4 bytes"
ioctl $fd DRM_IOCTL_MODE_MAP_DUMB handle=$h -> offset=$off
mmap $fd $off $size -> $p
fill $p $size seed=7
verify $p $size seed=7
munmap $p $size
ioctl $fd DRM_IOCTL_GEM_CLOSE handle=$h
ioctl $fd DRM_IOCTL_GEM_CLOSE handle=$h expect EINVAL
close $fd
