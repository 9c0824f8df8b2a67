/*
 * labels.c - short descriptions of objects for reports: a String's value,
 * a thread's name, a collection's size.
 *
 * The graph keeps no object contents, so hs_graph_fetch_labels() reads the
 * dump once more for the few objects a report shows, copying the field
 * bytes of the instances and the first bytes of the arrays it needs.  What
 * to fetch follows from the graph: a String's value array is its only
 * out-edge to a primitive array; a thread's name (a String, or a char[]
 * in JDK 8 and older) was noted while building the graph.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "graph_int.h"

/* The longest string value kept for a label, in bytes of the dump. */
#define MAX_STR_BYTES 160

/* what the out-of-memory errors of this file say was under way */
#define OOM_DOING "fetching labels"

uint32_t hs_graph_value_array(const hs_graph *g, uint32_t str)
{
	uint32_t n, i;
	const uint32_t *out = hs_graph_out(g, str, &n);
	for (i = 0; i < n; i++) {
		uint32_t c = cls_at(g, out[i]);
		if (c != HS_NONE && !(c & HS_CLASS_OBJECT_BIT) &&
		    g->d->classes[c].kind == HS_CLASS_PRIM_ARRAY)
			return out[i];
	}
	return 0;
}

static int is_string(const hs_graph *g, uint32_t node)
{
	uint32_t c = cls_at(g, node);
	return c != HS_NONE && !(c & HS_CLASS_OBJECT_BIT) &&
	       strcmp(g->d->classes[c].name, "java.lang.String") == 0;
}

/* Which int field gives a collection's size, or NULL. */
static const char *size_field(const hs_graph *g, uint32_t ci)
{
	const char *n = g->d->classes[ci].name;
	uint32_t k = ci;
	int guard = 0;
	if (!n)
		return NULL;
	if (strstr(n, "Hashtable") || strcmp(n, "java.util.Properties") == 0)
		return "count";
	if (strcmp(n, "java.util.Vector") == 0 || strcmp(n, "java.util.Stack") == 0)
		return "elementCount";
	if (strcmp(n, "java.util.concurrent.ConcurrentHashMap") == 0)
		return "baseCount";
	if (strcmp(n, "java.lang.ThreadLocal$ThreadLocalMap") == 0)
		return "size";
	while (k != HS_NONE && guard++ < 256) {
		const char *kn = g->d->classes[k].name;
		if (kn && strncmp(kn, "java.util.", 10) == 0) {
			const hs_class *kl = &g->d->classes[k];
			unsigned i;
			for (i = 0; i < kl->nfields; i++) {
				const char *fn = hs_dump_string(g->d, kl->fields[i].name_id);
				if (fn && kl->fields[i].type == HS_T_INT && strcmp(fn, "size") == 0)
					return "size";
			}
		}
		k = g->d->classes[k].super;
	}
	return NULL;
}

/* Append a code point as UTF-8.  Control characters are kept (output
 * escapes them, format.h), U+0000 as modified UTF-8's C0 80, which a C
 * string can hold; a surrogate on its own becomes U+FFFD. */
static size_t put_cp(char *o, size_t n, size_t at, uint32_t cp)
{
	if (at + 8 >= n)
		return at;
	if (cp == 0) {
		o[at++] = (char)0xc0;
		o[at++] = (char)0x80;
	} else if (cp < 0x80) {
		o[at++] = (char)cp;
	} else if (cp < 0x800) {
		o[at++] = (char)(0xc0 | (cp >> 6));
		o[at++] = (char)(0x80 | (cp & 0x3f));
	} else {
		if (cp >= 0xd800 && cp <= 0xdfff)
			cp = 0xfffd;
		o[at++] = (char)(0xe0 | (cp >> 12));
		o[at++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[at++] = (char)(0x80 | (cp & 0x3f));
	}
	return at;
}

static char *string_value(const hs_graph *g, const hs_fetch *f, uint32_t str)
{
	uint32_t ilen = 0, alen = 0, arr = hs_graph_value_array(g, str), ci = cls_at(g, str), i;
	const unsigned char *inst = hs_fetch_instance(f, str, &ilen);
	const unsigned char *a = arr ? hs_fetch_prim(f, arr, &alen) : NULL;
	uint8_t t;
	uint64_t coder = 0, offset = 0, count = UINT64_MAX;
	char buf[4 * MAX_STR_BYTES + 8];
	size_t at = 0;
	int is_char;

	if (!a || !inst)
		return NULL;
	if (hs_field_by_name(g->d, ci, inst, ilen, "coder", &t, &coder) == 0)
		coder = 2; /* JDK <= 8: char[] */
	hs_field_by_name(g->d, ci, inst, ilen, "offset", &t, &offset);
	if (!hs_field_by_name(g->d, ci, inst, ilen, "count", &t, &count))
		count = UINT64_MAX;
	is_char = g->d->classes[cls_at(g, arr)].elem_type == HS_T_CHAR;
	buf[at++] = '"';
	if (is_char) {
		uint32_t nch = alen / 2;
		for (i = (uint32_t)offset; i < nch && (count == UINT64_MAX || i < offset + count); i++)
			at = put_cp(buf, sizeof(buf) - 8, at, hs_get_u2(a + 2 * i));
	} else if (coder == 1) {
		for (i = 0; i + 1 < alen; i += 2)
			at = put_cp(buf, sizeof(buf) - 8, at, (uint32_t)a[i] | ((uint32_t)a[i + 1] << 8));
	} else {
		for (i = 0; i < alen; i++)
			at = put_cp(buf, sizeof(buf) - 8, at, a[i]);
	}
	if (alen >= MAX_STR_BYTES)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "...");
	buf[at++] = '"';
	buf[at] = '\0';
	return strdup(buf);
}

/* A thread's name held as a char[] (Thread.name of JDK 8 and older). */
static char *chars_value(const hs_graph *g, const hs_fetch *f, uint32_t arr)
{
	uint32_t alen = 0, i;
	const unsigned char *a = hs_fetch_prim(f, arr, &alen);
	char buf[4 * MAX_STR_BYTES + 8];
	size_t at = 0;
	(void)g;
	if (!a)
		return NULL;
	buf[at++] = '"';
	for (i = 0; i + 1 < alen; i += 2)
		at = put_cp(buf, sizeof(buf) - 8, at, hs_get_u2(a + i));
	if (alen >= MAX_STR_BYTES)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "...");
	buf[at++] = '"';
	buf[at] = '\0';
	return strdup(buf);
}

static int is_char_array(const hs_graph *g, uint32_t node)
{
	uint32_t c = cls_at(g, node);
	return c != HS_NONE && !(c & HS_CLASS_OBJECT_BIT) &&
	       g->d->classes[c].kind == HS_CLASS_PRIM_ARRAY && g->d->classes[c].elem_type == HS_T_CHAR;
}

/* The String whose value labels x: its thread name, or x itself; 0 if x
 * is no String and no thread; HS_NONE for a thread whose name is not a
 * String in the dump (*chars: the char[] that is its name, if one is). */
static uint32_t string_of(const hs_graph *g, uint32_t x, uint32_t *chars)
{
	PWord_t pv;
	*chars = 0;
	JLG(pv, g->thread_name_ids, x);
	if (pv) {
		uint32_t s = hs_graph_node(g, *pv);
		if (s && is_char_array(g, s))
			*chars = s;
		return s && is_string(g, s) ? s : HS_NONE;
	}
	return is_string(g, x) ? x : 0;
}

static int set_label(hs_graph *g, uint32_t node, char *s, hs_error *err)
{
	PWord_t pv;
	if (!s)
		return 0;
	JLI(pv, g->labels, node);
	if (pv == PJERR) {
		free(s);
		return hs_error_oom(err, OOM_DOING);
	}
	if (*pv)
		free((void *)*pv);
	*pv = (Word_t)s;
	return 0;
}

/*
 * Entry counts that take more than one field.  A collection whose size is
 * not a field of its own is resolved in steps, one pass over the dump per
 * step: a set wrapping a map (HashSet.map, TreeSet.m, the Collections
 * wrappers' c or m) reads the wrapped object's size; an ArrayDeque is
 * (tail - head) modulo the length of its elements array; a
 * CopyOnWriteArrayList is the length of its array; a ConcurrentHashMap under
 * contention adds the values of its CounterCells to baseCount; an object
 * array counts its non-null elements.
 */
enum step { S_NONE, S_SIZE, S_WRAP, S_DEQUE, S_COW, S_ARRAY, S_DEQUE_LEN, S_CELLS };

struct pend {
	uint32_t node;    /* the object to label */
	uint32_t at;      /* the object whose contents the next step reads */
	enum step step;
	int64_t partial;  /* S_DEQUE_LEN: tail - head */
};

static const char *const wrap_fields[] = { "map", "m", "c", "al", NULL };

/* The first step for a non-String object, or S_NONE. */
static enum step first_step(const hs_graph *g, uint32_t x)
{
	uint32_t c = cls_at(g, x);
	const char *n;
	if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT))
		return S_NONE;
	if (g->d->classes[c].kind == HS_CLASS_OBJ_ARRAY)
		return S_ARRAY;
	if (g->d->classes[c].kind != HS_CLASS_INSTANCE)
		return S_NONE;
	if (size_field(g, c))
		return S_SIZE;
	n = g->d->classes[c].name;
	if (!n)
		return S_NONE;
	if (strcmp(n, "java.util.ArrayDeque") == 0)
		return S_DEQUE;
	if (strcmp(n, "java.util.concurrent.CopyOnWriteArrayList") == 0)
		return S_COW;
	if (strncmp(n, "java.util.", 10) == 0) {
		uint32_t k;
		for (k = 0; wrap_fields[k]; k++) {
			uint8_t t;
			if (hs_field_type(g->d, c, wrap_fields[k], &t) && t == HS_T_OBJECT)
				return S_WRAP;
		}
	}
	return S_NONE;
}

static int want_step(hs_fetch *f, const struct pend *p, hs_error *err)
{
	switch (p->step) {
	case S_SIZE: case S_WRAP: case S_DEQUE: case S_COW:
		return hs_fetch_want_instance(f, p->at, err);
	case S_ARRAY: case S_DEQUE_LEN:
		return hs_fetch_want_count(f, p->at, err);
	case S_CELLS: {
		uint32_t k, cnt;
		const uint32_t *o = hs_graph_out(f->g, p->at, &cnt);
		for (k = 0; k < cnt; k++) {
			int rc = hs_fetch_want_instance(f, o[k], err);
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	default:
		return 0;
	}
}

/* Take one step with what the pass fetched: a label (*size >= 0), or the
 * next step in p, or S_NONE when the count cannot be had. */
static void take_step(const hs_graph *g, const hs_fetch *f, struct pend *p, int64_t *size)
{
	uint32_t len = 0, c = cls_at(g, p->at), alen, nn;
	const unsigned char *data = NULL;
	uint8_t t;
	uint64_t v, h, tl;
	*size = -1;
	if (p->step != S_ARRAY && p->step != S_DEQUE_LEN && p->step != S_CELLS) {
		data = hs_fetch_instance(f, p->at, &len);
		if (!data) {
			p->step = S_NONE;
			return;
		}
	}
	switch (p->step) {
	case S_SIZE:
		if (hs_field_by_name(g->d, c, data, len, size_field(g, c), &t, &v)) {
			uint64_t cells;
			*size = t == HS_T_LONG ? (int64_t)v : (int32_t)v;
			if (strcmp(size_field(g, c), "baseCount") == 0 &&
			    hs_field_by_name(g->d, c, data, len, "counterCells", &t, &cells) && t == HS_T_OBJECT &&
			    cells && hs_graph_node(g, cells)) {
				p->partial = *size;
				*size = -1;
				p->at = hs_graph_node(g, cells);
				p->step = S_CELLS;
				return;
			}
		}
		p->step = S_NONE;
		return;
	case S_CELLS: {
		uint32_t k, cnt;
		const uint32_t *o = hs_graph_out(g, p->at, &cnt);
		int64_t sum = p->partial;
		for (k = 0; k < cnt; k++) {
			uint32_t cl = cls_at(g, o[k]), l2;
			const unsigned char *cd = hs_fetch_instance(f, o[k], &l2);
			if (cd && cl != HS_NONE && !(cl & HS_CLASS_OBJECT_BIT) &&
			    hs_field_by_name(g->d, cl, cd, l2, "value", &t, &v))
				sum += (int64_t)v;
		}
		*size = sum;
		p->step = S_NONE;
		return;
	}
	case S_WRAP: {
		uint32_t k;
		for (k = 0; wrap_fields[k]; k++)
			if (hs_field_by_name(g->d, c, data, len, wrap_fields[k], &t, &v) && t == HS_T_OBJECT && v) {
				uint32_t in = hs_graph_node(g, v);
				enum step st = in ? first_step(g, in) : S_NONE;
				p->at = in;
				p->step = st == S_ARRAY ? S_NONE : st;   /* a wrapped array is no size */
				return;
			}
		p->step = S_NONE;
		return;
	}
	case S_DEQUE:
		if (hs_field_by_name(g->d, c, data, len, "head", &t, &h) &&
		    hs_field_by_name(g->d, c, data, len, "tail", &t, &tl) &&
		    hs_field_by_name(g->d, c, data, len, "elements", &t, &v) && v && hs_graph_node(g, v)) {
			p->partial = (int64_t)(int32_t)tl - (int64_t)(int32_t)h;
			p->at = hs_graph_node(g, v);
			p->step = S_DEQUE_LEN;
			return;
		}
		p->step = S_NONE;
		return;
	case S_COW:
		if (hs_field_by_name(g->d, c, data, len, "array", &t, &v) && v && hs_graph_node(g, v)) {
			p->at = hs_graph_node(g, v);
			p->step = S_ARRAY;
			p->partial = -1;   /* every slot is an element: the length */
			return;
		}
		p->step = S_NONE;
		return;
	case S_ARRAY:
		if (hs_fetch_count(f, p->at, &alen, &nn))
			*size = p->partial == -1 ? alen : nn;
		p->step = S_NONE;
		return;
	case S_DEQUE_LEN:
		if (hs_fetch_count(f, p->at, &alen, &nn) && alen)
			*size = p->partial < 0 ? p->partial + alen : p->partial;
		p->step = S_NONE;
		return;
	default:
		p->step = S_NONE;
		return;
	}
}

int hs_graph_fetch_labels(hs_graph *g, const uint32_t *nodes, uint32_t n, hs_error *err)
{
	hs_fetch f;
	struct pend *pend = NULL;
	uint32_t i, np = 0, round;
	int rc = 0;

	hs_fetch_init(&f, g, MAX_STR_BYTES);
	pend = malloc(sizeof(*pend) * (n + 1));
	if (!pend)
		return hs_error_oom(err, OOM_DOING);
	/* round 0: strings and thread names; the first step of the others */
	for (i = 0; i < n; i++) {
		uint32_t x = nodes[i], c, s, chars;
		PWord_t pv;
		if (x == 0 || x >= g->n)
			continue;
		JLG(pv, g->labels, x);
		if (pv || Judy1Test(g->label_tried, x, PJE0))
			continue;
		if ((rc = hs_graph_refs(g, err)) < 0)   /* a String's value, a map's table */
			goto done;
		c = cls_at(g, x);
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT))
			continue;
		s = string_of(g, x, &chars);
		if (chars && (rc = hs_fetch_want_prim(&f, chars, err)) < 0)
			goto done;
		if (s == HS_NONE)
			continue;
		if (s) {
			uint32_t arr = hs_graph_value_array(g, s);
			if ((rc = hs_fetch_want_instance(&f, s, err)) < 0 ||
			    (arr && (rc = hs_fetch_want_prim(&f, arr, err)) < 0))
				goto done;
		} else {
			pend[np].node = pend[np].at = x;
			pend[np].step = first_step(g, x);
			pend[np].partial = 0;
			if (pend[np].step == S_NONE)
				continue;
			if ((rc = want_step(&f, &pend[np], err)) < 0)
				goto done;
			np++;
		}
	}
	for (round = 0; f.any; round++) {
		uint32_t left = 0;
		if ((rc = hs_fetch_run(&f, err)) < 0)
			goto done;
		if (round == 0)
			for (i = 0; i < n; i++) {
				uint32_t x = nodes[i], s, chars;
				if (x == 0 || x >= g->n || cls_at(g, x) == HS_NONE || (cls_at(g, x) & HS_CLASS_OBJECT_BIT))
					continue;
				s = string_of(g, x, &chars);
				if (chars && (rc = set_label(g, x, chars_value(g, &f, chars), err)) < 0)
					goto done;
				if (s && s != HS_NONE && (rc = set_label(g, x, string_value(g, &f, s), err)) < 0)
					goto done;
			}
		for (i = 0; i < np; i++) {
			int64_t size;
			take_step(g, &f, &pend[i], &size);
			if (size >= 0) {
				char buf[48];
				snprintf(buf, sizeof(buf), "size=%lld", (long long)size);
				if ((rc = set_label(g, pend[i].node, strdup(buf), err)) < 0)
					goto done;
			}
			if (pend[i].step != S_NONE)
				pend[left++] = pend[i];
		}
		np = left;
		hs_fetch_release(&f);
		hs_fetch_init(&f, g, MAX_STR_BYTES);
		if (round >= 3)   /* a wrapper of a wrapper of a map at most */
			break;
		for (i = 0; i < np; i++)
			if ((rc = want_step(&f, &pend[i], err)) < 0)
				goto done;
	}
	/* fetched, with a label or none: not again (and an index keeps it) */
	for (i = 0; i < n; i++)
		if (nodes[i] && nodes[i] < g->n && Judy1Set(&g->label_tried, nodes[i], PJE0) == JERR) {
			rc = hs_error_oom(err, OOM_DOING);
			goto done;
		}
done:
	hs_fetch_release(&f);
	free(pend);
	return rc;
}

const char *hs_graph_label(const hs_graph *g, uint32_t node)
{
	PWord_t pv;
	JLG(pv, g->labels, node);
	return pv ? (const char *)*pv : NULL;
}

const char *hs_graph_thread_name(const hs_graph *g, uint32_t node)
{
	PWord_t pv;
	JLG(pv, g->thread_name_ids, node);
	if (!pv)
		return NULL;
	return hs_graph_label(g, node);
}

int hs_graph_thread_objects(const hs_graph *g, uint32_t **out, uint32_t *count, hs_error *err)
{
	Word_t node = 0;
	PWord_t pv;
	uint32_t n = 0, cap = 16, *v = malloc(sizeof(uint32_t) * cap);
	*out = NULL;
	*count = 0;
	if (!v)
		return hs_error_oom(err, OOM_DOING);
	JLF(pv, g->thread_name_ids, node);
	while (pv) {
		if (hs_graph_reachable(g, (uint32_t)node)) {
			if (n == cap) {
				uint32_t *nv = realloc(v, sizeof(uint32_t) * (cap *= 2));
				if (!nv) {
					free(v);
					return hs_error_oom(err, OOM_DOING);
				}
				v = nv;
			}
			v[n++] = (uint32_t)node;
		}
		JLN(pv, g->thread_name_ids, node);
	}
	*out = v;
	*count = n;
	return 0;
}

/* A label that is a String's value, in quotes, without them. */
static char *unquote(const char *s)
{
	size_t n = strlen(s);
	return n >= 2 && s[0] == '"' && s[n - 1] == '"' ? strndup(s + 1, n - 2) : strdup(s);
}

char *hs_graph_thread_name_dup(const hs_graph *g, uint32_t node)
{
	const char *s = hs_graph_thread_name(g, node);
	return s ? unquote(s) : NULL;
}

char *hs_graph_string_dup(const hs_graph *g, uint32_t node)
{
	const char *s = hs_graph_label(g, node);
	return s && is_string(g, node) && s[0] == '"' ? unquote(s) : NULL;
}
