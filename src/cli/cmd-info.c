/*
 * cmd-info.c - `heapscan info`: what the dump is and holds.
 */
#include <string.h>
#include <time.h>

#include "heapscan/format.h"
#include "heapscan/graph.h"
#include "heapscan/hprof.h"
#include "heapscan/paths.h"
#include "heapscan/result.h"
#include "cmd.h"

enum { O_FAST = HS_OPT_CMD };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output" },
	{ O_FAST, "fast", NULL, "read the dump once and skip the object graph (no reachable/unreachable figures)" },
	{ 0, NULL, NULL, NULL }
};

static const char *comp_name(int c)
{
	return c == HS_COMP_GZIP ? "gzip" : c == HS_COMP_ZSTD ? "zstd" : "none";
}

static void when(char *buf, size_t n, uint64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static const char *index_words(int st)
{
	switch (st) {
	case HS_CLI_INDEX_READ: return "read";
	case HS_CLI_INDEX_WRITTEN: return "written";
	case HS_CLI_INDEX_FAILED: return "not written";
	case HS_CLI_INDEX_OFF: return "off";
	default: return "none";
	}
}

/* What the index of the graph became. */
struct idx {
	int state;
	const char *path, *why;
	uint64_t bytes;
};

/* The dump's facts as a result (the JSON document). */
static hs_result *result(const hs_dump_info *in, const hs_graph_stats *gs, const struct idx *ix, const char *ts)
{
	static const char *const rcols[] = { "record", "count", NULL };
	static const char *const kcols[] = { "root", "count", NULL };
	hs_result *r = hs_res_new("info");
	hs_node *o = hs_res_root(r), *t, *x;
	int k;

	hs_res_str(o, "dump", in->path);
	hs_res_str(o, "format", in->version);
	hs_res_u64(o, "id_size", in->idsize);
	hs_res_u64(o, "timestamp_ms", in->timestamp_ms);
	hs_res_str(o, "timestamp", ts);
	hs_res_u64(o, "file_size", in->file_size);
	hs_res_str(o, "compression", comp_name(in->compression));
	hs_res_u64(o, "bytes", in->bytes);
	hs_res_u64(o, "heap_dumps", in->heap_dumps);
	hs_res_u64(o, "heap_dump_analysed", (uint64_t)in->dump_index + 1);
	hs_res_bool(o, "truncated", in->truncated);
	if (in->truncated)
		hs_res_u64(o, "truncated_at", in->trunc_error.offset);
	else
		hs_res_null(o, "truncated_at");
	t = hs_res_table(o, "records", rcols);
	for (k = 0; k < 256; k++)
		if (in->records[k]) {
			x = hs_res_row(t);
			if (hs_tag_name(k))
				hs_res_str(x, "record", hs_tag_name(k));
			else
				hs_res_strf(x, "record", "0x%02x", k);
			hs_res_u64(x, "count", in->records[k]);
		}
	hs_res_u64(o, "class_objects", in->nclasses);
	hs_res_u64(o, "instances", in->instances);
	hs_res_u64(o, "object_arrays", in->obj_arrays);
	hs_res_u64(o, "primitive_arrays", in->prim_arrays);
	hs_res_u64(o, "gc_roots", in->roots);
	hs_res_u64(o, "gc_roots_duplicate", in->roots_duplicate);
	hs_res_u64(o, "gc_roots_null", in->roots_null);
	t = hs_res_table(o, "gc_roots_by_kind", kcols);
	for (k = 0; k < 256; k++)
		if (in->roots_by_kind[k]) {
			x = hs_res_row(t);
			hs_res_str(x, "root", hs_root_kind_name(k));
			hs_res_u64(x, "count", in->roots_by_kind[k]);
		}
	hs_res_u64(o, "threads_total", in->threads);
	hs_res_u64(o, "unknown_class_ids", in->unknown_class_ids);
	hs_res_u64(o, "unknown_class_objects", in->unknown_class_objects);
	hs_res_u64(o, "duplicate_ids", in->duplicate_ids);
	hs_res_u64(o, "superclass_loops", in->super_loops);
	hs_res_u64(o, "shallow_heap", in->shallow_total + in->class_shallow_total);
	hs_res_u64(o, "shallow_objects", in->shallow_total);
	hs_res_u64(o, "shallow_class_objects", in->class_shallow_total);
	if (gs) {
		hs_res_u64(o, "reachable_objects", gs->reachable);
		hs_res_u64(o, "reachable_bytes", gs->reachable_bytes);
		hs_res_u64(o, "unreachable_objects", gs->unreachable);
		hs_res_u64(o, "unreachable_bytes", gs->unreachable_bytes);
		hs_res_u64(o, "references", gs->edges);
		x = hs_res_obj(o, "index");
		hs_res_str(x, "state", index_words(ix->state));
		hs_res_str(x, "file", *ix->path ? ix->path : NULL);
		if (ix->state == HS_CLI_INDEX_READ || ix->state == HS_CLI_INDEX_WRITTEN)
			hs_res_u64(x, "bytes", ix->bytes);
		else
			hs_res_null(x, "bytes");
		hs_res_str(x, "error", ix->state == HS_CLI_INDEX_FAILED ? ix->why : NULL);
	}
	x = hs_res_obj(o, "layout");
	hs_res_str(x, "name", in->layout.name);
	hs_res_bool(x, "compressed_refs", in->layout.compressed_refs);
	hs_res_u64(x, "header", in->layout.header);
	hs_res_u64(x, "reference", in->layout.ref);
	hs_res_u64(x, "array_header", in->layout.array_header);
	hs_res_u64(x, "alignment", in->layout.align);
	return r;
}

static void text(const hs_dump_info *in, const hs_graph_stats *gs, const struct idx *ix, const char *written)
{
	char ts[64];
	const char *ipath = ix->path, *iwhy = ix->why;
	uint64_t ibytes = ix->bytes;
	int ist = ix->state, t;
	char b1[48], b2[48];

	snprintf(ts, sizeof(ts), "%s", written);
	hs_fmt_printf(stdout, "Dump:              %s\n", in->path);
	hs_fmt_printf(stdout, "Format:            %s, %u-byte ids\n", in->version, in->idsize);
	hs_fmt_printf(stdout, "Written:           %s\n", ts);
	hs_fmt_printf(stdout, "File size:         %s (%s), compression: %s, %s of HPROF\n",
	       hs_fmt_counted(b1, sizeof(b1), in->file_size, "byte", "bytes"), hs_fmt_bytes(b2, sizeof(b2), in->file_size),
	       comp_name(in->compression), hs_fmt_counted(ts, sizeof(ts), in->bytes, "byte", "bytes"));
	if (in->heap_dumps > 1)
		hs_fmt_printf(stdout, "Heap dumps:        %s (the figures below are of dump %s; choose with --dump N)\n",
		       hs_fmt_count(b1, sizeof(b1), in->heap_dumps), hs_fmt_count(b2, sizeof(b2), (uint64_t)in->dump_index + 1));
	else
		hs_fmt_printf(stdout, "Heap dumps:        %s\n", hs_fmt_count(b1, sizeof(b1), in->heap_dumps));
	if (in->truncated)
		hs_fmt_printf(stdout, "Truncated:         yes, at offset %llu: %s\n",
		       (unsigned long long)in->trunc_error.offset, in->trunc_error.msg);
	hs_fmt_printf(stdout, "Classes:           %s\n", hs_fmt_count(b1, sizeof(b1), in->nclasses));
	hs_fmt_printf(stdout, "Instances:         %s\n", hs_fmt_count(b1, sizeof(b1), in->instances));
	hs_fmt_printf(stdout, "Object arrays:     %s\n", hs_fmt_count(b1, sizeof(b1), in->obj_arrays));
	hs_fmt_printf(stdout, "Primitive arrays:  %s\n", hs_fmt_count(b1, sizeof(b1), in->prim_arrays));
	hs_fmt_printf(stdout, "Threads:           %s\n", hs_fmt_count(b1, sizeof(b1), in->threads));
	if (in->unknown_class_ids)
		hs_fmt_printf(stdout, "Unknown classes:   %s no record describes, %s "
		       "(counted as <unknown class>)\n",
		       hs_fmt_counted(b1, sizeof(b1), in->unknown_class_ids, "class id", "class ids"),
		       hs_fmt_counted(b2, sizeof(b2), in->unknown_class_objects, "object", "objects"));
	if (in->duplicate_ids)
		hs_fmt_printf(stdout, "Duplicate ids:     %s left out (the first record of an id is the object)\n",
		       hs_fmt_counted(b1, sizeof(b1), in->duplicate_ids, "record", "records"));
	if (in->super_loops)
		hs_fmt_printf(stdout, "Superclass loops:  %s (in each, a class is taken to have no superclass)\n",
		       hs_fmt_count(b1, sizeof(b1), in->super_loops));
	hs_fmt_printf(stdout, "Shallow heap:      %s (%s), of which class objects %s\n",
	       hs_fmt_counted(b1, sizeof(b1), in->shallow_total + in->class_shallow_total, "byte", "bytes"),
	       hs_fmt_bytes(b2, sizeof(b2), in->shallow_total + in->class_shallow_total),
	       hs_fmt_counted(ts, sizeof(ts), in->class_shallow_total, "byte", "bytes"));
	if (gs) {
		hs_fmt_printf(stdout, "Reachable:         %s, %s\n",
		       hs_fmt_counted(b1, sizeof(b1), gs->reachable, "object", "objects"),
		       hs_fmt_counted(b2, sizeof(b2), gs->reachable_bytes, "byte", "bytes"));
		hs_fmt_printf(stdout, "Unreachable:       %s, %s (left out of the analyses; --keep-unreachable keeps them)\n",
		       hs_fmt_counted(b1, sizeof(b1), gs->unreachable, "object", "objects"),
		       hs_fmt_counted(b2, sizeof(b2), gs->unreachable_bytes, "byte", "bytes"));
		if (ist == HS_CLI_INDEX_READ || ist == HS_CLI_INDEX_WRITTEN)
			hs_fmt_printf(stdout, "Index:             %s, %s (%s): %s\n", ipath,
			       hs_fmt_counted(b1, sizeof(b1), ibytes, "byte", "bytes"), hs_fmt_bytes(b2, sizeof(b2), ibytes),
			       ist == HS_CLI_INDEX_READ ? "read instead of the dump" : "written now");
		else if (ist == HS_CLI_INDEX_FAILED)
			hs_fmt_printf(stdout, "Index:             not written (%s)\n", iwhy);
		else
			hs_fmt_printf(stdout, "Index:             %s\n", ist == HS_CLI_INDEX_OFF ? "not used (--no-index)"
			       : "none (the dump is no regular file)");
	}
	hs_fmt_printf(stdout, "Object layout:     %s; header %u B, references %u B, array header %u B, alignment %u B\n",
	       in->layout.name, in->layout.header, in->layout.ref, in->layout.array_header,
	       in->layout.align);
	hs_fmt_printf(stdout, "GC roots:          %s", hs_fmt_count(b1, sizeof(b1), in->roots));
	if (in->roots_duplicate)
		hs_fmt_printf(stdout, "; left out: %s repeating a root", hs_fmt_count(b1, sizeof(b1), in->roots_duplicate));
	if (in->roots_null)
		hs_fmt_printf(stdout, "%s %s with id 0", in->roots_duplicate ? "," : "; left out:",
		       hs_fmt_count(b1, sizeof(b1), in->roots_null));
	hs_fmt_printf(stdout, "\n");
	for (t = 0; t < 256; t++)
		if (in->roots_by_kind[t])
			hs_fmt_printf(stdout, "  %-24s %s\n", hs_sub_name(t), hs_fmt_count(b1, sizeof(b1), in->roots_by_kind[t]));
	hs_fmt_printf(stdout, "Records:\n");
	for (t = 0; t < 256; t++)
		if (in->records[t]) {
			char unk[32];
			snprintf(unk, sizeof(unk), "unknown tag 0x%02x", t);
			hs_fmt_printf(stdout, "  %-24s %s\n", hs_tag_name(t) ? hs_tag_name(t) : unk,
			       hs_fmt_count(b1, sizeof(b1), in->records[t]));
		}
}

int hs_cli_info_result(hs_result **out, const hs_args *a, hs_dump *d, hs_graph *g, hs_error *err)
{
	struct idx ix = { HS_CLI_INDEX_NONE, "", "", 0 };
	char ts[64];
	int rc;
	ix.state = hs_cli_index_state(a, g, &ix.path, &ix.bytes, &ix.why);
	when(ts, sizeof(ts), hs_dump_get_info(d)->timestamp_ms);
	*out = result(hs_dump_get_info(d), hs_graph_get_stats(g), &ix, ts);
	if ((rc = hs_res_error(*out, err)) < 0) {
		hs_res_free(*out);
		*out = NULL;
	}
	return rc;
}

static int run(const hs_args *a, hs_error *err)
{
	struct idx ix = { HS_CLI_INDEX_NONE, "", "", 0 };
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	const hs_graph_stats *gs = NULL;
	const hs_dump_info *in;
	hs_result *r;
	char ts[64];
	int rc;

	rc = a->set[O_FAST] ? hs_cli_open(&d, a, 0, err) : hs_cli_open_graph(&d, &g, a, 0, err);
	if (rc < 0)
		return rc;
	if (g) {
		gs = hs_graph_get_stats(g);
		ix.state = hs_cli_index_state(a, g, &ix.path, &ix.bytes, &ix.why);
	}
	in = hs_dump_get_info(d);
	when(ts, sizeof(ts), in->timestamp_ms);
	if (a->set[HS_OPT_JSON]) {
		r = result(in, gs, &ix, ts);
		rc = hs_cli_render(r, a, NULL, err);
		hs_res_free(r);
	} else {
		text(in, gs, &ix, ts);
	}
	hs_cli_free_graph(a, g);
	hs_cli_free_dump(a, d);
	return rc;
}

const struct hs_cmd hs_cmd_info = {
	.name = "info",
	.summary = "what the dump is: format, sizes, counts, GC roots, object layout",
	.usage = "[options] [DUMP]",
	.description = NULL,
	.opts = opts,
	.run = run,
};
