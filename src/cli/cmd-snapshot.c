/*
 * cmd-snapshot.c - `heapscan snapshot DUMP -o FILE`: a small summary of a
 * dump that CI keeps instead of the dump (format: include/heapscan/snapshot.h).
 */
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/summary.h"
#include "cmd.h"

enum { O_OUTPUT = HS_OPT_CMD };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ O_OUTPUT, "output", "FILE", "write the snapshot to FILE (also -o FILE), all or nothing; required" },
	{ 0, NULL, NULL, NULL }
};

static int run(const hs_args *a, hs_error *err)
{
	hs_summary s;
	int rc;
	char b1[32], b2[48], b3[48], b4[48], b5[48];
	if (!a->val[O_OUTPUT])
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "snapshot needs -o FILE");
	if (a->npos > 1)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "too many arguments: '%s'", a->pos[1]);
	rc = hs_cli_summary(&s, a->npos ? a->pos[0] : NULL, a, NULL, 0, err);
	if (rc < 0)
		return rc;
	rc = hs_summary_write(&s, a->val[O_OUTPUT], err);
	if (rc == 0 && !a->set[HS_OPT_QUIET]) {
		hs_fmt_printf(stderr, "heapscan: wrote %s: %s, %s, %s; reachable heap %s (%s)",
			a->val[O_OUTPUT], hs_fmt_counted(b3, sizeof(b3), s.nclasses, "class", "classes"),
			hs_fmt_counted(b4, sizeof(b4), s.nthreads, "thread", "threads"),
			hs_fmt_counted(b5, sizeof(b5), s.nsuspects, "suspect", "suspects"),
			hs_fmt_bytes(b1, sizeof(b1), s.reachable_bytes),
			hs_fmt_counted(b2, sizeof(b2), s.reachable_objects, "object", "objects"));
		if (s.truncated)   /* recorded in the snapshot: check and diff warn */
			hs_fmt_printf(stderr, "; the dump is cut short at offset %llu", (unsigned long long)s.truncated_at);
		fputc('\n', stderr);
	}
	hs_summary_release(&s);
	return rc;
}

const struct hs_cmd hs_cmd_snapshot = {
	.name = "snapshot",
	.summary = "write a small summary of a dump for CI (readable by diff and check)",
	.usage = "[options] [DUMP] -o FILE",
	.description = "The snapshot holds totals, per-class instances/shallow/retained bytes, threads,\n"
		       "class loaders, top dominators and suspects: a few hundred KB at most, zstd-compressed\n"
		       "text (format in heapscan(1)).  diff and check accept it wherever a DUMP is accepted.\n"
		       "FILE is replaced only once the new snapshot is complete and on disk: an error\n"
		       "or an interruption leaves the old FILE as it was.",
	.opts = opts,
	.run = run,
};
