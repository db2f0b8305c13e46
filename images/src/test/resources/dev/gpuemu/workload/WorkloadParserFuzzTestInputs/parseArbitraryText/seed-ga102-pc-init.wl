# Init workload of the ga102-pc image: nova-core bound and mapped BAR0; the chip answers.
mmio read32 nova-core/bar0 0x0 -> $boot0
assert $boot0 == 0x172000a1 "NV_PMC_BOOT_0 is GA102 rev a1"
mmio read32 nova-core/bar0 0x118234 -> $gfw
assert $gfw == 0xff "GFW boot completed"
mmio read32 nova-core/bar0 0x1440 -> $done
assert $done == 3 "SEC2 booter and GSP ran (SW_SCRATCH[0x10])"
print "ga102-pc: nova-core up, GA102 rev a1, falcons booted"
