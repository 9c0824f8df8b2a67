/*
 * waste.c - duplicate Strings, empty and sparse collections, boxed
 * primitives in collections and mostly-zero arrays (waste.h).
 *
 * Duplicate Strings: the value arrays of all reachable Strings are read
 * in one pass (graph/fetch.h), the Strings sorted by (coder, bytes of the
 * value) so that equal values are neighbours, and each run of two or more
 * is a group.  A group's waste is what would be freed if one String and
 * one value array remained: the shallow size of every other String, and
 * of every other distinct value array (Strings may share one).  Holders:
 * the first referrer of each String (one scan of the references), named
 * "Class.field" (its instance data read) or "Class[]" for an array.
 *
 * Collections: HashMap, LinkedHashMap, ArrayList, ArrayDeque and
 * ConcurrentHashMap instances, their backing array read from their fields
 * and its length counted, their entries from their labels.
 *
 * Nothing walks the graph recursively: each part is a loop over the
 * nodes or their references.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/waste.h"
#include "graph/fetch.h"
#include "graph/graph_int.h"
#include "util.h"

#define OOM_DOING "looking for waste"

static const char *class_of(const hs_graph *g, uint32_t v)
{
	uint32_t c = cls_at(g, v);
	return c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) ? NULL : g->d->classes[c].name;
}

static int named(const hs_graph *g, uint32_t v, const char *name)
{
	const char *n = class_of(g, v);
	return n && strcmp(n, name) == 0;
}

static uint32_t value_array(const hs_graph *g, uint32_t str)
{
	uint32_t n, i;
	const uint32_t *o = hs_graph_out(g, str, &n);
	for (i = 0; i < n; i++) {
		uint32_t c = cls_at(g, o[i]);
		if (c != HS_NONE && !(c & HS_CLASS_OBJECT_BIT) && g->d->classes[c].kind == HS_CLASS_PRIM_ARRAY)
			return o[i];
	}
	return 0;
}

/* ---- duplicate Strings ---- */

struct str {
	uint32_t node, arr, len;
	const unsigned char *bytes;   /* borrowed from the fetch */
	uint8_t coder;
};

static int by_value(const void *a, const void *b)
{
	const struct str *x = a, *y = b;
	int c;
	if (x->coder != y->coder)
		return x->coder < y->coder ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if ((c = memcmp(x->bytes, y->bytes, x->len)) != 0)
		return c;
	return x->arr < y->arr ? -1 : x->arr > y->arr;
}

/* Append a code point as UTF-8 (no NUL, no lone surrogate). */
static size_t put_utf8(char *o, size_t at, uint32_t cp)
{
	if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		o[at++] = (char)cp;
	} else if (cp < 0x800) {
		o[at++] = (char)(0xc0 | (cp >> 6));
		o[at++] = (char)(0x80 | (cp & 0x3f));
	} else {
		o[at++] = (char)(0xe0 | (cp >> 12));
		o[at++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[at++] = (char)(0x80 | (cp & 0x3f));
	}
	return at;
}

#define MAX_VALUE_CHARS 100

static char *decode(const struct str *s, int is_char)
{
	char *o = malloc(MAX_VALUE_CHARS * 3 + 8);
	size_t at = 0;
	uint32_t i, n = 0;
	int two = is_char || s->coder == 1;
	if (!o)
		return NULL;
	for (i = 0; i + (two ? 1u : 0u) < s->len && n < MAX_VALUE_CHARS; i += two ? 2 : 1, n++)
		at = put_utf8(o, at, two ? (is_char ? hs_get_u2(s->bytes + i)
					       : (uint32_t)s->bytes[i] | ((uint32_t)s->bytes[i + 1] << 8))
				     : s->bytes[i]);
	if (i < s->len) {
		memcpy(o + at, "...", 3);
		at += 3;
	}
	o[at] = '\0';
	return o;
}

struct holder {
	char *name;
	uint64_t n;
};

static int by_holder_name(const void *a, const void *b)
{
	return strcmp(((const struct holder *)a)->name, ((const struct holder *)b)->name);
}

static int by_holder_count(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* "Class.field (n), ..." of the holders of s[0..n), most first, at most 3. */
static char *holders_text(const hs_graph *g, const hs_fetch *f, const struct str *s, uint32_t n,
			  const uint32_t *first_ref)
{
	struct holder *h = calloc(n, sizeof(*h));
	uint32_t i, k = 0, m = 0;
	size_t cap = 256, at = 0;
	char *out = malloc(cap);
	if (!h || !out)
		goto fail;
	for (i = 0; i < n; i++) {
		uint32_t r = first_ref[s[i].node], c, len;
		const unsigned char *data;
		const char *field = NULL;
		char buf[512];
		if (!r) {
			snprintf(buf, sizeof(buf), "<GC root>");
		} else if ((c = cls_at(g, r)) != HS_NONE && (c & HS_CLASS_OBJECT_BIT)) {
			snprintf(buf, sizeof(buf), "%s (static)", g->d->classes[c & ~HS_CLASS_OBJECT_BIT].name);
		} else if (c != HS_NONE && g->d->classes[c].kind == HS_CLASS_OBJ_ARRAY) {
			snprintf(buf, sizeof(buf), "%s", g->d->classes[c].name);
		} else {
			if ((data = hs_fetch_instance(f, r, &len)) != NULL)
				field = hs_field_holding(g->d, c, data, len, hs_graph_id(g, s[i].node));
			snprintf(buf, sizeof(buf), "%s.%s", class_of(g, r) ? class_of(g, r) : "?", field ? field : "?");
		}
		if (!(h[i].name = strdup(buf)))
			goto fail;
		h[i].n = 1;
	}
	qsort(h, n, sizeof(*h), by_holder_name);
	for (i = 0; i < n; i++) {
		if (k && strcmp(h[k - 1].name, h[i].name) == 0) {
			h[k - 1].n++;
			free(h[i].name);
			continue;
		}
		h[k++] = h[i];
	}
	qsort(h, k, sizeof(*h), by_holder_count);
	out[0] = '\0';
	for (i = 0; i < k && m < 3; i++, m++) {
		size_t need = strlen(h[i].name) + 32;
		if (at + need >= cap) {
			char *no = realloc(out, cap = at + need + 256);
			if (!no)
				goto fail;
			out = no;
		}
		at += (size_t)snprintf(out + at, cap - at, "%s%s (%llu)", i ? ", " : "", h[i].name,
				       (unsigned long long)h[i].n);
	}
	if (k > 3)
		snprintf(out + at, cap - at, ", ...");
	for (i = 0; i < k; i++)
		free(h[i].name);
	free(h);
	return out;
fail:
	if (h)
		for (i = 0; i < n; i++)
			free(h[i].name);
	free(h);
	free(out);
	return NULL;
}

static int by_dup_wasted(const void *a, const void *b)
{
	const hs_waste_dup *x = a, *y = b;
	if (x->wasted != y->wasted)
		return x->wasted < y->wasted ? 1 : -1;
	return strcmp(x->value, y->value);
}

static int dup_strings(hs_waste *w, hs_graph *g, hs_error *err)
{
	uint32_t nn = hs_graph_nodes(g), v, ns = 0, cap = 1024, i, j;
	struct str *s = malloc(sizeof(*s) * cap);
	uint32_t *first_ref = NULL;
	hs_fetch f, fr;
	int rc = 0;

	hs_fetch_init(&f, g, HS_WASTE_STRING_MAX_BYTES);
	hs_fetch_init(&fr, g, 0);
	if (!s)
		return hs_error_oom(err, OOM_DOING);
	for (v = 1; v < nn && rc == 0; v++) {
		uint32_t arr;
		if (!hs_graph_reachable(g, v) || !named(g, v, "java.lang.String") || !(arr = value_array(g, v)))
			continue;
		if (ns == cap) {
			struct str *n2 = realloc(s, sizeof(*s) * (cap *= 2));
			if (!n2) {
				rc = hs_error_oom(err, OOM_DOING);
				break;
			}
			s = n2;
		}
		memset(&s[ns], 0, sizeof(s[0]));
		s[ns].node = v;
		s[ns].arr = arr;
		ns++;
		if ((rc = hs_fetch_want_prim(&f, arr, err)) == 0)
			rc = hs_fetch_want_instance(&f, v, err);
	}
	if (rc == 0)
		rc = hs_fetch_run(&f, err);
	if (rc < 0)
		goto done;
	for (i = j = 0; i < ns; i++) {
		uint32_t plen, ilen, ci = cls_at(g, s[i].node);
		const unsigned char *inst = hs_fetch_instance(&f, s[i].node, &ilen);
		uint8_t t;
		uint64_t coder = 0;
		s[i].bytes = hs_fetch_prim(&f, s[i].arr, &s[i].len);
		if (!s[i].bytes || !hs_fetch_prim_length(&f, s[i].arr, &plen) ||
		    (uint64_t)plen * hs_type_size(g->d->classes[cls_at(g, s[i].arr)].elem_type, 8) != s[i].len)
			continue;   /* not read, or longer than what is compared */
		if (inst)
			hs_field_by_name(g->d, ci, inst, ilen, "coder", &t, &coder);
		s[i].coder = (uint8_t)coder;
		s[j++] = s[i];
	}
	ns = j;
	qsort(s, ns, sizeof(*s), by_value);
	/* the first referrer of each String of a group */
	first_ref = calloc(nn, sizeof(uint32_t));
	if (!first_ref) {
		rc = hs_error_oom(err, OOM_DOING);
		goto done;
	}
	for (i = 0; i < ns; i = j) {
		for (j = i + 1; j < ns && s[j].coder == s[i].coder && s[j].len == s[i].len &&
				!memcmp(s[j].bytes, s[i].bytes, s[i].len); j++)
			;
		if (j - i >= 2) {
			uint32_t k;
			for (k = i; k < j; k++)
				first_ref[s[k].node] = UINT32_MAX;   /* wanted */
		}
	}
	for (v = 1; v < nn; v++) {
		uint32_t cnt, k;
		const uint32_t *o = hs_graph_out(g, v, &cnt);
		if (!hs_graph_reachable(g, v))
			continue;
		for (k = 0; k < cnt; k++)
			if (first_ref[o[k]] == UINT32_MAX) {
				first_ref[o[k]] = v;
				if ((rc = hs_fetch_want_instance(&fr, v, err)) < 0)
					goto done;
			}
	}
	for (v = 1; v < nn; v++)
		if (first_ref[v] == UINT32_MAX)
			first_ref[v] = 0;   /* held by a GC root only */
	if ((rc = hs_fetch_run(&fr, err)) < 0)
		goto done;
	for (i = 0; i < ns; i = j) {
		uint64_t wasted = 0;
		uint32_t k;
		hs_waste_dup *d;
		for (j = i + 1; j < ns && s[j].coder == s[i].coder && s[j].len == s[i].len &&
				!memcmp(s[j].bytes, s[i].bytes, s[i].len); j++)
			;
		if (j - i < 2)
			continue;
		for (k = i + 1; k < j; k++) {
			wasted += hs_graph_shallow(g, s[k].node);
			if (s[k].arr != s[k - 1].arr)   /* sorted by array within a group */
				wasted += hs_graph_shallow(g, s[k].arr);
		}
		if (w->ndups % 256 == 0) {
			hs_waste_dup *nd = realloc(w->dups, sizeof(*nd) * (w->ndups + 256));
			if (!nd) {
				rc = hs_error_oom(err, OOM_DOING);
				goto done;
			}
			w->dups = nd;
		}
		d = &w->dups[w->ndups++];
		d->count = j - i;
		d->wasted = wasted;
		d->value = decode(&s[i], g->d->classes[cls_at(g, s[i].arr)].elem_type == HS_T_CHAR);
		d->holders = holders_text(g, &fr, s + i, j - i, first_ref);
		if (!d->value || !d->holders) {
			rc = hs_error_oom(err, OOM_DOING);
			goto done;
		}
		w->dup_strings += j - i - 1;
		w->dup_wasted += wasted;
	}
	if (w->ndups)
		qsort(w->dups, w->ndups, sizeof(*w->dups), by_dup_wasted);
done:
	free(first_ref);
	free(s);
	hs_fetch_release(&f);
	hs_fetch_release(&fr);
	return rc;
}

/* ---- collections ---- */

static const struct { const char *cls, *field; } coll_kinds[] = {
	{ "java.util.HashMap", "table" },
	{ "java.util.LinkedHashMap", "table" },
	{ "java.util.ArrayList", "elementData" },
	{ "java.util.ArrayDeque", "elements" },
	{ "java.util.concurrent.ConcurrentHashMap", "table" },
};
#define NKINDS (sizeof(coll_kinds) / sizeof(coll_kinds[0]))

static int coll_kind(const hs_graph *g, uint32_t v)
{
	const char *n = class_of(g, v);
	unsigned k;
	for (k = 0; n && k < NKINDS; k++)
		if (!strcmp(n, coll_kinds[k].cls))
			return (int)k;
	return -1;
}

static int by_coll_wasted(const void *a, const void *b)
{
	const hs_waste_coll *x = a, *y = b;
	if (x->wasted != y->wasted)
		return x->wasted < y->wasted ? 1 : -1;
	if (x->empty != y->empty)
		return x->empty ? -1 : 1;
	return strcmp(x->cls, y->cls);
}

static int collections(hs_waste *w, hs_graph *g, hs_error *err)
{
	uint32_t nn = hs_graph_nodes(g), v, n = 0, cap = 256, i;
	uint32_t *nodes = malloc(sizeof(uint32_t) * cap), *arrs = NULL;
	hs_waste_coll rows[2 * NKINDS];
	hs_fetch f, fa;
	int rc = 0;

	hs_fetch_init(&f, g, 0);
	hs_fetch_init(&fa, g, 0);
	memset(rows, 0, sizeof(rows));
	if (!nodes)
		return hs_error_oom(err, OOM_DOING);
	for (v = 1; v < nn && rc == 0; v++) {
		if (!hs_graph_reachable(g, v) || coll_kind(g, v) < 0)
			continue;
		if (n == cap) {
			uint32_t *n2 = realloc(nodes, sizeof(uint32_t) * (cap *= 2));
			if (!n2) {
				rc = hs_error_oom(err, OOM_DOING);
				break;
			}
			nodes = n2;
		}
		nodes[n++] = v;
		rc = hs_fetch_want_instance(&f, v, err);
	}
	if (rc == 0)
		rc = hs_fetch_run(&f, err);
	if (rc == 0 && !(arrs = calloc((size_t)n + 1, sizeof(uint32_t))))
		rc = hs_error_oom(err, OOM_DOING);
	for (i = 0; rc == 0 && i < n; i++) {
		uint32_t len;
		const unsigned char *data = hs_fetch_instance(&f, nodes[i], &len);
		uint8_t t;
		uint64_t id;
		if (data && hs_field_by_name(g->d, cls_at(g, nodes[i]), data, len, coll_kinds[coll_kind(g, nodes[i])].field,
					     &t, &id) && t == HS_T_OBJECT && id && (arrs[i] = hs_graph_node(g, id)))
			rc = hs_fetch_want_count(&fa, arrs[i], err);
	}
	if (rc == 0)
		rc = hs_fetch_run(&fa, err);
	if (rc == 0)
		rc = hs_graph_fetch_labels(g, nodes, n, err);
	for (i = 0; rc == 0 && i < n; i++) {
		uint32_t length, nonnull, k = (uint32_t)coll_kind(g, nodes[i]);
		const char *lab = hs_graph_label(g, nodes[i]);
		uint64_t size, full, need;
		hs_waste_coll *r;
		if (!arrs[i] || !hs_fetch_count(&fa, arrs[i], &length, &nonnull) || !length || !lab ||
		    strncmp(lab, "size=", 5) != 0)
			continue;
		size = strtoull(lab + 5, NULL, 10);
		full = hs_graph_shallow(g, arrs[i]);
		if (size == 0) {
			r = &rows[2 * k];
			r->empty = 1;
			need = 0;
		} else if (size * HS_WASTE_SPARSE_DIV < length) {
			r = &rows[2 * k + 1];
			need = hs_dump_array_size(g->d, cls_at(g, arrs[i]), size);
		} else {
			continue;
		}
		r->cls = coll_kinds[k].cls;
		r->count++;
		r->entries += size;
		r->capacity += length;
		r->wasted += full > need ? full - need : 0;
	}
	if (rc == 0) {
		w->colls = calloc(2 * NKINDS, sizeof(*w->colls));
		if (!w->colls)
			rc = hs_error_oom(err, OOM_DOING);
		for (i = 0; rc == 0 && i < 2 * NKINDS; i++)
			if (rows[i].count)
				w->colls[w->ncolls++] = rows[i];
		if (rc == 0)
			qsort(w->colls, w->ncolls, sizeof(*w->colls), by_coll_wasted);
	}
	free(nodes);
	free(arrs);
	hs_fetch_release(&f);
	hs_fetch_release(&fa);
	return rc;
}

/* ---- boxed primitives and zero arrays ---- */

static int by_row_wasted(const void *a, const void *b)
{
	const hs_waste_row *x = a, *y = b;
	if (x->wasted != y->wasted)
		return x->wasted < y->wasted ? 1 : -1;
	return strcmp(x->cls, y->cls);
}

static int is_box(const char *n)
{
	static const char *const b[] = { "java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte",
					 "java.lang.Character", "java.lang.Boolean", "java.lang.Float", "java.lang.Double",
					 NULL };
	int i;
	for (i = 0; n && b[i]; i++)
		if (!strcmp(n, b[i]))
			return 1;
	return 0;
}

/* The objects collections keep their elements in. */
static int is_slot(const char *n)
{
	static const char *const s[] = { "java.lang.Object[]", "java.util.HashMap$Node", "java.util.LinkedHashMap$Entry",
					 "java.util.concurrent.ConcurrentHashMap$Node", "java.util.TreeMap$Entry",
					 "java.util.LinkedList$Node", NULL };
	int i;
	for (i = 0; n && s[i]; i++)
		if (!strcmp(n, s[i]))
			return 1;
	return 0;
}

/* Per class rows from marks: class index -> row. */
static int class_rows(hs_graph *g, const uint64_t *count, const uint64_t *wasted, hs_waste_row **out, uint32_t *n,
		      hs_error *err)
{
	uint32_t nc = hs_dump_class_count(g->d), c, k = 0;
	for (c = 0; c < nc; c++)
		k += count[c] > 0;
	*out = calloc((size_t)k + 1, sizeof(**out));
	if (!*out)
		return hs_error_oom(err, OOM_DOING);
	for (c = 0, k = 0; c < nc; c++)
		if (count[c]) {
			(*out)[k].cls = g->d->classes[c].name;
			(*out)[k].count = count[c];
			(*out)[k].wasted = wasted[c];
			k++;
		}
	qsort(*out, k, sizeof(**out), by_row_wasted);
	*n = k;
	return 0;
}

static int boxes_and_zeros(hs_waste *w, hs_graph *g, hs_error *err)
{
	uint32_t nn = hs_graph_nodes(g), nc = hs_dump_class_count(g->d), v;
	unsigned char *boxed = calloc(nn, 1), *slot = calloc(nc + 1, 1);
	uint64_t *cnt = calloc((size_t)nc + 1, 8), *bytes = calloc((size_t)nc + 1, 8);
	hs_fetch f;
	int rc = 0;

	hs_fetch_init(&f, g, 0);
	if (!boxed || !slot || !cnt || !bytes) {
		rc = hs_error_oom(err, OOM_DOING);
		goto done;
	}
	for (v = 0; v < nc; v++)
		slot[v] = is_slot(g->d->classes[v].name);
	for (v = 1; v < nn; v++) {
		uint32_t c = cls_at(g, v), n, k;
		const uint32_t *o;
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) || !slot[c] || !hs_graph_reachable(g, v))
			continue;
		o = hs_graph_out(g, v, &n);
		for (k = 0; k < n; k++)
			if (!boxed[o[k]] && is_box(class_of(g, o[k]))) {
				uint32_t bc = cls_at(g, o[k]);
				boxed[o[k]] = 1;
				cnt[bc]++;
				bytes[bc] += hs_graph_shallow(g, o[k]);
			}
	}
	if ((rc = class_rows(g, cnt, bytes, &w->boxed, &w->nboxed, err)) < 0)
		goto done;
	memset(cnt, 0, ((size_t)nc + 1) * 8);
	memset(bytes, 0, ((size_t)nc + 1) * 8);
	for (v = 1; v < nn && rc == 0; v++) {
		uint32_t c = cls_at(g, v);
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) || g->d->classes[c].kind != HS_CLASS_PRIM_ARRAY ||
		    hs_graph_shallow(g, v) < HS_WASTE_ZERO_MIN_BYTES || !hs_graph_reachable(g, v))
			continue;
		rc = hs_fetch_want_zeros(&f, v, err);
	}
	if (rc == 0)
		rc = hs_fetch_run(&f, err);
	for (v = 1; v < nn && rc == 0; v++) {
		uint32_t c = cls_at(g, v), z, seen;
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) || g->d->classes[c].kind != HS_CLASS_PRIM_ARRAY ||
		    !hs_fetch_zeros(&f, v, &z, &seen) || !seen || (uint64_t)z * 100 < (uint64_t)seen * HS_WASTE_ZERO_PCT)
			continue;
		cnt[c]++;
		bytes[c] += (uint64_t)z * hs_type_size(g->d->classes[c].elem_type, g->d->info.idsize);
	}
	if (rc == 0)
		rc = class_rows(g, cnt, bytes, &w->zeros, &w->nzeros, err);
done:
	hs_fetch_release(&f);
	free(boxed);
	free(slot);
	free(cnt);
	free(bytes);
	return rc;
}

int hs_waste_find(hs_waste *out, hs_graph *g, hs_error *err)
{
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = hs_graph_refs(g, err)) < 0)
		return rc;
	if ((rc = dup_strings(out, g, err)) == 0 && (rc = collections(out, g, err)) == 0)
		rc = boxes_and_zeros(out, g, err);
	if (rc < 0)
		hs_waste_release(out);
	return rc;
}

void hs_waste_release(hs_waste *w)
{
	uint32_t i;
	for (i = 0; i < w->ndups; i++) {
		free(w->dups[i].value);
		free(w->dups[i].holders);
	}
	free(w->dups);
	free(w->colls);
	free(w->boxed);
	free(w->zeros);
	memset(w, 0, sizeof(*w));
}
