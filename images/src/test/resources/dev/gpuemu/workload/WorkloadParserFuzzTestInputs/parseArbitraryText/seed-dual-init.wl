# Init workload of the dual image: both GPUs answer.
open /dev/dri/renderD128 -> $render
ioctl $render DRM_IOCTL_VERSION -> name_len=$name_len version_major=$major
assert $name_len == 7 "renderD128 is panthor (Mali-G610, tyr)"
assert $major == 1 "panthor uAPI major 1"
close $render
mmio read32 nova-core/bar0 0x0 -> $boot0
assert $boot0 == 0x172000a1 "NV_PMC_BOOT_0 is GA102 rev a1"
mmio read32 nova-core/bar0 0x1440 -> $done
assert $done == 3 "SEC2 booter and GSP ran"
print "dual: panthor on renderD128, nova-core up on the GA102"
