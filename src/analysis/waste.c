/*
 * waste.c - duplicate Strings, empty and sparse collections, boxed
 * primitives in collections and mostly-zero arrays (waste.h).
 *
 * Duplicate Strings, in memory proportional to the Strings, never to
 * their values:
 *  1. one pass over the dump hands each reachable String's value array
 *     and instance to a sink (hs_fetch_stream()), which keeps a 64-bit
 *     hash of the value's bytes, its length and the coder: 24 bytes per
 *     String, the values themselves dropped as soon as hashed;
 *  2. the Strings sorted by (hash, length, coder, array), each run of two
 *     or more is a candidate group.  A run of one value array is a group
 *     as it is; the others are confirmed by a streaming pass that keeps,
 *     per run, the first of its values the pass meets (its reference) and
 *     compares every other with it as it comes: at most CONFIRM_BYTES of
 *     references per pass (span reads on a plain dump).  The Strings equal
 *     to the reference are a group; those that differ (a hash collision,
 *     counted in dup_collisions, never reported) are a run again for one
 *     more round.  So the totals are exact whatever the hash; each round
 *     peels one value off every run that collided, and a 64-bit hash
 *     makes a second round rare (the tests cut the hash to a few bits to
 *     exercise it).
 *  3. Only the groups reported (the top N by waste, and those tied with
 *     the last of them, whose order the values decide) have their value
 *     read again to be shown (its first MAX_VALUE_CHARS characters) and
 *     their holders named.
 * A group's waste is what would be freed if one String and one value array
 * remained: the shallow size of every other String, and of every other
 * distinct value array (Strings may share one).  Holders: the first
 * referrer of each String of a reported group (one scan of the
 * references), named "Class.field" (its instance data read) or "Class[]"
 * for an array.
 *
 * Collections: HashMap, LinkedHashMap, ArrayList, ArrayDeque and
 * ConcurrentHashMap instances, their backing array read from their fields
 * and its length counted, their entries from their labels.
 *
 * Nothing walks the graph recursively: each part is a loop over the
 * nodes or their references.  Only the graph's public interface is used
 * (heapscan/graph.h, and graph/fetch.h for contents).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/waste.h"
#include "graph/fetch.h"
#include "util.h"

#define OOM_DOING "looking for waste"

/* Value bytes held at once while candidate groups are confirmed. */
#define CONFIRM_BYTES (32u << 20)

static const char *class_of(const hs_graph *g, uint32_t v)
{
	const hs_class *k = hs_graph_class_of(g, v);
	return k ? k->name : NULL;
}

static int named(const hs_graph *g, uint32_t v, const char *name)
{
	const char *n = class_of(g, v);
	return n && strcmp(n, name) == 0;
}

/* ---- duplicate Strings ---- */

/* What is kept of a String while duplicates are looked for. */
struct str {
	uint64_t hash;        /* of the bytes of its value */
	uint32_t node, arr;
	uint32_t len;         /* bytes of its value */
	uint8_t coder;        /* 0 Latin-1 (or a char[] value), 1 UTF-16 */
	uint8_t read;         /* its value was read and hashed; then ST_* */
};

/* A confirmed group: s[at .. at + n), one value, sorted by array. */
struct grp {
	uint32_t at, n;
	uint64_t wasted;
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* A 64-bit hash of a value's bytes: each 8-byte word mixed, chained
 * through a rotation and a multiplication (order matters), the length in
 * the seed. */
static uint64_t value_hash(const unsigned char *p, uint32_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)n << 1), w;
	uint32_t i;
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (((h << 27) | (h >> 37)) ^ mix64(w)) * 0x9e3779b97f4a7c15ULL + 0x52dce729;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, p + i, n - i);
		h = (((h << 27) | (h >> 37)) ^ mix64(w ^ ((uint64_t)(n - i) << 59))) * 0x9e3779b97f4a7c15ULL;
	}
	return mix64(h);
}

static int cmp_node(const void *key, const void *elem)
{
	uint32_t k = *(const uint32_t *)key, v = ((const struct str *)elem)->node;
	return k < v ? -1 : k > v;
}

/* Indexes of Strings, by their value array. */
static int by_arr_ix(const void *a, const void *b, void *ctx)
{
	const struct str *s = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (s[x].arr != s[y].arr)
		return s[x].arr < s[y].arr ? -1 : 1;
	return x < y ? -1 : x > y;
}

struct hashing {
	const hs_graph *g;
	struct str *s;        /* sorted by node */
	const uint32_t *byarr;   /* indexes into s, by array */
	uint32_t ns;
	uint64_t mask;
};

/* The sink of the hashing pass: a String's coder, or the hash of a value
 * array (for every String that has it), unless the array is longer than
 * what is compared. */
static int hash_one(void *ctx, uint32_t node, const unsigned char *data, uint32_t n, uint32_t length,
		    hs_error *err)
{
	struct hashing *h = ctx;
	const hs_class *k = hs_graph_class_of(h->g, node);
	uint32_t lo = 0, hi = h->ns;
	uint64_t hash;
	(void)err;
	if (!k)
		return 0;
	if (length == UINT32_MAX) {
		struct str *x = bsearch(&node, h->s, h->ns, sizeof(*h->s), cmp_node);
		uint8_t t;
		uint64_t coder = 0;
		if (x) {
			hs_field_by_name(hs_graph_dump(h->g), hs_graph_class(h->g, node), data, n, "coder", &t, &coder);
			x->coder = (uint8_t)coder;
		}
		return 0;
	}
	if ((uint64_t)length * hs_type_size(k->elem_type, 8) != n)
		return 0;
	while (lo < hi) {   /* the first String with this array */
		uint32_t mid = lo + (hi - lo) / 2;
		if (h->s[h->byarr[mid]].arr < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	hash = value_hash(data, n) & h->mask;
	for (; lo < h->ns && h->s[h->byarr[lo]].arr == node; lo++) {
		struct str *x = &h->s[h->byarr[lo]];
		x->hash = hash;
		x->len = n;
		x->read = 1;
	}
	return 0;
}

/* The test suite sets HEAPSCAN_WASTE_HASH_BITS to keep only that many
 * bits of each hash, so that collisions happen and their splitting is
 * checked; the result must not change. */
static uint64_t hash_mask(void)
{
	const char *e = getenv("HEAPSCAN_WASTE_HASH_BITS");
	int bits = e ? atoi(e) : 64;
	return bits <= 0 || bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
}

static int by_key(const void *a, const void *b)
{
	const struct str *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->coder != y->coder)
		return x->coder < y->coder ? -1 : 1;
	if (x->arr != y->arr)
		return x->arr < y->arr ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

static int same_key(const struct str *x, const struct str *y)
{
	return x->hash == y->hash && x->len == y->len && x->coder == y->coder;
}

/* States of a String while runs are confirmed (struct str.read). */
#define ST_DONE 0       /* in a group, or alone with its value */
#define ST_PENDING 1    /* hashed, its run not confirmed yet */
#define ST_EQUAL 2      /* same value as its run's reference */
#define ST_DIFFERS 3    /* another value under the same hash */

struct dups {
	hs_waste *w;
	hs_graph *g;
	struct str *s;
	uint32_t ns;
	struct grp *grp;
	uint32_t ngrp, capgrp;
	int again;            /* runs were split: another round */
	hs_error *err;
};

/* A confirmed group s[at .. at + n), sorted by array. */
static int add_group(struct dups *c, uint32_t at, uint32_t n)
{
	uint64_t wasted = 0;
	uint32_t k;
	for (k = at + 1; k < at + n; k++) {
		wasted += hs_graph_shallow(c->g, c->s[k].node);
		if (c->s[k].arr != c->s[k - 1].arr)
			wasted += hs_graph_shallow(c->g, c->s[k].arr);
	}
	if (c->ngrp == c->capgrp) {
		uint32_t cap = c->capgrp ? c->capgrp * 2 : 256;
		struct grp *ng = realloc(c->grp, sizeof(*ng) * cap);
		if (!ng)
			return hs_error_oom(c->err, OOM_DOING);
		c->grp = ng;
		c->capgrp = cap;
	}
	c->grp[c->ngrp].at = at;
	c->grp[c->ngrp].n = n;
	c->grp[c->ngrp].wasted = wasted;
	c->ngrp++;
	c->w->dup_strings += n - 1;
	c->w->dup_wasted += wasted;
	return 0;
}

/* The end of the pending run starting at i (same hash, length and coder),
 * and whether it holds two distinct arrays or more (sorted by array). */
static uint32_t run_end(const struct dups *c, uint32_t i, int *distinct)
{
	uint32_t j = i + 1;
	while (j < c->ns && c->s[j].read == ST_PENDING && same_key(&c->s[j], &c->s[i]))
		j++;
	*distinct = c->s[j - 1].arr != c->s[i].arr;
	return j;
}

/* A run being confirmed: the value of the first of its arrays the pass
 * met (its reference); the others are compared with it as they come. */
struct run {
	uint32_t a, r;
	unsigned char *ref;
};

struct confirming {
	struct str *s;
	struct run *runs;     /* by start */
	uint32_t nruns;
	uint32_t *byarr;      /* the batch's Strings, by array */
	uint32_t nby;
};

/* The sink of a confirming pass: every String with this array gets
 * ST_EQUAL or ST_DIFFERS. */
static int compare_one(void *ctx, uint32_t node, const unsigned char *data, uint32_t n, uint32_t length,
		       hs_error *err)
{
	struct confirming *b = ctx;
	uint32_t lo = 0, hi = b->nby, at, k;
	struct run *run;
	uint8_t st;
	(void)length;
	while (lo < hi) {   /* the first String with this array */
		uint32_t mid = lo + (hi - lo) / 2;
		if (b->s[b->byarr[mid]].arr < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	at = lo;
	if (at == b->nby || b->s[k = b->byarr[at]].arr != node || n != b->s[k].len)
		return 0;   /* not read whole: left out of every group */
	for (lo = 0, hi = b->nruns; hi - lo > 1;) {   /* its run: the last starting at or before it */
		uint32_t mid = lo + (hi - lo) / 2;
		if (b->runs[mid].a <= k)
			lo = mid;
		else
			hi = mid;
	}
	run = &b->runs[lo];
	if (!run->ref) {
		if (!(run->ref = malloc(n ? n : 1)))
			return hs_error_oom(err, OOM_DOING);
		memcpy(run->ref, data, n);
		st = ST_EQUAL;
	} else {
		st = memcmp(run->ref, data, n) == 0 ? ST_EQUAL : ST_DIFFERS;
	}
	for (; at < b->nby && b->s[b->byarr[at]].arr == node; at++)
		b->s[b->byarr[at]].read = st;
	return 0;
}

static int rank(uint8_t st)
{
	return st == ST_EQUAL ? 0 : st == ST_DIFFERS ? 1 : 2;
}

/* Strings of a confirmed run: equal to the reference, differing, not
 * read; each part by array. */
static int by_state(const void *a, const void *b)
{
	const struct str *x = a, *y = b;
	int rx = rank(x->read), ry = rank(y->read);
	if (rx != ry)
		return rx - ry;
	if (x->arr != y->arr)
		return x->arr < y->arr ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

/* After the pass: the Strings equal to the reference are a group; those
 * that differ (a hash collision) are another run, for the next round. */
static int settle(struct dups *c, const struct run *run)
{
	uint32_t k, ne = 0, nd = 0;
	qsort(c->s + run->a, run->r - run->a, sizeof(*c->s), by_state);
	for (k = run->a; k < run->r; k++) {
		ne += c->s[k].read == ST_EQUAL;
		nd += c->s[k].read == ST_DIFFERS;
	}
	for (k = run->a; k < run->r; k++)
		c->s[k].read = k >= run->a + ne && k < run->a + ne + nd && nd >= 2 ? ST_PENDING : ST_DONE;
	if (nd) {
		c->w->dup_collisions++;
		c->again |= nd >= 2;
	}
	return ne >= 2 ? add_group(c, run->a, ne) : 0;
}

/* One round: every pending run confirmed, or split.  A run of one array
 * needs no reading; the others are read in batches, one pass each, that
 * hold at most CONFIRM_BYTES of reference values. */
static int confirm_round(struct dups *c)
{
	struct confirming b;
	uint32_t i = 0, e, r, k, caprun = 0;
	int distinct, rc = 0;
	memset(&b, 0, sizeof(b));
	b.s = c->s;
	while (i < c->ns && rc == 0) {
		hs_fetch f;
		uint64_t bytes = 0;
		hs_fetch_init(&f, c->g, HS_WASTE_STRING_MAX_BYTES);
		b.nruns = b.nby = 0;
		for (e = i; e < c->ns && rc == 0; e = r) {
			if (c->s[e].read != ST_PENDING) {
				r = e + 1;
				continue;
			}
			r = run_end(c, e, &distinct);
			if (r - e < 2 || !distinct) {
				for (k = e; k < r; k++)
					c->s[k].read = ST_DONE;
				if (r - e >= 2)
					rc = add_group(c, e, r - e);
				continue;
			}
			if (bytes && bytes + c->s[e].len > CONFIRM_BYTES)
				break;
			bytes += c->s[e].len;
			if (b.nruns == caprun) {
				struct run *nr = realloc(b.runs, sizeof(*nr) * (caprun = caprun ? caprun * 2 : 256));
				if (!nr) {
					rc = hs_error_oom(c->err, OOM_DOING);
					break;
				}
				b.runs = nr;
			}
			b.runs[b.nruns].a = e;
			b.runs[b.nruns].r = r;
			b.runs[b.nruns++].ref = NULL;
			for (k = e; k < r && rc == 0; k++)
				if (k == e || c->s[k].arr != c->s[k - 1].arr)
					rc = hs_fetch_want_prim(&f, c->s[k].arr, c->err);
			b.nby += r - e;
		}
		if (rc == 0 && b.nruns) {
			uint32_t m = 0, q;
			free(b.byarr);
			if (!(b.byarr = malloc(sizeof(uint32_t) * b.nby))) {
				rc = hs_error_oom(c->err, OOM_DOING);
			} else {
				for (q = 0; q < b.nruns; q++)
					for (k = b.runs[q].a; k < b.runs[q].r; k++)
						b.byarr[m++] = k;
				hs_sort(b.byarr, b.nby, sizeof(uint32_t), by_arr_ix, c->s);
				hs_fetch_stream(&f, compare_one, &b);
				rc = hs_fetch_run(&f, c->err);
			}
			for (q = 0; q < b.nruns; q++) {
				if (rc == 0)
					rc = settle(c, &b.runs[q]);
				free(b.runs[q].ref);
			}
		}
		hs_fetch_release(&f);
		i = e;
	}
	free(b.runs);
	free(b.byarr);
	return rc;
}

/* Confirm every candidate run: rounds until no collision is left to
 * split (one round unless the hash collided). */
static int confirm_all(struct dups *c)
{
	int rc;
	do {
		c->again = 0;
		rc = confirm_round(c);
	} while (rc == 0 && c->again);
	return rc;
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
/* bytes of a value read to show it: MAX_VALUE_CHARS of two bytes */
#define SHOWN_BYTES (2u * MAX_VALUE_CHARS)

/* The first MAX_VALUE_CHARS characters of a value of len bytes, of which
 * the first n were read. */
static char *decode(const unsigned char *b, uint32_t n, uint32_t len, uint8_t coder, int is_char)
{
	char *o = malloc(MAX_VALUE_CHARS * 3 + 8);
	size_t at = 0;
	uint32_t i, k = 0;
	int two = is_char || coder == 1;
	if (!o)
		return NULL;
	for (i = 0; i + (two ? 1u : 0u) < len && i + (two ? 1u : 0u) < n && k < MAX_VALUE_CHARS;
	     i += two ? 2 : 1, k++)
		at = put_utf8(o, at, two ? (is_char ? hs_get_u2(b + i) : (uint32_t)b[i] | ((uint32_t)b[i + 1] << 8))
				     : b[i]);
	if (i < len) {
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

/* "Class.field (n), ..." of the holders of Strings s[0..n), most first, at
 * most 3. */
static char *holders_text(const hs_graph *g, const hs_fetch *f, const uint32_t *s, uint32_t n,
			  const uint32_t *first_ref)
{
	const hs_dump *d = hs_graph_dump(g);
	struct holder *h = calloc(n, sizeof(*h));
	uint32_t i, k = 0, m = 0;
	size_t cap = 256, at = 0;
	char *out = malloc(cap);
	if (!h || !out)
		goto fail;
	for (i = 0; i < n; i++) {
		uint32_t r = first_ref[s[i]], c, len;
		const hs_class *kl = r ? hs_graph_class_of(g, r) : NULL;
		const unsigned char *data;
		const char *field = NULL;
		char buf[512];
		if (!r) {
			snprintf(buf, sizeof(buf), "<GC root>");
		} else if ((c = hs_graph_class(g, r)) != HS_NONE && (c & HS_CLASS_OBJECT_BIT)) {
			snprintf(buf, sizeof(buf), "%s (static)", hs_dump_class(d, c & ~HS_CLASS_OBJECT_BIT)->name);
		} else if (kl && kl->kind == HS_CLASS_OBJ_ARRAY) {
			snprintf(buf, sizeof(buf), "%s", kl->name);
		} else {
			if ((data = hs_fetch_instance(f, r, &len)) != NULL)
				field = hs_field_holding(d, c, data, len, hs_graph_id(g, s[i]));
			snprintf(buf, sizeof(buf), "%s.%s", kl && kl->name ? kl->name : "?", field ? field : "?");
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

static int by_grp_wasted(const void *a, const void *b)
{
	const struct grp *x = a, *y = b;
	if (x->wasted != y->wasted)
		return x->wasted < y->wasted ? 1 : -1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* A reported group: its row, and where its Strings are. */
struct shown {
	hs_waste_dup d;
	uint32_t at, n;   /* in s, then in the members' array */
};

static int by_dup_wasted(const void *a, const void *b)
{
	const struct shown *x = a, *y = b;
	int c;
	if (x->d.wasted != y->d.wasted)
		return x->d.wasted < y->d.wasted ? 1 : -1;
	if ((c = strcmp(x->d.value, y->d.value)) != 0)
		return c;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* The Strings of the reported groups: their values read (the first
 * SHOWN_BYTES), their holders found (one scan of the references). */
static int report(struct dups *c, uint32_t top)
{
	hs_graph *g = c->g;
	uint32_t nn = hs_graph_nodes(g), ncand = c->ngrp, i, k, v, nm = 0;
	struct shown *sh = NULL;
	uint32_t *members = NULL, *first_ref = NULL;
	hs_fetch f, fr;
	int rc = 0;

	hs_fetch_init(&f, g, SHOWN_BYTES);
	hs_fetch_init(&fr, g, 0);
	qsort(c->grp, c->ngrp, sizeof(*c->grp), by_grp_wasted);
	if (top < ncand) {   /* and those tied with the last: the values order them */
		ncand = top;
		while (top && ncand < c->ngrp && c->grp[ncand].wasted == c->grp[top - 1].wasted)
			ncand++;
	}
	if (!ncand)
		return 0;
	if (!(sh = calloc(ncand, sizeof(*sh)))) {
		rc = hs_error_oom(c->err, OOM_DOING);
		goto done;
	}
	for (i = 0; i < ncand && rc == 0; i++)
		rc = hs_fetch_want_prim(&f, c->s[c->grp[i].at].arr, c->err);
	if (rc == 0)
		rc = hs_fetch_run(&f, c->err);
	for (i = 0; i < ncand && rc == 0; i++) {
		const struct str *x = &c->s[c->grp[i].at];
		const hs_class *ak = hs_graph_class_of(g, x->arr);
		uint32_t n = 0;
		const unsigned char *b = hs_fetch_prim(&f, x->arr, &n);
		sh[i].d.count = c->grp[i].n;
		sh[i].d.wasted = c->grp[i].wasted;
		sh[i].at = c->grp[i].at;
		sh[i].n = c->grp[i].n;
		if (!(sh[i].d.value = decode(b, b ? n : 0, x->len, x->coder, ak && ak->elem_type == HS_T_CHAR)))
			rc = hs_error_oom(c->err, OOM_DOING);
	}
	hs_fetch_release(&f);
	if (rc < 0)
		goto done;
	qsort(sh, ncand, sizeof(*sh), by_dup_wasted);
	for (i = top < ncand ? top : ncand; i < ncand; i++) {
		free(sh[i].d.value);
		sh[i].d.value = NULL;
	}
	if (top < ncand)
		ncand = top;
	/* the members of the reported groups, then the first referrer of each */
	for (i = 0; i < ncand; i++)
		nm += sh[i].n;
	if (!(members = malloc(sizeof(uint32_t) * ((size_t)nm + 1))) || !(first_ref = calloc(nn, sizeof(uint32_t)))) {
		rc = hs_error_oom(c->err, OOM_DOING);
		goto done;
	}
	for (i = 0, nm = 0; i < ncand; i++) {
		for (k = 0; k < sh[i].n; k++) {
			members[nm + k] = c->s[sh[i].at + k].node;
			first_ref[members[nm + k]] = UINT32_MAX;   /* wanted */
		}
		sh[i].at = nm;
		nm += sh[i].n;
	}
	for (v = 1; v < nn; v++) {
		uint32_t cnt;
		const uint32_t *o = hs_graph_out(g, v, &cnt);
		if (!hs_graph_reachable(g, v))
			continue;
		for (k = 0; k < cnt; k++)
			if (first_ref[o[k]] == UINT32_MAX) {
				first_ref[o[k]] = v;
				if ((rc = hs_fetch_want_instance(&fr, v, c->err)) < 0)
					goto done;
			}
	}
	for (i = 0; i < nm; i++)
		if (first_ref[members[i]] == UINT32_MAX)
			first_ref[members[i]] = 0;   /* held by a GC root only */
	if ((rc = hs_fetch_run(&fr, c->err)) < 0)
		goto done;
	if (!(c->w->dups = calloc(ncand, sizeof(*c->w->dups)))) {
		rc = hs_error_oom(c->err, OOM_DOING);
		goto done;
	}
	for (i = 0; i < ncand; i++) {
		hs_waste_dup *d = &c->w->dups[c->w->ndups++];
		*d = sh[i].d;
		sh[i].d.value = NULL;
		if (!(d->holders = holders_text(g, &fr, members + sh[i].at, sh[i].n, first_ref))) {
			rc = hs_error_oom(c->err, OOM_DOING);
			goto done;
		}
	}
done:
	if (sh)
		for (i = 0; i < ncand; i++)
			free(sh[i].d.value);
	free(sh);
	free(members);
	free(first_ref);
	hs_fetch_release(&fr);
	return rc;
}

static int dup_strings(hs_waste *w, hs_graph *g, uint32_t top, hs_error *err)
{
	uint32_t nn = hs_graph_nodes(g), v, ns = 0, cap = 1024, i, j;
	struct str *s = malloc(sizeof(*s) * cap);
	uint32_t *byarr = NULL;
	struct hashing h;
	struct dups c;
	hs_fetch f;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	hs_fetch_init(&f, g, HS_WASTE_STRING_MAX_BYTES);
	if (!s)
		return hs_error_oom(err, OOM_DOING);
	for (v = 1; v < nn && rc == 0; v++) {
		uint32_t arr;
		if (!hs_graph_reachable(g, v) || !named(g, v, "java.lang.String") || !(arr = hs_graph_value_array(g, v)))
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
	/* 1: hash every value as the pass reads it */
	if (rc == 0 && !(byarr = malloc(sizeof(uint32_t) * ((size_t)ns + 1))))
		rc = hs_error_oom(err, OOM_DOING);
	if (rc == 0) {
		for (i = 0; i < ns; i++)
			byarr[i] = i;
		hs_sort(byarr, ns, sizeof(uint32_t), by_arr_ix, s);
		h.g = g;
		h.s = s;
		h.byarr = byarr;
		h.ns = ns;
		h.mask = hash_mask();
		hs_fetch_stream(&f, hash_one, &h);
		rc = hs_fetch_run(&f, err);
	}
	hs_fetch_release(&f);
	free(byarr);
	if (rc < 0)
		goto done;
	for (i = j = 0; i < ns; i++)
		if (s[i].read)   /* else not read, or longer than what is compared */
			s[j++] = s[i];
	ns = j;
	/* 2: candidates by hash, confirmed by their values */
	qsort(s, ns, sizeof(*s), by_key);
	c.w = w;
	c.g = g;
	c.s = s;
	c.ns = ns;
	c.err = err;
	if ((rc = confirm_all(&c)) == 0)
		rc = report(&c, top);   /* 3 */
done:
	free(c.grp);
	free(s);
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
	const hs_dump *d = hs_graph_dump(g);
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
		if (data && hs_field_by_name(d, hs_graph_class(g, nodes[i]), data, len, coll_kinds[coll_kind(g, nodes[i])].field,
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
			need = hs_dump_array_size(d, hs_graph_class(g, arrs[i]), size);
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
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nc = hs_dump_class_count(d), c, k = 0;
	for (c = 0; c < nc; c++)
		k += count[c] > 0;
	*out = calloc((size_t)k + 1, sizeof(**out));
	if (!*out)
		return hs_error_oom(err, OOM_DOING);
	for (c = 0, k = 0; c < nc; c++)
		if (count[c]) {
			(*out)[k].cls = hs_dump_class(d, c)->name;
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
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nn = hs_graph_nodes(g), nc = hs_dump_class_count(d), v;
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
		slot[v] = is_slot(hs_dump_class(d, v)->name);
	for (v = 1; v < nn; v++) {
		uint32_t c = hs_graph_class(g, v), n, k;
		const uint32_t *o;
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) || !slot[c] || !hs_graph_reachable(g, v))
			continue;
		o = hs_graph_out(g, v, &n);
		for (k = 0; k < n; k++)
			if (!boxed[o[k]] && is_box(class_of(g, o[k]))) {
				uint32_t bc = hs_graph_class(g, o[k]);
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
		uint32_t c = hs_graph_class(g, v);
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) || hs_dump_class(d, c)->kind != HS_CLASS_PRIM_ARRAY ||
		    hs_graph_shallow(g, v) < HS_WASTE_ZERO_MIN_BYTES || !hs_graph_reachable(g, v))
			continue;
		rc = hs_fetch_want_zeros(&f, v, err);
	}
	if (rc == 0)
		rc = hs_fetch_run(&f, err);
	for (v = 1; v < nn && rc == 0; v++) {
		uint32_t c = hs_graph_class(g, v), z, seen;
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) || hs_dump_class(d, c)->kind != HS_CLASS_PRIM_ARRAY ||
		    !hs_fetch_zeros(&f, v, &z, &seen) || !seen || (uint64_t)z * 100 < (uint64_t)seen * HS_WASTE_ZERO_PCT)
			continue;
		cnt[c]++;
		bytes[c] += (uint64_t)z * hs_type_size(hs_dump_class(d, c)->elem_type, hs_dump_get_info(d)->idsize);
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

int hs_waste_find(hs_waste *out, hs_graph *g, uint32_t top, hs_error *err)
{
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = hs_graph_refs(g, err)) < 0)
		return rc;
	if ((rc = dup_strings(out, g, top, err)) == 0 && (rc = collections(out, g, err)) == 0)
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
