# Init workload of the edu image: the factorial unit driven through its BAR, like a qtest.
# The edu driver owns INTA (line 16); masking the line keeps its handler out while the
# workload watches the level itself.
irq mask 16
mmio read32 edu/bar0 0x00 -> $id
assert $id == 0x010000ed "edu ID register"
mmio write32 edu/bar0 0x20 0x80
mmio write32 edu/bar0 0x08 12
clock step 2us
irq expect high 16
mmio read32 edu/bar0 0x08 -> $v
assert $v == 479001600 "12! by MMIO"
mmio write32 edu/bar0 0x64 1
irq expect low 16
irq unmask 16
print "edu: 12! = $v"
