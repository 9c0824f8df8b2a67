/*
 * replay.c - main() for a fuzz target built without libFuzzer: runs
 * LLVMFuzzerTestOneInput once on each file given, and on each file of each
 * folder given (in name order), then says how many.  A finding aborts, as
 * under the fuzzer.  `make check` replays tests/fuzz/regressions/ this
 * way, with any compiler.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static unsigned runs;

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t n = 0, cap = 0, k;
	if (!f) {
		perror(path);
		exit(2);
	}
	do {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			p = realloc(p, cap);
			if (!p) {
				fprintf(stderr, "%s: out of memory\n", path);
				exit(2);
			}
		}
		k = fread(p + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	fclose(f);
	if (getenv("HS_REPLAY_VERBOSE"))
		fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(p, n);
	free(p);
	runs++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	if (!d) {
		perror(path);
		exit(2);
	}
	while ((e = readdir(d)) != NULL) {
		char *full;
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		full = malloc(strlen(path) + strlen(e->d_name) + 2);
		names = realloc(names, sizeof(*names) * (n + 1));
		if (!full || !names) {
			fprintf(stderr, "%s: out of memory\n", path);
			exit(2);
		}
		sprintf(full, "%s/%s", path, e->d_name);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			names[n++] = full;
		else
			free(full);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		run_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	int i;
	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			run_dir(argv[i]);
		else
			run_file(argv[i]);
	}
	printf("%s: %u inputs replayed\n", argv[0], runs);
	return 0;
}
