/*
 * cmd-info.c - `heapscan info`: what the dump is and holds.
 */
#include <string.h>
#include <time.h>

#include "heapscan/format.h"
#include "heapscan/graph.h"
#include "heapscan/hprof.h"
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

static int run(const hs_args *a, hs_error *err)
{
	const char *ipath = "", *iwhy = "";
	uint64_t ibytes = 0;
	int ist = HS_CLI_INDEX_NONE;
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	const hs_graph_stats *gs = NULL;
	const hs_dump_info *in;
	char ts[64], b1[48], b2[48];
	int rc, t;

	rc = a->set[O_FAST] ? hs_cli_open(&d, a, 0, err) : hs_cli_open_graph(&d, &g, a, 0, err);
	if (rc < 0)
		return rc;
	if (g) {
		gs = hs_graph_get_stats(g);
		ist = hs_cli_index_state(g, &ipath, &ibytes, &iwhy);
	}
	in = hs_dump_get_info(d);
	when(ts, sizeof(ts), in->timestamp_ms);
	if (a->set[HS_OPT_JSON]) {
		hs_json j;
		hs_json_init(&j, stdout);
		hs_json_begin_obj(&j, NULL);
		hs_json_str(&j, "dump", in->path);
		hs_json_str(&j, "format", in->version);
		hs_json_u64(&j, "id_size", in->idsize);
		hs_json_u64(&j, "timestamp_ms", in->timestamp_ms);
		hs_json_str(&j, "timestamp", ts);
		hs_json_u64(&j, "file_size", in->file_size);
		hs_json_str(&j, "compression", comp_name(in->compression));
		hs_json_u64(&j, "bytes", in->bytes);
		hs_json_u64(&j, "heap_dumps", in->heap_dumps);
		hs_json_u64(&j, "heap_dump_analysed", in->dump_index + 1);
		hs_json_bool(&j, "truncated", in->truncated);
		if (in->truncated)
			hs_json_u64(&j, "truncated_at", in->trunc_error.offset);
		hs_json_begin_obj(&j, "records");
		for (t = 0; t < 256; t++)
			if (in->records[t])
				hs_json_u64(&j, hs_tag_name(t) ? hs_tag_name(t) : "UNKNOWN", in->records[t]);
		hs_json_end_obj(&j);
		hs_json_u64(&j, "classes", in->nclasses);
		hs_json_u64(&j, "instances", in->instances);
		hs_json_u64(&j, "object_arrays", in->obj_arrays);
		hs_json_u64(&j, "primitive_arrays", in->prim_arrays);
		hs_json_u64(&j, "gc_roots", in->roots);
		hs_json_u64(&j, "gc_roots_duplicate", in->roots_duplicate);
		hs_json_u64(&j, "gc_roots_null", in->roots_null);
		hs_json_begin_obj(&j, "gc_roots_by_kind");
		for (t = 0; t < 256; t++)
			if (in->roots_by_kind[t])
				hs_json_u64(&j, hs_sub_name(t), in->roots_by_kind[t]);
		hs_json_end_obj(&j);
		hs_json_u64(&j, "threads", in->threads);
		hs_json_u64(&j, "unknown_class_ids", in->unknown_class_ids);
		hs_json_u64(&j, "unknown_class_objects", in->unknown_class_objects);
		hs_json_u64(&j, "duplicate_ids", in->duplicate_ids);
		hs_json_u64(&j, "superclass_loops", in->super_loops);
		hs_json_u64(&j, "shallow_heap", in->shallow_total + in->class_shallow_total);
		hs_json_u64(&j, "shallow_objects", in->shallow_total);
		hs_json_u64(&j, "shallow_class_objects", in->class_shallow_total);
		if (gs) {
			hs_json_u64(&j, "reachable_objects", gs->reachable);
			hs_json_u64(&j, "reachable_bytes", gs->reachable_bytes);
			hs_json_u64(&j, "unreachable_objects", gs->unreachable);
			hs_json_u64(&j, "unreachable_bytes", gs->unreachable_bytes);
			hs_json_u64(&j, "references", gs->edges);
			hs_json_begin_obj(&j, "index");
			hs_json_str(&j, "state", index_words(ist));
			if (*ipath)
				hs_json_str(&j, "path", ipath);
			if (ist == HS_CLI_INDEX_READ || ist == HS_CLI_INDEX_WRITTEN)
				hs_json_u64(&j, "bytes", ibytes);
			if (ist == HS_CLI_INDEX_FAILED)
				hs_json_str(&j, "error", iwhy);
			hs_json_end_obj(&j);
		}
		hs_json_begin_obj(&j, "layout");
		hs_json_str(&j, "name", in->layout.name);
		hs_json_bool(&j, "compressed_refs", in->layout.compressed_refs);
		hs_json_u64(&j, "header", in->layout.header);
		hs_json_u64(&j, "reference", in->layout.ref);
		hs_json_u64(&j, "array_header", in->layout.array_header);
		hs_json_u64(&j, "alignment", in->layout.align);
		hs_json_end_obj(&j);
		hs_json_end_obj(&j);
		hs_json_finish(&j);
	} else {
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
	hs_cli_free_graph(g);
	hs_cli_free_dump(d);
	return 0;
}

const struct hs_cmd hs_cmd_info = {
	.name = "info",
	.summary = "what the dump is: format, sizes, counts, GC roots, object layout",
	.usage = "[options] [DUMP]",
	.description = NULL,
	.opts = opts,
	.run = run,
};
