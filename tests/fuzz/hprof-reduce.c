/*
 * hprof-reduce.c - `hprof-reduce [-n MAX] IN OUT`: a small dump from a big
 * one, for fuzzing seeds: at most MAX (default 3000) instances and arrays,
 * those nearest the GC roots, with every class, root and string still
 * named (hm_reduce()).  IN is a plain (uncompressed) HPROF file.
 * Exit status 0, or 2 with a message on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hprof_mutate.h"

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t n = 0, cap = 0;
	if (!f)
		return NULL;
	for (;;) {
		size_t k;
		if (n == cap) {
			unsigned char *np = realloc(p, cap = cap ? 2 * cap : 1u << 20);
			if (!np) {
				free(p);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			p = np;
		}
		k = fread(p + n, 1, cap - n, f);
		n += k;
		if (k == 0)
			break;
	}
	if (ferror(f)) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*len = n;
	return p;
}

int main(int argc, char **argv)
{
	size_t max = 3000, len, out_len;
	unsigned char *in, *out;
	hm_dump *m;
	FILE *f;
	int a = 1;
	if (argc == 5 && !strcmp(argv[1], "-n")) {
		max = strtoul(argv[2], NULL, 10);
		a = 3;
	}
	if (argc - a != 2) {
		fprintf(stderr, "usage: hprof-reduce [-n MAX] IN OUT\n");
		return 2;
	}
	in = slurp(argv[a], &len);
	if (!in) {
		fprintf(stderr, "hprof-reduce: %s: %s\n", argv[a], strerror(errno));
		return 2;
	}
	m = hm_parse(in, len);
	if (!m || hm_reduce(m, max) < 0) {
		fprintf(stderr, "hprof-reduce: out of memory\n");
		return 2;
	}
	out_len = hm_size(m);
	out = malloc(out_len ? out_len : 1);
	if (!out) {
		fprintf(stderr, "hprof-reduce: out of memory\n");
		return 2;
	}
	hm_write(m, out);
	f = fopen(argv[a + 1], "wb");
	if (!f || fwrite(out, 1, out_len, f) != out_len || fclose(f) != 0) {
		fprintf(stderr, "hprof-reduce: %s: %s\n", argv[a + 1], strerror(errno));
		return 2;
	}
	hm_free(m);
	free(out);
	free(in);
	return 0;
}
