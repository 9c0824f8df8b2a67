/*
 * cmd-index.c - `heapscan index DUMP`: make the index of a dump ahead of
 * time (include/heapscan/index.h), or say that it is up to date.
 */
#include "heapscan/format.h"
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
	{ 0, NULL, NULL, NULL }
};

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	const char *path, *why;
	uint64_t bytes;
	char b1[48], b2[32];
	int rc, st;

	rc = hs_cli_open_graph(&d, &g, a, 0, err);
	if (rc < 0)
		return rc;
	st = hs_cli_index_state(g, &path, &bytes, &why);
	if (st == HS_CLI_INDEX_READ || st == HS_CLI_INDEX_WRITTEN) {
		const hs_dump_info *in = hs_dump_get_info(d);
		hs_fmt_printf(stdout, "%s: %s (%s, %.1f%% of the dump), %s\n", path,
			      hs_fmt_counted(b1, sizeof(b1), bytes, "byte", "bytes"), hs_fmt_bytes(b2, sizeof(b2), bytes),
			      in->file_size ? 100.0 * (double)bytes / (double)in->file_size : 0.0,
			      st == HS_CLI_INDEX_READ ? "up to date" : "written");
	} else if (st == HS_CLI_INDEX_FAILED) {
		rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot write the index %s: %s", path, why);
	} else {
		rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				  "%s is no regular file: only a file's index can be kept", hs_dump_path(d));
	}
	hs_cli_free_graph(g);
	hs_cli_free_dump(d);
	return rc;
}

const struct hs_cmd hs_cmd_index = {
	.name = "index",
	.summary = "make the index of a dump ahead of time, so that every later command starts at once",
	.usage = "[options] [DUMP]",
	.description = "Reads the dump, builds its object graph and dominator tree, and keeps them in\n"
		       "the dump's index (DUMP.hsidx beside the dump, else in $XDG_CACHE_HOME/heapscan, or\n"
		       "in --index-dir DIR).  Every command that builds the graph does the same the first\n"
		       "time; this one does only that, and says when the index is up to date already.",
	.opts = opts,
	.run = run,
};
