/*
 * fuzz-rules.c - fuzz target: the rules reader and evaluator.
 *
 * The input is a rules file.  It is loaded (hs_rules_load) and each of its
 * lines parsed alone too (hs_rules_add), which must read the same with
 * fewer spaces between its words; the text each rule keeps (which
 * messages show) must read as the same rule.  Then every rule is evaluated as
 * `heapscan check` does: on a summary built, with the rules' class
 * patterns, from a small dump made here (threads with names holding maps,
 * a cache, the same class name from two class loaders, a hidden class),
 * against a snapshot of a smaller dump of the same shape, and the other
 * way round (a snapshot now, a dump as the baseline), and alone.
 *
 * The dump is built once (LLVMFuzzerInitialize) and kept open with its
 * graph; each input builds a summary from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "heapscan/rules.h"
#include "heapscan/summary.h"
#include "fuzz.h"
#include "hprof_writer.h"

/* Lines longer than hs_rules_load reads are cut there. */
#define MAX_LINE 4096

enum {
	S_OBJECT = 1, S_STRING, S_BYTES, S_THREAD, S_MAP, S_NODE, S_NODES, S_LOADER, S_CACHE,
	S_ENTRY, S_LAMBDA, S_LONG, S_VALUE, S_CODER, S_HASH, S_NAME, S_LOCALS, S_TID, S_TABLE,
	S_SIZE, S_KEY, S_NEXT, S_PARENT, S_INSTANCE
};
enum {
	OBJECT = 0x1000, STRING = 0x1008, BYTES = 0x1010, THREAD = 0x1018, MAP = 0x1020,
	NODE = 0x1028, NODES = 0x1030, LOADER = 0x1038, CACHE = 0x1040, ENTRY_A = 0x1048,
	ENTRY_B = 0x1050, LAMBDA = 0x1058, LONG = 0x1060
};

static hs_dump *dump;
static hs_graph *graph;
static hs_summary baseline;

struct gen {
	hw *w;
	uint64_t next;   /* next object id */
};

static uint64_t obj_id(struct gen *g, uint64_t size)
{
	uint64_t id = g->next;
	g->next += (size + 7) & ~(uint64_t)7;
	return id;
}

static void klass(hw *w, uint32_t serial, uint64_t id, uint64_t name, uint64_t super, uint64_t loader,
		  const hw_ifield *f, uint16_t nf, const hw_static *st, uint16_t nst)
{
	hw_class_spec c;
	hw_load_class(w, serial, id, name);
	memset(&c, 0, sizeof(c));
	c.id = id;
	c.super_id = super;
	c.loader_id = loader;
	c.fields = f;
	c.nfields = nf;
	c.statics = st;
	c.nstatics = nst;
	hw_class_dump(w, &c);
	if (!loader)
		hw_root_sticky_class(w, id);
}

static uint64_t string(struct gen *g, const char *text)
{
	uint32_t n = (uint32_t)strlen(text);
	uint64_t bytes = obj_id(g, 16 + n), id = obj_id(g, 24);
	hw_buf b;
	hw_prim_array_data(g->w, bytes, HW_T_BYTE, n, text);
	hw_buf_init(&b, 8);
	hw_buf_id(&b, bytes);
	hw_buf_u1(&b, 0);   /* coder: Latin-1 */
	hw_buf_u4(&b, 0);
	hw_instance(g->w, id, STRING, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	return id;
}

static uint64_t boxed(struct gen *g, uint64_t v)
{
	uint64_t id = obj_id(g, 16);
	hw_buf b;
	hw_buf_init(&b, 8);
	hw_buf_u8(&b, v);
	hw_instance(g->w, id, LONG, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	return id;
}

/* A HashMap of n entries, Long keys, values of class value_class (which
 * has one reference field, set to the next value). */
static uint64_t map(struct gen *g, uint32_t n, uint64_t value_class)
{
	uint32_t cap = 16, i;
	uint64_t *table, id, prev = 0;
	hw_buf b;
	while (cap < n)
		cap *= 2;
	table = calloc(cap, sizeof(*table));
	if (!table)
		hs_fuzz_fail("out of memory");
	for (i = 0; i < n; i++) {
		uint64_t key = boxed(g, i), value = obj_id(g, 16), node = obj_id(g, 32);
		hw_buf_init(&b, 8);
		hw_buf_id(&b, prev);
		hw_instance(g->w, value, value_class, b.p, (uint32_t)b.len);
		hw_buf_free(&b);
		hw_buf_init(&b, 8);
		hw_buf_id(&b, key);
		hw_buf_id(&b, value);
		hw_buf_id(&b, table[i % cap]);
		hw_buf_u4(&b, i);
		hw_instance(g->w, node, NODE, b.p, (uint32_t)b.len);
		hw_buf_free(&b);
		table[i % cap] = node;
		prev = value;
	}
	id = obj_id(g, 16 + 4 * cap);
	hw_obj_array(g->w, id, NODES, cap, table);
	free(table);
	hw_buf_init(&b, 8);
	hw_buf_id(&b, id);
	hw_buf_u4(&b, n);
	id = obj_id(g, 24);
	hw_instance(g->w, id, MAP, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	return id;
}

static uint64_t loader(struct gen *g, const char *name)
{
	uint64_t n = string(g, name), id = obj_id(g, 24);
	hw_buf b;
	hw_buf_init(&b, 8);
	hw_buf_id(&b, n);
	hw_buf_id(&b, 0);
	hw_instance(g->w, id, LOADER, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	hw_root_jni_global(g->w, id, id + 1);
	return id;
}

/* The dump: `scale` sets the sizes of the maps. */
static hw *make_dump(unsigned scale)
{
	static const char *const strings[] = {
		"", "java/lang/Object", "java/lang/String", "[B", "java/lang/Thread", "java/util/HashMap",
		"java/util/HashMap$Node", "[Ljava/util/HashMap$Node;", "java/lang/ClassLoader",
		"com/example/cache/Cache", "com/example/cache/Cache$Entry",
		"com/example/Leak$$Lambda+0x0000000800c01234", "java/lang/Long", "value", "coder", "hash",
		"name", "threadLocals", "tid", "table", "size", "key", "next", "parent", "INSTANCE"
	};
	hw_ifield f_string[3] = { { S_VALUE, HW_T_OBJECT }, { S_CODER, HW_T_BYTE }, { S_HASH, HW_T_INT } };
	hw_ifield f_thread[3] = { { S_NAME, HW_T_OBJECT }, { S_LOCALS, HW_T_OBJECT }, { S_TID, HW_T_LONG } };
	hw_ifield f_map[2] = { { S_TABLE, HW_T_OBJECT }, { S_SIZE, HW_T_INT } };
	hw_ifield f_node[4] = { { S_KEY, HW_T_OBJECT }, { S_VALUE, HW_T_OBJECT }, { S_NEXT, HW_T_OBJECT },
				{ S_HASH, HW_T_INT } };
	hw_ifield f_loader[2] = { { S_NAME, HW_T_OBJECT }, { S_PARENT, HW_T_OBJECT } };
	hw_ifield f_next[1] = { { S_NEXT, HW_T_OBJECT } };
	hw_ifield f_long[1] = { { S_VALUE, HW_T_LONG } };
	hw_static st_cache[1] = { { S_INSTANCE, HW_T_OBJECT, 0 } };
	struct gen g;
	uint64_t l1, l2, cache;
	hw_buf b;
	unsigned i;
	g.w = hw_new(NULL, 8);
	g.next = 0x100000;
	for (i = 1; i < sizeof(strings) / sizeof(strings[0]); i++)
		hw_string(g.w, i, strings[i]);
	klass(g.w, 1, OBJECT, S_OBJECT, 0, 0, NULL, 0, NULL, 0);
	klass(g.w, 2, STRING, S_STRING, OBJECT, 0, f_string, 3, NULL, 0);
	klass(g.w, 3, BYTES, S_BYTES, OBJECT, 0, NULL, 0, NULL, 0);
	klass(g.w, 4, THREAD, S_THREAD, OBJECT, 0, f_thread, 3, NULL, 0);
	klass(g.w, 5, MAP, S_MAP, OBJECT, 0, f_map, 2, NULL, 0);
	klass(g.w, 6, NODE, S_NODE, OBJECT, 0, f_node, 4, NULL, 0);
	klass(g.w, 7, NODES, S_NODES, OBJECT, 0, NULL, 0, NULL, 0);
	klass(g.w, 8, LOADER, S_LOADER, OBJECT, 0, f_loader, 2, NULL, 0);
	klass(g.w, 13, LONG, S_LONG, OBJECT, 0, f_long, 1, NULL, 0);
	klass(g.w, 12, LAMBDA, S_LAMBDA, OBJECT, 0, NULL, 0, NULL, 0);
	l1 = loader(&g, "plugin-1");
	l2 = loader(&g, "plugin-2");
	/* the cache, its class defined by a plugin loader; its entries' class
	 * by both */
	klass(g.w, 10, ENTRY_A, S_ENTRY, OBJECT, l1, f_next, 1, NULL, 0);
	klass(g.w, 11, ENTRY_B, S_ENTRY, OBJECT, l2, f_next, 1, NULL, 0);
	cache = obj_id(&g, 16);
	st_cache[0].value = cache;
	klass(g.w, 9, CACHE, S_CACHE, OBJECT, l1, f_next, 1, st_cache, 1);
	hw_buf_init(&b, 8);
	hw_buf_id(&b, map(&g, 20 * scale, ENTRY_A));
	hw_instance(g.w, cache, CACHE, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	(void)map(&g, scale, ENTRY_B);   /* unreachable */
	/* threads: four workers each holding a map through a field, and main */
	for (i = 0; i < 5; i++) {
		char name[32];
		uint64_t t, locals;
		snprintf(name, sizeof(name), i < 4 ? "http-nio-8080-exec-%u" : "main", i + 1);
		locals = i < 4 ? map(&g, scale * (i + 1), i % 2 ? ENTRY_B : ENTRY_A) : 0;
		t = obj_id(&g, 40);
		hw_buf_init(&b, 8);
		hw_buf_id(&b, string(&g, name));
		hw_buf_id(&b, locals);
		hw_buf_u8(&b, i + 1);
		hw_instance(g.w, t, THREAD, b.p, (uint32_t)b.len);
		hw_buf_free(&b);
		hw_root_thread_object(g.w, t, i + 1, 0);
	}
	hw_instance(g.w, obj_id(&g, 16), LAMBDA, NULL, 0);
	hw_root_jni_global(g.w, g.next - 16, 0x99);
	hw_heap_dump_flush(g.w, HW_ONE_RECORD);
	return g.w;
}

static void open_dump(hw *w, int slot, hs_dump **d, hs_graph **g)
{
	hs_open_opts o;
	hs_error err;
	const char *path = hs_fuzz_file(slot, hw_bytes(w), hw_len(w));
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	if (hs_dump_open(d, path, &o, &err) < 0 || hs_graph_build(g, *d, NULL, &err) < 0)
		hs_fuzz_fail("the rules target's dump: %s", err.msg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	hw *w;
	hs_dump *d;
	hs_graph *g;
	hs_summary s;
	hs_error err;
	(void)argc;
	(void)argv;
	hs_fuzz_dir();
	/* the baseline: a snapshot of the smaller dump */
	w = make_dump(2);
	open_dump(w, 1, &d, &g);
	hw_free(w);
	if (hs_summary_build(&s, d, g, "fuzz", NULL, 0, &err) < 0)
		hs_fuzz_fail("the rules target's baseline: %s", err.msg);
	hs_graph_free(g);
	hs_dump_free(d);
	hs_fuzz_roundtrip(&s, &baseline);
	hs_summary_release(&s);
	/* the dump checked, kept open: the file stays in slot 2 */
	w = make_dump(8);
	open_dump(w, 2, &dump, &graph);
	hw_free(w);
	return 0;
}

static void eval(const hs_rules *rs, const hs_summary *now, const hs_summary *base)
{
	uint32_t i;
	for (i = 0; i < rs->n; i++) {
		hs_rule_result res;
		hs_error err;
		int rc;
		hs_error_clear(&err);
		rc = hs_rules_eval(&rs->r[i], now, base, &res, &err);
		hs_fuzz_check(rc, &err, "hs_rules_eval");
		if (rc == 0 && res.ok != (res.measured <= rs->r[i].limit) && !res.skipped && !res.no_class &&
		    !res.absent)
			hs_fuzz_fail("rule '%s': measured %g, limit %g, but ok is %d", rs->r[i].text,
				     res.measured, rs->r[i].limit, res.ok);
		if (rc == 0 && strnlen(res.contributor, sizeof(res.contributor)) == sizeof(res.contributor))
			hs_fuzz_fail("rule '%s': the contributor is not terminated", rs->r[i].text);
		if (rc == 0 && res.no_class && (res.ok || res.absent || rs->r[i].optional))
			hs_fuzz_fail("rule '%s': matches no class, but ok %d, absent %d", rs->r[i].text, res.ok,
				     res.absent);
	}
}

static int same_rule(const hs_rule *a, const hs_rule *b)
{
	return a->kind == b->kind && a->metric == b->metric && a->limit == b->limit &&
	       a->percent == b->percent && !a->pattern == !b->pattern &&
	       (!a->pattern || !strcmp(a->pattern, b->pattern));
}

/* A rule's text as kept (what messages show) reads as the same rule. */
static void reparse(const hs_rule *r)
{
	hs_rules again;
	hs_error err;
	int rc;
	memset(&again, 0, sizeof(again));
	hs_error_clear(&err);
	rc = hs_rules_add(&again, r->text, "again", &err);
	if (rc < 0 || again.n != 1)
		hs_fuzz_fail("the rule '%s' (%s) reads as no rule: %s", r->text, r->origin, err.msg);
	if (!same_rule(&again.r[0], r))
		hs_fuzz_fail("the rule '%s' (%s) reads as another rule", r->text, r->origin);
	hs_rules_release(&again);
}

/* Words are separated by white space, any amount of it: a line with each
 * run of spaces outside parentheses made one space reads the same. */
static void spaces(const char *line, const hs_rules *rs, uint32_t before, int rc)
{
	char one[MAX_LINE + 1], *o = one;
	const char *p;
	int depth = 0, rc2;
	hs_rules again;
	hs_error err;
	for (p = line; *p; p++) {
		depth += *p == '(' ? 1 : *p == ')' && depth ? -1 : 0;
		if (*p == ' ' && !depth && p[1] == ' ')
			continue;
		*o++ = *p;
	}
	*o = '\0';
	memset(&again, 0, sizeof(again));
	hs_error_clear(&err);
	rc2 = hs_rules_add(&again, one, "--fuzz", &err);
	if ((rc < 0) != (rc2 < 0) || (rc == 0 && rs->n - before != again.n) ||
	    (rc == 0 && again.n && !same_rule(&rs->r[before], &again.r[0])))
		hs_fuzz_fail("'%s' and '%s' read differently (%s)", line, one, rc2 < 0 ? err.msg : "");
	hs_rules_release(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hs_rules rs, lines;
	hs_summary now, snap;
	hs_error err;
	const char **pats = NULL;
	uint32_t i, npats = 0;
	char *text, *line, *next;
	int rc;

	if (size > HS_FUZZ_MAX_INPUT)
		return 0;
	memset(&rs, 0, sizeof(rs));
	memset(&lines, 0, sizeof(lines));
	hs_error_clear(&err);
	rc = hs_rules_load(&rs, hs_fuzz_file(0, data, size), &err);
	hs_fuzz_check(rc, &err, "hs_rules_load");

	/* each line alone, as an option's rule is (a NUL ends a line too) */
	text = malloc(size + 1);
	if (!text)
		hs_fuzz_fail("out of memory");
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		uint32_t before = lines.n;
		if (strlen(line) > MAX_LINE)
			line[MAX_LINE] = '\0';
		rc = hs_rules_add(&lines, line, "--fuzz", &err);
		hs_fuzz_check(rc, &err, "hs_rules_add");
		spaces(line, &lines, before, rc);
	}
	free(text);
	for (i = 0; i < rs.n; i++)
		reparse(&rs.r[i]);
	for (i = 0; i < lines.n; i++)
		reparse(&lines.r[i]);

	/* the class patterns whose retained size the dump is asked for, as
	 * `check` collects them */
	pats = calloc(rs.n + 1, sizeof(*pats));
	if (!pats)
		hs_fuzz_fail("out of memory");
	for (i = 0; i < rs.n; i++) {
		uint32_t k;
		if (!(rs.r[i].kind == HS_RULE_GROWTH_CLASS ||
		      (rs.r[i].kind == HS_RULE_CLASS && rs.r[i].metric == HS_METRIC_RETAINED)))
			continue;
		for (k = 0; k < npats && strcmp(pats[k], rs.r[i].pattern); k++)
			;
		if (k == npats)
			pats[npats++] = rs.r[i].pattern;
	}
	rc = hs_summary_build(&now, dump, graph, "fuzz", pats, npats, &err);
	hs_fuzz_check(rc, &err, "hs_summary_build");
	if (rc == 0) {
		eval(&rs, &now, &baseline);
		eval(&rs, &now, NULL);
		eval(&lines, &now, &baseline);
		if (hs_fuzz_roundtrip(&now, &snap) == 0) {
			eval(&rs, &snap, &now);
			eval(&lines, &snap, &baseline);
			hs_summary_release(&snap);
		}
		hs_summary_release(&now);
	}
	free(pats);
	hs_rules_release(&rs);
	hs_rules_release(&lines);
	return 0;
}
