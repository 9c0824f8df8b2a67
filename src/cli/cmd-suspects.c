/*
 * cmd-suspects.c - `heapscan suspects`: the answer for whoever is on
 * call: what holds the heap, who holds it, through which path, and what
 * accumulates there.  Findings are not errors: the exit status is 0.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/suspects.h"
#include "cmd.h"

enum { O_THRESHOLD = HS_OPT_CMD, O_MAX_THREADS };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: {\"suspects\":[{kind, retained, pct, holder, path, accumulation, meet, elements, class_loaders, accumulates, ...}]}" },
	{ O_THRESHOLD, "threshold", "PCT", "report what retains more than PCT% of the reachable heap (default 10)" },
	{ O_MAX_THREADS, "max-threads", "N", "report more than N live threads as a finding (default 1000)" },
	{ 0, NULL, NULL, NULL }
};

static const char *kind_name(enum hs_suspect_kind k)
{
	switch (k) {
	case HS_SUSPECT_OBJECT: return "object";
	case HS_SUSPECT_CLASS: return "class";
	case HS_SUSPECT_THREADS: return "threads";
	case HS_SUSPECT_THREAD_COUNT: return "thread-count";
	case HS_SUSPECT_PILEUP: return "pile-up";
	}
	return "?";
}

static const char *simple(const char *cls)
{
	const char *d = strrchr(cls, '.');
	return d ? d + 1 : cls;
}

static void chain_text(hs_graph *g, const hs_suspect *s)
{
	uint32_t i;
	hs_fmt_printf(stdout, "    ");
	for (i = 0; i < s->path_len; i++) {
		uint32_t v = s->path[i];
		const char *lab = hs_graph_label(g, v);
		uint32_t c = hs_graph_class(g, v);
		if (i > 0)
			hs_fmt_printf(stdout, " %s -> ", s->via[i] && *s->via[i] ? s->via[i] : "");
		if (i == 0 && hs_graph_thread_name(g, v))
			hs_fmt_printf(stdout, "%s (%s)", lab, simple(hs_graph_class_name(g, v)));
		else if (s->path_loaders && s->path_loaders[i] &&
			 strncmp(s->path_loaders[i], simple(hs_graph_class_name(g, v)), strlen(simple(hs_graph_class_name(g, v)))) == 0)
			hs_fmt_printf(stdout, "class loader %s", s->path_loaders[i]);
		else if (s->path_loaders && s->path_loaders[i])
			hs_fmt_printf(stdout, "class loader %s (%s)", s->path_loaders[i], simple(hs_graph_class_name(g, v)));
		else if (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT))
			hs_fmt_printf(stdout, "class %s", hs_dump_class(hs_graph_dump(g), c & ~HS_CLASS_OBJECT_BIT)->name);
		else if (i == s->path_len - 1)
			hs_fmt_printf(stdout, "%s", hs_graph_class_name(g, v));
		else
			hs_fmt_printf(stdout, "%s", simple(hs_graph_class_name(g, v)));
		if (i == s->path_len - 1 && lab && strncmp(lab, "size=", 5) == 0) {
			char n[48];
			hs_fmt_printf(stdout, " (%s)", hs_fmt_counted(n, sizeof(n), strtoull(lab + 5, NULL, 10), "entry", "entries"));
		}
	}
	hs_fmt_printf(stdout, "\n");
}

/* "java.util.HashMap (3,000 entries)" or "java.util.HashMap" */
static const char *accum_desc(char *buf, size_t n, const hs_suspect *s)
{
	char c[48];
	if (s->accum_label && strncmp(s->accum_label, "size=", 5) == 0)
		snprintf(buf, n, "%s (%s)", s->accum_class,
			 hs_fmt_counted(c, sizeof(c), strtoull(s->accum_label + 5, NULL, 10), "entry", "entries"));
	else
		snprintf(buf, n, "%s", s->accum_class);
	return buf;
}

/* What each thread of a group holds: "java.util.HashMap of 658 to 878
 * entries (772 on average)", or the biggest's when they are all alike. */
static const char *each_desc(char *buf, size_t n, const hs_suspect *s)
{
	char a[32], b[32], c[32];
	if (s->kind == HS_SUSPECT_THREADS && s->each_entries && s->entries_min != s->entries_max)
		snprintf(buf, n, "%s of %s to %s entries (%s on average)", s->accum_class,
			 hs_fmt_count(a, sizeof(a), s->entries_min), hs_fmt_count(b, sizeof(b), s->entries_max),
			 hs_fmt_count(c, sizeof(c), s->entries_avg));
	else
		accum_desc(buf, n, s);
	return buf;
}

static void details(hs_graph *g, const hs_suspect *s)
{
	uint32_t i;
	char n[48], b[48], a[600];
	if (s->kind == HS_SUSPECT_CLASS && s->meet) {
		hs_fmt_printf(stdout, "  Their paths from the GC roots meet at %s%s @ 0x%llx (%s of %s), held by %s:\n",
		       (hs_graph_class(g, s->accum) & HS_CLASS_OBJECT_BIT) && !s->accum_name ? "class " : "",
		       accum_desc(a, sizeof(a), s), (unsigned long long)hs_graph_id(g, s->accum),
		       hs_fmt_count(n, sizeof(n), s->meet), hs_fmt_counted(b, sizeof(b), s->members, "instance", "instances"),
		       s->holder);
	} else if (s->kind == HS_SUSPECT_CLASS) {
		hs_fmt_printf(stdout, "  No common referrer; the biggest instance is held by %s:\n", s->holder);
	} else {
		int varies = s->kind == HS_SUSPECT_THREADS && s->each_min != s->each_max;
		hs_fmt_printf(stdout, "  %s in %s @ 0x%llx, retaining %s, held by %s:\n",
		       varies ? "The biggest accumulates" : "Accumulates", accum_desc(a, sizeof(a), s),
		       (unsigned long long)hs_graph_id(g, s->accum), hs_fmt_bytes(b, sizeof(b), hs_graph_retained(g, s->accum)),
		       s->holder);
	}
	chain_text(g, s);
	if (s->nelems && s->kind != HS_SUSPECT_CLASS) {
		hs_fmt_printf(stdout, "  Holds %s:", hs_fmt_counted(n, sizeof(n), s->nelem_total, "object", "objects"));
		for (i = 0; i < s->nelems; i++)
			hs_fmt_printf(stdout, "%s %s %s (%s)", i ? "," : "", hs_fmt_count(n, sizeof(n), s->elems[i].count),
			       s->elems[i].name, hs_fmt_bytes(b, sizeof(b), s->elems[i].retained));
		hs_fmt_printf(stdout, "\n");
	}
	if (s->loaders) {
		char c[32];
		hs_fmt_printf(stdout, "  Keeps %s alive: %s %s",
		       hs_fmt_counted(n, sizeof(n), s->loaders, "class loader", "class loaders"),
		       hs_fmt_count(c, sizeof(c), s->loader_class_n), s->loader_class);
		if (s->loader_names)
			hs_fmt_printf(stdout, " named \"%s\"", s->loader_names);
		if (s->classes)
			hs_fmt_printf(stdout, ", with %s (%s named %s)", hs_fmt_counted(b, sizeof(b), s->classes, "class", "classes"),
			       hs_fmt_count(c, sizeof(c), s->class_example_n), s->class_example);
		hs_fmt_printf(stdout, "\n");
	}
	if (s->ntop) {
		hs_fmt_printf(stdout, "  Made of:");
		for (i = 0; i < s->ntop; i++)
			hs_fmt_printf(stdout, "%s %s %s (%s)", i ? "," : "", hs_fmt_count(n, sizeof(n), s->top[i].count),
			       s->top[i].name, hs_fmt_bytes(b, sizeof(b), s->top[i].shallow));
		hs_fmt_printf(stdout, "\n");
	}
}

/* The number of the finding (1-based, as printed) whose node is @p node. */
static uint32_t finding_no(const hs_suspects *r, uint32_t node)
{
	uint32_t i;
	for (i = 0; node && i < r->n; i++)
		if (r->items[i].node == node && r->items[i].kind != HS_SUSPECT_PILEUP &&
		    r->items[i].kind != HS_SUSPECT_THREAD_COUNT)
			return i + 1;
	return 0;
}

static const char *wait_words(const char *kind)
{
	return !strcmp(kind, "park") ? "parked" : !strcmp(kind, "monitor") ? "in Object.wait" : "in a socket read";
}

static void text(hs_graph *g, const hs_suspects *r, const hs_suspect_opts *o)
{
	uint32_t i, k;
	char b[32], n[48], id[32], a[600];
	if (r->n == 0) {
		hs_fmt_printf(stdout, "\nNo leak suspect: nothing retains more than %.4g%% of the reachable heap, and %s (limit %s).\n",
		       o->threshold_pct, hs_fmt_counted(n, sizeof(n), r->threads, "live thread", "live threads"),
		       hs_fmt_count(b, sizeof(b), o->max_threads));
		return;
	}
	for (i = 0; i < r->n; i++) {
		const hs_suspect *s = &r->items[i];
		snprintf(id, sizeof(id), "0x%llx", (unsigned long long)hs_graph_id(g, s->node));
		hs_fmt_printf(stdout, "\nSuspect %u: ", i + 1);
		switch (s->kind) {
		case HS_SUSPECT_THREADS:
			hs_fmt_printf(stdout, "%s \"%s\" each hold a %s%s%s: %s in total (%.1f%%)\n",
			       hs_fmt_counted(n, sizeof(n), s->members, "thread", "threads"), s->thread_pattern, each_desc(a, sizeof(a), s),
			       s->through ? " through " : "", s->through ? s->through : "",
			       hs_fmt_bytes(b, sizeof(b), s->retained), s->pct);
			break;
		case HS_SUSPECT_OBJECT:
			if (hs_graph_class(g, s->node) != HS_NONE && (hs_graph_class(g, s->node) & HS_CLASS_OBJECT_BIT))
				hs_fmt_printf(stdout, "class %s @ %s retains %s (%.1f%%) through its static fields\n",
				       hs_dump_class(hs_graph_dump(g), hs_graph_class(g, s->node) & ~HS_CLASS_OBJECT_BIT)->name,
				       id, hs_fmt_bytes(b, sizeof(b), s->retained), s->pct);
			else if (s->node_name)
				hs_fmt_printf(stdout, "%s retains %s (%.1f%%)\n", s->node_name,
				       hs_fmt_bytes(b, sizeof(b), s->retained), s->pct);
			else
				hs_fmt_printf(stdout, "one %s @ %s retains %s (%.1f%%)\n", s->class_name, id,
				       hs_fmt_bytes(b, sizeof(b), s->retained), s->pct);
			break;
		case HS_SUSPECT_CLASS:
			hs_fmt_printf(stdout, "%s of %s together retain %s (%.1f%%)\n",
			       hs_fmt_counted(n, sizeof(n), s->members, "instance", "instances"), s->class_name,
			       hs_fmt_bytes(b, sizeof(b), s->retained), s->pct);
			break;
		case HS_SUSPECT_THREAD_COUNT:
			hs_fmt_printf(stdout, "%s (more than %s), retaining %s (%.1f%%) beyond the other findings\n",
			       hs_fmt_counted(n, sizeof(n), s->members, "live thread", "live threads"), hs_fmt_count(id, sizeof(id), o->max_threads),
			       hs_fmt_bytes(b, sizeof(b), s->retained), s->pct);
			hs_fmt_printf(stdout, "  Outside the heap their stacks reserve about %s (an estimate: %s each, the default thread stack size of a 64-bit Linux JVM; -Xss sets it)\n",
			       hs_fmt_bytes(b, sizeof(b), s->stack_estimate), hs_fmt_bytes(a, sizeof(a), HS_STACK_SIZE_ASSUMED));
			for (k = 0; k < s->ngroups && k < 10; k++) {
				const hs_name_count *gr = &s->groups[k];
				uint32_t f = finding_no(r, gr->finding);
				hs_fmt_printf(stdout, "  %8s  %s", hs_fmt_count(n, sizeof(n), gr->count), gr->pattern);
				if (gr->class_name)
					hs_fmt_printf(stdout, " (%s%s)", gr->of_class == gr->count ? "" : "mostly ", gr->class_name);
				if (gr->frames && gr->count > 1)
					hs_fmt_printf(stdout, ", all at %s", gr->frames);
				if (gr->holds && gr->count > 1)
					hs_fmt_printf(stdout, ", %s holding a %s", gr->holding == gr->count ? "each" : hs_fmt_count(b, sizeof(b), gr->holding), gr->holds);
				if (f)
					hs_fmt_printf(stdout, " (%s in suspect %u)", gr->in_findings == gr->count ? "all" : hs_fmt_count(b, sizeof(b), gr->in_findings), f);
				hs_fmt_printf(stdout, "\n");
			}
			if (s->ngroups > 10)
				hs_fmt_printf(stdout, "  ... and %s more\n",
					      hs_fmt_counted(n, sizeof(n), s->ngroups - 10, "name pattern", "name patterns"));
			continue;
		case HS_SUSPECT_PILEUP:
			hs_fmt_printf(stdout, "%s threads%s%s%s wait %s at the same frames: %s\n",
			       hs_fmt_count(n, sizeof(n), s->members), s->thread_pattern ? " \"" : "",
			       s->thread_pattern ? s->thread_pattern : "", s->thread_pattern ? "\"" : "",
			       wait_words(s->wait_kind), s->frames);
			if (s->blocker && s->path_len) {
				hs_fmt_printf(stdout, "  All wait on %s @ 0x%llx:\n", s->accum_class,
				       (unsigned long long)hs_graph_id(g, s->accum));
				hs_fmt_printf(stdout, "    %s\n", s->through ? s->through : s->accum_class);
			} else {
				hs_fmt_printf(stdout, "  The dump shows no one object they all wait on\n");
			}
			continue;
		}
		details(g, s);
	}
}

static void json(hs_graph *g, const hs_dump *d, const hs_suspects *r, const hs_suspect_opts *o)
{
	hs_json j;
	uint32_t i, k;
	hs_json_init(&j, stdout);
	hs_json_begin_obj(&j, NULL);
	hs_json_str(&j, "dump", hs_dump_path(d));
	hs_json_u64(&j, "reachable_bytes", r->reachable);
	hs_json_u64(&j, "threads", r->threads);
	hs_json_dbl(&j, "threshold_pct", o->threshold_pct);
	hs_json_begin_arr(&j, "suspects");
	for (i = 0; i < r->n; i++) {
		const hs_suspect *s = &r->items[i];
		hs_json_begin_obj(&j, NULL);
		hs_json_str(&j, "kind", kind_name(s->kind));
		hs_json_u64(&j, "retained", s->retained);
		hs_json_dbl(&j, "pct", s->pct);
		hs_json_str(&j, "class", s->class_name);
		if (s->node_name)
			hs_json_str(&j, "name", s->node_name);
		hs_json_hex(&j, "id", hs_graph_id(g, s->node));
		hs_json_u64(&j, "members", s->members);
		if (s->kind == HS_SUSPECT_THREAD_COUNT) {
			hs_json_u64(&j, "retained_with_other_findings", s->retained_all);
			hs_json_u64(&j, "native_stack_estimate", s->stack_estimate);
			hs_json_u64(&j, "stack_size_assumed", HS_STACK_SIZE_ASSUMED);
			hs_json_begin_arr(&j, "groups");
			for (k = 0; k < s->ngroups; k++) {
				const hs_name_count *gr = &s->groups[k];
				uint32_t f = finding_no(r, gr->finding);
				hs_json_begin_obj(&j, NULL);
				j.pretty = 0;
				hs_json_str(&j, "pattern", gr->pattern);
				hs_json_u64(&j, "count", gr->count);
				hs_json_u64(&j, "retained", gr->retained);
				if (gr->class_name) {
					hs_json_str(&j, "class", gr->class_name);
					hs_json_u64(&j, "of_class", gr->of_class);
				}
				if (gr->frames)
					hs_json_str(&j, "frames", gr->frames);
				if (gr->holds) {
					hs_json_str(&j, "holds", gr->holds);
					hs_json_u64(&j, "holding", gr->holding);
				}
				hs_json_u64(&j, "in_findings", gr->in_findings);
				if (f)
					hs_json_u64(&j, "finding", f);
				hs_json_end_obj(&j);
				j.pretty = 1;
			}
			hs_json_end_arr(&j);
			hs_json_end_obj(&j);
			continue;
		}
		if (s->kind == HS_SUSPECT_PILEUP) {
			if (s->thread_pattern)
				hs_json_str(&j, "thread_pattern", s->thread_pattern);
			hs_json_str(&j, "wait", s->wait_kind);
			hs_json_str(&j, "frames", s->frames_full);
			if (s->blocker && s->path_len) {
				hs_json_begin_obj(&j, "waits_on");
				hs_json_hex(&j, "id", hs_graph_id(g, s->accum));
				hs_json_str(&j, "class", s->accum_class);
				if (s->through)
					hs_json_str(&j, "owner", s->through);
				hs_json_end_obj(&j);
			}
			hs_json_end_obj(&j);
			continue;
		}
		hs_json_str(&j, "holder", s->holder);
		if (s->thread_pattern)
			hs_json_str(&j, "thread_pattern", s->thread_pattern);
		if (s->through)
			hs_json_str(&j, "through", s->through);
		if (s->kind == HS_SUSPECT_THREADS) {
			/* what each thread holds, over all of them */
			hs_json_begin_obj(&j, "each");
			j.pretty = 0;
			if (s->each_entries) {
				hs_json_u64(&j, "entries_min", s->entries_min);
				hs_json_u64(&j, "entries_median", s->entries_median);
				hs_json_u64(&j, "entries_max", s->entries_max);
				hs_json_u64(&j, "entries_average", s->entries_avg);
			}
			hs_json_u64(&j, "retained_min", s->each_min);
			hs_json_u64(&j, "retained_median", s->each_median);
			hs_json_u64(&j, "retained_max", s->each_max);
			hs_json_u64(&j, "retained_average", s->each_avg);
			hs_json_end_obj(&j);
			j.pretty = 1;
		}
		hs_json_begin_obj(&j, "accumulation");
		hs_json_hex(&j, "id", hs_graph_id(g, s->accum));
		hs_json_str(&j, "class", s->accum_class);
		hs_json_u64(&j, "retained", hs_graph_retained(g, s->accum));
		if (s->accum_label && strncmp(s->accum_label, "size=", 5) == 0)
			hs_json_u64(&j, "entries", strtoull(s->accum_label + 5, NULL, 10));
		hs_json_end_obj(&j);
		hs_json_begin_arr(&j, "path");
		for (k = 0; k < s->path_len; k++) {
			hs_json_begin_obj(&j, NULL);
			j.pretty = 0;
			hs_json_hex(&j, "id", hs_graph_id(g, s->path[k]));
			hs_json_str(&j, "class", hs_graph_class_name(g, s->path[k]));
			hs_json_str(&j, k ? "via" : "root", s->via[k]);
			if (hs_graph_label(g, s->path[k]))
				hs_json_str(&j, "label", hs_graph_label(g, s->path[k]));
			if (s->path_loaders && s->path_loaders[k])
				hs_json_str(&j, "loader", s->path_loaders[k]);
			hs_json_end_obj(&j);
			j.pretty = 1;
		}
		hs_json_end_arr(&j);
		if (s->kind == HS_SUSPECT_CLASS)
			hs_json_u64(&j, "meet", s->meet);
		hs_json_u64(&j, "elements_total", s->nelem_total);
		hs_json_begin_arr(&j, "elements");
		for (k = 0; k < s->nelems; k++) {
			hs_json_begin_obj(&j, NULL);
			j.pretty = 0;
			hs_json_str(&j, "class", s->elems[k].name);
			hs_json_u64(&j, "count", s->elems[k].count);
			hs_json_u64(&j, "retained", s->elems[k].retained);
			hs_json_end_obj(&j);
			j.pretty = 1;
		}
		hs_json_end_arr(&j);
		if (s->loaders) {
			hs_json_begin_obj(&j, "class_loaders");
			hs_json_u64(&j, "count", s->loaders);
			hs_json_str(&j, "class", s->loader_class);
			hs_json_u64(&j, "of_class", s->loader_class_n);
			if (s->loader_names)
				hs_json_str(&j, "names", s->loader_names);
			hs_json_u64(&j, "classes", s->classes);
			if (s->class_example)
				hs_json_str(&j, "class_example", s->class_example);
			hs_json_u64(&j, "of_example", s->class_example_n);
			hs_json_end_obj(&j);
		}
		hs_json_begin_arr(&j, "accumulates");
		for (k = 0; k < s->ntop; k++) {
			hs_json_begin_obj(&j, NULL);
			j.pretty = 0;
			hs_json_str(&j, "class", s->top[k].name);
			hs_json_u64(&j, "count", s->top[k].count);
			hs_json_u64(&j, "shallow", s->top[k].shallow);
			hs_json_end_obj(&j);
			j.pretty = 1;
		}
		hs_json_end_arr(&j);
		hs_json_end_obj(&j);
	}
	hs_json_end_arr(&j);
	hs_json_end_obj(&j);
	hs_json_finish(&j);
}

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_suspects r;
	hs_suspect_opts o = { 10.0, 1000 };
	int rc;

	if (a->val[O_THRESHOLD]) {
		const char *end = "?";
		if (hs_cli_parse_decimal(a->val[O_THRESHOLD], &o.threshold_pct, &end) == 0 && *end == '%')
			end++;
		if (*end || o.threshold_pct <= 0 || o.threshold_pct > 100)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "--threshold takes a percentage above 0 and up to 100, not '%s'", a->val[O_THRESHOLD]);
	}
	if (a->val[O_MAX_THREADS] && hs_cli_parse_uint(a->val[O_MAX_THREADS], &o.max_threads) < 0)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--max-threads takes a number, not '%s'", a->val[O_MAX_THREADS]);
	rc = hs_cli_open_graph(&d, &g, a, 0, err);
	if (rc < 0)
		return rc;
	rc = hs_suspects_find(&r, g, &o, err);
	if (rc == 0) {
		if (a->set[HS_OPT_JSON]) {
			json(g, d, &r, &o);
		} else {
			hs_cli_graph_header(stdout, d, g);
			text(g, &r, &o);
		}
		hs_suspects_release(&r);
	}
	hs_cli_free_graph(g);
	hs_cli_free_dump(d);
	return rc;
}

const struct hs_cmd hs_cmd_suspects = {
	.name = "suspects",
	.summary = "leak suspects: what holds the heap, who holds it and through which path; thread pile-ups",
	.usage = "[options] [DUMP]",
	.description = "Like MAT's Leak Suspects report: objects and classes retaining more than the\n"
		       "threshold, threads that each hold a big structure through the same path\n"
		       "(reported once, e.g. a ThreadLocal that is never reset), thread explosions, and\n"
		       "pile-ups: many threads waiting at the same frames (a lock, a pool, a socket read).\n"
		       "Findings are not errors: the exit status is 0 (use 'heapscan check' in CI).",
	.opts = opts,
	.run = run,
};
