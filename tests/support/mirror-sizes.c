/*
 * mirror-sizes DUMP: prints "NAME MIRROR_SIZE" for every class object of
 * the dump, in the JVM's Class.getName() notation ([I, [Ljava.lang.String;),
 * to compare heapscan's size of each java.lang.Class instance with the
 * JVM's own figure (Instrumentation.getObjectSize(Class), see
 * tests/support/MirrorProbe.java).  A test tool, not part of heapscan.
 */
#include <stdio.h>
#include <string.h>

#include "heapscan/dump.h"

static void jvm_name(const char *n, char *out, size_t cap)
{
	size_t len = strlen(n), dims = 0, o = 0;
	static const char *const prim[][2] = {
		{ "boolean", "Z" }, { "byte", "B" }, { "char", "C" }, { "short", "S" },
		{ "int", "I" }, { "long", "J" }, { "float", "F" }, { "double", "D" },
	};
	size_t i;
	while (len >= 2 && strcmp(n + len - 2, "[]") == 0) {
		len -= 2;
		dims++;
	}
	if (dims == 0) {
		snprintf(out, cap, "%s", n);
		return;
	}
	for (i = 0; i < dims && o + 1 < cap; i++)
		out[o++] = '[';
	for (i = 0; i < sizeof(prim) / sizeof(prim[0]); i++) {
		if (strlen(prim[i][0]) == len && strncmp(n, prim[i][0], len) == 0) {
			snprintf(out + o, cap - o, "%s", prim[i][1]);
			return;
		}
	}
	snprintf(out + o, cap - o, "L%.*s;", (int)len, n);
}

int main(int argc, char **argv)
{
	hs_dump *d;
	hs_error err;
	uint32_t i, n;
	char name[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: mirror-sizes DUMP\n");
		return 2;
	}
	if (hs_dump_open(&d, argv[1], NULL, &err) != 0) {
		fprintf(stderr, "mirror-sizes: %s\n", err.msg);
		return 1;
	}
	n = hs_dump_class_count(d);
	for (i = 0; i < n; i++) {
		const hs_class *k = hs_dump_class(d, i);
		if (!k->has_dump)
			continue;
		jvm_name(k->name, name, sizeof(name));
		printf("%s %u\n", name, (unsigned)k->mirror_size);
	}
	hs_dump_free(d);
	return 0;
}
