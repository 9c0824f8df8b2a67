/*
 * labels.c - short descriptions of objects for reports: a String's value,
 * a thread's name, a collection's size.
 *
 * The graph keeps no object contents, so hs_graph_fetch_labels() reads the
 * dump once more for the few objects a report shows, copying the field
 * bytes of the instances and the first bytes of the arrays it needs.  What
 * to fetch follows from the graph: a String's value array is its only
 * out-edge to a primitive array; a thread's name String was noted while
 * building the graph.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "graph_int.h"

/* The longest string value kept for a label, in bytes of the dump. */
#define MAX_STR_BYTES 160

static int oom(hs_error *err)
{
	return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory fetching labels");
}

static uint32_t value_array(const hs_graph *g, uint32_t str)
{
	uint32_t n, i;
	const uint32_t *out = hs_graph_out(g, str, &n);
	for (i = 0; i < n; i++) {
		uint32_t c = g->cls[out[i]];
		if (c != HS_NONE && !(c & HS_CLASS_OBJECT_BIT) &&
		    g->d->classes[c].kind == HS_CLASS_PRIM_ARRAY)
			return out[i];
	}
	return 0;
}

static int is_string(const hs_graph *g, uint32_t node)
{
	uint32_t c = g->cls[node];
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

/* Append a code point as UTF-8, escaping control characters. */
static size_t put_cp(char *o, size_t n, size_t at, uint32_t cp)
{
	if (at + 8 >= n)
		return at;
	if (cp < 0x20 || cp == 0x7f) {
		at += (size_t)snprintf(o + at, n - at, "\\x%02x", cp);
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
	uint32_t ilen = 0, alen = 0, arr = value_array(g, str), ci = g->cls[str], i;
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
	is_char = g->d->classes[g->cls[arr]].elem_type == HS_T_CHAR;
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

static int set_label(hs_graph *g, uint32_t node, char *s, hs_error *err)
{
	PWord_t pv;
	if (!s)
		return 0;
	JLI(pv, g->labels, node);
	if (pv == PJERR) {
		free(s);
		return oom(err);
	}
	if (*pv)
		free((void *)*pv);
	*pv = (Word_t)s;
	return 0;
}

int hs_graph_fetch_labels(hs_graph *g, const uint32_t *nodes, uint32_t n, hs_error *err)
{
	hs_fetch f;
	uint32_t i;
	int rc = 0;

	hs_fetch_init(&f, g, MAX_STR_BYTES);
	for (i = 0; i < n; i++) {
		uint32_t x = nodes[i], c, s = 0;
		PWord_t pv;
		if (x == 0 || x >= g->n)
			continue;
		JLG(pv, g->labels, x);
		if (pv)
			continue;
		c = g->cls[x];
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT))
			continue;
		JLG(pv, g->thread_name_ids, x);
		if (pv) {
			s = hs_graph_node(g, *pv);
			if (!s || !is_string(g, s))
				continue;
		} else if (is_string(g, x)) {
			s = x;
		}
		if (s) {
			uint32_t arr = value_array(g, s);
			if ((rc = hs_fetch_want_instance(&f, s, err)) < 0 ||
			    (arr && (rc = hs_fetch_want_prim(&f, arr, err)) < 0))
				goto done;
		} else if (g->d->classes[c].kind == HS_CLASS_INSTANCE && size_field(g, c)) {
			if ((rc = hs_fetch_want_instance(&f, x, err)) < 0)
				goto done;
		}
	}
	if (!f.any)
		goto done;
	rc = hs_fetch_run(&f, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < n; i++) {
		uint32_t x = nodes[i], c;
		PWord_t pv;
		const char *sf;
		if (x == 0 || x >= g->n)
			continue;
		c = g->cls[x];
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT))
			continue;
		JLG(pv, g->thread_name_ids, x);
		if (pv) {
			uint32_t s = hs_graph_node(g, *pv);
			if (s && (rc = set_label(g, x, string_value(g, &f, s), err)) < 0)
				goto done;
			continue;
		}
		if (is_string(g, x)) {
			if ((rc = set_label(g, x, string_value(g, &f, x), err)) < 0)
				goto done;
			continue;
		}
		sf = g->d->classes[c].kind == HS_CLASS_INSTANCE ? size_field(g, c) : NULL;
		if (sf) {
			uint32_t len;
			const unsigned char *data = hs_fetch_instance(&f, x, &len);
			uint8_t t;
			uint64_t val;
			if (data && hs_field_by_name(g->d, c, data, len, sf, &t, &val)) {
				char buf[48];
				snprintf(buf, sizeof(buf), "size=%lld", (long long)(int32_t)val);
				if ((rc = set_label(g, x, strdup(buf), err)) < 0)
					goto done;
			}
		}
	}
done:
	hs_fetch_release(&f);
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

char *hs_graph_thread_name_dup(const hs_graph *g, uint32_t node)
{
	const char *s = hs_graph_thread_name(g, node);
	size_t n;
	if (!s)
		return NULL;
	n = strlen(s);
	/* the label is the String's value in quotes */
	return n >= 2 && s[0] == '"' && s[n - 1] == '"' ? strndup(s + 1, n - 2) : strdup(s);
}
