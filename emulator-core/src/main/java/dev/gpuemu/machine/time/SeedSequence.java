package dev.gpuemu.machine.time;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/// Derives independent, reproducible random streams for components from one master seed, so a
/// whole machine run is reproducible from a single number and adding a component does not shift
/// the random numbers every other component sees.
///
/// ## Derivation (stable across JVMs and releases; changing it changes every recorded run)
/// `seedFor(stream) = mix64(mix64(masterSeed) ^ fnv1a64(utf8(stream)))`, where `fnv1a64` is
/// 64-bit FNV-1a (offset basis `0xcbf29ce484222325`, prime `0x100000001b3`) over the UTF-8 bytes
/// of the stream name, and `mix64` is the 64-bit finaliser of `SplittableRandom`/SplitMix64
/// (Stafford variant 13). `String.hashCode` is deliberately not used: 32 bits collide too easily
/// and it is not the hash we want to promise.
/// [#random] returns a [SplittableRandom] seeded with `seedFor(stream)`.
///
/// ## Thread safety
/// Immutable. Each generator returned by [#random] is a new object and is not thread-safe; use it
/// from one thread (normally the clock thread).
public final class SeedSequence {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final long masterSeed;

    /// @param masterSeed the seed of the whole run
    public SeedSequence(long masterSeed) {
        this.masterSeed = masterSeed;
    }

    /// @return the master seed this sequence was created with
    public long masterSeed() {
        return masterSeed;
    }

    /// @param stream the component's stream name, for example `"edu.dma-latency"`
    /// @return the seed of that stream
    public long seedFor(String stream) {
        return mix64(mix64(masterSeed) ^ fnv1a64(stream));
    }

    /// @param stream the component's stream name
    /// @return a fresh generator for that stream; two calls with the same name return
    ///     generators producing the same sequence
    public RandomGenerator random(String stream) {
        return new SplittableRandom(seedFor(stream));
    }

    static long fnv1a64(String s) {
        long h = FNV_OFFSET;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
