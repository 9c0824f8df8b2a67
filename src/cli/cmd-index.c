/*
 * cmd-index.c - `heapscan index DUMP`: make the index of a dump ahead of
 * time (include/heapscan/index.h), or say that it is up to date.
 */
#include <stdlib.h>

#include "heapscan/format.h"
#include "heapscan/paths.h"
#include "heapscan/result.h"
#include "heapscan/retained.h"
#include "heapscan/suspects.h"
#include "cmd.h"

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	{ HS_OPT_EXCLUDE_WEAK, "exclude-weak", NULL,
	  "the index of the graph without the referent edges of weak, soft, phantom and final references" },
	{ HS_OPT_KEEP_UNREACHABLE, "keep-unreachable", NULL,
	  "the index of the graph that keeps objects no GC root reaches" },
	{ HS_OPT_STATS, "stats", NULL, "print timings and the memory of the object graph on stderr" },
	HS_MEMORY_OPTS,
	{ HS_OPT_INDEX_DIR, "index-dir", "DIR",
	  "put the index in DIR (default $HEAPSCAN_INDEX_DIR, else beside the dump, else $XDG_CACHE_HOME/heapscan)" },
	{ HS_OPT_JSON, "json", NULL, "JSON output: the dump, its index file, the index's size and whether it was written" },
	{ 0, NULL, NULL, NULL }
};

/* The index of dump @p d, at @p path, @p bytes long: read or written. */
static hs_result *result(const hs_dump *d, const char *path, uint64_t bytes, int written)
{
	hs_result *r = hs_res_new("index");
	hs_node *root = hs_res_root(r);
	hs_res_str(root, "dump", hs_dump_path(d));
	hs_res_str(root, "file", path);
	hs_res_u64(root, "index_bytes", bytes);
	hs_res_pct(root, "index_pct", bytes, hs_dump_get_info(d)->file_size);
	hs_res_str(root, "status", written ? "written" : "up-to-date");
	return r;
}

/*
 * What later commands would compute and keep in the index (it learns), done
 * now: the shortest-path trees from the GC roots (suspects and path
 * --include-weak; path's strong references) and the retained sizes by
 * class, package and class loader (top-retained --by-*, histogram
 * --retained), and the labels the suspects (default options) read from
 * the dump.  Each is kept once; an index that holds one already gives it
 * back at once.
 */
static int learn(hs_dump *d, hs_graph *g, hs_error *err)
{
	static const enum hs_group_kind kinds[] = { HS_GROUP_CLASS, HS_GROUP_PACKAGE, HS_GROUP_LOADER };
	uint32_t *parent = NULL;
	size_t k;
	int strong, rc = 0;

	for (strong = 0; strong < 2 && rc == 0; strong++) {
		rc = hs_paths_bfs_ex(g, HS_NONE, strong, &parent, err);
		hs_paths_free(g, parent);
		parent = NULL;
	}
	if (rc == 0) {
		hs_suspects sus;
		hs_suspect_opts so = { 10.0, 1000 };
		rc = hs_suspects_find(&sus, g, &so, err);
		if (rc == 0)
			hs_suspects_release(&sus);
	}
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && rc == 0; k++) {
		hs_groups gr;
		hs_group_sum *sum;
		rc = hs_groups_make(&gr, d, g, kinds[k], err);
		if (rc < 0)
			break;
		sum = calloc(gr.n + 1, sizeof(*sum));
		rc = sum ? hs_retained_by_group(g, gr.of_class, gr.n, gr.class_objects, sum, err)
			 : hs_error_oom(err, NULL);
		free(sum);
		hs_groups_release(&gr);
	}
	return rc < 0 ? rc : 0;
}

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_result *r;
	const char *path, *why;
	uint64_t bytes;
	char b1[48], b2[32];
	int rc, st;

	rc = hs_cli_open_graph(&d, &g, a, 0, err);
	if (rc < 0)
		return rc;
	rc = learn(d, g, err);
	if (rc < 0) {
		hs_cli_free_graph(a, g);
		hs_cli_free_dump(a, d);
		return rc;
	}
	st = hs_cli_index_state(a, g, &path, &bytes, &why);
	if (st == HS_CLI_INDEX_READ || st == HS_CLI_INDEX_WRITTEN) {
		r = result(d, path, bytes, st == HS_CLI_INDEX_WRITTEN);
		if ((rc = hs_res_error(r, err)) == 0 && a->set[HS_OPT_JSON])
			rc = hs_cli_render(r, a, NULL, err);
		else if (rc == 0)
			hs_fmt_printf(stdout, "%s: %s (%s, %.1f%% of the dump), %s\n", path,
				      hs_fmt_counted(b1, sizeof(b1), bytes, "byte", "bytes"),
				      hs_fmt_bytes(b2, sizeof(b2), bytes),
				      hs_node_real(hs_node_get(hs_res_root(r), "index_pct")),
				      st == HS_CLI_INDEX_READ ? "up to date" : "written");
		hs_res_free(r);
	} else if (st == HS_CLI_INDEX_FAILED) {
		rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot write the index %s: %s", path, why);
	} else {
		rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				  "%s is no regular file: only a file's index can be kept", hs_dump_path(d));
	}
	hs_cli_free_graph(a, g);
	hs_cli_free_dump(a, d);
	return rc;
}

const struct hs_cmd hs_cmd_index = {
	.name = "index",
	.summary = "make the index of a dump ahead of time, so that every later command starts at once",
	.usage = "[options] [DUMP]",
	.description = "Reads the dump, builds its object graph and dominator tree, and keeps them in\n"
		       "the dump's index (DUMP.hsidx beside the dump, else in $XDG_CACHE_HOME/heapscan, or\n"
		       "in --index-dir DIR).  Every command that builds the graph does the same the first\n"
		       "time; this one also computes what later commands would add to the index (the\n"
		       "shortest paths from the GC roots, with and without weak references, and the\n"
		       "retained sizes by class, package and class loader, the suspects' labels), and\n"
		       "says when the index is up to date already.",
	.opts = opts,
	.run = run,
};
