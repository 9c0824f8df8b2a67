/*
 * first-touch.c - what the first write to a fresh page costs here, after
 * its page was made (MADV_POPULATE_WRITE) or not, for one array of 19.3M
 * uint32_t (77 MB: one per-object array of the 1.39 GB bench dump).  The
 * figures behind hs_mem_touch() (src/mem.c); bench/RESULTS.md has them.
 *
 *   cc -O2 -o /tmp/first-touch bench/first-touch.c && /tmp/first-touch
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static double pass(uint32_t *a, size_t n)
{
	double t0 = now();
	size_t i;
	for (i = 0; i < n; i++)
		a[i] = (uint32_t)i;
	return now() - t0;
}

static uint32_t *fresh(size_t n)
{
	void *p = mmap(NULL, n * 4, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int main(void)
{
	size_t n = 19316571, i;
	uint32_t *a = fresh(n), *b = fresh(n), *c = fresh(n);
	double t0, t, t1, t2;
	if (!a || !b || !c)
		return 1;
	t0 = now();
	madvise(a, n * 4 & ~(size_t)4095, MADV_POPULATE_WRITE);
	t = now() - t0;
	t1 = pass(a, n);
	t2 = pass(a, n);
	printf("populate %.3f s, first pass of stores %.3f s, second pass %.3f s\n", t, t1, t2);
	t0 = now();
	for (i = 0; i < n; i += 1024)
		b[i] = 0;
	t = now() - t0;
	t1 = pass(b, n);
	printf("one store per 4 KB page %.3f s, then a pass %.3f s\n", t, t1);
	t0 = now();
	madvise(c, n * 4 & ~(size_t)4095, MADV_POPULATE_WRITE);
	for (i = 0; i < n; i += 1024)
		c[i] = 0;
	t = now() - t0;
	t1 = pass(c, n);
	printf("populate, then one store per page %.3f s, then a pass %.3f s\n", t, t1);
	return 0;
}
