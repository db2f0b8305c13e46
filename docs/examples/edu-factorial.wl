# The edu test device's factorial unit, driven from outside the kernel like a QEMU qtest.
# Run: ./gpuemu run docs/examples/edu-factorial.wl
# The edu driver is bound and owns INTA (line 16); masking the line keeps its handler out
# while the script watches the level itself.
irq mask 16
mmio read32 edu/bar0 0x00 -> $id
assert $id == 0x010000ed "edu ID register"
mmio write32 edu/bar0 0x20 0x80          # STATUS: raise an interrupt when the factorial is done
mmio write32 edu/bar0 0x08 10            # start computing 10!
mmio read32 edu/bar0 0x20 -> $status
assert $status == 0x81 "COMPUTING while the unit works"
irq expect low 16
clock step 1us                           # 10 * 10 cycles of the 100 MHz domain
irq expect high 16
mmio read32 edu/bar0 0x08 -> $v
assert $v == 3628800 "factorial by MMIO"
mmio write32 edu/bar0 0x64 1             # IRQ_ACK
irq expect low 16
irq unmask 16
print "10! = $v"
