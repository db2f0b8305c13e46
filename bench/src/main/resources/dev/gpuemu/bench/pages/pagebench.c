/*
 * pagebench: the physical-limit baseline for gpuemu's page engine.
 *
 * Measures glibc memcpy and memset on 4 KiB pages in two size classes, the same ones the JMH
 * PageEngineBenchmark uses:
 *   l1    the same 4 KiB source and destination every time (cache resident);
 *   dram  each operation takes the next 4 KiB page of two large buffers (streaming from DRAM).
 * Output: one line per measurement, "<op> <size> <ns_per_page>", the median of several reps.
 *
 * Usage: pagebench [--mib N] [--reps R]     (default 512 MiB per buffer, 7 reps)
 * Built and run by `gpuemu bench pages` with: gcc -O2 -o pagebench pagebench.c
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 4096

/* glibc's functions through pointers: with the constant 4096-byte size, gcc -O2 inlines memcpy and
 * memset as `rep movsq` / `rep stosq` (objdump of the old build showed it), so glibc never ran. */
static void *(*volatile libc_memcpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile libc_memset)(void *, int, size_t) = memset;

/* Keeps the compiler from dropping or merging the measured calls. */
static inline void clobber(void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, n, sizeof v[0], cmp_double);
    return v[n / 2];
}

static void *alloc_pages(size_t bytes) {
    void *p = NULL;
    if (posix_memalign(&p, PAGE, bytes) != 0) {
        fprintf(stderr, "pagebench: cannot allocate %zu bytes\n", bytes);
        exit(2);
    }
    memset(p, 1, bytes); /* fault every page in before timing */
    return p;
}

int main(int argc, char **argv) {
    size_t mib = 512;
    int reps = 7;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mib") == 0 && i + 1 < argc) {
            mib = strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: pagebench [--mib N] [--reps R]\n");
            return 2;
        }
    }
    if (mib < 1 || reps < 1 || reps > 101) {
        fprintf(stderr, "pagebench: bad --mib or --reps\n");
        return 2;
    }
    double samples[101];

    /* L1-resident: 2M operations on the same page pair per rep. */
    char *src = alloc_pages(PAGE), *dst = alloc_pages(PAGE);
    const long l1_iters = 2000000;
    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        for (long i = 0; i < l1_iters; i++) {
            libc_memcpy(dst, src, PAGE);
            clobber(dst);
        }
        samples[r] = (now_ns() - t0) / l1_iters;
    }
    printf("memcpy l1 %.3f\n", median(samples, reps));
    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        for (long i = 0; i < l1_iters; i++) {
            libc_memset(dst, 0, PAGE);
            clobber(dst);
        }
        samples[r] = (now_ns() - t0) / l1_iters;
    }
    printf("memset l1 %.3f\n", median(samples, reps));

    /* DRAM-streaming: one pass over every page of two large buffers per rep. */
    size_t bytes = mib << 20, pages = bytes / PAGE;
    char *bsrc = alloc_pages(bytes), *bdst = alloc_pages(bytes);
    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        for (size_t p = 0; p < pages; p++) {
            libc_memcpy(bdst + p * PAGE, bsrc + p * PAGE, PAGE);
            clobber(bdst);
        }
        samples[r] = (now_ns() - t0) / pages;
    }
    printf("memcpy dram %.3f\n", median(samples, reps));
    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        for (size_t p = 0; p < pages; p++) {
            libc_memset(bdst + p * PAGE, 0, PAGE);
            clobber(bdst);
        }
        samples[r] = (now_ns() - t0) / pages;
    }
    printf("memset dram %.3f\n", median(samples, reps));
    free(src); free(dst); free(bsrc); free(bdst);
    return 0;
}
