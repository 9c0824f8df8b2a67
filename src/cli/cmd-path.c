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
#include "cmd.h"

enum { O_ALL = HS_OPT_CMD, O_CLASS, O_INCLUDE_WEAK };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: paths as lists of steps {id, class, via, label}" },
	{ O_ALL, "all", "N", "up to N distinct paths, each through a different referrer (default 1); none passes through an object twice" },
	{ O_CLASS, "class", "NAME", "the path to the biggest instance (by retained size) of class NAME" },
	{ O_INCLUDE_WEAK, "include-weak", NULL, "follow weak, soft, phantom and final references too (excluded by default)" },
	{ HS_OPT_KEEP_UNREACHABLE, "keep-unreachable", NULL, "keep objects no GC root reaches, under the virtual root" },
	{ HS_OPT_STATS, "stats", NULL,
	  "print timings and the memory of the object graph (bytes per object) on stderr" },
	HS_MEMORY_OPTS,
	HS_INDEX_OPTS,
	{ 0, NULL, NULL, NULL }
};

#define MAX_LEN 100000

static int parse_id(const char *s, uint64_t *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	*out = strtoull(s, &end, 16);
	return *end ? -1 : 0;
}

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
	int id0 = strcmp(p0, "-") != 0 && parse_id(p0, &v) == 0;
	int id1 = strcmp(p1, "-") != 0 && parse_id(p1, &v) == 0;
	if (!id0)
		return;   /* DUMP OBJID, or neither an id: said below */
	if (id1 && (access(p0, F_OK) == 0 || access(p1, F_OK) != 0))
		return;   /* both ids: the file, else the first, is the dump */
	b->pos[0] = p1;
	b->pos[1] = p0;
}

static int print_path(hs_graph *g, const uint32_t *p, uint32_t len, int idx, int json, hs_json *j,
		      hs_error *err)
{
	char **via = calloc(len + 1, sizeof(char *));
	char **cls = calloc(len + 1, sizeof(char *)), **det = calloc(len + 1, sizeof(char *));
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
	for (i = 0; i < len; i++) {
		free(cls[i]);
		if (det[i] && strncmp(det[i], "loader ", 7) != 0) {
			free(det[i]);
			det[i] = NULL;
		}
	}
	free(cls);
	if (rc < 0) {
		free(via);
		free(det);
		return rc;
	}
	if (json) {
		hs_json_begin_obj(j, NULL);
		hs_json_str(j, "root_kind", via[0]);
		hs_json_begin_arr(j, "steps");
		for (i = 0; i < len; i++) {
			hs_json_begin_obj(j, NULL);
			j->pretty = 0;
			hs_json_hex(j, "id", hs_graph_id(g, p[i]));
			hs_json_str(j, "class", hs_graph_class_name(g, p[i]));
			hs_json_str(j, "via", i ? via[i] : NULL);
			hs_json_u64(j, "shallow", hs_graph_shallow(g, p[i]));
			hs_json_u64(j, "retained", hs_graph_retained(g, p[i]));
			if (hs_graph_label(g, p[i]))
				hs_json_str(j, "label", hs_graph_label(g, p[i]));
			if (det[i])
				hs_json_str(j, "detail", det[i]);
			hs_json_end_obj(j);
			j->pretty = 1;
		}
		hs_json_end_arr(j);
		hs_json_end_obj(j);
	} else {
		char refs[48];
		hs_fmt_printf(stdout, "Path %d (%s), from a GC root (%s):\n", idx,
			      hs_fmt_counted(refs, sizeof(refs), len - 1, "reference", "references"), via[0]);
		for (i = 0; i < len; i++) {
			const char *lab = hs_graph_label(g, p[i]) ? hs_graph_label(g, p[i]) : det[i];
			char r[32];
			uint32_t c = hs_graph_class(g, p[i]);
			const char *cn = hs_graph_class_name(g, p[i]);
			char cls[600];
			if (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT))
				snprintf(cls, sizeof(cls), "class %s", hs_dump_class(hs_graph_dump(g), c & ~HS_CLASS_OBJECT_BIT)->name);
			else
				snprintf(cls, sizeof(cls), "%s", cn);
			hs_fmt_printf(stdout, "  %*s%s%s%s @ 0x%llx%s%s  (retains %s)\n", (int)(i > 30 ? 30 : i) * 2, "",
			       i ? via[i] : "", i ? " -> " : "", cls, (unsigned long long)hs_graph_id(g, p[i]),
			       lab ? " " : "", lab ? lab : "", hs_fmt_bytes(r, sizeof(r), hs_graph_retained(g, p[i])));
		}
	}
	hs_paths_free_via(via, len);
	free(via);
	for (i = 0; i < len; i++)
		free(det[i]);
	free(det);
	return 0;
}

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_graph_opts go;
	uint32_t *parent = NULL, *path = NULL, target = 0, n, v, npaths = 0;
	uint64_t all = 1, id = 0;
	int rc, json = a->set[HS_OPT_JSON] > 0, nextra = a->val[O_CLASS] ? 0 : 1;
	int strong = !a->set[O_INCLUDE_WEAK];
	hs_args b = *a;
	hs_json j;

	if (a->val[O_ALL] && (hs_cli_parse_uint(a->val[O_ALL], &all) < 0 || all < 1 || all > 1000))
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--all takes a number from 1 to 1000, not '%s'", a->val[O_ALL]);
	if (!a->val[O_CLASS]) {
		const char *s;
		if (b.npos == 2)
			dump_first(&b);
		s = hs_cli_extra(&b, 1, 0);
		if (!s)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "usage: heapscan path [options] [DUMP] OBJID (or --class NAME)");
		if (parse_id(s, &id) < 0)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "object id must be hex (0x...), not '%s'", s);
	}
	/* the graph (and index) of the other commands; the walks below skip
	 * weak referents unless --include-weak */
	b.set[HS_OPT_EXCLUDE_WEAK] = 0;
	rc = hs_cli_open_graph(&d, &g, &b, nextra, err);
	if (rc < 0)
		return rc;
	(void)go;
	n = hs_graph_nodes(g);
	if (a->val[O_CLASS]) {
		uint32_t ci = hs_dump_class_by_name(d, a->val[O_CLASS]);
		if (ci == HS_NONE) {
			rc = hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET, "no class '%s' in the dump", a->val[O_CLASS]);
			goto done;
		}
		for (v = 1; v < n; v++)
			if (hs_graph_class(g, v) == ci && hs_graph_reachable(g, v) &&
			    (!target || hs_graph_retained(g, v) > hs_graph_retained(g, target)))
				target = v;
		if (!target) {
			rc = hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET, "no reachable instance of '%s'", a->val[O_CLASS]);
			goto done;
		}
	} else {
		target = hs_graph_node(g, id);
		if (!target) {
			rc = hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET, "no object 0x%llx in the dump", (unsigned long long)id);
			goto done;
		}
	}
	rc = hs_paths_bfs_ex(g, HS_NONE, strong, &parent, err);
	if (rc < 0)
		goto done;
	path = malloc(sizeof(uint32_t) * (MAX_LEN + 1));
	if (!path) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto done;
	}
	if (parent[target] == HS_NONE) {
		rc = hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET,
				  "object 0x%llx is not reachable from a GC root%s", (unsigned long long)hs_graph_id(g, target),
				  a->set[O_INCLUDE_WEAK] ? "" : " through strong references (try --include-weak)");
		goto done;
	}
	if (json) {
		hs_json_init(&j, stdout);
		hs_json_begin_obj(&j, NULL);
		hs_json_str(&j, "dump", hs_dump_path(d));
		hs_json_hex(&j, "target", hs_graph_id(g, target));
		hs_json_str(&j, "class", hs_graph_class_name(g, target));
		hs_json_begin_arr(&j, "paths");
	} else {
		hs_cli_header(stdout, d);
		putchar('\n');
	}
	{
		/* one path through each referrer, nearest to a root first; the
		 * paths to the referrers avoid the target (a referrer reached
		 * through the target closes a loop, a path through the target
		 * twice: left out when no other path reaches it) */
		uint32_t *refs = NULL, nrefs = 0, i, *avoiding = NULL;
		if (all > 1) {
			rc = hs_paths_bfs_ex(g, target, strong, &avoiding, err);
			if (rc == 0)
				rc = hs_paths_referrers_ex(g, avoiding, target, MAX_LEN, strong, &refs, &nrefs, err);
		}
		if (rc == 0 && nrefs == 0) {
			uint32_t len = hs_paths_to(parent, target, path, MAX_LEN);
			rc = print_path(g, path, len, 1, json, &j, err);
		}
		for (i = 0; rc == 0 && i < nrefs && npaths < all; i++) {
			uint32_t len = refs[i] ? hs_paths_to(avoiding, refs[i], path, MAX_LEN) : 0;
			path[len++] = target;
			if (!json && npaths)
				putchar('\n');
			rc = print_path(g, path, len, (int)npaths + 1, json, &j, err);
			npaths++;
		}
		free(refs);
		hs_paths_free(g, avoiding);
	}
	if (rc == 0 && json) {
		hs_json_end_arr(&j);
		hs_json_end_obj(&j);
		hs_json_finish(&j);
	}
done:
	hs_paths_free(g, parent);
	free(path);
	hs_cli_free_graph(g);
	hs_cli_free_dump(d);
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
