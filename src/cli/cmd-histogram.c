/*
 * cmd-histogram.c - `heapscan histogram`: instances and shallow bytes per
 * class, from the scan alone (memory grows with classes, not objects).
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/analysis.h"
#include "heapscan/format.h"
#include "heapscan/graph.h"
#include "cmd.h"

enum { O_SORT = HS_OPT_CMD, O_TOP, O_MATCH, O_LIVE };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: {\"classes\":[{\"class\",\"instances\",\"shallow\"}],...}" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output with a header row: class,instances,shallow" },
	{ O_SORT, "sort", "KEY", "sort by bytes (default), count or name" },
	{ O_TOP, "top", "N", "show the first N rows only" },
	{ O_MATCH, "match", "REGEX", "only classes whose name matches REGEX (POSIX extended)" },
	{ O_LIVE, "live", NULL, "count only objects reachable from GC roots (builds the object graph, like jmap -histo:live)" },
	{ 0, NULL, NULL, NULL }
};

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_histogram h;
	hs_hist_opts o;
	uint64_t top = 0;
	uint32_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	if (a->val[O_SORT]) {
		if (!strcmp(a->val[O_SORT], "bytes") || !strcmp(a->val[O_SORT], "size"))
			o.sort = HS_SORT_BYTES;
		else if (!strcmp(a->val[O_SORT], "count"))
			o.sort = HS_SORT_COUNT;
		else if (!strcmp(a->val[O_SORT], "name"))
			o.sort = HS_SORT_NAME;
		else
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "--sort takes bytes, count or name, not '%s'", a->val[O_SORT]);
	}
	if (a->val[O_TOP] && hs_cli_parse_uint(a->val[O_TOP], &top) < 0)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--top takes a number, not '%s'",
				    a->val[O_TOP]);
	o.top = top > UINT32_MAX ? UINT32_MAX : (uint32_t)top;
	o.match = a->val[O_MATCH];
	if (a->set[HS_OPT_JSON] && a->set[HS_OPT_CSV])
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--json and --csv exclude each other");
	if (a->set[O_LIVE]) {
		hs_graph *g = NULL;
		rc = hs_cli_open_graph(&d, &g, a, 0, err);
		if (rc < 0)
			return rc;
		rc = hs_histogram_build_live(&h, d, g, &o, err);
		hs_cli_free_graph(g);
	} else {
		rc = hs_cli_open(&d, a, 0, err);
		if (rc < 0)
			return rc;
		rc = hs_histogram_build(&h, d, &o, err);
	}
	if (rc < 0) {
		hs_cli_free_dump(d);
		return rc;
	}
	if (a->set[HS_OPT_JSON]) {
		hs_json j;
		hs_json_init(&j, stdout);
		hs_json_begin_obj(&j, NULL);
		hs_json_str(&j, "dump", hs_dump_get_info(d)->path);
		hs_json_begin_arr(&j, "classes");
		for (i = 0; i < h.nrows; i++) {
			hs_json_begin_obj(&j, NULL);
			j.pretty = 0;
			hs_json_str(&j, "class", h.rows[i].name);
			hs_json_u64(&j, "instances", h.rows[i].instances);
			hs_json_u64(&j, "shallow", h.rows[i].shallow);
			hs_json_end_obj(&j);
			j.pretty = 1;
		}
		hs_json_end_arr(&j);
		hs_json_u64(&j, "classes_total", h.total_rows);
		hs_json_u64(&j, "instances_total", h.instances);
		hs_json_u64(&j, "shallow_total", h.shallow);
		hs_json_end_obj(&j);
		hs_json_finish(&j);
	} else if (a->set[HS_OPT_CSV]) {
		static const char *hdr[] = { "class", "instances", "shallow" };
		hs_csv_row(stdout, hdr, 3);
		for (i = 0; i < h.nrows; i++) {
			char n[32], s[32];
			const char *cells[3] = { h.rows[i].name, n, s };
			snprintf(n, sizeof(n), "%llu", (unsigned long long)h.rows[i].instances);
			snprintf(s, sizeof(s), "%llu", (unsigned long long)h.rows[i].shallow);
			hs_csv_row(stdout, cells, 3);
		}
	} else {
		static const char *cols[] = { "#", "Instances", "Shallow", "Class", NULL };
		static const enum hs_align al[] = { HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_LEFT };
		hs_table *t = hs_table_new(cols, al);
		char c1[32], c2[32], c3[48];
		hs_cli_header(stdout, d);
		for (i = 0; i < h.nrows; i++)
			hs_table_addf(t, "%u\t%s\t%s\t%s", i + 1,
				      hs_fmt_count(c1, sizeof(c1), h.rows[i].instances),
				      hs_fmt_count(c2, sizeof(c2), h.rows[i].shallow), h.rows[i].name);
		hs_table_rule(t);
		hs_table_addf(t, "\t%s\t%s\tTotal (%s%s)",
			      hs_fmt_count(c1, sizeof(c1), h.instances),
			      hs_fmt_count(c2, sizeof(c2), h.shallow),
			      hs_fmt_counted(c3, sizeof(c3), h.total_rows, "class", "classes"),
			      h.nrows < h.total_rows ? ", top rows shown" : "");
		hs_table_print(t, stdout);
		hs_table_free(t);
	}
	hs_histogram_release(&h);
	hs_cli_free_dump(d);
	return 0;
}

const struct hs_cmd hs_cmd_histogram = {
	.name = "histogram",
	.summary = "instances and shallow bytes per class",
	.usage = "[options] [DUMP]",
	.description = "One row per class (Java names: java.lang.String, byte[], java.lang.Object[]),\n"
		       "with the number of instances and their total shallow size, largest first.\n"
		       "Class objects count as java.lang.Class instances.",
	.opts = opts,
	.run = run,
};
