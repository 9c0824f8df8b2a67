/*
 * unit.c - what the unit suites share (unit.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

void tu_open(hw *w, const char *tag, char *path, size_t cap, hs_dump **d, hs_graph **g)
{
	hs_open_opts o;
	hs_error err;
	snprintf(path, cap, "%s/heapscan-check-%s-%ld.hprof", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", tag,
		 (long)getpid());
	ck_assert_int_eq(hw_write_file(w, path), 0);
	hw_free(w);
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	ck_assert_msg(hs_dump_open(d, path, &o, &err) == 0, "open: %s", err.msg);
	ck_assert_msg(hs_graph_build(g, *d, NULL, &err) == 0, "graph: %s", err.msg);
}

void tu_close(hs_dump **d, hs_graph **g, const char *path)
{
	hs_graph_free(*g);
	hs_dump_free(*d);
	*g = NULL;
	*d = NULL;
	unlink(path);
}
