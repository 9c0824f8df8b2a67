/*
 * cmd-path.c - `heapscan path`: shortest paths from GC roots to an object,
 * with field names, array indexes and the kind of root at the start.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heapscan/format.h"
#include "heapscan/loaders.h"
#include "heapscan/paths.h"
#include "heapscan/result.h"
#include "cmd.h"

enum { O_ALL = HS_OPT_CMD, O_CLASS, O_INCLUDE_WEAK };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: paths, each with its root and its steps {via, class, id, shallow, retained, label}" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output with a header row: one row per step, with its path's number and root" },
	{ O_ALL, "all", "N", "up to N distinct paths, each through a different referrer (default 1); none passes through an object twice", HS_T_COUNT, NULL, 1000 },
	{ O_CLASS, "class", "NAME", "the path to the biggest instance (by retained size) of class NAME" },
	{ HS_OPT_EXCLUDE_WEAK, "exclude-weak", NULL, "follow strong references only (the default of path, unlike the other commands)" },
	{ O_INCLUDE_WEAK, "include-weak", NULL, "follow weak, soft, phantom and final references too (path leaves them out by default)" },
	{ HS_OPT_KEEP_UNREACHABLE, "keep-unreachable", NULL, "keep objects no GC root reaches, under the virtual root" },
	{ HS_OPT_STATS, "stats", NULL,
	  "print timings and the memory of the object graph (bytes per object) on stderr" },
	HS_MEMORY_OPTS,
	HS_INDEX_OPTS,
	{ 0, NULL, NULL, NULL }
};

static const char *const cols[] = { "via", "class", "id", "shallow", "retained", "label", NULL };
static const char *const csv_cols[] = { "path", "root", "step", "via", "class", "id", "shallow", "retained", "label", NULL };

#define MAX_LEN 100000

/*
 * DUMP and OBJID in either order: when both are given, the object id is
 * the one that reads as hexadecimal and is not "-" (standard input); when
 * both read so (a dump named "cafe"), the one that is a file is the dump,
 * and else the first (the order of the usage line).  Swaps b->pos[0] and
 * b->pos[1] so that the dump comes first.
 */
static void dump_first(hs_args *b)
{
	uint64_t v;
	const char *p0 = b->pos[0], *p1 = b->pos[1];
	int id0 = strcmp(p0, "-") != 0 && hs_cli_parse_id(p0, &v) == 0;
	int id1 = strcmp(p1, "-") != 0 && hs_cli_parse_id(p1, &v) == 0;
	if (!id0)
		return;   /* DUMP OBJID, or neither an id: said below */
	if (id1 && (access(p0, F_OK) == 0 || access(p1, F_OK) != 0))
		return;   /* both ids: the file, else the first, is the dump */
	b->pos[0] = p1;
	b->pos[1] = p0;
}

/* Path number @p idx (p, len nodes from a root to the target) into the
 * result: an element of "paths" with its root and steps, and for CSV rows
 * of the table "steps" (@p csv, NULL when not asked for). */
static int add_path(hs_graph *g, const uint32_t *p, uint32_t len, int idx, hs_node *paths, hs_node *csv,
		    hs_error *err)
{
	char **via = calloc(len + 1, sizeof(char *));
	char **cls = calloc(len + 1, sizeof(char *)), **det = calloc(len + 1, sizeof(char *));
	hs_node *steps = NULL, *row, *o;
	uint32_t i;
	int rc;
	if (!via || !cls || !det) {
		free(via);
		free(cls);
		free(det);
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	}
	rc = hs_paths_describe(g, p, len, via, err);
	if (rc == 0)
		rc = hs_graph_fetch_labels(g, p, len, err);
	if (rc == 0)   /* class loaders by name (a path visits an object once) */
		rc = hs_object_descs(g, p, len, cls, det, err);
	if (rc == 0 && !csv) {
		o = hs_res_obj(paths, NULL);
		hs_res_u64(o, "path", (uint64_t)idx);
		hs_res_str(o, "root", via[0]);
		steps = hs_res_table(o, "steps", cols);
	}
	for (i = 0; rc == 0 && i < len; i++) {
		uint32_t k = hs_graph_class(g, p[i]);
		const char *lab = hs_graph_label(g, p[i]);
		if (!lab && det[i] && strncmp(det[i], "loader ", 7) == 0)
			lab = det[i];
		row = hs_res_row(csv ? csv : steps);
		if (csv) {
			hs_res_u64(row, "path", (uint64_t)idx);
			hs_res_str(row, "root", via[0]);
			hs_res_u64(row, "step", i);
		}
		hs_res_str(row, "via", i ? via[i] : NULL);
		hs_res_str(row, "class", cls[i] ? cls[i] : hs_graph_class_name(g, p[i]));
		hs_res_str(row, "class_object_of", k != HS_NONE && (k & HS_CLASS_OBJECT_BIT)
			   ? hs_dump_class(hs_graph_dump(g), k & ~HS_CLASS_OBJECT_BIT)->name : NULL);
		hs_res_u64(row, "id", hs_graph_id(g, p[i]));
		hs_res_u64(row, "shallow", hs_graph_shallow(g, p[i]));
		hs_res_u64(row, "retained", hs_graph_retained(g, p[i]));
		hs_res_str(row, "label", lab);
	}
	hs_paths_free_via(via, len);
	free(via);
	for (i = 0; i < len; i++) {
		free(cls[i]);
		free(det[i]);
	}
	free(cls);
	free(det);
	return rc;
}

/* The paths of a result as text: each step on a line, indented by its
 * distance from the root. */
static void text(const hs_result *r)
{
	const hs_node *x, *st;
	const hs_node *paths = hs_node_get(hs_res_root((hs_result *)r), "paths");
	for (x = hs_node_first(paths); x; x = hs_node_next(x)) {
		const hs_node *steps = hs_node_get(x, "steps");
		uint64_t n = 0;
		int i = 0;
		char refs[48], b[32];
		for (st = hs_node_first(steps); st; st = hs_node_next(st))
			n++;
		if (x != hs_node_first(paths))
			putchar('\n');
		hs_fmt_printf(stdout, "Path %llu (%s), from a GC root (%s):\n",
			      (unsigned long long)hs_node_u64(hs_node_get(x, "path")),
			      hs_fmt_counted(refs, sizeof(refs), n - 1, "reference", "references"),
			      hs_node_str(hs_node_get(x, "root")));
		for (st = hs_node_first(steps); st; st = hs_node_next(st), i++) {
			const char *via = hs_node_str(hs_node_get(st, "via")), *lab = hs_node_str(hs_node_get(st, "label"));
			hs_fmt_printf(stdout, "  %*s%s%s%s @ 0x%llx%s%s  (retains %s)\n", (i > 30 ? 30 : i) * 2, "",
				      via ? via : "", via ? " -> " : "", hs_node_str(hs_node_get(st, "class")),
				      (unsigned long long)hs_node_u64(hs_node_get(st, "id")), lab ? " " : "", lab ? lab : "",
				      hs_fmt_bytes(b, sizeof(b), hs_node_u64(hs_node_get(st, "retained"))));
		}
	}
}

/* The target: the object of the id, or the biggest reachable instance of
 * --class; 0 (and the error) when there is none. */
static uint32_t find_target(hs_graph *g, const char *cname, uint64_t id, hs_error *err)
{
	uint32_t ci, v, n = hs_graph_nodes(g), target = 0;
	if (!cname) {
		if (!(target = hs_graph_node(g, id)))
			hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET, "no object 0x%llx in the dump", (unsigned long long)id);
		return target;
	}
	ci = hs_dump_class_by_name(hs_graph_dump(g), cname);
	if (ci == HS_NONE) {
		hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET, "no class '%s' in the dump", cname);
		return 0;
	}
	for (v = 1; v < n; v++)
		if (hs_graph_class(g, v) == ci && hs_graph_reachable(g, v) &&
		    (!target || hs_graph_retained(g, v) > hs_graph_retained(g, target)))
			target = v;
	if (!target)
		hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET, "no reachable instance of '%s'", cname);
	return target;
}

/* The paths to @p target into result @p r: one through each referrer,
 * nearest to a root first; the paths to the referrers avoid the target
 * (a referrer reached through the target closes a loop, a path through
 * the target twice: left out when no other path reaches it). */
static int build(hs_result *r, hs_graph *g, uint32_t target, uint32_t all, int strong, int csv, hs_error *err)
{
	hs_node *root = hs_res_root(r), *paths, *steps = NULL;
	uint32_t *parent = NULL, *path = NULL, *refs = NULL, nrefs = 0, i, npaths = 0, *avoiding = NULL;
	int rc = hs_paths_bfs_until(g, target, strong, &parent, err);

	if (rc == 0 && parent[target] == HS_NONE)
		rc = hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET, "object 0x%llx is not reachable from a GC root%s",
				  (unsigned long long)hs_graph_id(g, target),
				  strong ? " through strong references (try --include-weak)" : "");
	if (rc == 0 && !(path = malloc(sizeof(uint32_t) * (MAX_LEN + 1))))
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	if (rc < 0)
		goto done;
	hs_res_str(root, "dump", hs_dump_path(hs_graph_dump(g)));
	hs_res_u64(root, "target", hs_graph_id(g, target));
	hs_res_str(root, "class", hs_graph_class_name(g, target));
	paths = hs_res_list(root, "paths");
	if (csv)
		steps = hs_res_table(root, "steps", csv_cols);
	if (all > 1) {
		rc = hs_paths_bfs_ex(g, target, strong, &avoiding, err);
		if (rc == 0)
			rc = hs_paths_referrers_ex(g, avoiding, target, MAX_LEN, strong, &refs, &nrefs, err);
	}
	if (rc == 0 && nrefs == 0)
		rc = add_path(g, path, hs_paths_to(parent, target, path, MAX_LEN), 1, paths, steps, err);
	for (i = 0; rc == 0 && i < nrefs && npaths < all; i++) {
		uint32_t len = refs[i] ? hs_paths_to(avoiding, refs[i], path, MAX_LEN) : 0;
		path[len++] = target;
		rc = add_path(g, path, len, (int)++npaths, paths, steps, err);
	}
	free(refs);
	hs_paths_free(g, avoiding);
done:
	hs_paths_free(g, parent);
	free(path);
	return rc;
}

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_result *r = NULL;
	uint32_t target;
	uint64_t id = 0;
	int rc, nextra = a->val[O_CLASS] ? 0 : 1;
	hs_args b = *a;

	if (a->set[O_ALL] && a->num[O_ALL] < 1)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--all takes a number from 1 to 1000, not '%s'", a->val[O_ALL]);
	if (a->set[O_INCLUDE_WEAK] && a->set[HS_OPT_EXCLUDE_WEAK])
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "choose one of --include-weak and --exclude-weak");
	if (!a->val[O_CLASS]) {
		const char *s;
		if (b.npos == 2)
			dump_first(&b);
		s = hs_cli_extra(&b, 1, 0);
		if (!s)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "usage: heapscan path [options] [DUMP] OBJID (or --class NAME)");
		if (hs_cli_parse_id(s, &id) < 0)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "object id must be hex (0x...), not '%s'", s);
	}
	/* the graph (and index) of the other commands; the walks skip weak
	 * referents unless --include-weak */
	b.set[HS_OPT_EXCLUDE_WEAK] = 0;
	if ((rc = hs_cli_open_graph(&d, &g, &b, nextra, err)) < 0)
		return rc;
	if (!(target = find_target(g, a->val[O_CLASS], id, err)))
		rc = err->code;
	if (rc == 0) {
		r = hs_res_new("path");
		rc = build(r, g, target, a->set[O_ALL] ? (uint32_t)a->num[O_ALL] : 1, !a->set[O_INCLUDE_WEAK],
			   a->set[HS_OPT_CSV] > 0, err);
	}
	if (rc == 0 && (rc = hs_res_error(r, err)) == 0) {
		if (a->set[HS_OPT_JSON] || a->set[HS_OPT_CSV]) {
			rc = hs_cli_render(r, a, "steps", err);
		} else {
			hs_cli_header(stdout, d);
			putchar('\n');
			text(r);
		}
	}
	hs_res_free(r);
	hs_cli_free_graph(a, g);
	hs_cli_free_dump(a, d);
	return rc;
}

const struct hs_cmd hs_cmd_path = {
	.name = "path",
	.summary = "shortest paths from GC roots to an object, with field names",
	.usage = "[options] [DUMP] OBJID | [options] --class NAME [DUMP]",
	.description = "Shows who keeps an object alive: each step names the field, array index,\n"
		       "static field or thread-local variable, starting at the kind of GC root.\n"
		       "DUMP (or - for standard input) and OBJID may come in either order.",
	.opts = opts,
	.run = run,
};
