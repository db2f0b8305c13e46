package dev.gpuemu.kernel.sync;

/// Left padding of a [SrcuSlot]: 128 bytes so that the counters in [SrcuSlotCounters] never share
/// a cache line (or the adjacent-line prefetch pair) with whatever object precedes the slot.
///
/// HotSpot lays out superclass fields before subclass fields, so this class's fields sit
/// between the object header and the counters. The fields are never read or written.
@SuppressWarnings("unused")
abstract class SrcuSlotPadding {
    long p00, p01;
    long p02, p03;
    long p04, p05;
    long p06, p07;
    long p08, p09;
    long p10, p11;
    long p12, p13;
    long p14, p15;
}
