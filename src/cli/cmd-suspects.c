/*
 * cmd-suspects.c - `heapscan suspects`: the answer for whoever is on
 * call: what holds the heap, who holds it, through which path, and what
 * accumulates there.  Findings are not errors: the exit status is 0.
 * The findings become a result (JSON); the text output is sentences made
 * from that result, so that both say the same.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/result.h"
#include "heapscan/suspects.h"
#include "cmd.h"

enum { O_THRESHOLD = HS_OPT_CMD, O_MAX_THREADS };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: {\"suspects\":[{kind, retained, retained_pct, holder, steps, accumulation, elements, class_loaders, accumulates, ...}]}" },
	{ O_THRESHOLD, "threshold", "PCT", "report what retains more than PCT% of the reachable heap (default 10)", HS_T_PCT },
	{ O_MAX_THREADS, "max-threads", "N", "report more than N live threads as a finding (default 1000)", HS_T_COUNT },
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

/* ---- the result ---- */

/* The class a java.lang.Class object stands for, else NULL. */
static const char *class_object(hs_graph *g, uint32_t v)
{
	uint32_t c = hs_graph_class(g, v);
	return c != HS_NONE && (c & HS_CLASS_OBJECT_BIT) ? hs_dump_class(hs_graph_dump(g), c & ~HS_CLASS_OBJECT_BIT)->name
							 : NULL;
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

static void u64_or_null(hs_node *o, const char *key, int has, uint64_t v)
{
	if (has)
		hs_res_u64(o, key, v);
	else
		hs_res_null(o, key);
}

static void thread_groups(hs_node *o, const hs_suspects *r, const hs_suspect *s)
{
	hs_node *l = hs_res_list(o, "groups");
	uint32_t k;
	for (k = 0; k < s->ngroups; k++) {
		const hs_name_count *gr = &s->groups[k];
		hs_node *e = hs_res_obj(l, NULL);
		hs_res_str(e, "pattern", gr->pattern);
		hs_res_u64(e, "count", gr->count);
		hs_res_u64(e, "retained", gr->retained);
		hs_res_str(e, "class", gr->class_name);
		u64_or_null(e, "of_class", gr->class_name != NULL, gr->of_class);
		hs_res_str(e, "frames", gr->frames);
		hs_res_str(e, "holds", gr->holds);
		u64_or_null(e, "holding", gr->holds != NULL, gr->holding);
		hs_res_u64(e, "in_findings", gr->in_findings);
		u64_or_null(e, "finding", finding_no(r, gr->finding) != 0, finding_no(r, gr->finding));
	}
}

/* Where it accumulates, the path to there, and what it holds. */
static void accumulation(hs_node *o, hs_graph *g, const hs_suspect *s)
{
	hs_node *a = hs_res_obj(o, "accumulation"), *l;
	uint32_t k;
	hs_res_u64(a, "id", hs_graph_id(g, s->accum));
	hs_res_str(a, "class", s->accum_class);
	hs_res_str(a, "class_object", class_object(g, s->accum));
	hs_res_u64(a, "retained", hs_graph_retained(g, s->accum));
	u64_or_null(a, "entries", s->accum_label && strncmp(s->accum_label, "size=", 5) == 0,
		    s->accum_label ? strtoull(s->accum_label + 5, NULL, 10) : 0);
	l = hs_res_list(o, "steps");
	for (k = 0; k < s->path_len; k++) {
		hs_node *e = hs_res_obj(l, NULL);
		uint32_t v = s->path[k];
		hs_res_u64(e, "id", hs_graph_id(g, v));
		hs_res_str(e, "class", hs_graph_class_name(g, v));
		hs_res_str(e, "class_object", class_object(g, v));
		hs_res_str(e, "root", k ? NULL : s->via[k]);
		hs_res_str(e, "via", k ? s->via[k] : NULL);
		hs_res_str(e, "label", hs_graph_label(g, v));
		hs_res_str(e, "thread", k == 0 ? hs_graph_thread_name(g, v) : NULL);
		hs_res_str(e, "loader", s->path_loaders ? s->path_loaders[k] : NULL);
	}
	u64_or_null(o, "meet", s->kind == HS_SUSPECT_CLASS, s->meet);
	hs_res_u64(o, "elements_total", s->nelem_total);
	l = hs_res_list(o, "elements");
	for (k = 0; k < s->nelems; k++) {
		hs_node *e = hs_res_obj(l, NULL);
		hs_res_str(e, "class", s->elems[k].name);
		hs_res_u64(e, "count", s->elems[k].count);
		hs_res_u64(e, "retained", s->elems[k].retained);
	}
	if (s->loaders) {
		hs_node *c = hs_res_obj(o, "class_loaders");
		hs_res_u64(c, "count", s->loaders);
		hs_res_str(c, "class", s->loader_class);
		hs_res_u64(c, "of_class", s->loader_class_n);
		hs_res_str(c, "names", s->loader_names);
		hs_res_u64(c, "classes_total", s->classes);
		hs_res_str(c, "class_example", s->class_example);
		hs_res_u64(c, "of_example", s->class_example_n);
	} else {
		hs_res_null(o, "class_loaders");
	}
	l = hs_res_list(o, "accumulates");
	for (k = 0; k < s->ntop; k++) {
		hs_node *e = hs_res_obj(l, NULL);
		hs_res_str(e, "class", s->top[k].name);
		hs_res_u64(e, "count", s->top[k].count);
		hs_res_u64(e, "shallow", s->top[k].shallow);
	}
}

/* What each thread of a THREADS finding holds. */
static void each(hs_node *o, const hs_suspect *s)
{
	hs_node *e = hs_res_obj(o, "each");
	u64_or_null(e, "entries_min", s->each_entries, s->entries_min);
	u64_or_null(e, "entries_median", s->each_entries, s->entries_median);
	u64_or_null(e, "entries_max", s->each_entries, s->entries_max);
	u64_or_null(e, "entries_average", s->each_entries, s->entries_avg);
	hs_res_u64(e, "retained_min", s->each_min);
	hs_res_u64(e, "retained_median", s->each_median);
	hs_res_u64(e, "retained_max", s->each_max);
	hs_res_u64(e, "retained_average", s->each_avg);
}

static void nulls(hs_node *o, const char *const *keys)
{
	for (; *keys; keys++)
		hs_res_null(o, *keys);
}

/* One finding: every field, null where it does not apply to its kind. */
static void finding(hs_node *o, hs_graph *g, const hs_suspects *r, const hs_suspect *s)
{
	static const char *const no_accum[] = { "accumulation", "steps", "meet", "elements_total", "elements",
						"class_loaders", "accumulates", NULL };
	static const char *const no_count[] = { "retained_with_other_findings", "native_stack_estimate",
						"stack_size_assumed", "groups", NULL };
	int tc = s->kind == HS_SUSPECT_THREAD_COUNT, pu = s->kind == HS_SUSPECT_PILEUP, full = !tc && !pu;
	hs_node *w;

	hs_res_str(o, "kind", kind_name(s->kind));
	hs_res_u64(o, "retained", s->retained);
	hs_res_pct(o, "retained_pct", s->retained, r->reachable);
	hs_res_str(o, "class", s->class_name);
	hs_res_str(o, "class_object", class_object(g, s->node));
	hs_res_str(o, "name", s->node_name);
	hs_res_u64(o, "id", hs_graph_id(g, s->node));
	hs_res_u64(o, "members", s->members);
	hs_res_str(o, "holder", full ? s->holder : NULL);
	hs_res_str(o, "thread_pattern", tc ? NULL : s->thread_pattern);
	hs_res_str(o, "through", full ? s->through : NULL);
	if (s->kind == HS_SUSPECT_THREADS)
		each(o, s);
	else
		hs_res_null(o, "each");
	if (full)
		accumulation(o, g, s);
	else
		nulls(o, no_accum);
	if (tc) {
		hs_res_u64(o, "retained_with_other_findings", s->retained_all);
		hs_res_u64(o, "native_stack_estimate", s->stack_estimate);
		hs_res_u64(o, "stack_size_assumed", HS_STACK_SIZE_ASSUMED);
		thread_groups(o, r, s);
	} else {
		nulls(o, no_count);
	}
	hs_res_str(o, "wait", pu ? s->wait_kind : NULL);
	hs_res_str(o, "frames", pu ? s->frames_full : NULL);
	if (pu && s->blocker && s->path_len) {
		w = hs_res_obj(o, "waits_on");
		hs_res_u64(w, "id", hs_graph_id(g, s->accum));
		hs_res_str(w, "class", s->accum_class);
		hs_res_str(w, "owner", s->through);
	} else {
		hs_res_null(o, "waits_on");
	}
}

static hs_result *result(hs_graph *g, const hs_dump *d, const hs_suspects *r, const hs_suspect_opts *o)
{
	hs_result *res = hs_res_new("suspects");
	hs_node *root = hs_res_root(res), *l;
	uint32_t i;
	hs_cli_graph_result(root, d, g);
	hs_res_u64(root, "threads_total", r->threads);
	hs_res_real(root, "threshold_pct", o->threshold_pct);
	hs_res_u64(root, "max_threads", o->max_threads);
	l = hs_res_list(root, "suspects");
	for (i = 0; i < r->n; i++)
		finding(hs_res_obj(l, NULL), g, r, &r->items[i]);
	return res;
}

int hs_cli_suspects_result(hs_result **out, hs_dump *d, hs_graph *g, const hs_suspect_opts *o, hs_error *err)
{
	hs_suspects r;
	int rc = hs_suspects_find(&r, g, o, err);
	*out = NULL;
	if (rc < 0)
		return rc;
	*out = result(g, d, &r, o);
	hs_suspects_release(&r);
	if (!*out)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	if ((rc = hs_res_error(*out, err)) < 0) {
		hs_res_free(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- the text, from the result ---- */
/* ---- the text, from the result ---- */

static const char *str(const hs_node *o, const char *key)
{
	return hs_node_str(hs_node_get(o, key));
}

static uint64_t num(const hs_node *o, const char *key)
{
	return hs_node_u64(hs_node_get(o, key));
}

static int has(const hs_node *o, const char *key)
{
	const hs_node *n = hs_node_get(o, key);
	return n && !hs_node_is_null(n);
}

static const char *simple(const char *cls)
{
	const char *d = strrchr(cls, '.');
	return d ? d + 1 : cls;
}

/* "java.util.concurrent.locks.LockSupport.park -> ..." with simple class
 * names: "LockSupport.park -> ...". */
static void short_frames(FILE *out, const char *full)
{
	while (full && *full) {
		const char *end = strstr(full, " -> "), *m, *c;
		size_t n = end ? (size_t)(end - full) : strlen(full);
		for (m = full + n; m > full && m[-1] != '.'; m--)
			;
		for (c = m > full ? m - 1 : m; c > full && c[-1] != '.'; c--)
			;
		hs_fmt_printf(out, "%.*s%s", (int)(full + n - c), c, end ? " -> " : "");
		full = end ? end + 4 : NULL;
	}
}

static void chain_text(FILE *out, const hs_node *f)
{
	const hs_node *st, *path = hs_node_get(f, "steps");
	char n[48];
	hs_fmt_printf(out, "    ");
	for (st = hs_node_first(path); st; st = hs_node_next(st)) {
		const char *cls = str(st, "class"), *ld = str(st, "loader"), *lab = str(st, "label");
		int last = hs_node_next(st) == NULL;
		if (st != hs_node_first(path))
			hs_fmt_printf(out, " %s -> ", has(st, "via") ? str(st, "via") : "");
		if (has(st, "thread"))
			hs_fmt_printf(out, "%s (%s)", lab ? lab : str(st, "thread"), simple(cls));
		else if (ld && strncmp(ld, simple(cls), strlen(simple(cls))) == 0)
			hs_fmt_printf(out, "class loader %s", ld);
		else if (ld)
			hs_fmt_printf(out, "class loader %s (%s)", ld, simple(cls));
		else if (has(st, "class_object"))
			hs_fmt_printf(out, "class %s", str(st, "class_object"));
		else
			hs_fmt_printf(out, "%s", last ? cls : simple(cls));
		if (last && lab && strncmp(lab, "size=", 5) == 0)
			hs_fmt_printf(out, " (%s)", hs_fmt_counted(n, sizeof(n), strtoull(lab + 5, NULL, 10), "entry", "entries"));
	}
	hs_fmt_printf(out, "\n");
}

/* "java.util.HashMap (3,000 entries)" or "java.util.HashMap" */
static const char *accum_desc(char *buf, size_t n, const hs_node *acc)
{
	char c[48];
	if (has(acc, "entries"))
		snprintf(buf, n, "%s (%s)", str(acc, "class"), hs_fmt_counted(c, sizeof(c), num(acc, "entries"), "entry", "entries"));
	else
		snprintf(buf, n, "%s", str(acc, "class"));
	return buf;
}

/* What each thread of a group holds: "java.util.HashMap of 658 to 878
 * entries (772 on average)", or the biggest's when they are all alike. */
static const char *each_desc(char *buf, size_t n, const hs_node *f)
{
	const hs_node *e = hs_node_get(f, "each");
	char a[32], b[32], c[32];
	if (has(e, "entries_min") && num(e, "entries_min") != num(e, "entries_max"))
		snprintf(buf, n, "%s of %s to %s entries (%s on average)", str(hs_node_get(f, "accumulation"), "class"),
			 hs_fmt_count(a, sizeof(a), num(e, "entries_min")), hs_fmt_count(b, sizeof(b), num(e, "entries_max")),
			 hs_fmt_count(c, sizeof(c), num(e, "entries_average")));
	else
		accum_desc(buf, n, hs_node_get(f, "accumulation"));
	return buf;
}

/* "3,000 byte[] (5.91 MB), 3,000 java.lang.Long (70.3 KB)" */
static void class_list(FILE *out, const hs_node *l, const char *bytes)
{
	const hs_node *e;
	char n[48], b[48];
	for (e = hs_node_first(l); e; e = hs_node_next(e))
		hs_fmt_printf(out, "%s %s %s (%s)", e != hs_node_first(l) ? "," : "", hs_fmt_count(n, sizeof(n), num(e, "count")),
			      str(e, "class"), hs_fmt_bytes(b, sizeof(b), num(e, bytes)));
	hs_fmt_printf(out, "\n");
}

static void details(FILE *out, const hs_node *f)
{
	const hs_node *acc = hs_node_get(f, "accumulation"), *cl = hs_node_get(f, "class_loaders");
	const char *kind = str(f, "kind");
	char n[48], b[48], a[600], id[32], c[32];
	int class_prefix = has(acc, "class_object") && strncmp(str(acc, "class"), "class ", 6) != 0;
	hs_node_text(hs_node_get(acc, "id"), id, sizeof(id));
	if (!strcmp(kind, "class") && num(f, "meet"))
		hs_fmt_printf(out, "  Their paths from the GC roots meet at %s%s @ %s (%s of %s), held by %s:\n",
			      class_prefix ? "class " : "", accum_desc(a, sizeof(a), acc), id, hs_fmt_count(n, sizeof(n), num(f, "meet")),
			      hs_fmt_counted(b, sizeof(b), num(f, "members"), "instance", "instances"), str(f, "holder"));
	else if (!strcmp(kind, "class"))
		hs_fmt_printf(out, "  No common referrer; the biggest instance is held by %s:\n", str(f, "holder"));
	else
		hs_fmt_printf(out, "  %s in %s @ %s, retaining %s, held by %s:\n",
			      has(f, "each") && num(hs_node_get(f, "each"), "retained_min") != num(hs_node_get(f, "each"), "retained_max")
				      ? "The biggest accumulates" : "Accumulates",
			      accum_desc(a, sizeof(a), acc), id, hs_fmt_bytes(b, sizeof(b), num(acc, "retained")), str(f, "holder"));
	chain_text(out, f);
	if (hs_node_first(hs_node_get(f, "elements")) && strcmp(kind, "class") != 0) {
		hs_fmt_printf(out, "  Holds %s:", hs_fmt_counted(n, sizeof(n), num(f, "elements_total"), "object", "objects"));
		class_list(out, hs_node_get(f, "elements"), "retained");
	}
	if (has(f, "class_loaders")) {
		hs_fmt_printf(out, "  Keeps %s alive: %s %s", hs_fmt_counted(n, sizeof(n), num(cl, "count"), "class loader", "class loaders"),
			      hs_fmt_count(c, sizeof(c), num(cl, "of_class")), str(cl, "class"));
		if (has(cl, "names"))
			hs_fmt_printf(out, " named \"%s\"", str(cl, "names"));
		if (num(cl, "classes_total"))
			hs_fmt_printf(out, ", with %s (%s named %s)",
				      hs_fmt_counted(b, sizeof(b), num(cl, "classes_total"), "class", "classes"),
				      hs_fmt_count(c, sizeof(c), num(cl, "of_example")), str(cl, "class_example"));
		hs_fmt_printf(out, "\n");
	}
	if (hs_node_first(hs_node_get(f, "accumulates"))) {
		hs_fmt_printf(out, "  Made of:");
		class_list(out, hs_node_get(f, "accumulates"), "shallow");
	}
}

static const char *wait_words(const char *kind)
{
	return !kind ? "?" : !strcmp(kind, "park") ? "parked" : !strcmp(kind, "monitor") ? "in Object.wait" : "in a socket read";
}

static void thread_count_text(FILE *out, const hs_node *f)
{
	const hs_node *gr;
	char n[48], b[48], id[32];
	uint32_t k = 0;
	hs_fmt_printf(out, "  Outside the heap their stacks reserve about %s (an estimate: %s each, the default thread stack size of a 64-bit Linux JVM; -Xss sets it)\n",
		      hs_fmt_bytes(b, sizeof(b), num(f, "native_stack_estimate")), hs_fmt_bytes(id, sizeof(id), num(f, "stack_size_assumed")));
	for (gr = hs_node_first(hs_node_get(f, "groups")); gr; gr = hs_node_next(gr), k++) {
		uint64_t cnt = num(gr, "count");
		if (k >= 10)   /* the first ten, then how many more */
			continue;
		hs_fmt_printf(out, "  %8s  %s", hs_fmt_count(n, sizeof(n), cnt), str(gr, "pattern"));
		if (has(gr, "class"))
			hs_fmt_printf(out, " (%s%s)", num(gr, "of_class") == cnt ? "" : "mostly ", str(gr, "class"));
		if (has(gr, "frames") && cnt > 1)
			hs_fmt_printf(out, ", all at %s", str(gr, "frames"));
		if (has(gr, "holds") && cnt > 1)
			hs_fmt_printf(out, ", %s holding a %s", num(gr, "holding") == cnt ? "each" : hs_fmt_count(b, sizeof(b), num(gr, "holding")),
				      str(gr, "holds"));
		if (has(gr, "finding"))
			hs_fmt_printf(out, " (%s in suspect %llu)", num(gr, "in_findings") == cnt ? "all" : hs_fmt_count(b, sizeof(b), num(gr, "in_findings")),
				      (unsigned long long)num(gr, "finding"));
		hs_fmt_printf(out, "\n");
	}
	if (k > 10)
		hs_fmt_printf(out, "  ... and %s more\n", hs_fmt_counted(n, sizeof(n), k - 10, "name pattern", "name patterns"));
}

void hs_cli_suspect_text(FILE *out, const hs_node *root, const hs_node *f, uint32_t i)
{
	const hs_node *w;
	char b[48], n[48], id[32], a[600];
	const char *kind = str(f, "kind");
	double pct = hs_node_real(hs_node_get(f, "retained_pct"));

	hs_node_text(hs_node_get(f, "id"), id, sizeof(id));
	hs_fmt_bytes(b, sizeof(b), num(f, "retained"));
	hs_fmt_printf(out, "Suspect %u: ", i);
	if (!strcmp(kind, "threads")) {
		hs_fmt_printf(out, "%s \"%s\" each hold a %s%s%s: %s in total (%.1f%%)\n",
			      hs_fmt_counted(n, sizeof(n), num(f, "members"), "thread", "threads"), str(f, "thread_pattern"),
			      each_desc(a, sizeof(a), f), has(f, "through") ? " through " : "",
			      has(f, "through") ? str(f, "through") : "", b, pct);
	} else if (!strcmp(kind, "object") && has(f, "class_object")) {
		hs_fmt_printf(out, "class %s @ %s retains %s (%.1f%%) through its static fields\n",
			      str(f, "class_object"), id, b, pct);
	} else if (!strcmp(kind, "object") && has(f, "name")) {
		hs_fmt_printf(out, "%s retains %s (%.1f%%)\n", str(f, "name"), b, pct);
	} else if (!strcmp(kind, "object")) {
		hs_fmt_printf(out, "one %s @ %s retains %s (%.1f%%)\n", str(f, "class"), id, b, pct);
	} else if (!strcmp(kind, "class")) {
		hs_fmt_printf(out, "%s of %s together retain %s (%.1f%%)\n",
			      hs_fmt_counted(n, sizeof(n), num(f, "members"), "instance", "instances"), str(f, "class"), b, pct);
	} else if (!strcmp(kind, "thread-count")) {
		hs_fmt_printf(out, "%s (more than %s), retaining %s (%.1f%%) beyond the other findings\n",
			      hs_fmt_counted(n, sizeof(n), num(f, "members"), "live thread", "live threads"),
			      hs_fmt_count(id, sizeof(id), num(root, "max_threads")), b, pct);
		thread_count_text(out, f);
		return;
	} else {
		hs_fmt_printf(out, "%s threads%s%s%s wait %s at the same frames: ", hs_fmt_count(n, sizeof(n), num(f, "members")),
			      has(f, "thread_pattern") ? " \"" : "", has(f, "thread_pattern") ? str(f, "thread_pattern") : "",
			      has(f, "thread_pattern") ? "\"" : "", wait_words(str(f, "wait")));
		short_frames(out, str(f, "frames"));
		hs_fmt_printf(out, "\n");
		if (has(f, "waits_on")) {
			w = hs_node_get(f, "waits_on");
			hs_fmt_printf(out, "  All wait on %s @ %s:\n    %s\n", str(w, "class"),
				      hs_node_text(hs_node_get(w, "id"), id, sizeof(id)), has(w, "owner") ? str(w, "owner") : str(w, "class"));
		} else {
			hs_fmt_printf(out, "  The dump shows no one object they all wait on\n");
		}
		return;
	}
	details(out, f);
}

static void text(hs_result *res)
{
	const hs_node *root = hs_res_root(res), *f;
	char b[48], n[48];
	uint32_t i = 1;
	FILE *out = stdout;
	if (!hs_node_first(hs_node_get(root, "suspects"))) {
		hs_fmt_printf(out, "\nNo leak suspect: nothing retains more than %.4g%% of the reachable heap, and %s (limit %s).\n",
			      hs_node_real(hs_node_get(root, "threshold_pct")),
			      hs_fmt_counted(n, sizeof(n), num(root, "threads_total"), "live thread", "live threads"),
			      hs_fmt_count(b, sizeof(b), num(root, "max_threads")));
		return;
	}
	for (f = hs_node_first(hs_node_get(root, "suspects")); f; f = hs_node_next(f), i++) {
		hs_fmt_printf(out, "\n");
		hs_cli_suspect_text(out, root, f, i);
	}
}

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_suspect_opts o = { 10.0, 1000 };
	hs_result *res;
	int rc;

	if (a->set[O_THRESHOLD])
		o.threshold_pct = a->real[O_THRESHOLD];
	if (a->set[O_THRESHOLD] && o.threshold_pct <= 0)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				    "--threshold takes a percentage above 0 and up to 100, not '%s'", a->val[O_THRESHOLD]);
	if (a->set[O_MAX_THREADS])
		o.max_threads = a->num[O_MAX_THREADS];
	if ((rc = hs_cli_open_graph(&d, &g, a, 0, err)) < 0)
		return rc;
	rc = hs_cli_suspects_result(&res, d, g, &o, err);
	if (rc == 0) {
		if (a->set[HS_OPT_JSON]) {
			rc = hs_cli_render(res, a, NULL, err);
		} else if (rc == 0) {
			hs_cli_graph_header(stdout, d, g);
			text(res);
		}
		hs_res_free(res);
	}
	hs_cli_free_graph(a, g);
	hs_cli_free_dump(a, d);
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
