/*
 * result.c - building and reading a command's result (result.h): nodes
 * in one arena per result, field names checked against the project's
 * list (fields.c), the first failure remembered.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/result.h"

struct hs_node {
	const hs_rfield *f;         /* NULL for a list element */
	hs_node *parent, *next, *first, *last;
	hs_result *r;
	const char *const *cols;   /* a table's columns */
	hs_node *total;            /* a table's total row (text only) */
	const char *const *tcols;  /* a table's columns in text, when not cols */
	unsigned char numbered;    /* a table shown with a # column */
	unsigned char kind;        /* enum hs_kind */
	unsigned char null;
	unsigned char sgn;         /* stored as a signed integer */
	union {
		uint64_t u;
		int64_t i;
		double d;
		char *s;
	} v;
};

struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct hs_result {
	struct chunk *chunks;
	hs_node *root;
	int code;
	char msg[160];
};

static void fail(hs_result *r, int code, const char *fmt, const char *arg)
{
	if (r->code)
		return;
	r->code = code;
	snprintf(r->msg, sizeof(r->msg), fmt, arg ? arg : "");
}

static void *alloc(hs_result *r, size_t n)
{
	struct chunk *c = r->chunks;
	void *p;
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (!c || c->size - c->used < n) {
		size_t size = n > 16384 ? n : 16384;
		c = malloc(sizeof(*c) + size);
		if (!c) {
			fail(r, HS_ENOMEM, "out of memory building the result%s", NULL);
			return NULL;
		}
		c->used = 0;
		c->size = size;
		c->next = r->chunks;
		r->chunks = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

static char *copy(hs_result *r, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = alloc(r, n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* The storage each kind takes, as the setters name it. */
enum { ST_U64, ST_I64, ST_REAL, ST_STR, ST_BOOL, ST_NULL, ST_OBJ, ST_LIST };

static int fits(enum hs_kind k, int st)
{
	switch (st) {
	case ST_U64: return k == HS_K_COUNT || k == HS_K_BYTES || k == HS_K_ID || k == HS_K_INT;
	case ST_I64: return k == HS_K_DELTA || k == HS_K_INT;
	case ST_REAL: return k == HS_K_PCT || k == HS_K_REAL;
	case ST_STR: return k == HS_K_TEXT;
	case ST_BOOL: return k == HS_K_BOOL;
	case ST_OBJ: return k == HS_K_OBJECT;
	case ST_LIST: return k == HS_K_LIST;
	default: return 1;   /* null: any field may be absent, a list or an object too */
	}
}

/* The kind of an unnamed list element stored as @p st. */
static const unsigned char elem_kind[] = {
	HS_K_COUNT, HS_K_INT, HS_K_REAL, HS_K_TEXT, HS_K_BOOL, HS_K_TEXT, HS_K_OBJECT, HS_K_LIST
};

static hs_node *add(hs_node *o, const char *key, int st)
{
	hs_result *r;
	hs_node *n;
	const hs_rfield *f = NULL;

	if (!o || o->r->code)
		return NULL;
	r = o->r;
	if (o->kind == HS_K_OBJECT) {
		if (!key || !(f = hs_rfield_find(key))) {
			fail(r, HS_EINTERNAL, "result field '%s' is not one of the documented field names", key);
			return NULL;
		}
		if (!fits(f->kind, st)) {
			fail(r, HS_EINTERNAL, "result field '%s' given a value of another kind", key);
			return NULL;
		}
	} else if (o->kind != HS_K_LIST || key) {
		fail(r, HS_EINTERNAL, "result: a value added to a %s", o->kind == HS_K_LIST ? "list with a name" : "value");
		return NULL;
	}
	if (!(n = alloc(r, sizeof(*n))))
		return NULL;
	memset(n, 0, sizeof(*n));
	n->f = f;
	n->r = r;
	n->parent = o;
	n->kind = f ? (unsigned char)f->kind : elem_kind[st];
	n->null = st == ST_NULL;
	if (o->last)
		o->last->next = n;
	else
		o->first = n;
	o->last = n;
	return n;
}

hs_result *hs_res_new(const char *command)
{
	hs_result *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->root = alloc(r, sizeof(*r->root));
	if (!r->root) {
		hs_res_free(r);
		return NULL;
	}
	memset(r->root, 0, sizeof(*r->root));
	r->root->r = r;
	r->root->kind = HS_K_OBJECT;
	hs_res_u64(r->root, "schema", HS_RESULT_SCHEMA);
	hs_res_str(r->root, "command", command);
	return r;
}

void hs_res_free(hs_result *r)
{
	struct chunk *c, *n;
	if (!r)
		return;
	for (c = r->chunks; c; c = n) {
		n = c->next;
		free(c);
	}
	free(r);
}

hs_node *hs_res_root(hs_result *r) { return r ? r->root : NULL; }

int hs_res_error(const hs_result *r, hs_error *err)
{
	if (!r)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory building the result");
	if (r->code)
		return hs_error_set(err, r->code, HS_NO_OFFSET, "%s", r->msg);
	return 0;
}

hs_node *hs_res_u64(hs_node *o, const char *key, uint64_t v)
{
	hs_node *n = add(o, key, ST_U64);
	if (n)
		n->v.u = v;
	return n;
}

hs_node *hs_res_i64(hs_node *o, const char *key, int64_t v)
{
	hs_node *n = add(o, key, ST_I64);
	if (n) {
		n->v.i = v;
		n->sgn = 1;
	}
	return n;
}

hs_node *hs_res_real(hs_node *o, const char *key, double v)
{
	hs_node *n = add(o, key, ST_REAL);
	if (n)
		n->v.d = v;
	return n;
}

hs_node *hs_res_pct(hs_node *o, const char *key, uint64_t part, uint64_t whole)
{
	return hs_res_real(o, key, whole ? 100.0 * (double)part / (double)whole : 0.0);
}

hs_node *hs_res_str(hs_node *o, const char *key, const char *s)
{
	hs_node *n = add(o, key, s ? ST_STR : ST_NULL);
	if (n && s && !(n->v.s = copy(n->r, s)))
		return NULL;
	return n;
}

hs_node *hs_res_strf(hs_node *o, const char *key, const char *fmt, ...)
{
	char buf[512], *s = buf;
	hs_node *n;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0, buf[0] = '\0';
	if ((size_t)len >= sizeof(buf)) {
		if (!(s = malloc((size_t)len + 1))) {
			if (o)
				fail(o->r, HS_ENOMEM, "out of memory building the result%s", NULL);
			return NULL;
		}
		va_start(ap, fmt);
		vsnprintf(s, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	n = hs_res_str(o, key, s);
	if (s != buf)
		free(s);
	return n;
}

hs_node *hs_res_bool(hs_node *o, const char *key, int v)
{
	hs_node *n = add(o, key, ST_BOOL);
	if (n)
		n->v.u = v != 0;
	return n;
}

hs_node *hs_res_null(hs_node *o, const char *key) { return add(o, key, ST_NULL); }
hs_node *hs_res_obj(hs_node *o, const char *key) { return add(o, key, ST_OBJ); }
hs_node *hs_res_list(hs_node *o, const char *key) { return add(o, key, ST_LIST); }

hs_node *hs_res_table(hs_node *o, const char *key, const char *const *cols)
{
	hs_node *t = add(o, key, ST_LIST);
	const char **c;
	size_t i, n = 0;

	if (!t)
		return NULL;
	while (cols[n])
		n++;
	if (!(c = alloc(t->r, (n + 1) * sizeof(*c))))
		return NULL;
	for (i = 0; i < n; i++) {
		if (!hs_rfield_find(cols[i])) {
			fail(t->r, HS_EINTERNAL, "result column '%s' is not one of the documented field names", cols[i]);
			return NULL;
		}
		c[i] = cols[i];
	}
	c[n] = NULL;
	t->cols = c;
	return t;
}

hs_node *hs_res_row(hs_node *t)
{
	if (t && !t->cols && !t->r->code) {
		fail(t->r, HS_EINTERNAL, "result: a row added to a list without columns%s", NULL);
		return NULL;
	}
	return add(t, NULL, ST_OBJ);
}

hs_node *hs_res_children(hs_node *row)
{
	hs_node *c, *t;
	if (!row || row->r->code)
		return NULL;
	for (c = row->first; c; c = c->next)
		if (c->f && strcmp(c->f->key, "children") == 0)
			return c;
	if (!row->parent || !row->parent->cols) {
		fail(row->r, HS_EINTERNAL, "result: children of something that is not a row%s", NULL);
		return NULL;
	}
	if ((t = add(row, "children", ST_LIST)))
		t->cols = row->parent->cols;
	return t;
}

hs_node *hs_res_total(hs_node *t)
{
	hs_node *n;
	if (!t || t->r->code)
		return NULL;
	if (!t->cols) {
		fail(t->r, HS_EINTERNAL, "result: a total row for a list without columns%s", NULL);
		return NULL;
	}
	if (t->total)
		return t->total;
	if (!(n = alloc(t->r, sizeof(*n))))
		return NULL;
	memset(n, 0, sizeof(*n));
	n->r = t->r;
	n->kind = HS_K_OBJECT;
	return t->total = n;
}

void hs_res_text_cols(hs_node *t, const char *const *cols)
{
	size_t i;
	if (!t || t->r->code)
		return;
	for (i = 0; cols[i]; i++)
		if (!hs_rfield_find(cols[i])) {
			fail(t->r, HS_EINTERNAL, "result column '%s' is not one of the documented field names", cols[i]);
			return;
		}
	t->tcols = cols;
}

void hs_res_numbered(hs_node *t)
{
	if (t)
		t->numbered = 1;
}

/* ---- reading ---- */
const hs_node *hs_node_total(const hs_node *t) { return t->total; }
const char *const *hs_node_text_cols(const hs_node *t) { return t->tcols ? t->tcols : t->cols; }
int hs_node_numbered(const hs_node *t) { return t->numbered; }
const hs_node *hs_node_first(const hs_node *n) { return n ? n->first : NULL; }
const hs_node *hs_node_next(const hs_node *n) { return n ? n->next : NULL; }
const hs_rfield *hs_node_field(const hs_node *n) { return n->f; }
const hs_node *hs_node_parent(const hs_node *n) { return n->parent; }
enum hs_kind hs_node_kind(const hs_node *n) { return (enum hs_kind)n->kind; }
const char *const *hs_node_cols(const hs_node *n) { return n->cols; }
uint64_t hs_node_u64(const hs_node *n) { return n->null ? 0 : n->v.u; }
int hs_node_signed(const hs_node *n) { return n->sgn; }
int64_t hs_node_i64(const hs_node *n) { return n->null ? 0 : n->v.i; }
double hs_node_real(const hs_node *n) { return n->null ? 0 : n->v.d; }
const char *hs_node_str(const hs_node *n) { return n->null || n->kind != HS_K_TEXT ? NULL : n->v.s; }
int hs_node_is_null(const hs_node *n) { return n->null; }
int hs_node_is_container(const hs_node *n) { return (n->kind == HS_K_OBJECT || n->kind == HS_K_LIST) && !n->null; }

static const hs_node *kids(const hs_node *row)
{
	const hs_node *c = hs_node_get(row, "children");
	return c && c->first ? c : NULL;
}

int hs_table_is_tree(const hs_node *t)
{
	const hs_node *row;
	for (row = t ? t->first : NULL; row; row = row->next)
		if (kids(row))
			return 1;
	return 0;
}

const hs_node *hs_table_next_row(const hs_node *t, const hs_node *row, int *depth)
{
	const hs_node *c = kids(row);
	if (c) {
		++*depth;
		return c->first;
	}
	while (!row->next) {
		const hs_node *list = row->parent;
		if (list == t)
			return NULL;
		row = list->parent;
		--*depth;
	}
	return row->next;
}

const hs_node *hs_node_get(const hs_node *o, const char *key)
{
	const hs_node *c;
	for (c = o ? o->first : NULL; c; c = c->next)
		if (c->f && strcmp(c->f->key, key) == 0)
			return c;
	return NULL;
}
