/* The host's kernel-crossing floor for `gpuemu bench ioctl`: ns per ioctl(2) that the kernel
 * refuses at once (ENOTTY: /dev/null has no ioctl handler). Prints the median of several rounds:
 *   syscall_floor_ns <median> <min> <max>
 * Usage: ioctlfloor [calls-per-round] [rounds]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* DRM_IOCTL_VERSION's number: not one of the generic ioctls the VFS answers itself. */
#define CMD 0xC0406400UL

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 1000000;
    int rounds = argc > 2 ? atoi(argv[2]) : 7;
    if (calls <= 0 || rounds <= 0 || rounds > 100) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0) {
        perror("open /dev/null");
        return 1;
    }
    char arg[64] = {0};
    if (ioctl(fd, CMD, arg) != -1 || errno != ENOTTY) {
        fprintf(stderr, "ioctl on /dev/null did not answer ENOTTY (errno %d)\n", errno);
        return 1;
    }
    for (long i = 0; i < calls / 10; i++) { /* warm-up */
        ioctl(fd, CMD, arg);
    }
    double per[100];
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        for (long i = 0; i < calls; i++) {
            ioctl(fd, CMD, arg);
        }
        per[r] = (now_ns() - t0) / calls;
    }
    qsort(per, rounds, sizeof per[0], cmp);
    printf("syscall_floor_ns %.2f %.2f %.2f\n", per[rounds / 2], per[0], per[rounds - 1]);
    close(fd);
    return 0;
}
