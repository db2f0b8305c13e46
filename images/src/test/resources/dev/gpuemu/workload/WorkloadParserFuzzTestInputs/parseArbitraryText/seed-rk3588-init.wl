# Init workload of the rk3588 image: the panthor DRM device answers on its render node.
# (Richer Mali workloads, with the panthor ioctls, come with the panthor uAPI's workloads.)
open /dev/dri/renderD128 -> $render
ioctl $render DRM_IOCTL_VERSION -> name_len=$name_len version_major=$major version_minor=$minor
assert $name_len == 7 "driver name is 'panthor'"
assert $major == 1 "panthor uAPI major 1"
assert $minor == 5 "panthor uAPI minor 5"
close $render
print "rk3588: panthor DRM device up on renderD128"
