/*
 * cmd-snapshot.c - `heapscan snapshot DUMP -o FILE`: a small summary of a
 * dump that CI keeps instead of the dump (format: include/heapscan/snapshot.h).
 */
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/result.h"
#include "heapscan/summary.h"
#include "cmd.h"

enum { O_OUTPUT = HS_OPT_CMD };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ O_OUTPUT, "output", "FILE", "write the snapshot to FILE (also -o FILE), all or nothing; required" },
	{ HS_OPT_JSON, "json", NULL, "say what was written as JSON on stdout (else a line on stderr)" },
	{ 0, NULL, NULL, NULL }
};

/* What the snapshot holds. */
static hs_result *result(const hs_summary *s, const char *output)
{
	hs_result *r = hs_res_new("snapshot");
	hs_node *root = hs_res_root(r);

	hs_res_str(root, "dump", s->dump);
	hs_res_str(root, "output", output);
	hs_res_u64(root, "classes_total", s->nclasses);
	hs_res_u64(root, "threads_total", s->nthreads);
	hs_res_u64(root, "suspects_total", s->nsuspects);
	hs_res_u64(root, "reachable_bytes", s->reachable_bytes);
	hs_res_u64(root, "reachable_objects", s->reachable_objects);
	if (s->truncated)   /* recorded in the snapshot: check and diff warn */
		hs_res_u64(root, "truncated_at", s->truncated_at);
	else
		hs_res_null(root, "truncated_at");
	return r;
}

/* "heapscan: wrote FILE: ..." on stderr. */
static void note(const hs_result *r)
{
	const hs_node *root = hs_res_root((hs_result *)r), *cut = hs_node_get(root, "truncated_at");
	char b[5][48];
	hs_fmt_printf(stderr, "heapscan: wrote %s: %s, %s, %s; reachable heap %s (%s)",
		      hs_node_str(hs_node_get(root, "output")),
		      hs_fmt_counted(b[0], sizeof(b[0]), hs_node_u64(hs_node_get(root, "classes_total")), "class", "classes"),
		      hs_fmt_counted(b[1], sizeof(b[1]), hs_node_u64(hs_node_get(root, "threads_total")), "thread", "threads"),
		      hs_fmt_counted(b[2], sizeof(b[2]), hs_node_u64(hs_node_get(root, "suspects_total")), "suspect", "suspects"),
		      hs_fmt_bytes(b[3], sizeof(b[3]), hs_node_u64(hs_node_get(root, "reachable_bytes"))),
		      hs_fmt_counted(b[4], sizeof(b[4]), hs_node_u64(hs_node_get(root, "reachable_objects")), "object", "objects"));
	if (!hs_node_is_null(cut))
		fprintf(stderr, "; the dump is cut short at offset %llu", (unsigned long long)hs_node_u64(cut));
	fputc('\n', stderr);
}

static int run(const hs_args *a, hs_error *err)
{
	hs_summary s;
	hs_result *r;
	int rc;
	if (!a->val[O_OUTPUT])
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "snapshot needs -o FILE");
	if (a->npos > 1)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "too many arguments: '%s'", a->pos[1]);
	rc = hs_cli_summary(&s, a->npos ? a->pos[0] : NULL, a, NULL, 0, err);
	if (rc < 0)
		return rc;
	rc = hs_summary_write(&s, a->val[O_OUTPUT], err);
	r = result(&s, a->val[O_OUTPUT]);
	if (rc == 0 && (rc = hs_res_error(r, err)) == 0) {
		if (a->set[HS_OPT_JSON])
			rc = hs_cli_render(r, a, NULL, err);
		else if (!a->set[HS_OPT_QUIET])
			note(r);
	}
	hs_res_free(r);
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
