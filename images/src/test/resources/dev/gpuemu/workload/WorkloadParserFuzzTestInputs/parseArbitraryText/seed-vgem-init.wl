# Init workload of the vgem image: a smoke test of the DRM stack from userspace.
# Version query on the render node, then a dumb buffer on the primary node: create, map,
# write a seeded pattern through the CPU mapping, read it back, free it.
open /dev/dri/renderD128 -> $render
ioctl $render DRM_IOCTL_VERSION -> name_len=$name_len
assert $name_len == 4 "driver name is 'vgem'"
ioctl $render DRM_IOCTL_MODE_CREATE_DUMB width=64 height=64 bpp=32 expect EACCES
close $render
open /dev/dri/card0 -> $fd
ioctl $fd DRM_IOCTL_MODE_CREATE_DUMB width=256 height=256 bpp=32 -> handle=$h size=$size
assert $size == 262144 "256x256 at 4 bytes per pixel"
ioctl $fd DRM_IOCTL_MODE_MAP_DUMB handle=$h -> offset=$off
mmap $fd $off $size -> $p
fill $p $size
verify $p $size
munmap $p $size
ioctl $fd DRM_IOCTL_GEM_CLOSE handle=$h
close $fd
print "vgem: dumb buffer of $size bytes written and verified through mmap"
