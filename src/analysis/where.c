/*
 * where.c - parsing and evaluating `--where` expressions (where.h).
 *
 * The parser is recursive descent over the text, one function per level
 * of the grammar; each "(" and "not" goes one level deeper, and more than
 * HS_WHERE_MAX_DEPTH levels is an error rather than a deep C stack.  It
 * builds a tree of nodes in one array (children by index), and the
 * names it meets in a second one, so that a caller can fetch just the
 * fields the expression reads.  Evaluation recurses over that tree: its
 * depth is bounded by the nesting limit plus the length of the longest
 * chain of "and" and "or", which HS_WHERE_MAX_LEN bounds.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/where.h"

enum op { N_OR, N_AND, N_NOT, N_CMP };
enum cmp { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE, C_GLOB };
enum opd { O_NAME, O_NUM, O_TEXT, O_NULL };

struct operand {
	enum opd kind;
	double num;
	char *text;   /* O_TEXT: the text; O_NAME: the name (both owned) */
};

struct node {
	enum op op;
	enum cmp cmp;
	int a, b;                 /* children (N_OR, N_AND: both; N_NOT: a) */
	struct operand l, r;      /* N_CMP */
};

struct hs_where {
	struct node *n;
	int nn, cap, root;
	char **names;             /* distinct, pointing into the nodes' text */
	uint32_t nnames;
};

struct parser {
	const char *s;
	size_t at;
	int depth;
	hs_where *w;
	hs_error *err;
};

static int fail(struct parser *p, size_t col, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hs_error_set(p->err, HS_EUSAGE, HS_NO_OFFSET, "column %zu: %s", col + 1, msg);
}

static void skip_space(struct parser *p)
{
	while (p->s[p->at] == ' ' || p->s[p->at] == '\t' || p->s[p->at] == '\n')
		p->at++;
}

static int is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

static int is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/* The keyword @p kw at the cursor, as a whole word: 1 (consumed) or 0. */
static int keyword(struct parser *p, const char *kw)
{
	size_t n = strlen(kw);
	skip_space(p);
	if (strncmp(p->s + p->at, kw, n) != 0 || is_name_char(p->s[p->at + n]))
		return 0;
	p->at += n;
	return 1;
}

static int new_node(struct parser *p, enum op op)
{
	hs_where *w = p->w;
	if (w->nn == w->cap) {
		int cap = w->cap ? w->cap * 2 : 16;
		struct node *n = realloc(w->n, sizeof(*n) * (size_t)cap);
		if (!n)
			return hs_error_oom(p->err, "parsing an expression");
		w->n = n;
		w->cap = cap;
	}
	memset(&w->n[w->nn], 0, sizeof(w->n[0]));
	w->n[w->nn].op = op;
	return w->nn++;
}

static int add_name(struct parser *p, char *name)
{
	hs_where *w = p->w;
	uint32_t i;
	char **nn;
	for (i = 0; i < w->nnames; i++)
		if (strcmp(w->names[i], name) == 0)
			return 0;
	nn = realloc(w->names, sizeof(char *) * (w->nnames + 1));
	if (!nn)
		return hs_error_oom(p->err, "parsing an expression");
	w->names = nn;
	w->names[w->nnames++] = name;
	return 0;
}

static int operand(struct parser *p, struct operand *o)
{
	const char *s = p->s;
	size_t start;
	skip_space(p);
	start = p->at;
	if (s[start] == '\'' || s[start] == '"') {
		char q = s[start];
		size_t e = start + 1;
		while (s[e] && s[e] != q)
			e++;
		if (!s[e])
			return fail(p, start, "unterminated string");
		o->kind = O_TEXT;
		o->text = strndup(s + start + 1, e - start - 1);
		if (!o->text)
			return hs_error_oom(p->err, "parsing an expression");
		p->at = e + 1;
		return 0;
	}
	if ((s[start] >= '0' && s[start] <= '9') || (s[start] == '-' && s[start + 1] >= '0' && s[start + 1] <= '9')) {
		char *end;
		double v = strtod(s + start, &end);
		size_t e = (size_t)(end - s);
		/* strtod() also takes hex, exponents, inf: only digits and one '.' */
		size_t k;
		int dots = 0;
		for (k = start + (s[start] == '-'); k < e; k++)
			if (s[k] == '.')
				dots++;
			else if (s[k] < '0' || s[k] > '9')
				return fail(p, k, "bad number");
		if (dots > 1)
			return fail(p, start, "bad number");
		if (s[e] == 'K' || s[e] == 'k')
			v *= 1024.0, e++;
		else if (s[e] == 'M' || s[e] == 'm')
			v *= 1024.0 * 1024.0, e++;
		else if (s[e] == 'G' || s[e] == 'g')
			v *= 1024.0 * 1024.0 * 1024.0, e++;
		if (is_name_char(s[e]) || s[e] == '.')
			return fail(p, e, "bad number: unexpected '%c' (suffixes: K, M, G)", s[e]);
		o->kind = O_NUM;
		o->num = v;
		p->at = e;
		return 0;
	}
	if (is_name_start(s[start])) {
		size_t e = start;
		while (is_name_char(s[e]))
			e++;
		if (e - start == 4 && strncmp(s + start, "null", 4) == 0) {
			o->kind = O_NULL;
		} else if ((e - start == 4 && strncmp(s + start, "true", 4) == 0) ||
			   (e - start == 5 && strncmp(s + start, "false", 5) == 0)) {
			o->kind = O_NUM;
			o->num = s[start] == 't';
		} else if ((e - start == 3 && (!strncmp(s + start, "and", 3) || !strncmp(s + start, "not", 3))) ||
			   (e - start == 2 && !strncmp(s + start, "or", 2))) {
			return fail(p, start, "expected a field name, a number or a string, found '%.*s'",
				    (int)(e - start), s + start);
		} else {
			o->kind = O_NAME;
			o->text = strndup(s + start, e - start);
			if (!o->text)
				return hs_error_oom(p->err, "parsing an expression");
			p->at = e;
			return add_name(p, o->text);
		}
		p->at = e;
		return 0;
	}
	if (!s[start])
		return fail(p, start, "expected a field name, a number or a string, found the end");
	return fail(p, start, "expected a field name, a number or a string, found '%c'", s[start]);
}

static int comparison(struct parser *p)
{
	static const struct { const char *t; enum cmp c; } ops[] = {
		{ "==", C_EQ }, { "!=", C_NE }, { "<=", C_LE }, { ">=", C_GE },
		{ "=", C_EQ }, { "<", C_LT }, { ">", C_GT }, { "~", C_GLOB }
	};
	struct operand l = { 0 }, r = { 0 };
	size_t k, opat;
	int rc, i;
	if ((rc = operand(p, &l)) < 0)
		return rc;
	skip_space(p);
	opat = p->at;
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		if (strncmp(p->s + p->at, ops[k].t, strlen(ops[k].t)) == 0)
			break;
	if (k == sizeof(ops) / sizeof(ops[0])) {
		rc = p->s[opat] ? fail(p, opat, "expected a comparison (= != < <= > >= ~), found '%c'", p->s[opat])
				: fail(p, opat, "expected a comparison (= != < <= > >= ~), found the end");
		goto bad;
	}
	p->at += strlen(ops[k].t);
	if ((rc = operand(p, &r)) < 0)
		goto bad;
	if (ops[k].c == C_GLOB && r.kind != O_TEXT && r.kind != O_NAME) {
		rc = fail(p, opat, "~ takes a pattern in quotes on its right");
		goto bad;
	}
	if ((i = new_node(p, N_CMP)) < 0) {
		rc = i;
		goto bad;
	}
	p->w->n[i].cmp = ops[k].c;
	p->w->n[i].l = l;
	p->w->n[i].r = r;
	return i;
bad:
	/* names are kept by the name list, which frees them */
	if (l.kind == O_TEXT)
		free(l.text);
	if (r.kind == O_TEXT)
		free(r.text);
	return rc;
}

static int expr(struct parser *p);

static int unary(struct parser *p)
{
	int rc, i;
	size_t at;
	skip_space(p);
	at = p->at;
	if ((p->s[at] == '(' || keyword(p, "not")) && p->depth >= HS_WHERE_MAX_DEPTH)
		return fail(p, at, "nested more than %d levels deep", HS_WHERE_MAX_DEPTH);
	p->at = at;
	if (keyword(p, "not")) {
		p->depth++;
		rc = unary(p);
		p->depth--;
		if (rc < 0)
			return rc;
		if ((i = new_node(p, N_NOT)) < 0)
			return i;
		p->w->n[i].a = rc;
		return i;
	}
	if (p->s[at] == '(') {
		p->at++;
		p->depth++;
		rc = expr(p);
		p->depth--;
		if (rc < 0)
			return rc;
		skip_space(p);
		if (p->s[p->at] != ')')
			return fail(p, p->at, "expected ')' to close the '(' of column %zu", at + 1);
		p->at++;
		return rc;
	}
	return comparison(p);
}

static int chain(struct parser *p, enum op op)
{
	int a = op == N_OR ? chain(p, N_AND) : unary(p);
	while (a >= 0 && keyword(p, op == N_OR ? "or" : "and")) {
		int b = op == N_OR ? chain(p, N_AND) : unary(p), i;
		if (b < 0)
			return b;
		if ((i = new_node(p, op)) < 0)
			return i;
		p->w->n[i].a = a;
		p->w->n[i].b = b;
		a = i;
	}
	return a;
}

static int expr(struct parser *p)
{
	return chain(p, N_OR);
}

void hs_where_free(hs_where *w)
{
	int i;
	uint32_t k;
	if (!w)
		return;
	for (i = 0; i < w->nn; i++) {
		if (w->n[i].op != N_CMP)
			continue;
		if (w->n[i].l.kind == O_TEXT)
			free(w->n[i].l.text);
		if (w->n[i].r.kind == O_TEXT)
			free(w->n[i].r.text);
	}
	for (k = 0; k < w->nnames; k++)
		free(w->names[k]);
	free(w->names);
	free(w->n);
	free(w);
}

int hs_where_parse(hs_where **out, const char *text, hs_error *err)
{
	struct parser p;
	int rc;
	*out = NULL;
	if (strlen(text) > HS_WHERE_MAX_LEN)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "expression longer than %d bytes", HS_WHERE_MAX_LEN);
	memset(&p, 0, sizeof(p));
	p.s = text;
	p.err = err;
	p.w = calloc(1, sizeof(hs_where));
	if (!p.w)
		return hs_error_oom(err, "parsing an expression");
	rc = expr(&p);
	if (rc >= 0) {
		skip_space(&p);
		if (text[p.at])
			rc = fail(&p, p.at, "expected 'and', 'or' or the end, found '%c'", text[p.at]);
	}
	if (rc < 0) {
		hs_where_free(p.w);
		return rc;
	}
	p.w->root = rc;
	*out = p.w;
	return 0;
}

static void value(const struct operand *o, hs_where_lookup lookup, void *ctx, hs_wval *v)
{
	memset(v, 0, sizeof(*v));
	switch (o->kind) {
	case O_NAME:
		lookup(ctx, o->text, v);
		break;
	case O_NUM:
		v->kind = HS_WV_NUM;
		v->num = o->num;
		break;
	case O_TEXT:
		v->kind = HS_WV_TEXT;
		v->text = o->text;
		break;
	case O_NULL:
		v->kind = HS_WV_NULL;
		break;
	}
}

static int compare(const struct node *n, hs_where_lookup lookup, void *ctx)
{
	hs_wval l, r;
	int c;
	value(&n->l, lookup, ctx, &l);
	value(&n->r, lookup, ctx, &r);
	if (l.kind == HS_WV_NONE || r.kind == HS_WV_NONE)
		return 0;
	if (n->cmp == C_GLOB)
		return l.kind == HS_WV_TEXT && r.kind == HS_WV_TEXT && fnmatch(r.text, l.text, 0) == 0;
	if (l.kind == HS_WV_NULL || r.kind == HS_WV_NULL) {
		int same = l.kind == r.kind;
		return n->cmp == C_EQ ? same : n->cmp == C_NE ? !same : 0;
	}
	if (l.kind != r.kind)
		return 0;
	if (l.kind == HS_WV_TEXT)
		c = strcmp(l.text, r.text);
	else
		c = l.num < r.num ? -1 : l.num > r.num;
	switch (n->cmp) {
	case C_EQ: return c == 0;
	case C_NE: return c != 0;
	case C_LT: return c < 0;
	case C_LE: return c <= 0;
	case C_GT: return c > 0;
	case C_GE: return c >= 0;
	default: return 0;
	}
}

static int eval(const hs_where *w, int i, hs_where_lookup lookup, void *ctx)
{
	const struct node *n = &w->n[i];
	switch (n->op) {
	case N_OR: return eval(w, n->a, lookup, ctx) || eval(w, n->b, lookup, ctx);
	case N_AND: return eval(w, n->a, lookup, ctx) && eval(w, n->b, lookup, ctx);
	case N_NOT: return !eval(w, n->a, lookup, ctx);
	default: return compare(n, lookup, ctx);
	}
}

int hs_where_eval(const hs_where *w, hs_where_lookup lookup, void *ctx)
{
	return eval(w, w->root, lookup, ctx);
}

const char *const *hs_where_names(const hs_where *w, uint32_t *n)
{
	*n = w->nnames;
	return (const char *const *)w->names;
}
