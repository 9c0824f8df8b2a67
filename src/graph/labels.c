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

#include "graph_int.h"

/* The longest string value kept for a label, in bytes of the dump. */
#define MAX_STR_BYTES 160

struct fetch {
	hs_graph *g;
	Pvoid_t want_inst;   /* JudyL node -> 1, then -> malloc'd copy (len prefix) */
	Pvoid_t want_arr;    /* JudyL node -> 1, then -> copy */
	uint64_t last_cid;
};

static int oom(hs_error *err)
{
	return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory fetching labels");
}

static int want(Pvoid_t *set, uint32_t node, hs_error *err)
{
	PWord_t pv;
	JLI(pv, *set, node);
	if (pv == PJERR)
		return oom(err);
	return 0;
}

static int keep(Pvoid_t set, uint32_t node, const unsigned char *data, uint32_t len)
{
	PWord_t pv;
	unsigned char *c;
	JLG(pv, set, node);
	if (!pv || *pv)
		return 0;
	c = malloc(len + 4u);
	if (!c)
		return -1;
	memcpy(c, &len, 4);
	memcpy(c + 4, data, len);
	*pv = (Word_t)c;
	return 0;
}

static const unsigned char *kept(Pvoid_t set, uint32_t node, uint32_t *len)
{
	PWord_t pv;
	JLG(pv, set, node);
	if (!pv || !*pv)
		return NULL;
	memcpy(len, (void *)*pv, 4);
	return (const unsigned char *)*pv + 4;
}

static int f_instance(void *ctx, uint64_t id, uint64_t class_id, const unsigned char *data,
		      uint32_t len, hs_error *err)
{
	struct fetch *f = ctx;
	uint32_t node;
	(void)class_id;
	if (!f->want_inst)
		return 0;
	node = hs_graph_node(f->g, id);
	if (node && keep(f->want_inst, node, data, len) < 0)
		return oom(err);
	return 0;
}

static uint32_t f_arr_want(void *ctx, uint64_t id, uint8_t type, uint32_t length)
{
	struct fetch *f = ctx;
	PWord_t pv;
	uint32_t node;
	(void)type;
	(void)length;
	if (!f->want_arr)
		return 0;
	node = hs_graph_node(f->g, id);
	JLG(pv, f->want_arr, node);
	return pv ? MAX_STR_BYTES : 0;
}

static int f_arr_data(void *ctx, uint64_t id, uint8_t type, uint32_t length,
		      const unsigned char *data, uint32_t n, hs_error *err)
{
	struct fetch *f = ctx;
	uint32_t node = hs_graph_node(f->g, id);
	(void)type;
	(void)length;
	if (node && keep(f->want_arr, node, data, n) < 0)
		return oom(err);
	return 0;
}

/* Field value of an instance by name, searching the class chain. */
static int field(const hs_graph *g, uint32_t ci, const unsigned char *data, uint32_t len,
		 const char *name, uint8_t *type, uint64_t *val)
{
	const hs_dump *d = g->d;
	uint32_t k = ci, off = 0;
	int guard = 0;
	while (k != HS_NONE && guard++ < 256) {
		const hs_class *kl = &d->classes[k];
		unsigned i;
		for (i = 0; i < kl->nfields; i++) {
			unsigned sz = hs_type_size(kl->fields[i].type, d->info.idsize);
			const char *fn = hs_dump_string(d, kl->fields[i].name_id);
			if (fn && strcmp(fn, name) == 0 && off + sz <= len) {
				*type = kl->fields[i].type;
				switch (sz) {
				case 1: *val = data[off]; break;
				case 2: *val = hs_get_u2(data + off); break;
				case 4: *val = hs_get_u4(data + off); break;
				default: *val = hs_get_id(data + off, 8); break;
				}
				return 1;
			}
			off += sz;
		}
		k = kl->super;
	}
	return 0;
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

static char *string_value(const hs_graph *g, struct fetch *f, uint32_t str)
{
	uint32_t ilen = 0, alen = 0, arr = value_array(g, str), ci = g->cls[str], i;
	const unsigned char *inst = kept(f->want_inst, str, &ilen);
	const unsigned char *a = arr ? kept(f->want_arr, arr, &alen) : NULL;
	uint8_t t;
	uint64_t coder = 0, offset = 0, count = UINT64_MAX;
	char buf[4 * MAX_STR_BYTES + 8];
	size_t at = 0;
	int is_char;
	uint32_t full_len;

	if (!a || !inst)
		return NULL;
	if (field(g, ci, inst, ilen, "coder", &t, &coder) == 0)
		coder = 2; /* JDK <= 8: char[] */
	field(g, ci, inst, ilen, "offset", &t, &offset);
	if (!field(g, ci, inst, ilen, "count", &t, &count))
		count = UINT64_MAX;
	is_char = g->d->classes[g->cls[arr]].elem_type == HS_T_CHAR;
	full_len = (uint32_t)(hs_graph_shallow(g, arr)); /* bound only */
	(void)full_len;
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
	struct fetch f;
	hs_hprof_visitor v;
	hs_hprof_opts ho;
	hs_src *src = NULL;
	uint32_t i;
	int rc = 0, any = 0;
	Word_t w;

	memset(&f, 0, sizeof(f));
	f.g = g;
	for (i = 0; i < n; i++) {
		uint32_t x = nodes[i], c;
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
			uint32_t s = hs_graph_node(g, *pv);
			if (s && is_string(g, s)) {
				uint32_t arr = value_array(g, s);
				if ((rc = want(&f.want_inst, s, err)) < 0 ||
				    (arr && (rc = want(&f.want_arr, arr, err)) < 0))
					goto done;
				any = 1;
			}
			continue;
		}
		if (is_string(g, x)) {
			uint32_t arr = value_array(g, x);
			if ((rc = want(&f.want_inst, x, err)) < 0 ||
			    (arr && (rc = want(&f.want_arr, arr, err)) < 0))
				goto done;
			any = 1;
			continue;
		}
		if (g->d->classes[c].kind == HS_CLASS_INSTANCE && size_field(g, c)) {
			if ((rc = want(&f.want_inst, x, err)) < 0)
				goto done;
			any = 1;
		}
	}
	if (!any)
		goto done;
	memset(&v, 0, sizeof(v));
	v.ctx = &f;
	v.instance = f_instance;
	v.prim_array_want = f_arr_want;
	v.prim_array_data = f_arr_data;
	memset(&ho, 0, sizeof(ho));
	ho.dump_index = g->d->opts.dump_index;
	ho.stop_after_dump = 1;
	rc = hs_dump__open_src(g->d, &src, err);
	if (rc < 0)
		goto done;
	rc = hs_hprof_read(src, &ho, &v, NULL, err);
	/* the dump owns src */
	if (rc == HS_ETRUNC && g->d->info.truncated) {
		hs_error_clear(err);
		rc = 0;
	}
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
			const unsigned char *data = kept(f.want_inst, x, &len);
			uint8_t t;
			uint64_t val;
			if (data && field(g, c, data, len, sf, &t, &val)) {
				char buf[48];
				snprintf(buf, sizeof(buf), "size=%lld", (long long)(int32_t)val);
				if ((rc = set_label(g, x, strdup(buf), err)) < 0)
					goto done;
			}
		}
	}
done:
	{
		PWord_t pv;
		Word_t key = 0;
		JLF(pv, f.want_inst, key);
		while (pv) {
			if (*pv)
				free((void *)*pv);
			JLN(pv, f.want_inst, key);
		}
		key = 0;
		JLF(pv, f.want_arr, key);
		while (pv) {
			if (*pv)
				free((void *)*pv);
			JLN(pv, f.want_arr, key);
		}
	}
	JLFA(w, f.want_inst);
	JLFA(w, f.want_arr);
	(void)w;
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
