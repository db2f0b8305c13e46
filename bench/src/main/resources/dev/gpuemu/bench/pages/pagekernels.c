/*
 * pagekernels: per-batch C kernels for gpuemu's paired page-engine measurement (PairedRatios).
 *
 * Built by `gpuemu bench pages` with: gcc -O2 -shared -fPIC -o libpagekernels.so pagekernels.c
 * and called through FFM, one downcall per batch: every function loops over `pages` 4 KiB pages
 * itself, page i at byte offset i * stride (stride 0: the same page again, the l1 class;
 * stride 4096: streaming, the dram class), so the downcall cost is amortised over the batch.
 *
 *   pk_memcpy_pages / pk_memset_pages   glibc memcpy / memset (the baseline of the goals)
 *   pk_movsb_pages / pk_stosb_pages     a bare `rep movsb` / `rep stosb` (diagnostic)
 *   pk_vcopy_pages / pk_vzero_pages     plain vector loads and stores, no rep movsb/stosb and no
 *                                       libc call (diagnostic: does glibc win by rep strings?)
 *   pk_memcmp_pages                     glibc memcmp over a page pair (scan reference)
 *   pk_iszero_pages                     OR-reduce is-zero loop, vectorised by gcc (scan reference)
 *   pk_iszero4_pages                    is-zero OR-ing 4 vectors per step, as VectorPageOps does
 *   pk_variant                          which vector width the kernels above use
 *
 * Scans return how many pages were not equal / not zero (0 expected), so nothing is dead code.
 * The clobber after every page keeps gcc from merging, hoisting or dropping the per-page work.
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define PAGE 4096

static inline void clobber(const void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

/* The libc functions through pointers: with a constant 4096-byte size, gcc -O2 would otherwise
 * inline memcpy/memset as `rep movsq`/`rep stosq` (objdump shows it does) and glibc's own
 * implementation would never run. */
static void *(*volatile libc_memcpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile libc_memset)(void *, int, size_t) = memset;
static int (*volatile libc_memcmp)(const void *, const void *, size_t) = memcmp;

void pk_memcpy_pages(char *dst, const char *src, long pages, long stride) {
    for (long i = 0; i < pages; i++) {
        libc_memcpy(dst + i * stride, src + i * stride, PAGE);
        clobber(dst + i * stride);
    }
}

void pk_memset_pages(char *dst, long pages, long stride) {
    for (long i = 0; i < pages; i++) {
        libc_memset(dst + i * stride, 0, PAGE);
        clobber(dst + i * stride);
    }
}

long pk_memcmp_pages(const char *a, const char *b, long pages, long stride) {
    long unequal = 0;
    for (long i = 0; i < pages; i++) {
        unequal += libc_memcmp(a + i * stride, b + i * stride, PAGE) != 0;
        clobber(a + i * stride);
    }
    return unequal;
}

void pk_movsb_pages(char *dst, const char *src, long pages, long stride) {
    for (long i = 0; i < pages; i++) {
        void *d = dst + i * stride;
        const void *s = src + i * stride;
        size_t n = PAGE;
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    }
}

void pk_stosb_pages(char *dst, long pages, long stride) {
    for (long i = 0; i < pages; i++) {
        void *d = dst + i * stride;
        size_t n = PAGE;
        __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(0) : "memory");
    }
}

/* Plain vector stores/loads. no-tree-loop-distribute-patterns: gcc must not turn the loops back
 * into memset/memcpy calls (checked with objdump: no call, no rep in these functions). */
#define NO_LIBC __attribute__((noinline, optimize("no-tree-loop-distribute-patterns")))

NO_LIBC __attribute__((target("avx512f")))
static void vzero_avx512(char *dst, long pages, long stride) {
    const __m512i z = _mm512_setzero_si512();
    for (long i = 0; i < pages; i++) {
        char *d = dst + i * stride;
        for (int k = 0; k < PAGE; k += 256) {
            _mm512_storeu_si512((void *)(d + k), z);
            _mm512_storeu_si512((void *)(d + k + 64), z);
            _mm512_storeu_si512((void *)(d + k + 128), z);
            _mm512_storeu_si512((void *)(d + k + 192), z);
        }
        clobber(d);
    }
}

NO_LIBC __attribute__((target("avx512f")))
static void vcopy_avx512(char *dst, const char *src, long pages, long stride) {
    for (long i = 0; i < pages; i++) {
        char *d = dst + i * stride;
        const char *s = src + i * stride;
        for (int k = 0; k < PAGE; k += 256) {
            __m512i a = _mm512_loadu_si512((const void *)(s + k));
            __m512i b = _mm512_loadu_si512((const void *)(s + k + 64));
            __m512i c = _mm512_loadu_si512((const void *)(s + k + 128));
            __m512i e = _mm512_loadu_si512((const void *)(s + k + 192));
            _mm512_storeu_si512((void *)(d + k), a);
            _mm512_storeu_si512((void *)(d + k + 64), b);
            _mm512_storeu_si512((void *)(d + k + 128), c);
            _mm512_storeu_si512((void *)(d + k + 192), e);
        }
        clobber(d);
    }
}

NO_LIBC __attribute__((target("avx2")))
static void vzero_avx2(char *dst, long pages, long stride) {
    const __m256i z = _mm256_setzero_si256();
    for (long i = 0; i < pages; i++) {
        char *d = dst + i * stride;
        for (int k = 0; k < PAGE; k += 128) {
            _mm256_storeu_si256((__m256i *)(d + k), z);
            _mm256_storeu_si256((__m256i *)(d + k + 32), z);
            _mm256_storeu_si256((__m256i *)(d + k + 64), z);
            _mm256_storeu_si256((__m256i *)(d + k + 96), z);
        }
        clobber(d);
    }
}

NO_LIBC __attribute__((target("avx2")))
static void vcopy_avx2(char *dst, const char *src, long pages, long stride) {
    for (long i = 0; i < pages; i++) {
        char *d = dst + i * stride;
        const char *s = src + i * stride;
        for (int k = 0; k < PAGE; k += 128) {
            __m256i a = _mm256_loadu_si256((const __m256i *)(s + k));
            __m256i b = _mm256_loadu_si256((const __m256i *)(s + k + 32));
            __m256i c = _mm256_loadu_si256((const __m256i *)(s + k + 64));
            __m256i e = _mm256_loadu_si256((const __m256i *)(s + k + 96));
            _mm256_storeu_si256((__m256i *)(d + k), a);
            _mm256_storeu_si256((__m256i *)(d + k + 32), b);
            _mm256_storeu_si256((__m256i *)(d + k + 64), c);
            _mm256_storeu_si256((__m256i *)(d + k + 96), e);
        }
        clobber(d);
    }
}

/* Is-zero: a plain OR-reduce that gcc vectorises (-O3 and the vector ISA via attributes). */
#define ISZERO_BODY                                                   \
    long nonzero = 0;                                                 \
    for (long i = 0; i < pages; i++) {                                \
        const uint64_t *p = (const uint64_t *)(s + i * stride);      \
        uint64_t acc = 0;                                             \
        for (int k = 0; k < PAGE / 8; k++) {                          \
            acc |= p[k];                                              \
        }                                                             \
        nonzero += acc != 0;                                          \
        clobber(p);                                                   \
    }                                                                 \
    return nonzero;

__attribute__((noinline, optimize("O3"), target("avx512f,avx512bw,prefer-vector-width=512")))
static long iszero_avx512(const char *s, long pages, long stride) { ISZERO_BODY }

__attribute__((noinline, optimize("O3"), target("avx2")))
static long iszero_avx2(const char *s, long pages, long stride) { ISZERO_BODY }

__attribute__((noinline, optimize("O3")))
static long iszero_sse2(const char *s, long pages, long stride) { ISZERO_BODY }

static int width(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 512 : __builtin_cpu_supports("avx2") ? 256 : 128;
}

/* Fallback without AVX2: a volatile-free 16-byte loop gcc keeps as SSE2 moves. */
NO_LIBC static void vzero_sse2(char *dst, long pages, long stride) {
    for (long i = 0; i < pages; i++) {
        char *d = dst + i * stride;
        for (int k = 0; k < PAGE; k += 16) {
            _mm_storeu_si128((__m128i *)(d + k), _mm_setzero_si128());
        }
        clobber(d);
    }
}

NO_LIBC static void vcopy_sse2(char *dst, const char *src, long pages, long stride) {
    for (long i = 0; i < pages; i++) {
        char *d = dst + i * stride;
        for (int k = 0; k < PAGE; k += 16) {
            _mm_storeu_si128((__m128i *)(d + k), _mm_loadu_si128((const __m128i *)(src + i * stride + k)));
        }
        clobber(d);
    }
}

void pk_vzero_pages(char *dst, long pages, long stride) {
    int w = width();
    if (w == 512) vzero_avx512(dst, pages, stride);
    else if (w == 256) vzero_avx2(dst, pages, stride);
    else vzero_sse2(dst, pages, stride);
}

void pk_vcopy_pages(char *dst, const char *src, long pages, long stride) {
    int w = width();
    if (w == 512) vcopy_avx512(dst, src, pages, stride);
    else if (w == 256) vcopy_avx2(dst, src, pages, stride);
    else vcopy_sse2(dst, src, pages, stride);
}

long pk_iszero_pages(const char *s, long pages, long stride) {
    int w = width();
    return w == 512 ? iszero_avx512(s, pages, stride)
         : w == 256 ? iszero_avx2(s, pages, stride)
                    : iszero_sse2(s, pages, stride);
}

/* Four loads OR-ed per step into one accumulator: two loads per cycle are possible, where the
 * single-accumulator loop above is bound by its one-cycle OR chain to one load per cycle. */
__attribute__((noinline, target("avx512f")))
static long iszero4_avx512(const char *s, long pages, long stride) {
    long nonzero = 0;
    for (long i = 0; i < pages; i++) {
        const char *p = s + i * stride;
        __m512i acc = _mm512_setzero_si512();
        for (int k = 0; k < PAGE; k += 256) {
            __m512i a = _mm512_or_si512(_mm512_loadu_si512((const void *)(p + k)),
                                        _mm512_loadu_si512((const void *)(p + k + 64)));
            __m512i b = _mm512_or_si512(_mm512_loadu_si512((const void *)(p + k + 128)),
                                        _mm512_loadu_si512((const void *)(p + k + 192)));
            acc = _mm512_or_si512(acc, _mm512_or_si512(a, b));
        }
        nonzero += _mm512_test_epi64_mask(acc, acc) != 0;
        clobber(p);
    }
    return nonzero;
}

long pk_iszero4_pages(const char *s, long pages, long stride) {
    return width() == 512 ? iszero4_avx512(s, pages, stride) : pk_iszero_pages(s, pages, stride);
}

int pk_variant(void) { return width(); }
