# Query the Mali-G610 through panthor's DEV_QUERY with the size protocol (docs/workloads.md).
open /dev/dri/card0 -> $fd
ioctl $fd DRM_IOCTL_PANTHOR_DEV_QUERY type=0 pointer=0 -> size=$size
assert $size == 104 "sizeof(struct drm_panthor_gpu_info)"
alloc 4K -> $info
ioctl $fd DRM_IOCTL_PANTHOR_DEV_QUERY type=0 size=$size pointer=$info
struct read drm_panthor_gpu_info $info -> gpu_id=$id l2_features=$l2 tiler_features=$tiler mem_features=$mem mmu_features=$mmu as_present=$as shader_present=$sp l2_present=$l2p tiler_present=$tp
assert $id == 0xa8670005 "GPU_ID of the G610"
assert $l2 == 0x07120306
assert $tiler == 0x809
assert $mem == 0x301
assert $mmu == 0x2830
assert $as == 0xff
assert $sp == 0x50005
assert $l2p == 1
assert $tp == 1
print "gpu_id $id shader_present $sp l2_present $l2p tiler_present $tp"
ioctl $fd DRM_IOCTL_PANTHOR_DEV_QUERY type=1 pointer=0 -> size=$csif
assert $csif == 24 "sizeof(struct drm_panthor_csif_info)"
ioctl $fd DRM_IOCTL_PANTHOR_DEV_QUERY type=9 pointer=0 expect EINVAL
free $info 4K
close $fd
