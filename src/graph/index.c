/*
 * index.c - writing and loading the index of an analysed dump (index.h).
 *
 * File: a header of HDR_SIZE bytes (magic, format, the key, a table of
 * sections, a checksum of all that), then the sections, each one zstd
 * frame.  The header is written last, at offset 0, once every section is
 * out: a file without it has no valid checksum.  Each section's table
 * entry gives its offset, compressed and raw lengths and a hash of its
 * compressed bytes, which a reader checks on the bytes it read before it
 * decompresses them; decoding then still checks every count and node it
 * takes against what came before, so that a damaged index is a miss and
 * never a crash.
 *
 * Since an index is only read by the build of heapscan that wrote it (its
 * key holds the build), the library's plain structures (hs_dump_info,
 * hs_class, hs_root, ...) are stored as they are in memory, their pointers
 * replaced on loading.  Node-indexed arrays are stored as varints of
 * small differences (a reference from its node, a child in the dominator
 * tree from the one before, a retained size from the node's own size),
 * which zstd compresses to a few bytes per object.
 *
 * The arrays a command asks of single nodes (classes, sizes, retained
 * sizes and counts, the dominator tree's children) are stored in blocks
 * of 1 << blk_shift nodes, a zstd frame each, with a table after the
 * frames: where each starts (and for the tree the nodes with children
 * and the children before it).  A command that looks at a few objects
 * (path, dominators --from, threads) decodes the blocks that hold them;
 * one that passes over all nodes decodes every block, on two threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "heapscan/index.h"
#include "heapscan/source.h"
#include "dump_int.h"
#include "graph_int.h"
#include "util.h"

#define HDR_SIZE 2048u
#define MAX_SECT 24u
#define WBUF (1u << 20)
#define RBUF (1u << 20)
#define BLK_SHIFT 13u             /* 8192 nodes a block (HEAPSCAN_INDEX_BLOCK) */
#define BLK_MIN_SHIFT 6u
#define BLK_MAX_SHIFT 24u
#define STR_MAX (1u << 26)        /* the longest string read back (64 MB) */
static const char magic[8] = { 'H', 'S', 'I', 'D', 'X', '\r', '\n', 0x1a };

enum sect {
	S_DUMP = 1, S_IDMAP, S_GRAPH, S_CLS, S_SIZE,
	S_OFF,            /* the references: each node's number of them, then them */
	S_TGT_UNUSED,     /* format 6's targets: in S_OFF now */
	S_IDOM_UNUSED,    /* format 4's immediate dominators: S_DOMC now */
	S_RET, S_RETN, S_LABELS,
	S_PAR0, S_PAR1,   /* learned: shortest-path trees, all references / strong ones */
	S_DOMC,           /* the dominator tree: each node's number of children, then them */
	S_SUM0,           /* learned: numbers under a key (hs_graph_learn()), up to */
	S_SUM_LAST = S_SUM0 + HS_GRAPH_LEARN_MAX - 1,
	S_END
};

struct key {
	uint64_t dump_size;
	int64_t mtime_s, mtime_ns;
	uint64_t dump_hash;       /* first and last MiB */
	uint32_t dump_index;
	uint8_t exclude_weak, keep_unreachable, pad[2];
};

struct sect_ent {
	uint32_t id, pad;
	uint64_t offset, comp, raw, hash;
};

struct hdr {
	char magic[8];
	uint32_t format, nsect;
	uint64_t build;           /* the executable that wrote it */
	struct key key;
	struct sect_ent sect[MAX_SECT];
};

/*
 * What a graph knows of its index (g->idx): the file it was read from,
 * kept open for the sections read when first asked for, and what the
 * command learned that the index did not hold (sections encoded as they
 * come, the number of labels at loading), for writing it with the index
 * or rewriting the index at the end (hs_index_update()).
 */
struct learned {
	uint32_t id;
	uint64_t key;             /* numbers under a key: its hash */
	char *buf;
	size_t len;
	uint64_t raw, hash;
};

struct rd;

/* a blocked section read: its table, (nb + 1) * 3 numbers (see wb_end()),
 * and how many of its blocks are read */
struct blk_tab {
	uint64_t *t;
	uint32_t ndone;
};

struct hs_index_state {
	char path[PATH_MAX];
	int fd;                   /* the index read, or -1 */
	struct hdr h;
	uint64_t file_size;
	int unchecked;
	uint64_t nlabels;         /* labels, tried nodes and loader names then */
	struct learned learned[2 + HS_GRAPH_LEARN_MAX];
	unsigned nlearned;
	struct blk_tab blk[7];    /* by the bit's number of HS_LAZY_* */
	struct rd *br;            /* two readers of single blocks */
	struct ahead *ahead[2];   /* a shortest-path tree being read (all, strong) */
};

/* ---- hashing --------------------------------------------------------- */

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t w;
	while (n >= 8) {
		memcpy(&w, b, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
		b += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, b, n);
	h = (h ^ w ^ ((uint64_t)n << 59)) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

/* The same hash, fed in pieces of any size (the compressed bytes of a
 * section as they come out): equal to hash_bytes() of them all at once. */
struct hstate {
	uint64_t h;
	unsigned char tail[8];
	unsigned nt;
};

static void hs_init(struct hstate *s, uint64_t seed)
{
	s->h = seed;
	s->nt = 0;
}

static void hs_update(struct hstate *s, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t w;
	while (s->nt && n) {
		s->tail[s->nt++] = *b++;
		n--;
		if (s->nt == 8) {
			memcpy(&w, s->tail, 8);
			s->h = (s->h ^ w) * 0x9e3779b97f4a7c15ull;
			s->h ^= s->h >> 29;
			s->nt = 0;
		}
	}
	if (s->nt)
		return;   /* all of it went into the tail */
	while (n >= 8) {
		memcpy(&w, b, 8);
		s->h = (s->h ^ w) * 0x9e3779b97f4a7c15ull;
		s->h ^= s->h >> 29;
		b += 8;
		n -= 8;
	}
	memcpy(s->tail, b, n);
	s->nt = (unsigned)n;
}

static uint64_t hs_final(const struct hstate *s)
{
	return hash_bytes(s->h, s->tail, s->nt);
}

/* The build of heapscan: an index keeps its structures as they are. */
static uint64_t build_id(void)
{
	static uint64_t id;
	struct stat st;
	if (!id && stat("/proc/self/exe", &st) == 0) {
		uint64_t v[5] = { (uint64_t)st.st_size, (uint64_t)st.st_mtim.tv_sec,
				  (uint64_t)st.st_mtim.tv_nsec, (uint64_t)st.st_ino,
				  (uint64_t)HS_INDEX_FORMAT << 32 | (uint64_t)sizeof(hs_dump_info) };
		id = hash_bytes(0x243f6a8885a308d3ull, v, sizeof(v)) | 1;
	}
	return id;
}

/* The key of a dump file; -1 when it is no regular file. */
static int dump_key(const char *path, const hs_open_opts *o, const hs_graph_opts *go, struct key *k)
{
	struct stat st;
	unsigned char *buf;
	int fd;
	ssize_t r;
	uint64_t h = 0x13198a2e03707344ull;
	size_t mib = 1u << 20;

	memset(k, 0, sizeof(*k));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(buf = malloc(mib))) {
		close(fd);
		return -1;
	}
	k->dump_size = (uint64_t)st.st_size;
	k->mtime_s = st.st_mtim.tv_sec;
	k->mtime_ns = st.st_mtim.tv_nsec;
	r = pread(fd, buf, mib, 0);
	if (r > 0)
		h = hash_bytes(h, buf, (size_t)r);
	if (k->dump_size > mib) {
		r = pread(fd, buf, mib, (off_t)(k->dump_size - mib));
		if (r > 0)
			h = hash_bytes(h, buf, (size_t)r);
	}
	free(buf);
	close(fd);
	k->dump_hash = h;
	k->dump_index = o ? o->dump_index : 0;
	k->exclude_weak = go && go->exclude_weak;
	k->keep_unreachable = go && go->keep_unreachable;
	return 0;
}

const char *hs_index_miss_text(int why)
{
	switch (why) {
	case HS_INDEX_NONE: return "there is none";
	case HS_INDEX_STALE: return "it was made of another version of the dump";
	case HS_INDEX_OTHER_BUILD: return "another build of heapscan made it";
	case HS_INDEX_CORRUPT: return "it is damaged or cut short";
	default: return "the dump is no regular file";
	}
}

/* ---- where ----------------------------------------------------------- */

static int cache_dir(char *out, size_t n, int create)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char base[PATH_MAX];
	if (x && *x == '/')
		snprintf(base, sizeof(base), "%s", x);
	else if (home && *home == '/')
		snprintf(base, sizeof(base), "%s/.cache", home);
	else
		return -1;
	if (create)
		mkdir(base, 0700);
	if ((size_t)snprintf(out, n, "%s/heapscan", base) >= n)
		return -1;
	if (create && mkdir(out, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int hs_index_path(char *out, size_t n, const char *dump_path, const char *dir, const hs_open_opts *opts,
		  const hs_graph_opts *go, int for_write)
{
	char suffix[96] = "", real[PATH_MAX], folder[PATH_MAX], cache[PATH_MAX];
	const char *base, *slash;
	struct stat st;
	size_t len;

	if (!dump_path || strcmp(dump_path, "-") == 0 || stat(dump_path, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	if (opts && opts->dump_index)
		snprintf(suffix, sizeof(suffix), ".dump%u", opts->dump_index + 1);
	if (go && go->exclude_weak)
		strcat(suffix, ".exclude-weak");
	if (go && go->keep_unreachable)
		strcat(suffix, ".keep-unreachable");
	slash = strrchr(dump_path, '/');
	base = slash ? slash + 1 : dump_path;
	if (!dir) {
		len = slash ? (size_t)(slash - dump_path) + 1 : 0;
		if (len >= sizeof(folder))
			return -1;
		memcpy(folder, dump_path, len);
		folder[len] = '\0';
		if ((size_t)snprintf(out, n, "%s%s.hsidx", dump_path, suffix) >= n)
			return -1;
		if (for_write ? access(len ? folder : ".", W_OK | X_OK) == 0 : access(out, F_OK) == 0)
			return 0;
		if (cache_dir(cache, sizeof(cache), for_write) < 0)
			return for_write ? -1 : 0;   /* reading: the missing one beside */
		dir = cache;
	}
	if (!realpath(dump_path, real))
		return -1;
	if ((size_t)snprintf(out, n, "%s/%s.%08x%s.hsidx", dir, base,
			     (unsigned)hash_bytes(0x452821e638d01377ull, real, strlen(real)), suffix) >= n)
		return -1;
	if (!for_write && access(out, F_OK) != 0 && !dir)
		return 0;
	return 0;
}

/* ---- writing --------------------------------------------------------- */

struct wr {
	FILE *f;
	ZSTD_CCtx *cc;
	unsigned char *buf, *zb;
	size_t len, zcap;
	uint64_t raw, comp, start;
	struct hstate hash;
	int failed;
	struct hdr *h;
	uint64_t *marks;          /* a blocked section: 3 numbers a block */
	size_t nmarks, capmarks;
	int workers;              /* zstd's threads for a section not blocked */
};

static void w_drain(struct wr *w, ZSTD_EndDirective e)
{
	ZSTD_inBuffer in = { w->buf, w->len, 0 };
	size_t rem;
	if (w->failed)
		return;
	do {
		ZSTD_outBuffer out = { w->zb, w->zcap, 0 };
		rem = ZSTD_compressStream2(w->cc, &out, &in, e);
		if (ZSTD_isError(rem)) {
			w->failed = ENOMEM;
			return;
		}
		if (out.pos) {
			if (fwrite(w->zb, 1, out.pos, w->f) != out.pos) {
				w->failed = errno ? errno : EIO;
				return;
			}
			hs_update(&w->hash, w->zb, out.pos);
			w->comp += out.pos;
		}
	} while (e == ZSTD_e_end ? rem != 0 : in.pos < in.size);
	w->raw += w->len;
	w->len = 0;
}

static void w_put(struct wr *w, const void *p, size_t n)
{
	const unsigned char *b = p;
	while (n > 0 && !w->failed) {
		size_t k = WBUF - w->len < n ? WBUF - w->len : n;
		memcpy(w->buf + w->len, b, k);
		w->len += k;
		b += k;
		n -= k;
		if (w->len == WBUF)
			w_drain(w, ZSTD_e_continue);
	}
}

static inline void w_var(struct wr *w, uint64_t v)
{
	if (w->len + 10 > WBUF)
		w_drain(w, ZSTD_e_continue);
	if (w->failed)
		return;
	while (v >= 0x80) {
		w->buf[w->len++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	w->buf[w->len++] = (unsigned char)v;
}

static inline uint64_t zz(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static inline int64_t unzz(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

static void w_str(struct wr *w, const char *s)
{
	uint32_t len = s ? (uint32_t)strlen(s) : UINT32_MAX;
	w_var(w, (uint64_t)len + 1);   /* 0: NULL */
	if (s)
		w_put(w, s, len);
}

/*
 * The library's structures, field by field in both directions (w or r
 * set): what a struct copy would also write is its padding, which holds
 * whatever was there, and an index should be the same bytes each time.
 */
struct rd;
static void r_get(struct rd *r, void *p, size_t n);
#define F(x) do { if (w) w_put(w, &(x), sizeof(x)); else r_get(r, &(x), sizeof(x)); } while (0)

static void io_class(struct wr *w, struct rd *r, hs_class *k)
{
	F(k->id); F(k->super); F(k->super_id); F(k->loader_id); F(k->signers_id); F(k->domain_id);
	F(k->kind); F(k->elem_type); F(k->has_dump); F(k->is_reference); F(k->nfields); F(k->nstatics);
	F(k->field_bytes); F(k->dump_size); F(k->inst_size); F(k->mirror_size); F(k->instances);
	F(k->shallow);
}

static void io_info(struct wr *w, struct rd *r, hs_dump_info *i)
{
	hs_layout *l = &i->layout;
	hs_error *e = &i->trunc_error;
	F(i->version); F(i->idsize); F(i->timestamp_ms); F(i->file_size); F(i->compression); F(i->bytes);
	F(i->heap_dumps); F(i->dump_index); F(i->records); F(i->subrecords); F(i->nclasses);
	F(i->instances); F(i->obj_arrays); F(i->prim_arrays); F(i->roots); F(i->roots_by_kind);
	F(i->roots_duplicate); F(i->roots_null); F(i->threads); F(i->unknown_class_ids);
	F(i->unknown_class_objects); F(i->duplicate_ids); F(i->duplicate_id_first); F(i->super_loops);
	F(i->super_loop_class); F(i->shallow_total); F(i->class_shallow_total);
	F(l->header); F(l->ref); F(l->array_header); F(l->array_header_long); F(l->array_header_ref);
	F(l->align); F(l->compressed_refs); F(l->new_field_layout); F(l->evidence_pairs);
	F(i->truncated); F(e->code); F(e->offset); F(e->tag); F(e->msg);
	F(i->rereads_whole); F(i->rereads_spans); F(i->reread_span_bytes);
}

static void io_header(struct wr *w, struct rd *r, hs_hprof_header *h)
{
	F(h->version); F(h->idsize); F(h->timestamp_ms); F(h->header_len);
}

static void io_root(struct wr *w, struct rd *r, hs_root *x)
{
	F(x->kind); F(x->id); F(x->extra_id); F(x->thread_serial); F(x->frame);
}

static void io_field(struct wr *w, struct rd *r, hs_field *f)
{
	F(f->name_id); F(f->type);
}

static void io_static(struct wr *w, struct rd *r, hs_static_field *f)
{
	F(f->name_id); F(f->type); F(f->value);
}

static void io_frame(struct wr *w, struct rd *r, hs_frame *f)
{
	F(f->id); F(f->method_name_id); F(f->signature_id); F(f->source_id); F(f->class_serial); F(f->line);
}

static void io_thread(struct wr *w, struct rd *r, hs_thread_info *t)
{
	F(t->serial); F(t->object_id); F(t->trace_serial);
}

static void io_cp(struct wr *w, struct rd *r, hs_checkpoint *c)
{
	F(c->offset); F(c->seg_left);
}

static void io_stats(struct wr *w, struct rd *r, hs_graph_stats *s)
{
	F(s->nodes); F(s->edges); F(s->dangling); F(s->reachable); F(s->unreachable);
	F(s->unreachable_bytes); F(s->unreachable_kept); F(s->reachable_bytes); F(s->memory_bytes);
	F(s->peak_bytes); F(s->idmap_bytes);
}
#undef F

static void w_begin(struct wr *w)
{
	w->start = (uint64_t)ftello(w->f);
	w->raw = w->comp = 0;
	w->nmarks = 0;
	hs_init(&w->hash, 0x082efa98ec4e6c89ull);
	ZSTD_CCtx_reset(w->cc, ZSTD_reset_session_only);
	if (w->workers)
		ZSTD_CCtx_setParameter(w->cc, ZSTD_c_nbWorkers, w->workers);
}

static void w_entry(struct wr *w, uint32_t id);

static void w_end(struct wr *w, uint32_t id)
{
	w_drain(w, ZSTD_e_end);
	w_entry(w, id);
}

/* The section's entry in the header's table, its bytes written. */
static void w_entry(struct wr *w, uint32_t id)
{
	struct sect_ent *e;
	if (w->failed || w->h->nsect >= MAX_SECT) {
		w->failed = w->failed ? w->failed : EINVAL;
		return;
	}
	e = &w->h->sect[w->h->nsect++];
	e->id = id;
	e->offset = w->start;
	e->comp = w->comp;
	e->raw = w->raw;
	e->hash = hs_final(&w->hash);
}

/*
 * A blocked section (see the top): wb_mark() where each block starts,
 * with the section's two numbers for it, wb_end() after the last.  The
 * table goes after the frames, not compressed: for each block and the
 * end, the frame's offset from the section's start and the two numbers;
 * then the number of blocks.
 */
static void wb_mark(struct wr *w, uint64_t a, uint64_t b)
{
	if (w->nmarks)
		w_drain(w, ZSTD_e_end);   /* the block before: a frame of its own */
	else if (w->workers)   /* frames too small for zstd's threads */
		ZSTD_CCtx_setParameter(w->cc, ZSTD_c_nbWorkers, 0);
	if (w->failed)
		return;
	if (w->nmarks + 3 > w->capmarks) {
		size_t cap = w->capmarks ? 2 * w->capmarks : 3 * 64;
		uint64_t *m = realloc(w->marks, sizeof(*m) * cap);
		if (!m) {
			w->failed = ENOMEM;
			return;
		}
		w->marks = m;
		w->capmarks = cap;
	}
	w->marks[w->nmarks++] = w->comp;
	w->marks[w->nmarks++] = a;
	w->marks[w->nmarks++] = b;
}

static void wb_end(struct wr *w, uint32_t id, uint64_t a, uint64_t b)
{
	uint64_t nb = w->nmarks / 3;
	wb_mark(w, a, b);
	if (w->failed)
		return;
	if (fwrite(w->marks, sizeof(uint64_t), w->nmarks, w->f) != w->nmarks || fwrite(&nb, 8, 1, w->f) != 1) {
		w->failed = errno ? errno : EIO;
		return;
	}
	hs_update(&w->hash, w->marks, sizeof(uint64_t) * w->nmarks);
	hs_update(&w->hash, &nb, 8);
	w->comp += sizeof(uint64_t) * w->nmarks + 8;
	w->nmarks = 0;
	w_entry(w, id);
}

/* The number of blocks of a graph's node-indexed arrays. */
static uint32_t nblocks(const hs_graph *g)
{
	return (uint32_t)(((uint64_t)g->n + (1ull << g->blk_shift) - 1) >> g->blk_shift);
}

/* JudyL id -> value pairs, the values numbers or (strings) char* */
static void w_judyl_any(struct wr *w, Pvoid_t a, int strings)
{
	PWord_t pv;
	Word_t key = 0, cnt;
	JLC(cnt, a, 0, -1);
	w_var(w, cnt);
	JLF(pv, a, key);
	while (pv) {
		w_var(w, key);
		if (strings)
			w_str(w, (const char *)*pv);
		else
			w_var(w, *pv);
		JLN(pv, a, key);
	}
}

static void w_judyl(struct wr *w, Pvoid_t a) { w_judyl_any(w, a, 0); }

/* JudyL id -> string (strings of the dump, labels, loader names) */
static void w_judyl_str(struct wr *w, Pvoid_t a) { w_judyl_any(w, a, 1); }

/* Judy1 set of ids */
static void w_judy1(struct wr *w, Pvoid_t a)
{
	Word_t key = 0, cnt;
	int rc;
	J1C(cnt, a, 0, -1);
	w_var(w, cnt);
	J1F(rc, a, key);
	while (rc) {
		w_var(w, key);
		J1N(rc, a, key);
	}
}

static void w_dump(struct wr *w, const hs_dump *d, hs_dump_info *info)
{
	uint32_t i, j;
	PWord_t pv;
	Word_t key, cnt;
	uint64_t x;

	io_info(w, NULL, info);
	w_str(w, d->info.layout.name);
	io_header(w, NULL, (hs_hprof_header *)&d->header);
	w_var(w, d->digest);
	w_var(w, d->java_lang_class);
	w_var(w, (uint64_t)d->has_sticky_roots);
	w_var(w, (uint64_t)d->has_module);
	w_put(w, d->prim_class, sizeof(d->prim_class));
	w_put(w, d->unknown_class, sizeof(d->unknown_class));
	w_judyl_str(w, d->strings);
	w_judyl(w, d->load_names);
	w_judyl(w, d->serial_class);
	w_judyl(w, d->thread_names);
	w_judy1(w, d->unknown_ids);
	/* classes */
	w_var(w, d->nclasses);
	for (i = 0; i < d->nclasses; i++) {
		hs_class *k = &d->classes[i];
		io_class(w, NULL, k);
		w_str(w, k->name);
		for (j = 0; j < k->nfields; j++)
			io_field(w, NULL, (hs_field *)&k->fields[j]);
		for (j = 0; j < k->nstatics; j++)
			io_static(w, NULL, (hs_static_field *)&k->statics[j]);
	}
	w_var(w, d->nroots);
	for (x = 0; x < d->nroots; x++)
		io_root(w, NULL, &d->roots[x]);
	w_var(w, d->nthreads);
	for (i = 0; i < d->nthreads; i++)
		io_thread(w, NULL, &d->threads[i]);
	JLC(cnt, d->traces, 0, -1);
	w_var(w, cnt);
	key = 0;
	JLF(pv, d->traces, key);
	while (pv) {
		const hs_trace_rec *t = (const hs_trace_rec *)*pv;
		w_var(w, key);
		w_var(w, t->thread_serial);
		w_var(w, t->nframes);
		w_put(w, t->frames, sizeof(uint64_t) * t->nframes);
		JLN(pv, d->traces, key);
	}
	JLC(cnt, d->frames, 0, -1);
	w_var(w, cnt);
	key = 0;
	JLF(pv, d->frames, key);
	while (pv) {
		io_frame(w, NULL, (hs_frame *)*pv);
		JLN(pv, d->frames, key);
	}
	w_var(w, d->ncps);
	for (i = 0; i < d->ncps; i++)
		io_cp(w, NULL, &d->cps[i]);
}

static void w_idmap(struct wr *w, const hs_idmap *m)
{
	PWord_t pv;
	Word_t key = 0;
	w_var(w, m->shift);
	w_var(w, (uint64_t)m->tags_lost);
	w_var(w, m->count);
	w_var(w, m->dups);
	w_var(w, m->nchunks);
	JLF(pv, m->chunks, key);
	while (pv) {
		const struct hs_idmap_chunk *c = (const struct hs_idmap_chunk *)*pv;
		w_var(w, key);
		w_put(w, c->w, sizeof(c->w));
		w_put(w, c->tag_lo, sizeof(c->tag_lo));
		w_put(w, c->tag_hi, sizeof(c->tag_hi));
		JLN(pv, m->chunks, key);
	}
}

/* In the dominator tree: the root, and what idom[] (or, from an index,
 * reach[]) says. */
static int node_reached(const hs_graph *g, uint32_t v)
{
	if (v == 0)
		return 1;
	if (g->reach)   /* before idom[], which a command may make meanwhile */
		return (g->reach[v >> 6] >> (v & 63)) & 1;
	return g->idom && g->idom[v] != HS_NONE;
}

/* The arrays known when the graph's passes are done: the classes and
 * sizes, the references (written while the dominators are computed when
 * the index is started early, hs_index__write_early()). */
static void w_graph_early(struct wr *w, const hs_graph *g)
{
	uint32_t n = g->n, v, i, b, nb = nblocks(g), bs = 1u << g->blk_shift;

	w_begin(w);
	for (b = 0; b < nb; b++) {
		wb_mark(w, 0, 0);
		w_put(w, g->cls + (size_t)b * bs, sizeof(uint16_t) * (b + 1 < nb ? bs : n - b * bs));
	}
	wb_end(w, S_CLS, 0, 0);
	w_begin(w);
	for (b = 0; b < nb; b++) {
		wb_mark(w, 0, 0);
		w_put(w, g->size + (size_t)b * bs, sizeof(uint16_t) * (b + 1 < nb ? bs : n - b * bs));
	}
	wb_end(w, S_SIZE, 0, 0);
	/* the references, blocked: the references before each block */
	w_begin(w);
	for (v = 0; v < n && !w->failed; v++) {
		if (!(v & (bs - 1)))
			wb_mark(w, g->off[v], 0);
		w_var(w, g->off[v + 1] - g->off[v]);
		for (i = g->off[v]; i < g->off[v + 1]; i++)
			w_var(w, zz((int64_t)g->tgt[i] - (int64_t)v));
	}
	wb_end(w, S_OFF, g->off[n], 0);
}

/*
 * A block of 4-byte numbers, narrow: a byte each, 255 for those of 255
 * and more, whose 4 bytes follow all the bytes, in order.  Most retained
 * sizes (in units of the alignment) and counts are below 255: zstd gets
 * a quarter of the bytes to compress, and a block decodes in one pass
 * (get_narrow()).  @p tmp: 5 bytes a number.
 */
static void put_narrow(struct wr *w, const uint32_t *a, uint32_t cnt, unsigned char *tmp)
{
	uint32_t i, ne = 0;
	for (i = 0; i < cnt; i++) {
		uint32_t x = a[i];
		tmp[i] = x < 255 ? (unsigned char)x : 255;
		if (x >= 255) {
			memcpy(tmp + cnt + 4 * (size_t)ne, &x, 4);
			ne++;
		}
	}
	w_put(w, tmp, cnt + 4 * (size_t)ne);
}

/* The retained sizes (in units; UINT32_MAX: in ret_big) and counts (0
 * for a node outside the dominator tree), narrow: the blocks of S_RET and
 * S_RETN (encode_blocked()). */
static void put_ret(struct wr *w, const hs_graph *g, const void *arg, uint32_t lo, uint32_t hi)
{
	unsigned char *tmp = malloc(5 * (size_t)(hi - lo));
	(void)arg;
	if (!tmp) {
		w->failed = ENOMEM;
		return;
	}
	put_narrow(w, g->ret + lo, hi - lo, tmp);
	free(tmp);
}

static void put_retn(struct wr *w, const hs_graph *g, const void *arg, uint32_t lo, uint32_t hi)
{
	uint32_t v, *t = malloc(9 * (size_t)(hi - lo));
	(void)arg;
	if (!t) {
		w->failed = ENOMEM;
		return;
	}
	for (v = lo; v < hi; v++)
		t[v - lo] = node_reached(g, v) ? g->retn[v] : 0;
	put_narrow(w, t, hi - lo, (unsigned char *)(t + (hi - lo)));
	free(t);
}

/* What the dominators make: the graph's numbers (the retained sizes and
 * counts, and the tree, are encoded apart: late_run(), writer_body()). */
static void w_graph_late(struct wr *w, const hs_graph *g, hs_graph_stats *stats)
{
	uint32_t n = g->n;

	w_begin(w);
	w_var(w, n);
	w_var(w, g->align_shift);
	w_var(w, g->nreach);
	w_var(w, g->d->nclasses);
	w_var(w, g->off[n]);
	w_var(w, g->blk_shift);
	io_stats(w, NULL, stats);
	w_judyl(w, g->cls_big);
	w_judyl(w, g->size_big);
	w_judyl(w, g->thread_name_ids);
	w_judyl(w, g->weak_ref);
	w_judyl(w, g->ret_big);
	w_end(w, S_GRAPH);
}

/*
 * A section encoded into memory now, to be written later (with the index,
 * or by hs_index_update()): @p put writes its content.  Compressed by
 * zstd's workers beside the encoding when there are two threads.  0, or
 * -1 (out of memory).
 */
struct learned;
static int encode_section(const hs_graph *g, uint32_t id, void (*put)(struct wr *, const hs_graph *, const void *),
			  const void *arg, struct learned *out);
typedef void put_block_fn(struct wr *w, const hs_graph *g, const void *arg, uint32_t lo, uint32_t hi);
typedef void blk_nums_fn(const hs_graph *g, const void *arg, uint32_t b, uint64_t *a, uint64_t *c);
static int encode_blocked(const hs_graph *g, uint32_t id, put_block_fn *put, blk_nums_fn *nums, const void *arg,
			  int two, struct learned *out);
static void w_learned_one(struct wr *w, const struct learned *l);

/*
 * A blocked encoding on the writer's thread that the command's thread
 * helps with once it has nothing left but to wait for the writer
 * (benc_help() from hs_index_write_wait()): while the command works, the
 * writer's thread alone takes the other core; when it waits, the blocks
 * left go to both.
 */
struct benc_pub {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct benc *job;         /* open for help, or NULL */
	unsigned helpers;         /* threads in benc_run() on it */
	int over;                 /* the writer is past the encoding (cv told) */
};
static int encode_blocked_pub(const hs_graph *g, uint32_t id, put_block_fn *put, blk_nums_fn *nums,
			      const void *arg, int two, struct benc_pub *pub, struct learned *out);
static void benc_help(struct benc_pub *pub);

/* the dominator tree: for each node, its number of children, then them
 * (the first from the node, each next from the one before) */
static void put_domc(struct wr *w, const hs_graph *g, const void *arg, uint32_t lo, uint32_t hi)
{
	uint32_t v, i;
	(void)arg;
	for (v = lo; v < hi && !w->failed; v++) {
		uint32_t a, c = dom_kids(g, v, &a), prev = v;
		w_var(w, c);
		for (i = a; i < a + c; i++) {
			w_var(w, zz((int64_t)g->child[i] - (int64_t)prev));
			prev = g->child[i];
		}
	}
}

/* the nodes with children and the children before block b (all of them
 * after the last) */
static void domc_nums(const hs_graph *g, const void *arg, uint32_t b, uint64_t *a, uint64_t *c)
{
	uint64_t lo = (uint64_t)b << g->blk_shift;
	(void)arg;
	*a = lo >= g->n ? g->child_rank[((size_t)g->n + 63) / 64] : g->child_rank[lo >> 6];
	*c = g->child_off[*a];
}

static void no_nums(const hs_graph *g, const void *arg, uint32_t b, uint64_t *a, uint64_t *c)
{
	(void)g;
	(void)arg;
	(void)b;
	*a = *c = 0;
}

/*
 * The objects whose labels go into the index: what the reports show
 * first.  The threads, and what each holds most (its 5 biggest dominator
 * children); the @p top biggest objects the root dominates (top-retained
 * --by-object, the first level of dominators), and below the first tenth
 * of those the dominator tree three levels down, 10 then 5 children each
 * (dominators --depth).  Not "the most retained" overall: a long chain
 * (a linked list) has as many nodes retaining much as it is long.
 */
/* the first @p k children of v by retained size, and (depth > 1) theirs */
static int nl_subtree(hs_u32vec *l, hs_graph *g, uint32_t v, uint32_t k, unsigned depth, hs_error *err)
{
	uint32_t cnt, i;
	const uint32_t *ch = hs_graph_dom_children(g, v, &cnt, err);
	if (!ch)
		return cnt ? -1 : 0;
	for (i = 0; i < cnt && i < k; i++) {
		if (hs_u32vec_push(l, ch[i]) < 0)
			return -1;
		if (depth > 1 && nl_subtree(l, g, ch[i], k > 5 ? k / 2 : 5, depth - 1, err) < 0)
			return -1;
	}
	return 0;
}

static int label_nodes(hs_graph *g, uint32_t top, uint32_t **out, uint32_t *count, hs_error *err)
{
	hs_u32vec l = { NULL, 0, 0 };
	PWord_t pv;
	Word_t key = 0;
	uint32_t cnt, i;
	const uint32_t *ch;

	*out = NULL;
	*count = 0;
	JLF(pv, g->thread_name_ids, key);
	while (pv) {
		if (hs_u32vec_push(&l, (uint32_t)key) < 0 || nl_subtree(&l, g, (uint32_t)key, 5, 1, err) < 0)
			goto fail;
		JLN(pv, g->thread_name_ids, key);
	}
	ch = hs_graph_dom_children(g, 0, &cnt, err);
	if (!ch && cnt)
		goto fail;
	for (i = 0; i < cnt && i < top; i++) {
		if (hs_u32vec_push(&l, ch[i]) < 0)
			goto fail;
		/* depth: 3 levels; the recursion is bounded by it */
		if (i < top / 10 && nl_subtree(&l, g, ch[i], 10, 3, err) < 0)
			goto fail;
	}
	*out = l.a;
	*count = (uint32_t)l.n;
	return 0;
fail:
	free(l.a);
	return -1;
}

/*
 * Writing: what may change while the command goes on (labels, the
 * counters of the dump's info and of the graph's memory) is written or
 * copied first, on the caller's thread; the rest of the dump and graph is
 * read-only once built, so a second thread can write it while the command
 * runs its analysis (hs_index_write_start()).  The file is made with
 * O_TMPFILE where the file system has it: it has no name until it is
 * whole, so even a killed run leaves nothing; elsewhere a temporary name
 * removed on failure.  Either way it is renamed over the index at the end.
 */
struct hs_index_writer {
	struct wr w;
	struct hdr h;
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd, anon;             /* anon: an O_TMPFILE file, no name yet */
	const hs_dump *d;
	const hs_graph *g;
	hs_dump_info info;
	hs_graph_stats stats;
	pthread_t tid;
	int started, rc;
	hs_error err;
	uint64_t bytes;
	struct learned *domc;     /* S_DOMC (writer_body()), S_RET and S_RETN (late_run()) */
	struct learned *ret, *retn;
	int workers;              /* zstd's for the sections after the early ones */
	int early;                /* started before the dominators (hs_index__write_early()) */
	int early_started;        /* its thread, early_tid, not joined yet */
	pthread_t early_tid;
	int prepared;             /* writer_prepare() done: the rest can be written */
	int pub_init;             /* S_DOMC encoded on the writer's thread (the graph's
	                             kids_frozen set till then), open to the command's
	                             thread through pub */
	struct benc_pub pub;
	int late_started;         /* S_RET and S_RETN being encoded on late_tid */
	pthread_t late_tid;
};

static void learned_free(struct learned *l)
{
	if (l) {
		free(l->buf);
		free(l);
	}
}

static void writer_free(struct hs_index_writer *x)
{
	if (x->early_started)
		pthread_join(x->early_tid, NULL);
	if (x->late_started)
		pthread_join(x->late_tid, NULL);
	if (x->pub_init) {
		pthread_mutex_destroy(&x->pub.mu);
		pthread_cond_destroy(&x->pub.cv);
	}
	if (x->g)   /* the tree encoded, or never: nothing reads the children */
		__atomic_store_n((uint32_t *)&x->g->kids_frozen, 0, __ATOMIC_RELEASE);
	if (x->w.f)
		fclose(x->w.f);
	else if (x->fd >= 0)
		close(x->fd);
	if (!x->anon && x->tmp[0] && x->rc < 0)
		unlink(x->tmp);
	ZSTD_freeCCtx(x->w.cc);
	free(x->w.buf);
	free(x->w.zb);
	free(x->w.marks);
	learned_free(x->domc);
	learned_free(x->ret);
	learned_free(x->retn);
	free(x);
}

static int writer_open(struct hs_index_writer *x, hs_error *err)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(x->path, '/');
	size_t len = slash ? (size_t)(slash - x->path) : 0;
	if ((size_t)snprintf(x->tmp, sizeof(x->tmp), "%s.XXXXXX", x->path) >= sizeof(x->tmp) ||
	    len >= sizeof(dir))
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: name too long", x->path);
	memcpy(dir, x->path, len);
	dir[len] = '\0';
#ifdef O_TMPFILE
	x->fd = open(slash ? (len ? dir : "/") : ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	if (x->fd >= 0) {
		x->anon = 1;
		return 0;
	}
#endif
	x->fd = mkstemp(x->tmp);
	if (x->fd < 0)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: %s", x->tmp, strerror(errno));
	fchmod(x->fd, 0644);
	return 0;
}

/* The file gets its name: the index's, atomically. */
static int writer_name(struct hs_index_writer *x, hs_error *err)
{
	if (x->anon) {
		char proc[64];
		int i;
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", x->fd);
		for (i = 0; i < 100; i++) {
			if ((size_t)snprintf(x->tmp, sizeof(x->tmp), "%s.%ld.%d", x->path, (long)getpid(), i) >=
			    sizeof(x->tmp))
				return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: name too long", x->path);
			if (linkat(AT_FDCWD, proc, AT_FDCWD, x->tmp, AT_SYMLINK_FOLLOW) == 0)
				break;
			if (errno != EEXIST)
				return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: %s", x->path, strerror(errno));
		}
		if (i == 100)
			return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: no free temporary name", x->path);
		x->anon = 0;   /* it has a name now: removed on failure */
	}
	if (rename(x->tmp, x->path) < 0)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: %s", x->path, strerror(errno));
	x->tmp[0] = '\0';
	return 0;
}

static int writer_setup(struct hs_index_writer *x, int workers, hs_error *err);

/* A graph from a dump: the size of the index's blocks. */
static void blk_shift_set(hs_graph *g)
{
	const char *e = getenv("HEAPSCAN_INDEX_BLOCK");
	unsigned long want = e ? strtoul(e, NULL, 10) : 0;
	if (g->blk_shift)
		return;
	g->blk_shift = BLK_SHIFT;
	if (want)
		for (g->blk_shift = BLK_MIN_SHIFT; g->blk_shift < BLK_MAX_SHIFT && (1ul << g->blk_shift) < want;)
			g->blk_shift++;
}

/* The retained sizes and counts encoded (S_RET, S_RETN), on a thread of
 * their own from writer_prepare() on; writer_body() waits for it. */
static void *late_run(void *arg)
{
	struct hs_index_writer *x = arg;
	if (encode_blocked(x->g, S_RET, put_ret, no_nums, NULL, 0, x->ret) == 0)
		encode_blocked(x->g, S_RETN, put_retn, no_nums, NULL, 0, x->retn);
	return NULL;
}

/* What must be done on the caller's thread: labels fetched and written,
 * the counters copied, the file opened. */
static int writer_prepare(struct hs_index_writer *x, hs_dump *d, hs_graph *g, uint32_t top_labels,
			  int threaded, hs_error *err)
{
	uint32_t *nodes = NULL, nn = 0;
	int rc, tree;

	if (hs_graph_refs(g, err) < 0)
		return err->code;
	/* a graph from an index: all of it, to be written again */
	if (((g->lazy & ~HS_LAZY_IDOM) || g->blk_pending) && hs_index__lazy(g, HS_LAZY_ALL & ~HS_LAZY_IDOM) < 0)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	blk_shift_set(g);
	x->g = g;
	if (!(x->ret = calloc(1, sizeof(*x->ret))) || !(x->retn = calloc(1, sizeof(*x->retn))) ||
	    !(x->domc = calloc(1, sizeof(*x->domc))))
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	/* the retained sizes and counts beside the rest, on a thread of
	 * their own */
	if (d->opts.threads >= 2 && pthread_create(&x->late_tid, NULL, late_run, x) == 0)
		x->late_started = 1;
	tree = hs_graph_dom_children_any(g, 0, &nn, err) || nn || g->child_off;
	/* the tree's children as they are now, before anything sorts them:
	 * encoded by writer_body(), with two threads when it runs on the
	 * caller's, else on the writer's while the command goes on, which
	 * then sorts children in copies of their own
	 * (hs_graph_dom_children()) until it is done */
	if (tree && threaded) {
		x->pub = (struct benc_pub){ PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, 0 };
		x->pub_init = 1;
		__atomic_store_n(&g->kids_frozen, 1, __ATOMIC_RELEASE);
	}
	/* the retained sizes' thread goes on: writer_body() waits for it */
	if (!x->late_started)
		late_run(x);
	if (!tree)
		return err->code ? err->code : hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	nn = 0;
	if (!build_id())
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot tell which build of heapscan runs");
	hs_error_clear(err);
	if (label_nodes(g, top_labels, &nodes, &nn, err) < 0)
		return err->code ? err->code : hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	rc = hs_graph_fetch_labels(g, nodes, nn, err);
	free(nodes);
	if (rc < 0)
		return rc;
	x->d = d;
	x->g = g;
	x->info = d->info;
	x->stats = g->stats;
	memcpy(x->h.magic, magic, sizeof(magic));
	x->h.format = HS_INDEX_FORMAT;
	x->h.build = build_id();
	if (dump_key(d->path, &d->opts, &g->opts, &x->h.key) < 0)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: no regular file", d->path);
	/* zstd's threads compress the big sections beside their encoding:
	 * one beside the writer's own thread, while the command goes on */
	x->workers = d->opts.threads < 2 ? 0 : threaded ? 1 : (int)d->opts.threads;
	return x->early ? 0 : writer_setup(x, x->workers, err);
}

/* The temporary file opened, the compressor made, the header's place
 * written (zeros: no valid index until the end). */
static int writer_setup(struct hs_index_writer *x, int workers, hs_error *err)
{
	unsigned char zero[HDR_SIZE];
	int rc;
	if ((rc = writer_open(x, err)) < 0)
		return rc;
	x->w.f = fdopen(x->fd, "wb");
	x->w.cc = ZSTD_createCCtx();
	x->w.buf = malloc(WBUF);
	x->w.zcap = ZSTD_CStreamOutSize();
	x->w.zb = malloc(x->w.zcap);
	if (!x->w.f || !x->w.cc || !x->w.buf || !x->w.zb)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	x->w.h = &x->h;
	ZSTD_CCtx_setParameter(x->w.cc, ZSTD_c_compressionLevel, 1);
	ZSTD_CCtx_setParameter(x->w.cc, ZSTD_c_checksumFlag, 1);
	x->w.workers = x->workers = workers;
	memset(zero, 0, sizeof(zero));
	if (fwrite(zero, 1, HDR_SIZE, x->w.f) != HDR_SIZE)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: %s", x->path, strerror(errno));
	return 0;
}

/* The big part, on any thread: nothing here changes after the graph is
 * built. */
static void *writer_body(void *arg)
{
	struct hs_index_writer *x = arg;
	struct wr *w = &x->w;
	int domc;

	x->rc = 0;
	/* the tree, in memory: before what the file needs first */
	domc = x->pub_init ? encode_blocked_pub(x->g, S_DOMC, put_domc, domc_nums, NULL, 0, &x->pub, x->domc)
			   : encode_blocked(x->g, S_DOMC, put_domc, domc_nums, NULL, 1, x->domc);
	if (x->pub_init) {   /* a command's thread waiting to help need not */
		pthread_mutex_lock(&x->pub.mu);
		x->pub.over = 1;
		pthread_cond_broadcast(&x->pub.cv);
		pthread_mutex_unlock(&x->pub.mu);
	}
	__atomic_store_n((uint32_t *)&x->g->kids_frozen, 0, __ATOMIC_RELEASE);
	if (domc < 0) {
		x->rc = hs_error_set(&x->err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		return NULL;
	}
	if (x->early_started) {   /* what it wrote comes first */
		pthread_join(x->early_tid, NULL);
		x->early_started = 0;
	}
	w->workers = x->workers;
	w_begin(w);
	w_dump(w, x->d, &x->info);
	w_end(w, S_DUMP);
	if (!x->early) {
		w_begin(w);
		w_idmap(w, x->d->ids);
		w_end(w, S_IDMAP);
		w_graph_early(w, x->g);
	}
	w_graph_late(w, x->g, &x->stats);
	if (x->late_started) {
		pthread_join(x->late_tid, NULL);
		x->late_started = 0;
	}
	if (!x->ret->buf || !x->retn->buf) {   /* encoded: a buffer */
		x->rc = hs_error_set(&x->err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		return NULL;
	}
	w_learned_one(w, x->ret);
	w_learned_one(w, x->retn);
	w_learned_one(w, x->domc);
	if (w->failed)
		x->rc = hs_error_set(&x->err, HS_EIO, HS_NO_OFFSET, "%s: %s", x->path, strerror(w->failed));
	return NULL;
}

/* The table entry of a section encoded already, its bytes at @p at. */
static void ent_learned(struct sect_ent *e, const struct learned *l, uint64_t at)
{
	e->id = l->id;
	e->offset = at;
	e->comp = l->len;
	e->raw = l->raw;
	e->hash = l->hash;
}

/* A section encoded already, after the others. */
static void w_learned_one(struct wr *w, const struct learned *l)
{
	off_t at = ftello(w->f);
	if (w->failed)
		return;
	if (at < 0 || w->h->nsect >= MAX_SECT) {
		w->failed = at < 0 ? errno : EINVAL;
		return;
	}
	if (fwrite(l->buf, 1, l->len, w->f) != l->len) {
		w->failed = errno ? errno : EIO;
		return;
	}
	ent_learned(&w->h->sect[w->h->nsect++], l, (uint64_t)at);
}

/* The sections the command learned. */
static void w_learned(struct wr *w, const struct hs_index_state *s)
{
	unsigned i;
	for (i = 0; s && i < s->nlearned && !w->failed; i++)
		w_learned_one(w, &s->learned[i]);
}

/* the labels, the nodes tried and the loader names (S_LABELS) */
static void put_labels(struct wr *w, const hs_graph *g, const void *arg)
{
	(void)arg;
	w_judyl_str(w, g->labels);
	w_judy1(w, g->label_tried);
	w_judyl_str(w, g->loader_short);
	w_judyl_str(w, g->loader_full);
}

/* The header as the file holds it: @p h, zeros to HDR_SIZE - 8, then the
 * checksum of all that (hdr_hash()). */
static uint64_t hdr_hash(const unsigned char *hb)
{
	return hash_bytes(0x3f84d5b5b5470917ull, hb, HDR_SIZE - 8);
}

static void hdr_bytes(const struct hdr *h, unsigned char hb[HDR_SIZE])
{
	uint64_t hh;
	memset(hb, 0, HDR_SIZE);
	memcpy(hb, h, sizeof(*h));
	hh = hdr_hash(hb);
	memcpy(hb + HDR_SIZE - 8, &hh, 8);
}

/* The end, on the caller's thread once the command is done with the
 * graph: the labels and loader names as they are now (what the command
 * fetched is in too), the header, the name. */
static int writer_finish(struct hs_index_writer *x, hs_error *err)
{
	struct wr *w = &x->w;
	const hs_graph *g = x->g;
	unsigned char hb[HDR_SIZE];

	if (x->rc < 0) {
		*err = x->err;
		return x->rc;
	}
	w_begin(w);
	put_labels(w, g, NULL);
	w_end(w, S_LABELS);
	w_learned(w, g->idx);
	if (w->failed)
		return x->rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: %s", x->path, strerror(w->failed));
	hdr_bytes(&x->h, hb);
	if (fflush(w->f) != 0 || fseeko(w->f, 0, SEEK_SET) != 0 || fwrite(hb, 1, HDR_SIZE, w->f) != HDR_SIZE ||
	    fseeko(w->f, 0, SEEK_END) != 0 || fflush(w->f) != 0)
		return x->rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: %s", x->path, strerror(errno));
	x->bytes = (uint64_t)ftello(w->f);
	if (writer_name(x, err) < 0)
		return x->rc = err->code;
	if (fclose(w->f) != 0) {
		w->f = NULL;
		unlink(x->path);
		return x->rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: %s", x->path, strerror(errno));
	}
	w->f = NULL;
	return x->rc = 0;
}

int hs_index_write(const hs_dump *d, hs_graph *g, const char *index_path, uint32_t top_labels,
		   uint64_t *bytes, hs_error *err)
{
	struct hs_index_writer *x = calloc(1, sizeof(*x));
	int rc;
	if (bytes)
		*bytes = 0;
	if (!x)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	x->fd = -1;
	snprintf(x->path, sizeof(x->path), "%s", index_path);
	rc = writer_prepare(x, (hs_dump *)d, g, top_labels, 0, err);
	if (rc == 0) {
		writer_body(x);
		rc = writer_finish(x, err);
		if (rc == 0 && bytes)
			*bytes = x->bytes;
	}
	x->rc = rc;
	writer_free(x);
	return rc;
}

/*
 * The sections known before the dominators, written on a thread of its
 * own while they are computed (the command's thread computes them, the
 * other core would wait): the id map, classes, sizes and references,
 * which nothing changes once the graph's passes are done.
 * hs_index_write_start() writes the rest after them; a graph freed
 * without it leaves no file.
 */
static void *writer_early_body(void *arg)
{
	struct hs_index_writer *x = arg;
	struct wr *w = &x->w;
	w_begin(w);
	w_idmap(w, x->d->ids);
	w_end(w, S_IDMAP);
	w_graph_early(w, x->g);
	return NULL;
}

int hs_index__write_early(hs_dump *d, hs_graph *g, const char *index_path)
{
	struct hs_index_writer *x;
	hs_error e;
	if (g->writer || !(x = calloc(1, sizeof(*x))))
		return -1;
	x->fd = -1;
	x->d = d;
	x->g = g;
	x->early = 1;
	snprintf(x->path, sizeof(x->path), "%s", index_path);
	blk_shift_set(g);
	if (writer_setup(x, 0, &e) < 0 || pthread_create(&x->early_tid, NULL, writer_early_body, x) != 0) {
		x->rc = -1;
		writer_free(x);
		return -1;
	}
	x->early_started = 1;
	g->writer = x;
	return 0;
}

int hs_index_write_start(hs_dump *d, hs_graph *g, const char *index_path, uint32_t top_labels,
			 hs_error *err)
{
	struct hs_index_writer *x = g->writer;
	int rc, threaded = d->opts.threads >= 2;
	if (x && (!x->early || x->prepared || strcmp(x->path, index_path) != 0))
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "an index is being written already");
	if (!x) {
		x = calloc(1, sizeof(*x));
		if (!x)
			return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		x->fd = -1;
		snprintf(x->path, sizeof(x->path), "%s", index_path);
	}
	rc = writer_prepare(x, d, g, top_labels, threaded, err);
	if (rc < 0) {
		x->rc = rc;
		g->writer = NULL;
		writer_free(x);
		return rc;
	}
	x->prepared = 1;
	if (threaded && pthread_create(&x->tid, NULL, writer_body, x) == 0)
		x->started = 1;
	else
		writer_body(x);
	g->writer = x;
	return 0;
}

int hs_index_write_wait(hs_graph *g, uint64_t *bytes, hs_error *err)
{
	struct hs_index_writer *x = g->writer;
	int rc;
	if (bytes)
		*bytes = 0;
	if (!x)
		return 1;
	if (x->started) {
		/* nothing left for the command but to wait: its thread takes
		 * blocks of the tree too, as soon as the writer's thread
		 * begins encoding them, unless it is past that already */
		if (x->pub_init) {
			pthread_mutex_lock(&x->pub.mu);
			while (!x->pub.job && !x->pub.over)
				pthread_cond_wait(&x->pub.cv, &x->pub.mu);
			pthread_mutex_unlock(&x->pub.mu);
			benc_help(&x->pub);
		}
		pthread_join(x->tid, NULL);
	}
	g->writer = NULL;
	if (!x->prepared) {   /* started early, never finished: no index */
		x->rc = -1;
		writer_free(x);
		return 1;
	}
	rc = writer_finish(x, err);
	if (rc == 0 && bytes)
		*bytes = x->bytes;
	writer_free(x);
	return rc;
}

/* ---- what a graph knows of its index ---------------------------------- */

static struct hs_index_state *state_new(void)
{
	struct hs_index_state *s = calloc(1, sizeof(*s));
	if (s)
		s->fd = -1;
	return s;
}

static void br_free(struct rd *br);
static void ahead_free(struct hs_index_state *s, int strong);

static void state_free(struct hs_index_state *s)
{
	unsigned i;
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	for (i = 0; i < s->nlearned; i++)
		free(s->learned[i].buf);
	for (i = 0; i < sizeof(s->blk) / sizeof(s->blk[0]); i++)
		free(s->blk[i].t);
	br_free(s->br);
	ahead_free(s, 0);
	ahead_free(s, 1);
	free(s);
}

/* labels, nodes tried and loader names: they only grow */
static uint64_t label_count(const hs_graph *g)
{
	Word_t a, b, c, d;
	JLC(a, g->labels, 0, -1);
	J1C(b, g->label_tried, 0, -1);
	JLC(c, g->loader_short, 0, -1);
	JLC(d, g->loader_full, 0, -1);
	return (uint64_t)a + b + c + d;
}

static const struct sect_ent *find_sect(const struct hdr *h, uint32_t id)
{
	uint32_t i;
	for (i = 0; i < h->nsect && i < MAX_SECT; i++)
		if (h->sect[i].id == id)
			return &h->sect[i];
	return NULL;
}

/* ---- reading --------------------------------------------------------- */

struct rd {
	int fd;
	uint64_t file_size;
	const struct hdr *h;
	ZSTD_DCtx *dc;
	unsigned char *z;         /* the section's compressed bytes, checked */
	size_t zlen, zpos;
	unsigned char *buf;       /* decompressed window */
	size_t len, pos;
	uint64_t raw_left;        /* what the table says is left */
	int ended, bad, oom;
	int unchecked;            /* hs_index__load_unchecked(): no checksums */
	unsigned char *wide;      /* a narrow block decompressed (get_narrow()) */
	size_t widecap;
};

static int r_open(struct rd *r, uint32_t id)
{
	const struct sect_ent *e = NULL;
	uint32_t i;
	free(r->z);
	r->z = NULL;
	r->len = r->pos = r->zpos = 0;
	r->ended = 0;
	for (i = 0; i < r->h->nsect; i++)
		if (r->h->sect[i].id == id)
			e = &r->h->sect[i];
	if (!e || e->offset < HDR_SIZE || e->comp > r->file_size || e->offset > r->file_size - e->comp ||
	    e->comp > SIZE_MAX / 2) {
		r->bad = 1;
		return -1;
	}
	r->z = malloc(e->comp ? (size_t)e->comp : 1);
	if (!r->z) {
		r->oom = r->bad = 1;
		return -1;
	}
	{
		size_t got = 0;
		while (got < e->comp) {
			ssize_t k = pread(r->fd, r->z + got, (size_t)e->comp - got, (off_t)(e->offset + got));
			if (k <= 0) {
				r->bad = 1;
				return -1;
			}
			got += (size_t)k;
		}
	}
	if (!r->unchecked && hash_bytes(0x082efa98ec4e6c89ull, r->z, (size_t)e->comp) != e->hash) {
		r->bad = 1;
		return -1;
	}
	r->zlen = (size_t)e->comp;
	r->raw_left = e->raw;
	ZSTD_DCtx_reset(r->dc, ZSTD_reset_session_only);
	return 0;
}

/* A section's bytes checked against its hash, read through the window
 * (not held: the references' 42 MB would add to the peak). */
static int r_check(struct rd *r, uint32_t id)
{
	const struct sect_ent *e = find_sect(r->h, id);
	struct hstate hs;
	uint64_t done = 0;
	if (!e || e->offset < HDR_SIZE || e->comp > r->file_size || e->offset > r->file_size - e->comp)
		return r->bad = 1, -1;
	if (r->unchecked)
		return 0;
	hs_init(&hs, 0x082efa98ec4e6c89ull);
	while (done < e->comp) {
		size_t k = e->comp - done < RBUF ? (size_t)(e->comp - done) : RBUF;
		ssize_t got = pread(r->fd, r->buf, k, (off_t)(e->offset + done));
		if (got <= 0)
			return r->bad = 1, -1;
		hs_update(&hs, r->buf, (size_t)got);
		done += (uint64_t)got;
	}
	r->len = r->pos = 0;
	if (hs_final(&hs) != e->hash)
		return r->bad = 1, -1;
	return 0;
}

static int r_fill(struct rd *r)
{
	if (r->pos < r->len)
		return 1;
	r->len = r->pos = 0;
	while (r->len == 0 && !r->ended && !r->bad) {
		ZSTD_inBuffer in = { r->z, r->zlen, r->zpos };
		ZSTD_outBuffer out = { r->buf, RBUF, 0 };
		size_t rc = ZSTD_decompressStream(r->dc, &out, &in);
		if (ZSTD_isError(rc)) {
			r->bad = 1;
			return 0;
		}
		r->zpos = in.pos;
		r->len = out.pos;
		if (rc == 0)
			r->ended = 1;
		else if (in.pos == in.size && out.pos == 0)
			r->bad = 1;   /* cut short */
	}
	if (r->len > r->raw_left) {
		r->bad = 1;
		return 0;
	}
	r->raw_left -= r->len;
	return r->len > 0;
}

static void r_get(struct rd *r, void *p, size_t n)
{
	unsigned char *o = p;
	while (n > 0) {
		size_t k;
		if (!r_fill(r)) {
			r->bad = 1;
			memset(o, 0, n);
			return;
		}
		k = r->len - r->pos < n ? r->len - r->pos : n;
		memcpy(o, r->buf + r->pos, k);
		r->pos += k;
		o += k;
		n -= k;
	}
}

static inline uint64_t r_var(struct rd *r)
{
	uint64_t v = 0;
	unsigned s = 0;
	if (r->pos + 10 <= r->len) {   /* the common case: all in the window */
		const unsigned char *b = r->buf + r->pos;
		while (s < 64) {
			unsigned char c = *b++;
			v |= (uint64_t)(c & 0x7f) << s;
			if (!(c & 0x80)) {
				r->pos = (size_t)(b - r->buf);
				return v;
			}
			s += 7;
		}
		r->bad = 1;
		return 0;
	}
	while (s < 64) {
		unsigned char c;
		if (!r_fill(r)) {
			r->bad = 1;
			return 0;
		}
		c = r->buf[r->pos++];
		v |= (uint64_t)(c & 0x7f) << s;
		if (!(c & 0x80))
			return v;
		s += 7;
	}
	r->bad = 1;
	return 0;
}

/* A count of items of at least @p each bytes that the section can hold. */
static uint64_t r_count(struct rd *r, uint64_t each)
{
	uint64_t c = r_var(r);
	if (c > (r->raw_left + (r->len - r->pos)) / (each ? each : 1)) {
		r->bad = 1;
		return 0;
	}
	return c;
}

static int r_done(struct rd *r)
{
	/* the whole section used: nothing left, and the frame ended */
	if (!r->bad && r->pos == r->len && !r_fill(r) && r->ended && r->raw_left == 0)
		return 0;
	r->bad = 1;
	return -1;
}

static char *r_str(struct rd *r, hs_arena *a)
{
	uint64_t len = r_var(r);
	char *s;
	if (len == 0 || r->bad)
		return NULL;
	len--;
	/* no more than the section says it has left, nor than any string
	 * heapscan writes (names, labels: far below this): a section's size
	 * is the index's word, and a forged one must not get a huge
	 * allocation */
	if (len > r->raw_left + (r->len - r->pos) || len > STR_MAX) {
		r->bad = 1;
		return NULL;
	}
	s = a ? hs_arena_alloc(a, (size_t)len + 1) : malloc((size_t)len + 1);
	if (!s) {
		r->oom = r->bad = 1;
		return NULL;
	}
	r_get(r, s, (size_t)len);
	s[len] = '\0';
	return s;
}

static int r_judyl(struct rd *r, Pvoid_t *a)
{
	uint64_t n = r_count(r, 2), i;
	for (i = 0; i < n && !r->bad; i++) {
		PWord_t pv;
		Word_t k = r_var(r);
		JLI(pv, *a, k);
		if (pv == PJERR) {
			r->oom = r->bad = 1;
			return -1;
		}
		*pv = r_var(r);
	}
	return r->bad ? -1 : 0;
}

/* The readers of w_judyl_str() and w_judy1(): a string into @p arena, or
 * malloc'd (replacing the one there); keys at most @p max. */
static int r_judyl_str(struct rd *r, Pvoid_t *a, hs_arena *arena, uint64_t max)
{
	uint64_t n = r_count(r, 2), i;
	for (i = 0; i < n && !r->bad; i++) {
		PWord_t pv;
		Word_t k = r_var(r);
		char *s = r_str(r, arena);
		if (!s || k > max) {
			if (!arena)
				free(s);
			return r->bad = 1, -1;
		}
		JLI(pv, *a, k);
		if (pv == PJERR) {
			if (!arena)
				free(s);
			return r->oom = r->bad = 1, -1;
		}
		if (!arena)
			free((void *)*pv);
		*pv = (Word_t)s;
	}
	return r->bad ? -1 : 0;
}

static int r_judy1(struct rd *r, Pvoid_t *a)
{
	uint64_t n = r_count(r, 1), i;
	int rc;
	for (i = 0; i < n && !r->bad; i++) {
		Word_t k = r_var(r);
		J1S(rc, *a, k);
		if (rc == JERR)
			return r->oom = r->bad = 1, -1;
	}
	return r->bad ? -1 : 0;
}

static int r_dump(struct rd *r, hs_dump *d)
{
	uint64_t n, i;
	uint32_t t;
	char *lname;

	io_info(NULL, r, &d->info);
	d->info.path = d->path;
	/* what the command that wrote it read again is not this one's */
	d->info.rereads_whole = d->info.rereads_spans = d->info.reread_span_bytes = 0;
	lname = r_str(r, &d->arena);
	d->info.layout.name = lname ? lname : "";
	io_header(NULL, r, &d->header);
	d->digest = r_var(r);
	d->java_lang_class = (uint32_t)r_var(r);
	d->has_sticky_roots = (int)r_var(r);
	d->has_module = (int)r_var(r);
	r_get(r, d->prim_class, sizeof(d->prim_class));
	r_get(r, d->unknown_class, sizeof(d->unknown_class));
	if (r_judyl_str(r, &d->strings, &d->arena, UINT64_MAX) < 0 || r_judyl(r, &d->load_names) < 0 ||
	    r_judyl(r, &d->serial_class) < 0 || r_judyl(r, &d->thread_names) < 0 ||
	    r_judy1(r, &d->unknown_ids) < 0)
		return -1;
	n = r_count(r, 32);
	if (r->bad)
		return -1;
	d->classes = calloc(n + 1, sizeof(hs_class));
	d->acc = calloc(n + 1, sizeof(hs_class_acc));
	if (!d->classes || !d->acc) {
		r->oom = 1;
		return -1;
	}
	d->nclasses = d->classes_cap = (uint32_t)n;
	for (i = 0; i < n && !r->bad; i++) {
		hs_class *k = &d->classes[i];
		hs_field *f;
		hs_static_field *s;
		PWord_t pv;
		uint32_t j;
		io_class(NULL, r, k);
		k->name = r_str(r, &d->arena);
		if (!k->name || (k->super != HS_NONE && k->super >= n))
			return r->bad = 1, -1;
		f = hs_arena_alloc(&d->arena, sizeof(hs_field) * (k->nfields + 1u));
		s = hs_arena_alloc(&d->arena, sizeof(hs_static_field) * (k->nstatics + 1u));
		if (!f || !s) {
			r->oom = 1;
			return -1;
		}
		for (j = 0; j < k->nfields; j++)
			io_field(NULL, r, &f[j]);
		for (j = 0; j < k->nstatics; j++)
			io_static(NULL, r, &s[j]);
		k->fields = f;
		k->statics = s;
		if (k->id) {
			JLI(pv, d->class_ix, k->id);
			if (pv == PJERR)
				return -1;
			if (!*pv)
				*pv = i + 1;
		}
	}
	/* class indexes the rest of the code trusts */
	if (d->java_lang_class != HS_NONE && d->java_lang_class >= n)
		r->bad = 1;
	for (t = 0; t < 12; t++)
		if (d->prim_class[t] != HS_NONE && d->prim_class[t] >= n)
			r->bad = 1;
	for (t = 0; t < 2; t++)
		if (d->unknown_class[t] != HS_NONE && d->unknown_class[t] >= n)
			r->bad = 1;
	n = r_count(r, 25);
	if (r->bad)
		return -1;
	d->nroots = d->roots_cap = n;
	d->roots = malloc(sizeof(hs_root) * (n ? n : 1));
	if (!d->roots) {
		r->oom = 1;
		return -1;
	}
	for (i = 0; i < n; i++)
		io_root(NULL, r, &d->roots[i]);
	n = r_count(r, 16);
	if (r->bad || n > UINT32_MAX)
		return -1;
	d->nthreads = d->threads_cap = (uint32_t)n;
	d->threads = calloc(n ? n : 1, sizeof(hs_thread_info));
	if (!d->threads) {
		r->oom = 1;
		return -1;
	}
	for (i = 0; i < n; i++) {
		PWord_t pv;
		io_thread(NULL, r, &d->threads[i]);
		d->threads[i].name = NULL;
		JLG(pv, d->thread_names, d->threads[i].serial);
		if (pv)
			d->threads[i].name = hs_dump_string(d, *pv);
	}
	n = r_count(r, 3);
	for (i = 0; i < n && !r->bad; i++) {
		PWord_t pv;
		Word_t k = r_var(r);
		hs_trace_rec *t = hs_arena_alloc(&d->arena, sizeof(*t));
		uint64_t nf;
		if (!t) {
			r->oom = 1;
			return -1;
		}
		t->thread_serial = (uint32_t)r_var(r);
		nf = r_count(r, 8);
		t->nframes = (uint32_t)nf;
		t->frames = hs_arena_alloc(&d->arena, (size_t)nf * 8 + 8);
		if (!t->frames) {
			r->oom = 1;
			return -1;
		}
		r_get(r, t->frames, (size_t)nf * 8);
		JLI(pv, d->traces, k);
		if (pv == PJERR)
			return -1;
		*pv = (Word_t)t;
	}
	n = r_count(r, 40);
	for (i = 0; i < n && !r->bad; i++) {
		PWord_t pv;
		hs_frame *f = hs_arena_alloc(&d->arena, sizeof(*f));
		if (!f) {
			r->oom = 1;
			return -1;
		}
		io_frame(NULL, r, f);
		JLI(pv, d->frames, f->id);
		if (pv == PJERR)
			return -1;
		*pv = (Word_t)f;
	}
	n = r_count(r, 16);
	if (r->bad || n > UINT32_MAX / 4)
		return -1;
	if (n) {
		d->cps = malloc(sizeof(hs_checkpoint) * n);
		if (!d->cps) {
			r->oom = 1;
			return -1;
		}
		for (i = 0; i < n; i++)
			io_cp(NULL, r, &d->cps[i]);
	}
	d->ncps = d->cps_cap = (uint32_t)n;
	return r_done(r);
}

static int r_idmap(struct rd *r, hs_idmap *m)
{
	uint64_t n, i, count = 0;
	hs_idmap_init(m);
	m->shift = (unsigned)r_var(r);
	m->tags_lost = (int)r_var(r);
	m->count = r_var(r);
	m->dups = r_var(r);
	n = r_count(r, HS_IDMAP_CHUNK_WORDS * 8);
	if (m->shift > 3)
		r->bad = 1;
	for (i = 0; i < n && !r->bad; i++) {
		PWord_t pv;
		Word_t k = r_var(r);
		unsigned j;
		struct hs_idmap_chunk *c = calloc(1, sizeof(*c));
		if (!c) {
			r->oom = r->bad = 1;
			return -1;
		}
		r_get(r, c->w, sizeof(c->w));
		r_get(r, c->tag_lo, sizeof(c->tag_lo));
		r_get(r, c->tag_hi, sizeof(c->tag_hi));
		for (j = 0; j < HS_IDMAP_CHUNK_WORDS; j++)
			count += hs_idmap__popcount(c->w[j]);
		JLI(pv, m->chunks, k);
		if (pv == PJERR || *pv) {
			free(c);
			r->bad = 1;
			return -1;
		}
		*pv = (Word_t)c;
		m->nchunks++;
	}
	if (r->bad || count != m->count || count >= UINT32_MAX - 2)
		return r->bad = 1, -1;
	if (hs_idmap_seal(m) < 0) {
		r->oom = r->bad = 1;
		return -1;
	}
	return r_done(r);
}

/* The graph's header section: before the dump's sections, so that the
 * labels can be decoded meanwhile. */
static int r_graph_head(struct rd *r, hs_graph *g, uint32_t *nc_out, uint64_t *nedges_out)
{
	uint32_t n, nc;
	uint64_t nedges;

	if (r_open(r, S_GRAPH) < 0)
		return -1;
	n = (uint32_t)r_var(r);
	g->align_shift = (unsigned)r_var(r);
	g->nreach = (uint32_t)r_var(r);
	nc = (uint32_t)r_var(r);
	nedges = r_var(r);
	g->blk_shift = (unsigned)r_var(r);
	io_stats(NULL, r, &g->stats);
	if (r->bad || n == 0 || n >= UINT32_MAX - 1 || g->nreach > n || g->align_shift > 12 ||
	    nedges >= UINT32_MAX || nc >= UINT32_MAX - 1 || g->blk_shift < BLK_MIN_SHIFT ||
	    g->blk_shift > BLK_MAX_SHIFT)
		return r->bad = 1, -1;
	g->n = n;
	*nc_out = nc;
	if (r_judyl(r, &g->cls_big) < 0 || r_judyl(r, &g->size_big) < 0 ||
	    r_judyl(r, &g->thread_name_ids) < 0 || r_judyl(r, &g->weak_ref) < 0 || r_judyl(r, &g->ret_big) < 0 ||
	    r_done(r) < 0)
		return -1;
	if (g->nreach == 0)
		return r->bad = 1, -1;   /* the root, at least */
	/* the node-indexed arrays: when first asked for (hs_index__lazy());
	 * the classes' arrays once the dump's classes are read and the
	 * number matches (r_graph_rest(): hs_graph_free() goes by theirs) */
	*nedges_out = nedges;
	return 0;
}

/*
 * What a graph from an index holds of it: the file and the tables of its
 * blocks.  The references (off[], tgt[]) too are read block by block
 * (hs_graph_out()): the commands that walk no references (dominators,
 * top-retained, threads) neither decode nor hold them, and those that
 * look at a few objects read their blocks.
 */
void hs_index__free(hs_graph *g)
{
	state_free(g->idx);
	g->idx = NULL;
}

/* The labels, and the sections read later checked (read and hashed, not
 * decompressed, so that a damaged index is a miss now rather than an
 * error later): a second thread does this while the first reads the
 * dump's sections. */
struct side_job {
	struct rd r;
	hs_graph *g;
	int rc;
};

static void *side_job_run(void *arg)
{
	static const uint32_t later[] = { S_CLS, S_SIZE, S_RET, S_RETN, S_DOMC, S_OFF };
	struct side_job *j = arg;
	struct rd *r = &j->r;
	hs_graph *g = j->g;
	uint32_t n = g->n;
	size_t i;

	j->rc = -1;
	if (r_open(r, S_LABELS) < 0)
		return NULL;
	/* labels of nodes; the nodes whose labels were fetched; loader names
	 * (keys: object ids), short then full */
	if (r_judyl_str(r, &g->labels, NULL, n - 1) < 0 || r_judy1(r, &g->label_tried) < 0 ||
	    r_judyl_str(r, &g->loader_short, NULL, UINT64_MAX) < 0 ||
	    r_judyl_str(r, &g->loader_full, NULL, UINT64_MAX) < 0)
		return NULL;
	if (r_done(r) < 0)
		return NULL;
	free(r->z);
	r->z = NULL;
	for (i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		if (r_check(r, later[i]) < 0)
			return NULL;
	if ((find_sect(r->h, S_PAR0) && r_check(r, S_PAR0) < 0) || (find_sect(r->h, S_PAR1) && r_check(r, S_PAR1) < 0))
		return NULL;
	for (i = S_SUM0; i <= S_SUM_LAST; i++)
		if (find_sect(r->h, (uint32_t)i) && r_check(r, (uint32_t)i) < 0)
			return NULL;
	j->rc = 0;
	return NULL;
}

/* What the graph needs of the dump's sections, once they are in. */
static int r_graph_rest(struct rd *r, hs_graph *g, uint32_t nc)
{
	hs_dump *d = g->d;
	uint32_t n = g->n, v;
	PWord_t pv;
	Word_t key;

	if (n != d->ids->count + 1 || nc != d->nclasses)
		return r->bad = 1, -1;
	g->refs = calloc((size_t)nc + 1, sizeof(*g->refs));
	g->class_node = calloc((size_t)nc + 1, sizeof(uint32_t));
	if (!g->refs || !g->class_node)
		return r->oom = r->bad = 1, -1;
	key = 0;
	JLF(pv, g->cls_big, key);   /* class indexes in range, nodes too */
	while (pv) {
		uint32_t c = (uint32_t)*pv & ~HS_CLASS_OBJECT_BIT;
		if (key >= n || c >= nc)
			return r->bad = 1, -1;
		JLN(pv, g->cls_big, key);
	}
	key = 0;
	JLF(pv, g->size_big, key);
	while (pv) {
		if (key >= n)
			return r->bad = 1, -1;
		JLN(pv, g->size_big, key);
	}
	for (v = 0; v < nc; v++)
		g->class_node[v] = d->classes[v].id ? hs_graph_node(g, d->classes[v].id) : 0;
	g->stats.memory_bytes = g->stats.peak_bytes = hs_idmap_bytes(d->ids);
	return 0;
}

static int read_hdr_held(int fd, struct hdr *h, uint64_t *size, int *why, int unchecked)
{
	unsigned char hb[HDR_SIZE];
	struct stat st;
	uint64_t hh;
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_size < HDR_SIZE ||
	    pread(fd, hb, HDR_SIZE, 0) != (ssize_t)HDR_SIZE) {
		*why = HS_INDEX_CORRUPT;
		return -1;
	}
	*size = (uint64_t)st.st_size;
	memcpy(h, hb, sizeof(*h));
	if (memcmp(h->magic, magic, sizeof(magic)) != 0) {
		*why = HS_INDEX_CORRUPT;
		return -1;
	}
	if (h->format != HS_INDEX_FORMAT || (!unchecked && h->build != build_id())) {
		*why = HS_INDEX_OTHER_BUILD;
		return -1;
	}
	memcpy(&hh, hb + HDR_SIZE - 8, 8);
	if ((!unchecked && hh != hdr_hash(hb)) || h->nsect > MAX_SECT) {
		*why = HS_INDEX_CORRUPT;
		return -1;
	}
	return 0;
}

/* read_hdr_held() under the lock's shared side: the size and the header
 * of one moment (hs_index_update() adds to an index under the exclusive
 * side).  Without the lock (a file system without flock()), as it is. */
static int read_hdr(int fd, struct hdr *h, uint64_t *size, int *why, int unchecked)
{
	int locked = flock(fd, LOCK_SH) == 0, rc = read_hdr_held(fd, h, size, why, unchecked);
	if (locked)
		flock(fd, LOCK_UN);
	return rc;
}

/* Open the index and check it against the dump: the fd, or -1 (*why). */
static int open_checked(const char *index_path, const char *dump_path, const hs_open_opts *opts,
			const hs_graph_opts *go, struct hdr *h, uint64_t *size, int *why, int unchecked)
{
	struct key k;
	int fd = open(index_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = HS_INDEX_NONE;
		return -1;
	}
	if (read_hdr(fd, h, size, why, unchecked) < 0) {
		close(fd);
		return -1;
	}
	if (unchecked)
		return fd;
	if (dump_key(dump_path, opts, go, &k) < 0) {
		*why = HS_INDEX_UNUSABLE;
		close(fd);
		return -1;
	}
	if (memcmp(&k, &h->key, sizeof(k)) != 0) {
		*why = k.dump_index == h->key.dump_index && k.exclude_weak == h->key.exclude_weak &&
		       k.keep_unreachable == h->key.keep_unreachable ? HS_INDEX_STALE : HS_INDEX_NONE;
		close(fd);
		return -1;
	}
	return fd;
}


static int index_load(hs_dump **dout, hs_graph **gout, const char *index_path, const char *dump_path,
		      const hs_open_opts *opts, const hs_graph_opts *go, int *why, int unchecked,
		      hs_error *err);

int hs_index_load(hs_dump **dout, hs_graph **gout, const char *index_path, const char *dump_path,
		  const hs_open_opts *opts, const hs_graph_opts *go, int *why, hs_error *err)
{
	return index_load(dout, gout, index_path, dump_path, opts, go, why, 0, err);
}

int hs_index__load_unchecked(hs_dump **dout, hs_graph **gout, const char *index_path,
			     const char *dump_path, const hs_open_opts *opts, int *why, hs_error *err)
{
	return index_load(dout, gout, index_path, dump_path, opts, NULL, why, 1, err);
}

static int index_load(hs_dump **dout, hs_graph **gout, const char *index_path, const char *dump_path,
		      const hs_open_opts *opts, const hs_graph_opts *go, int *why, int unchecked,
		      hs_error *err)
{
	static const hs_graph_opts defaults;
	struct hdr h;
	struct rd r;
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_src *src = NULL;
	struct side_job side;
	pthread_t tid;
	int rc, t, started = 0;
	uint32_t nc = 0;
	uint64_t nedges = 0;

	*dout = NULL;
	*gout = NULL;
	*why = HS_INDEX_NONE;
	memset(&side, 0, sizeof(side));
	if (!go)
		go = &defaults;
	memset(&r, 0, sizeof(r));
	/* the dump's own file first: what is checked is what is read later */
	rc = hs_src_open_in(&src, dump_path, HS_SRC_REWIND, opts->tmpdir, err);
	if (rc < 0)
		return rc;
	r.unchecked = unchecked;
	r.fd = open_checked(index_path, dump_path, opts, go, &h, &r.file_size, why, unchecked);
	if (r.fd < 0) {
		hs_src_free(src);
		return 0;
	}
	r.h = &h;
	r.dc = ZSTD_createDCtx();
	r.buf = malloc(RBUF);
	d = calloc(1, sizeof(*d));
	g = calloc(1, sizeof(*g));
	if (!r.dc || !r.buf || !d || !g || !(d->path = strdup(dump_path))) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto fail;
	}
	d->opts = *opts;
	if (hs_mem_init(&d->mem, d->opts.max_memory, d->opts.tmpdir) < 0) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto fail;
	}
	d->opts.tmpdir = NULL;
	d->java_lang_class = HS_NONE;
	for (t = 0; t < 12; t++)
		d->prim_class[t] = HS_NONE;
	d->unknown_class[0] = d->unknown_class[1] = HS_NONE;
	hs_dump_progress(d, "reading the index", 0, 0);
	d->ids = malloc(sizeof(*d->ids));
	if (!d->ids) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto fail;
	}
	hs_idmap_init(d->ids);
	g->d = d;
	g->opts = *go;
	if (r_graph_head(&r, g, &nc, &nedges) < 0)
		goto bad;
	side.r = r;
	side.r.z = NULL;
	side.r.dc = ZSTD_createDCtx();
	side.r.buf = malloc(RBUF);
	side.g = g;
	if (!side.r.dc || !side.r.buf) {
		r.oom = 1;
		goto bad;
	}
	if (d->opts.threads >= 2 && pthread_create(&tid, NULL, side_job_run, &side) == 0)
		started = 1;
	if (r_open(&r, S_DUMP) < 0 || r_dump(&r, d) < 0 || r_open(&r, S_IDMAP) < 0 ||
	    r_idmap(&r, d->ids) < 0 || r_graph_rest(&r, g, nc) < 0)
		r.bad = r.bad ? r.bad : 1;
	if (started)
		pthread_join(tid, NULL);
	else if (!r.bad)
		side_job_run(&side);
	started = 0;
	if (side.r.oom)
		r.oom = 1;
	if (r.bad || side.rc < 0)
		goto bad;
	/* the node-indexed arrays, the references and the shortest-path
	 * trees: when first asked for, from this file still open (the side
	 * job checked their bytes) */
	g->lazy = HS_LAZY_ALL;
	g->nedges = nedges;
	if (d->info.dump_index != opts->dump_index || d->info.compression != (int)hs_src_compression(src))
		goto bad;
	if (d->info.truncated && opts->strict) {
		*err = d->info.trunc_error;
		rc = err->code ? err->code : HS_ETRUNC;
		goto fail;
	}
	if (!(g->idx = state_new()) || (g->idx->fd = dup(r.fd)) < 0) {
		r.oom = 1;
		goto bad;
	}
	snprintf(g->idx->path, sizeof(g->idx->path), "%s", index_path);
	g->idx->h = h;
	g->idx->file_size = r.file_size;
	g->idx->unchecked = unchecked;
	g->idx->nlabels = label_count(g);
	if (d->opts.threads >= 2)
		hs_src_set_readahead(src, 1);
	d->src = src;
	src = NULL;
	close(r.fd);
	ZSTD_freeDCtx(side.r.dc);
	free(side.r.buf);
	free(side.r.z);
	ZSTD_freeDCtx(r.dc);
	free(r.buf);
	free(r.z);
	*dout = d;
	*gout = g;
	return 1;
bad:
	if (started)
		pthread_join(tid, NULL);
	if (r.oom) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory reading the index %s", index_path);
		goto fail;
	}
	*why = HS_INDEX_CORRUPT;
	rc = 0;
fail:
	if (r.fd >= 0)
		close(r.fd);
	ZSTD_freeDCtx(side.r.dc);
	free(side.r.buf);
	free(side.r.z);
	ZSTD_freeDCtx(r.dc);
	free(r.buf);
	free(r.z);
	if (g && d)
		hs_graph_free(g);
	else
		free(g);
	hs_dump_free(d);
	hs_src_free(src);
	return rc;
}

/* ---- the arrays read when first asked for ---------------------------- */

/* The arrays may be read on two threads (hs_index__lazy()): what they
 * share (the graph's memory and its count) under one lock. */
static pthread_mutex_t lazy_mu = PTHREAD_MUTEX_INITIALIZER;

static void lazy_account(hs_graph *g, int64_t bytes)
{
	pthread_mutex_lock(&lazy_mu);
	g->stats.memory_bytes += (uint64_t)bytes;
	pthread_mutex_unlock(&lazy_mu);
}

/* ---- blocks ---------------------------------------------------------- */

/* One block at a time for the commands that ask of single nodes
 * (hs_index__lazy_at()). */
static pthread_mutex_t blk_mu = PTHREAD_MUTEX_INITIALIZER;

/* the kinds by their bit's number (HS_LAZY_CLS ... HS_LAZY_TREE) */
#define NBLK 7u
enum { K_CLS, K_SIZE, K_RET, K_RETN, K_TREE, K_IDOM, K_REFS };
static const uint32_t blk_sect[NBLK] = { S_CLS, S_SIZE, S_RET, S_RETN, S_DOMC, 0, S_OFF };
static const char *const blk_name[NBLK] = { "classes", "sizes", "retained sizes", "retained counts",
					    "dominator tree", "dominators", "references" };
#define BLOCKED(k) ((k) <= K_TREE || (k) == K_REFS)

static int pread_all(int fd, void *p, size_t n, uint64_t at)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = pread(fd, (char *)p + got, n - got, (off_t)(at + got));
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

static int pwrite_all(int fd, const void *p, size_t n, uint64_t at)
{
	size_t put = 0;
	while (put < n) {
		ssize_t k = pwrite(fd, (const char *)p + put, n - put, (off_t)(at + put));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		put += (size_t)k;
	}
	return 0;
}

/* The frame [lo, hi) of a blocked section, read to be decoded through
 * the window (r_var()) or at once. */
static int r_frame(struct rd *r, const struct sect_ent *e, uint64_t lo, uint64_t hi)
{
	size_t len = (size_t)(hi - lo);
	free(r->z);
	r->len = r->pos = r->zpos = 0;
	r->ended = 0;
	if (!(r->z = malloc(len ? len : 1)))
		return r->oom = r->bad = 1, -1;
	if (pread_all(r->fd, r->z, len, e->offset + lo) < 0)
		return r->bad = 1, -1;
	r->zlen = len;
	r->raw_left = UINT64_MAX;
	ZSTD_DCtx_reset(r->dc, ZSTD_reset_session_only);
	return 0;
}

/* the frame used whole: its end, and nothing after it */
static int r_frame_done(struct rd *r)
{
	if (!r->bad && r->pos == r->len && !r_fill(r) && r->ended && r->zpos == r->zlen)
		return 0;
	return r->bad = 1, -1;
}

/*
 * A blocked section's table (its end: the frames' offsets, then the
 * number of blocks), checked: the frames in order, none empty, ending
 * where the table starts; for the tree, the nodes with children and the
 * children before each block growing by at most what the block can
 * hold, every node with children having one at least, and all the
 * children the nreach - 1 nodes under the root.  -1 damaged, -2 out of
 * memory.
 */
static int blk_table(hs_graph *g, uint32_t id, uint64_t **out)
{
	struct hs_index_state *s = g->idx;
	const struct sect_ent *e = find_sect(&s->h, id);
	uint32_t nb = nblocks(g), i, bs = 1u << g->blk_shift;
	uint64_t cnt, bytes, end, *t;
	int tree = id == S_DOMC, refs = id == S_OFF;

	if (!e || e->comp < 8 || pread_all(s->fd, &cnt, 8, e->offset + e->comp - 8) < 0 || cnt != nb)
		return -1;
	bytes = ((uint64_t)nb + 1) * 24;
	if (bytes > e->comp - 8)
		return -1;
	end = e->comp - 8 - bytes;
	if (!(t = malloc((size_t)bytes)))
		return -2;
	if (pread_all(s->fd, t, (size_t)bytes, e->offset + end) < 0 || t[0] != 0 || t[3 * (size_t)nb] != end)
		goto bad;
	for (i = 0; i < nb; i++)
		if (t[3 * (size_t)i] >= t[3 * ((size_t)i + 1)])
			goto bad;
	for (i = 0; i <= nb; i++) {
		const uint64_t *m = t + 3 * (size_t)i;
		if (refs ? m[2] != 0 || (i == 0 ? m[1] != 0 : m[1] < m[-2]) :
		    !tree ? (m[1] | m[2]) != 0 : i == 0 ? (m[1] | m[2]) != 0
		    : m[1] < m[-2] || m[1] - m[-2] > bs || m[2] - m[-1] < m[1] - m[-2] || m[2] < m[-1] ||
		      (m[1] == m[-2] && m[2] != m[-1]))
			goto bad;
	}
	if ((tree && (t[3 * (size_t)nb + 2] != (uint64_t)g->nreach - 1 || t[3 * (size_t)nb + 1] > g->n)) ||
	    (refs && t[3 * (size_t)nb + 1] != g->nedges))
		goto bad;
	*out = t;
	return 0;
bad:
	free(t);
	return -1;
}

/* An array of the graph's own memory; its pages made now when it is about
 * to be written whole. */
static void *blk_array(hs_graph *g, size_t bytes, int whole)
{
	hs_error e;
	void *p;
	pthread_mutex_lock(&lazy_mu);
	p = hs_mem_alloc(&g->d->mem, bytes ? bytes : 1, 0, &e);
	if (p)
		g->stats.memory_bytes += bytes;
	pthread_mutex_unlock(&lazy_mu);
	if (p && whole)
		hs_mem_populate(p, bytes);   /* a fault each 4 KB: a fifth of decoding it */
	return p;
}

static void *blk_small(hs_graph *g, size_t bytes)
{
	void *p = malloc(bytes ? bytes : 1);
	if (p)
		lazy_account(g, (int64_t)bytes);
	return p;
}

/*
 * The arrays of kind k made (none of their blocks read yet; whole: all
 * will be, their pages made now), its table read.  Once: 0 made, -1 not
 * (*oom set when for want of memory).  Under blk_mu, or before any
 * other thread reads the graph.
 */
/* The array that the blocks of kind @p k fill (the tree's: child_off[]),
 * NULL when not made; *bytes (when asked) what of it a pass over all
 * blocks writes, 0 for the tree's, whose arrays are several. */
static void *kind_array(const hs_graph *g, unsigned k, size_t *bytes)
{
	size_t b = 0;
	void *p;
	switch (k) {
	case K_CLS:
	case K_SIZE:
		p = k == K_CLS ? (void *)g->cls : (void *)g->size;
		b = sizeof(uint16_t) * g->n;
		break;
	case K_RET:
	case K_RETN:
		p = k == K_RET ? g->ret : g->retn;
		b = sizeof(uint32_t) * g->n;
		break;
	case K_REFS:
		p = g->tgt;
		b = sizeof(uint32_t) * (size_t)g->nedges;
		break;
	default:
		p = g->child_off;
		break;
	}
	if (bytes)
		*bytes = b;
	return p;
}

static int blk_make(hs_graph *g, unsigned k, int whole, int *oom)
{
	struct hs_index_state *s = g->idx;
	unsigned bit = 1u << k;
	uint32_t n = g->n, nb = nblocks(g), b;
	size_t nw = ((size_t)n + 63) / 64;
	int rc = -1;

	if (!(g->lazy & bit))
		return (g->lazy_failed & bit) || ((g->blk_pending & bit) && !g->blk_done[k]) ? -1 : 0;
	g->lazy &= ~bit;
	if (!s || s->fd < 0 || (rc = blk_table(g, blk_sect[k], &s->blk[k].t)) < 0) {
		*oom = s && s->fd >= 0 && rc == -2;
		return -1;
	}
	if (!(g->blk_done[k] = calloc(((size_t)nb + 63) / 64, sizeof(uint64_t))))
		return *oom = 1, -1;
	switch (k) {
	case K_CLS:
		g->cls = blk_array(g, sizeof(uint16_t) * n, whole);
		break;
	case K_SIZE:
		g->size = blk_array(g, sizeof(uint16_t) * n, whole);
		break;
	case K_RET:
		g->ret = blk_array(g, sizeof(uint32_t) * n, whole);
		break;
	case K_RETN:
		g->retn = blk_array(g, sizeof(uint32_t) * n, whole);
		if (g->retn && !(g->reach = blk_small(g, sizeof(uint64_t) * nw))) {
			hs_mem_free(&g->d->mem, g->retn);
			g->retn = NULL;
		}
		break;
	case K_REFS: {
		const uint64_t *t = s->blk[k].t;
		uint32_t *off = blk_array(g, sizeof(uint32_t) * ((size_t)n + 1), whole);
		uint32_t *tgt = off ? blk_array(g, sizeof(uint32_t) * (size_t)(g->nedges ? g->nedges : 1), whole) : NULL;
		if (!tgt) {
			if (off)
				hs_mem_free(&g->d->mem, off);
			break;
		}
		/* where each block's references start, and the end */
		for (b = 0; b < nb; b++)
			off[(size_t)b << g->blk_shift] = (uint32_t)t[3 * (size_t)b + 1];
		off[n] = (uint32_t)g->nedges;
		g->off = off;
		g->tgt = tgt;
		break;
	}
	case K_TREE: {
		const uint64_t *t = s->blk[k].t;
		uint64_t nk = t[3 * (size_t)nb + 1], total = t[3 * (size_t)nb + 2];
		uint32_t *off = blk_array(g, sizeof(uint32_t) * ((size_t)nk + 1), whole);
		uint32_t *ch = off ? blk_array(g, sizeof(uint32_t) * (size_t)(total ? total : 1), whole) : NULL;
		uint64_t *has = ch ? blk_small(g, sizeof(uint64_t) * (nw ? nw : 1)) : NULL;
		uint32_t *rank = has ? blk_small(g, sizeof(uint32_t) * (nw + 1)) : NULL;
		if (!rank) {
			free(has);
			if (ch)
				hs_mem_free(&g->d->mem, ch);
			if (off)
				hs_mem_free(&g->d->mem, off);
			break;
		}
		/* where each block's children start, and the end: what the
		 * last node with children of a block reads as its end */
		for (b = 0; b <= nb; b++)
			off[t[3 * (size_t)b + 1]] = (uint32_t)t[3 * (size_t)b + 2];
		rank[nw] = (uint32_t)nk;
		g->child_off = off;
		g->child = ch;
		g->child_has = has;
		g->child_rank = rank;
		break;
	}
	}
	if (!kind_array(g, k, NULL)) {
		free(g->blk_done[k]);
		g->blk_done[k] = NULL;
		return *oom = 1, -1;
	}
	__atomic_fetch_or(&g->blk_pending, bit, __ATOMIC_RELEASE);
	return 0;
}

static int blk_get(hs_graph *g, struct rd *r, struct rd *dep, unsigned k, uint32_t b);

/* A block of 4-byte numbers a[lo .. hi - 1] that put_narrow() wrote: 0,
 * or -1 (r->bad, or r->oom, set) */
static int get_narrow(struct rd *r, uint32_t *a, uint32_t lo, uint32_t hi)
{
	size_t cnt = hi - lo, cap = 5 * cnt, got, i, ne = 0;
	const unsigned char *p, *e;
	if (r->widecap < cap) {
		free(r->wide);
		if (!(r->wide = malloc(cap))) {
			r->widecap = 0;
			return r->oom = r->bad = 1, -1;
		}
		r->widecap = cap;
	}
	got = ZSTD_decompressDCtx(r->dc, r->wide, cap, r->z, r->zlen);
	if (ZSTD_isError(got) || got < cnt || (got - cnt) % 4)
		return r->bad = 1, -1;
	p = r->wide;
	e = r->wide + cnt;
	for (i = 0; i < cnt; i++) {
		uint32_t x = p[i];
		if (x == 255) {
			if (got - cnt < 4 * (ne + 1))
				return r->bad = 1, -1;
			memcpy(&x, e + 4 * ne, 4);
			if (x < 255)
				return r->bad = 1, -1;
			ne++;
		}
		a[lo + i] = x;
	}
	if (4 * ne != got - cnt)
		return r->bad = 1, -1;
	return 0;
}

/* the retained counts and which nodes the tree holds (0: not in it; the
 * array then says 1, a subtree of one) */
static int blk_retn(hs_graph *g, struct rd *r, uint32_t lo, uint32_t hi)
{
	uint32_t *a = g->retn, v, i, nreach = g->nreach, over = 0;
	if (get_narrow(r, a, lo, hi) < 0 || (lo == 0 && a[0] != nreach - 1))
		return r->bad = 1, -1;
	/* without branches (in and out of the tree alternate): lo is a
	 * multiple of 64 */
	for (v = lo; v < hi; v += 64) {
		uint32_t e = hi - v > 64 ? v + 64 : hi;
		uint64_t word = 0;
		for (i = v; i < e; i++) {
			uint32_t c = a[i];
			over |= c > nreach;
			word |= (uint64_t)(c != 0) << (i & 63);
			a[i] = c | (c == 0);
		}
		g->reach[v >> 6] = word;
	}
	if (over)
		return r->bad = 1, -1;
	if (lo == 0) {   /* the root: in the tree, retaining the rest */
		a[0] = nreach - 1;
		g->reach[0] |= 1;
	}
	return 0;
}

/* the references of each node: how many, then each from the node */
static int blk_refs(hs_graph *g, struct rd *r, uint32_t b, uint32_t lo, uint32_t hi)
{
	const uint64_t *t = g->idx->blk[K_REFS].t + 3 * (size_t)b;
	uint64_t at = t[1], end = t[4], i;
	uint32_t n = g->n, v;
	for (v = lo; v < hi && !r->bad; v++) {
		uint64_t c = r_var(r);
		if (c > end - at)
			return r->bad = 1, -1;
		g->off[v] = (uint32_t)at;
		for (i = 0; i < c; i++) {
			int64_t x = (int64_t)v + unzz(r_var(r));
			if (x < 0 || x >= (int64_t)n)
				return r->bad = 1, -1;
			g->tgt[at++] = (uint32_t)x;
		}
	}
	if (at != end)
		return r->bad = 1, -1;
	return r_frame_done(r);
}

/* retained sizes, in units (UINT32_MAX: in ret_big) */
static int blk_ret(hs_graph *g, struct rd *r, uint32_t lo, uint32_t hi)
{
	return get_narrow(r, g->ret, lo, hi);
}

static int blk_read_all(hs_graph *g, unsigned k, int *oom);

/* An eighth of the blocks of kind @p k read (one by one): reading the
 * rest at once, on two threads, then costs less than going on. */
static int eighth_read(const hs_graph *g, unsigned k)
{
	return (uint64_t)__atomic_load_n(&g->idx->blk[k].ndone, __ATOMIC_ACQUIRE) * 8 > nblocks(g);
}

/*
 * The retained counts of the children @p ch[0 .. nc - 1] of a block of
 * the tree, read with @p dep: one block at a time when they are few, all
 * the blocks at once on the threads there are when they are many (the
 * root's children are all over the heap, and one by one they cost twice
 * what two threads take for all), and so once an eighth of them has been
 * read one by one.  With dep NULL, only what was read.
 */
static int tree_retn(hs_graph *g, struct rd *dep, const uint32_t *ch, uint64_t nc)
{
	uint32_t shift = g->blk_shift, nb = nblocks(g), b;
	uint64_t i, missing = 0, *seen;
	int oom = 0;

	if (!nc || !((g->lazy | g->blk_pending) & (1u << K_RETN)))
		return 0;   /* every block read already */
	if (!dep)
		goto each;
	if (blk_get(g, dep, NULL, K_RETN, ch[0] >> shift) < 0)
		return -1;
	if (g->d->opts.threads < 2 || !(seen = calloc(((size_t)nb + 63) / 64, sizeof(uint64_t))))
		goto each;
	for (i = 0; i < nc; i++) {
		b = ch[i] >> shift;
		if (b < nb && !((__atomic_load_n(&g->blk_done[K_RETN][b >> 6], __ATOMIC_ACQUIRE) >> (b & 63)) & 1) &&
		    !((seen[b >> 6] >> (b & 63)) & 1)) {
			seen[b >> 6] |= 1ull << (b & 63);
			missing++;
		}
	}
	free(seen);
	if ((missing * 8 > nb || eighth_read(g, K_RETN)) && blk_read_all(g, K_RETN, &oom) < 0)
		return dep->oom |= oom, -1;
each:
	for (i = 0; i < nc; i++)
		if (blk_get(g, dep, NULL, K_RETN, ch[i] >> shift) < 0)
			return -1;
	return 0;
}

/*
 * A block of the dominator tree, as the CSR of its children (see
 * graph_int.h, dom_kids()), checked as it is read: a node with children
 * is in the tree, its children are nodes of the tree other than the root,
 * and its retained count is theirs and its own; the block's nodes with
 * children and children are what the table says.  What that leaves a
 * damaged index free to say cannot make a walk of the tree go on: each
 * child retains less than its parent, so a walk from a node meets as
 * many nodes as it retains.  The children are decoded first, then their
 * retained counts read from their blocks (tree_retn()), then checked.
 */
static int blk_tree(hs_graph *g, struct rd *r, struct rd *dep, uint32_t b, uint32_t lo, uint32_t hi)
{
	const uint64_t *t = g->idx->blk[K_TREE].t + 3 * (size_t)b;
	uint64_t nk = t[1], at = t[2], nk_end = t[4], at_end = t[5], word = 0, j;
	uint32_t n = g->n, v, i;
	const uint32_t *retn = g->retn;
	const uint64_t *reach = g->reach;

	for (v = lo; v < hi && !r->bad; v++) {
		uint64_t c = r_var(r);
		int64_t prev = v;
		if (!(v & 63))
			g->child_rank[v >> 6] = (uint32_t)nk;
		if (c) {
			if (c > at_end - at || nk >= nk_end || !((reach[v >> 6] >> (v & 63)) & 1)) {
				r->bad = 1;
				break;
			}
			word |= 1ull << (v & 63);
			g->child_off[nk++] = (uint32_t)at;
			for (i = 0; i < c; i++) {
				int64_t x = prev + unzz(r_var(r));
				if (x <= 0 || x >= (int64_t)n) {
					r->bad = 1;
					break;
				}
				g->child[at++] = (uint32_t)x;
				prev = x;
			}
		}
		if ((v & 63) == 63 || v + 1 == hi) {
			g->child_has[v >> 6] = word;
			word = 0;
		}
	}
	if (r->bad || nk != nk_end || at != at_end || tree_retn(g, dep, g->child + t[2], at_end - t[2]) < 0)
		return r->bad = 1, -1;
	for (v = lo, nk = t[1]; v < hi; v++) {
		uint64_t sum = v ? 1 : 0, end;
		if (!((g->child_has[v >> 6] >> (v & 63)) & 1))
			continue;
		end = nk + 1 < nk_end ? g->child_off[nk + 1] : at_end;
		for (j = g->child_off[nk]; j < end; j++) {
			uint32_t u = g->child[j];
			if (!((reach[u >> 6] >> (u & 63)) & 1))
				return r->bad = 1, -1;
			sum += retn[u];
		}
		if (sum != retn[v])
			return r->bad = 1, -1;
		nk++;
	}
	return r_frame_done(r);
}

/* Block b of kind k read (from its frame with r, after what it needs),
 * unless it was: 0, or -1.  With r NULL, only what was read already. */
static int blk_get(hs_graph *g, struct rd *r, struct rd *dep, unsigned k, uint32_t b)
{
	struct hs_index_state *s = g->idx;
	struct blk_tab *bt = &s->blk[k];
	const struct sect_ent *e;
	uint32_t n = g->n, bs = 1u << g->blk_shift, lo = b << g->blk_shift, hi, v, nc = g->d->nclasses;
	size_t want;
	int rc, oom = 0;

	/* a kind another needs, not made yet (hs_index__lazy_at(), under
	 * blk_mu: hs_index__lazy() makes them in order) */
	if (!g->blk_done[k] && (!r || blk_make(g, k, 0, &oom) < 0 || !g->blk_done[k]))
		return r && oom ? (r->oom = 1, -1) : -1;
	if ((__atomic_load_n(&g->blk_done[k][b >> 6], __ATOMIC_ACQUIRE) >> (b & 63)) & 1)
		return 0;
	if (!r || b >= nblocks(g))
		return -1;
	hi = n - lo > bs ? lo + bs : n;
	/* what it needs, before its own frame is open */
	if (k == K_TREE && blk_get(g, r, dep, K_RETN, b) < 0)
		return -1;
	e = find_sect(&s->h, blk_sect[k]);
	if (!e || r_frame(r, e, bt->t[3 * (size_t)b], bt->t[3 * ((size_t)b + 1)]) < 0)
		return -1;
	switch (k) {
	case K_CLS:
	case K_SIZE:
		want = sizeof(uint16_t) * (hi - lo);
		rc = ZSTD_decompressDCtx(r->dc, (k == K_CLS ? g->cls : g->size) + lo, want, r->z, r->zlen) == want
		     ? 0 : -1;
		for (v = lo; rc == 0 && k == K_CLS && v < hi; v++)
			if (g->cls[v] < CLS_BIG && g->cls[v] >= nc)
				rc = -1;
		break;
	case K_RET:
		rc = blk_ret(g, r, lo, hi);
		break;
	case K_RETN:
		rc = blk_retn(g, r, lo, hi);
		break;
	case K_REFS:
		rc = blk_refs(g, r, b, lo, hi);
		break;
	default:
		rc = blk_tree(g, r, dep, b, lo, hi);
		break;
	}
	free(r->z);
	r->z = NULL;
	if (rc < 0)
		return r->bad = 1, -1;
	__atomic_fetch_or(&g->blk_done[k][b >> 6], 1ull << (b & 63), __ATOMIC_RELEASE);
	if (__atomic_add_fetch(&bt->ndone, 1, __ATOMIC_ACQ_REL) == nblocks(g))
		__atomic_fetch_and(&g->blk_pending, ~(1u << k), __ATOMIC_RELEASE);
	return 0;
}

/* idom[] from the tree's children, for the commands that walk up: the
 * nodes with children in order, so the k-th of them has child_off[k] */
static int lazy_idom(hs_graph *g)
{
	uint32_t n = g->n, i, k = 0;
	size_t nw = ((size_t)n + 63) / 64, w;
	uint32_t *a = blk_array(g, sizeof(uint32_t) * n, 1);
	if (!a)
		return -1;   /* out of memory */
	memset(a, 0xff, sizeof(uint32_t) * n);   /* HS_NONE */
	a[0] = 0;
	for (w = 0; w < nw; w++) {
		uint64_t b = g->child_has[w];
		while (b) {
			uint32_t v = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(b));
			for (i = g->child_off[k]; i < g->child_off[k + 1]; i++)
				a[g->child[i]] = v;
			k++;
			b &= b - 1;
		}
	}
	g->idom = a;
	return 0;
}

/* An array the index said it holds could not be read: said once; an
 * index that does not decode (not memory) is removed, if it is still the
 * one read, so that the next command makes it again.  With @p s NULL, a
 * graph built from the dump could not make again what it freed (idom[]).
 * The command goes on without it (its accessors give neutral values). */
static void lazy_failed_note(const struct hs_index_state *s, const char *what, int oom)
{
	struct hdr cur;
	uint64_t size;
	int why, fd;
	if (!s) {   /* a graph built from the dump, remaking what it freed */
		fprintf(stderr, "heapscan: error: cannot make the %s again: out of memory\n", what);
		return;
	}
	fprintf(stderr, "heapscan: error: cannot read the %s from the index %s: %s\n", what, s->path,
		oom ? "out of memory" : "it does not decode; it is removed");
	if (oom || (fd = open(s->path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (read_hdr(fd, &cur, &size, &why, 0) == 0 && size == s->file_size && memcmp(&cur, &s->h, sizeof(cur)) == 0)
		unlink(s->path);
	close(fd);
}

static void blk_failed(hs_graph *g, unsigned k, int oom)
{
	const struct hs_index_state *s = g->idx;
	if (g->lazy_failed & (1u << k))
		return;
	g->lazy_failed |= 1u << k;
	if (s && !s->unchecked)
		lazy_failed_note(s, blk_name[k], oom);
}

/* A reader of the index a graph holds open (s->fd): 0, or -1 when out of
 * memory (r->oom set).  Release with rd_release(). */
static int rd_on_state(struct rd *r, const struct hs_index_state *s, int unchecked)
{
	memset(r, 0, sizeof(*r));
	r->fd = s->fd;
	r->file_size = s->file_size;
	r->h = &s->h;
	r->unchecked = unchecked;
	r->dc = ZSTD_createDCtx();
	r->buf = malloc(RBUF);
	if (!r->dc || !r->buf) {
		r->oom = r->bad = 1;
		return -1;
	}
	return 0;
}

static void rd_release(struct rd *r)
{
	ZSTD_freeDCtx(r->dc);
	free(r->buf);
	free(r->z);
	free(r->wide);
	r->dc = NULL;
	r->buf = NULL;
	r->z = NULL;
	r->wide = NULL;
	r->widecap = 0;
}

/* the two readers of single blocks (hs_index__lazy_at()) */
static void br_free(struct rd *br)
{
	if (br) {
		rd_release(&br[0]);
		rd_release(&br[1]);
		free(br);
	}
}

static void peak_update(hs_graph *g)
{
	pthread_mutex_lock(&lazy_mu);
	if (g->stats.memory_bytes > g->stats.peak_bytes)
		g->stats.peak_bytes = g->stats.memory_bytes;
	pthread_mutex_unlock(&lazy_mu);
}

int hs_index__lazy_at(hs_graph *g, unsigned what, uint32_t v)
{
	struct hs_index_state *s = g->idx;
	unsigned k = (unsigned)__builtin_ctz(what);
	int rc = 0, oom = 0;

	if (what & g->lazy_failed)
		return -1;
	if (k >= NBLK || !BLOCKED(k) || !s || s->fd < 0)
		return hs_index__lazy(g, what);
	pthread_mutex_lock(&blk_mu);
	if (g->lazy & what)
		rc = blk_make(g, k, 0, &oom);
	if (rc == 0 && v != HS_NONE && v < g->n) {
		if (!s->br && (!(s->br = calloc(2, sizeof(*s->br))) || rd_on_state(&s->br[0], s, 1) < 0 ||
			       rd_on_state(&s->br[1], s, 1) < 0)) {
			br_free(s->br);
			s->br = NULL;
			rc = -1;
			oom = 1;
		} else {
			rc = blk_get(g, &s->br[0], &s->br[1], k, v >> g->blk_shift);
		}
		if (rc < 0 && s->br)
			oom |= s->br[0].oom || s->br[1].oom;
		if (s->br)
			s->br[0].bad = s->br[0].oom = s->br[1].bad = s->br[1].oom = 0;
	} else if (rc == 0 && v != HS_NONE) {
		rc = -1;
	}
	pthread_mutex_unlock(&blk_mu);
	if (rc < 0)
		blk_failed(g, k, oom);
	/* the retained sizes and counts of a command that has asked for an
	 * eighth of their blocks (suspects looks at the children of every
	 * node on its way down, all over the heap): the rest on two threads
	 * at once, which costs less than one by one.  Not the tree's: a
	 * walk reads few of its blocks */
	else if (v != HS_NONE && (what & (HS_LAZY_RET | HS_LAZY_RETN | HS_LAZY_REFS)) && g->d->opts.threads >= 2 &&
		 (g->blk_pending & what) && eighth_read(g, k))
		rc = hs_index__lazy(g, what);
	peak_update(g);
	return rc;
}

/* Blocks 0 .. nb - 1 each given to @p fn, on the threads there are:
 * each takes the next block.  0, or -1 (*oom set when for want of
 * memory). */
struct blk_run {
	hs_graph *g;
	uint32_t nb, next;
	int (*fn)(hs_graph *g, struct rd *r, uint32_t b, void *ctx);
	void *ctx;
	int failed, oom;
};

static void *blk_run_worker(void *arg)
{
	struct blk_run *j = arg;
	uint32_t b;
	struct rd r;
	if (rd_on_state(&r, j->g->idx, 1) < 0) {
		__atomic_store_n(&j->oom, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
	}
	while (!__atomic_load_n(&j->failed, __ATOMIC_RELAXED) &&
	       (b = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < j->nb) {
		if (j->fn(j->g, &r, b, j->ctx) < 0) {
			if (r.oom)
				__atomic_store_n(&j->oom, 1, __ATOMIC_RELAXED);
			__atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
		}
	}
	rd_release(&r);
	return NULL;
}

static int blk_run(hs_graph *g, uint32_t nb, int (*fn)(hs_graph *, struct rd *, uint32_t, void *), void *ctx,
		   int *oom)
{
	struct blk_run j;
	pthread_t tid;
	int started = 0;
	memset(&j, 0, sizeof(j));
	j.g = g;
	j.nb = nb;
	j.fn = fn;
	j.ctx = ctx;
	if (g->d->opts.threads >= 2 && nb > 1 && pthread_create(&tid, NULL, blk_run_worker, &j) == 0)
		started = 1;
	blk_run_worker(&j);
	if (started)
		pthread_join(tid, NULL);
	*oom = j.oom;
	return j.failed ? -1 : 0;
}

/* a block of kind *ctx: blk_get() with nothing else read meanwhile */
static int blk_one(hs_graph *g, struct rd *r, uint32_t b, void *ctx)
{
	return blk_get(g, r, NULL, *(const unsigned *)ctx, b);
}

/* Every block of kind @p k not read yet (its array made), on the threads
 * there are; the pages the blocks read one by one have not made, made
 * at once first.  0, or -1 (*oom set when for want of memory). */
static int blk_read_all(hs_graph *g, unsigned k, int *oom)
{
	size_t bytes;
	void *p = kind_array(g, k, &bytes);
	hs_mem_populate(p, bytes);
	return blk_run(g, nblocks(g), blk_one, &k, oom);
}

static int blk_all(hs_graph *g, unsigned k)
{
	int oom = 0, rc;

	pthread_mutex_lock(&blk_mu);
	rc = blk_make(g, k, 1, &oom);
	pthread_mutex_unlock(&blk_mu);
	if (rc < 0) {
		blk_failed(g, k, oom);
		return -1;
	}
	if (!(g->blk_pending & (1u << k)))
		return 0;
	if (blk_read_all(g, k, &oom) < 0) {
		blk_failed(g, k, oom);
		return -1;
	}
	return 0;
}

/*
 * The arrays @p what, whole: each kind's blocks on two threads when there
 * are two, the kinds in the order of what they need (a block of the tree
 * checks the retained counts of the children, which may be in any
 * block).
 */
int hs_index__lazy(hs_graph *g, unsigned what)
{
	static const unsigned order[] = { K_SIZE, K_CLS, K_RETN, K_RET, K_TREE, K_REFS };
	unsigned i;
	int rc = 0;

	if (what & HS_LAZY_IDOM)
		what |= HS_LAZY_TREE;
	if (what & HS_LAZY_TREE)
		what |= HS_LAZY_RETN;
	if (what & g->lazy_failed)
		return -1;
	what &= g->lazy | g->blk_pending;
	if (!what)
		return 0;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if ((what & (1u << order[i])) && blk_all(g, order[i]) < 0)
			rc = -1;
	if ((what & HS_LAZY_IDOM) && (g->lazy & HS_LAZY_IDOM)) {
		g->lazy &= ~HS_LAZY_IDOM;
		if (rc < 0 || lazy_idom(g) < 0) {
			g->lazy_failed |= HS_LAZY_IDOM;
			if (rc == 0)
				lazy_failed_note(g->idx, "dominators", 1);
			rc = -1;
		}
	}
	peak_update(g);
	return rc;
}

/* ---- learned sections ------------------------------------------------ */

static int encode_section(const hs_graph *g, uint32_t id, void (*put)(struct wr *, const hs_graph *, const void *),
			  const void *arg, struct learned *out)
{
	struct wr w;
	struct hdr h;
	char *buf = NULL;
	size_t len = 0;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	memset(&h, 0, sizeof(h));
	w.h = &h;
	w.f = open_memstream(&buf, &len);
	w.cc = ZSTD_createCCtx();
	w.buf = malloc(WBUF);
	w.zcap = ZSTD_CStreamOutSize();
	w.zb = malloc(w.zcap);
	if (w.f && w.cc && w.buf && w.zb) {
		ZSTD_CCtx_setParameter(w.cc, ZSTD_c_compressionLevel, 1);
		ZSTD_CCtx_setParameter(w.cc, ZSTD_c_checksumFlag, 1);
		if (g->d->opts.threads >= 2)   /* compressed beside the encoding */
			ZSTD_CCtx_setParameter(w.cc, ZSTD_c_nbWorkers, (int)g->d->opts.threads);
		w_begin(&w);
		put(&w, g, arg);
		w_end(&w, id);
	} else {
		w.failed = ENOMEM;
	}
	if (w.f && fclose(w.f) != 0)
		w.failed = EIO;
	if (!w.failed && h.nsect == 1 && len == h.sect[0].comp) {
		out->id = id;
		out->buf = buf;
		out->len = len;
		out->raw = h.sect[0].raw;
		out->hash = h.sect[0].hash;
		buf = NULL;
		rc = 0;
	}
	free(buf);
	ZSTD_freeCCtx(w.cc);
	free(w.buf);
	free(w.zb);
	free(w.marks);
	return rc;
}

/*
 * A blocked section encoded into memory now (as encode_section()): each
 * block a frame of its own, so the blocks are encoded and compressed on
 * two threads when there are two, each taking the next; then put in
 * order with the table (wb_end()), @p nums giving its numbers.  0, or -1
 * (out of memory).
 */
struct benc {
	const hs_graph *g;
	const void *arg;
	put_block_fn *put;
	uint32_t nb, next;
	char **frame;
	size_t *flen;
	uint64_t *raw;
	int failed;
};

static void *benc_run(void *arg)
{
	struct benc *j = arg;
	const hs_graph *g = j->g;
	uint32_t b, bs = 1u << g->blk_shift;
	struct hdr h;
	struct wr w;
	memset(&w, 0, sizeof(w));
	w.h = &h;
	w.cc = ZSTD_createCCtx();
	w.buf = malloc(WBUF);
	w.zcap = ZSTD_CStreamOutSize();
	w.zb = malloc(w.zcap);
	if (!w.cc || !w.buf || !w.zb)
		__atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
	else {
		ZSTD_CCtx_setParameter(w.cc, ZSTD_c_compressionLevel, 1);
		ZSTD_CCtx_setParameter(w.cc, ZSTD_c_checksumFlag, 1);
	}
	while (!__atomic_load_n(&j->failed, __ATOMIC_RELAXED) &&
	       (b = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < j->nb) {
		uint32_t lo = b << g->blk_shift, hi = g->n - lo > bs ? lo + bs : g->n;
		if (!(w.f = open_memstream(&j->frame[b], &j->flen[b]))) {
			__atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
			break;
		}
		w_begin(&w);
		j->put(&w, g, j->arg, lo, hi);
		w_drain(&w, ZSTD_e_end);
		if (fclose(w.f) != 0 || w.failed)
			__atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
		j->raw[b] = w.raw;
	}
	ZSTD_freeCCtx(w.cc);
	free(w.buf);
	free(w.zb);
	return NULL;
}

/* The blocks of the encoding @p pub holds open, if any, taken with its
 * thread until none is left. */
static void benc_help(struct benc_pub *pub)
{
	struct benc *j;
	pthread_mutex_lock(&pub->mu);
	if ((j = pub->job))
		pub->helpers++;
	pthread_mutex_unlock(&pub->mu);
	if (!j)
		return;
	benc_run(j);
	pthread_mutex_lock(&pub->mu);
	pub->helpers--;
	pthread_cond_broadcast(&pub->cv);
	pthread_mutex_unlock(&pub->mu);
}

/* (with @p pub, open to benc_help() while it runs) */
static int encode_blocked_pub(const hs_graph *g, uint32_t id, put_block_fn *put, blk_nums_fn *nums,
			      const void *arg, int two, struct benc_pub *pub, struct learned *out)
{
	struct benc j;
	pthread_t tid;
	int started = 0, rc = -1;
	uint32_t nb = nblocks(g), b;
	uint64_t *t = NULL, raw = 0, nb64 = nb;
	size_t total = 0, at = 0;
	char *buf = NULL;

	memset(&j, 0, sizeof(j));
	j.g = g;
	j.arg = arg;
	j.put = put;
	j.nb = nb;
	j.frame = calloc(nb, sizeof(char *));
	j.flen = calloc(nb, sizeof(size_t));
	j.raw = calloc(nb, sizeof(uint64_t));
	t = malloc(sizeof(uint64_t) * 3 * ((size_t)nb + 1));
	if (!j.frame || !j.flen || !j.raw || !t)
		goto done;
	if (two && g->d->opts.threads >= 2 && nb > 1 && pthread_create(&tid, NULL, benc_run, &j) == 0)
		started = 1;
	if (pub) {
		pthread_mutex_lock(&pub->mu);
		pub->job = &j;
		pthread_cond_broadcast(&pub->cv);   /* a thread waiting to help */
		pthread_mutex_unlock(&pub->mu);
	}
	benc_run(&j);
	if (pub) {   /* closed to new helpers, then the ones in it done */
		pthread_mutex_lock(&pub->mu);
		pub->job = NULL;
		while (pub->helpers > 0)
			pthread_cond_wait(&pub->cv, &pub->mu);
		pthread_mutex_unlock(&pub->mu);
	}
	if (started)
		pthread_join(tid, NULL);
	if (j.failed)
		goto done;
	for (b = 0; b < nb; b++) {
		total += j.flen[b];
		raw += j.raw[b];
	}
	total += sizeof(uint64_t) * 3 * ((size_t)nb + 1) + 8;
	if (!(buf = malloc(total)))
		goto done;
	for (b = 0; b <= nb; b++) {
		t[3 * (size_t)b] = at;
		nums(g, arg, b, &t[3 * (size_t)b + 1], &t[3 * (size_t)b + 2]);
		if (b < nb) {
			memcpy(buf + at, j.frame[b], j.flen[b]);
			at += j.flen[b];
		}
	}
	memcpy(buf + at, t, sizeof(uint64_t) * 3 * ((size_t)nb + 1));
	at += sizeof(uint64_t) * 3 * ((size_t)nb + 1);
	memcpy(buf + at, &nb64, 8);
	out->id = id;
	out->buf = buf;
	out->len = total;
	out->raw = raw;
	out->hash = hash_bytes(0x082efa98ec4e6c89ull, buf, total);
	rc = 0;
done:
	for (b = 0; j.frame && b < nb; b++)
		free(j.frame[b]);
	free(j.frame);
	free(j.flen);
	free(j.raw);
	free(t);
	return rc;
}

static int encode_blocked(const hs_graph *g, uint32_t id, put_block_fn *put, blk_nums_fn *nums, const void *arg,
			  int two, struct learned *out)
{
	return encode_blocked_pub(g, id, put, nums, arg, two, NULL, out);
}

/*
 * The shortest-path trees: parent[v] stored as zz(v - parent) + 1 (0 for
 * no path).  A command on a graph with an index keeps the tree it
 * searched (encoded now, written with the index or by hs_index_update());
 * the next one reads it instead of loading the references and searching.
 */
static void put_parent(struct wr *w, const hs_graph *g, const void *arg, uint32_t lo, uint32_t hi)
{
	const uint32_t *parent = arg;
	uint32_t v;
	(void)g;
	for (v = lo; v < hi && !w->failed; v++)
		w_var(w, parent[v] == HS_NONE ? 0 : zz((int64_t)v - (int64_t)parent[v]) + 1);
}

void hs_graph_learn_path_tree(hs_graph *g, int strong, const uint32_t *parent)
{
	struct hs_index_state *s = g->idx;
	uint32_t id = strong ? S_PAR1 : S_PAR0;
	unsigned i;

	if ((!s && !g->writer) || !g->blk_shift)
		return;   /* no index: nothing to keep it for */
	if (!s && !(s = g->idx = state_new()))
		return;
	if ((s->fd >= 0 && find_sect(&s->h, id)) || s->nlearned == sizeof(s->learned) / sizeof(s->learned[0]))
		return;
	for (i = 0; i < s->nlearned; i++)
		if (s->learned[i].id == id)
			return;
	if (encode_blocked(g, id, put_parent, no_nums, parent, 1, &s->learned[s->nlearned]) == 0)
		s->nlearned++;
}

/* a block of a shortest-path tree */
struct par_ctx {
	uint32_t *par;
	const uint64_t *t;
	const struct sect_ent *e;
};

static int par_block(hs_graph *g, struct rd *r, uint32_t b, void *ctx)
{
	const struct par_ctx *c = ctx;
	uint32_t n = g->n, bs = 1u << g->blk_shift, lo = b << g->blk_shift, hi = n - lo > bs ? lo + bs : n, v;
	if (r_frame(r, c->e, c->t[3 * (size_t)b], c->t[3 * ((size_t)b + 1)]) < 0)
		return -1;
	for (v = lo; v < hi && !r->bad; v++) {
		uint64_t x = r_var(r);
		int64_t t = x ? (int64_t)v - unzz(x - 1) : -1;
		if (t >= (int64_t)n || (x && t < 0))
			r->bad = 1;
		c->par[v] = x ? (uint32_t)t : HS_NONE;
	}
	return r_frame_done(r);
}

/* A path tree read ahead (hs_graph_path_tree_ahead()). */
struct ahead {
	hs_graph *g;
	struct par_ctx c;
	uint64_t *t;
	pthread_t tid;
	int rc;                   /* 0, -1 damaged, -2 out of memory */
};

static void *ahead_run(void *arg)
{
	struct ahead *a = arg;
	/* every block on this thread alone: blk_run()'s worker, with no
	 * second one */
	struct blk_run j;
	memset(&j, 0, sizeof(j));
	j.g = a->g;
	j.nb = nblocks(a->g);
	j.fn = par_block;
	j.ctx = &a->c;
	blk_run_worker(&j);
	a->rc = j.failed ? (j.oom ? -2 : -1) : 0;
	return NULL;
}

static void ahead_free(struct hs_index_state *s, int strong)
{
	struct ahead *a = s->ahead[strong];
	if (!a)
		return;
	pthread_join(a->tid, NULL);
	if (a->c.par)
		hs_graph_array_free(a->g, a->c.par);
	free(a->t);
	free(a);
	s->ahead[strong] = NULL;
}

void hs_graph_path_tree_ahead(hs_graph *g, int strong)
{
	struct hs_index_state *s = g->idx;
	uint32_t id = strong ? S_PAR1 : S_PAR0;
	struct ahead *a;
	hs_error e;

	strong = strong != 0;
	if (!s || s->fd < 0 || s->ahead[strong] || g->d->opts.threads < 2 || !find_sect(&s->h, id) ||
	    !(a = calloc(1, sizeof(*a))))
		return;
	a->g = g;
	a->c.e = find_sect(&s->h, id);
	if (blk_table(g, id, &a->t) < 0 || !(a->c.par = hs_graph_array(g, sizeof(uint32_t) * g->n, 0, &e))) {
		free(a->t);
		free(a);
		return;
	}
	a->c.t = a->t;
	if (pthread_create(&a->tid, NULL, ahead_run, a) != 0) {
		hs_graph_array_free(g, a->c.par);
		free(a->t);
		free(a);
		return;
	}
	s->ahead[strong] = a;
}

int hs_graph_path_tree(hs_graph *g, int strong, uint32_t **out, hs_error *err)
{
	struct hs_index_state *s = g->idx;
	uint32_t id = strong ? S_PAR1 : S_PAR0, n = g->n;
	struct par_ctx c;
	uint64_t *t = NULL;
	int oom = 0, rc;

	*out = NULL;
	if (!s || s->fd < 0 || !(c.e = find_sect(&s->h, id)))
		return 0;
	if (s->ahead[strong != 0]) {   /* read ahead: when it is done */
		struct ahead *a = s->ahead[strong != 0];
		pthread_join(a->tid, NULL);
		s->ahead[strong != 0] = NULL;
		free(a->t);
		rc = a->rc;
		c.par = a->c.par;
		free(a);
		if (rc == 0) {
			*out = c.par;
			return 1;
		}
		hs_graph_array_free(g, c.par);
		return rc == -2 ? hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory reading the index") : 0;
	}
	if ((rc = blk_table(g, id, &t)) < 0)
		return rc == -2 ? hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory reading the index") : 0;
	c.t = t;
	c.par = hs_graph_array(g, sizeof(uint32_t) * n, 0, err);
	if (!c.par) {
		free(t);
		return err->code;
	}
	hs_mem_populate(c.par, sizeof(uint32_t) * n);
	/* parents in range, or searched again.  Not checked to be a tree
	 * (a pass up every chain cost a third of reading it): every walk
	 * up a shortest-path tree is bounded (hs_paths_to()'s length, the
	 * depths' walk by the number of nodes) */
	rc = blk_run(g, nblocks(g), par_block, &c, &oom);
	free(t);
	if (rc < 0) {
		hs_graph_array_free(g, c.par);
		return oom ? hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory reading the index") : 0;
	}
	*out = c.par;
	return 1;
}

/*
 * Numbers learned under a key (hs_graph_learn()): the key's words, then
 * the numbers, all varints after their counts; matched on the whole key.
 */
struct sums { const uint32_t *key; uint32_t nkey; const uint64_t *vals; uint32_t nvals; };

static void put_sums(struct wr *w, const hs_graph *g, const void *arg)
{
	const struct sums *x = arg;
	uint32_t i;
	(void)g;
	w_var(w, x->nkey);
	for (i = 0; i < x->nkey && !w->failed; i++)
		w_var(w, x->key[i]);
	w_var(w, x->nvals);
	for (i = 0; i < x->nvals && !w->failed; i++)
		w_var(w, x->vals[i]);
}

/* 1 when section @p id holds the key: its numbers in vals */
static int read_sums(const struct hs_index_state *s, uint32_t id, const uint32_t *key, uint32_t nkey,
		     uint64_t *vals, uint32_t nvals)
{
	struct rd r;
	uint32_t i;
	int ok = 0;
	if (rd_on_state(&r, s, s->unchecked) == 0 && r_open(&r, id) == 0 && r_var(&r) == nkey) {
		for (i = 0; i < nkey && !r.bad && r_var(&r) == key[i]; i++)
			;
		if (i == nkey && !r.bad && r_var(&r) == nvals) {
			for (i = 0; i < nvals && !r.bad; i++)
				vals[i] = r_var(&r);
			ok = r_done(&r) == 0;
		}
	}
	rd_release(&r);
	return ok;
}

int hs_graph_learned(hs_graph *g, const uint32_t *key, uint32_t nkey, uint64_t *vals, uint32_t nvals)
{
	const struct hs_index_state *s = g->idx;
	uint32_t id;
	if (!s || s->fd < 0)
		return 0;
	for (id = S_SUM0; id <= S_SUM_LAST; id++)
		if (find_sect(&s->h, id) && read_sums(s, id, key, nkey, vals, nvals))
			return 1;
	return 0;
}

void hs_graph_learn(hs_graph *g, const uint32_t *key, uint32_t nkey, const uint64_t *vals, uint32_t nvals)
{
	struct hs_index_state *s = g->idx;
	struct sums x = { key, nkey, vals, nvals };
	uint64_t kh = hash_bytes((uint64_t)nkey << 32 | nvals, key, sizeof(uint32_t) * nkey);
	uint32_t id;
	unsigned i;

	if ((!s && !g->writer) || !g->blk_shift)
		return;   /* no index: nothing to keep it for */
	if (!s && !(s = g->idx = state_new()))
		return;
	if (s->nlearned == sizeof(s->learned) / sizeof(s->learned[0]))
		return;
	if (s->fd >= 0) {   /* the index read has them already */
		uint64_t *had = malloc(sizeof(uint64_t) * ((size_t)nvals + 1));
		int known = had && hs_graph_learned(g, key, nkey, had, nvals);
		free(had);
		if (known)
			return;
	}
	/* the first slot that neither the index read nor this command uses */
	for (id = S_SUM0; id <= S_SUM_LAST; id++) {
		if (s->fd >= 0 && find_sect(&s->h, id))
			continue;
		for (i = 0; i < s->nlearned && s->learned[i].id != id; i++)
			;
		if (i == s->nlearned)
			break;
	}
	if (id > S_SUM_LAST)
		return;
	for (i = 0; i < s->nlearned; i++)
		if (s->learned[i].id >= S_SUM0 && s->learned[i].id <= S_SUM_LAST && s->learned[i].key == kh)
			return;   /* learned once already by this command */
	if (encode_section(g, id, put_sums, &x, &s->learned[s->nlearned]) == 0)
		s->learned[s->nlearned++].key = kh;
}

/* A section of the index read, copied as it is (its hash checked on the
 * way: what is copied is what was checked). */
static int copy_sect(struct hs_index_writer *x, const struct hs_index_state *s, const struct sect_ent *e,
		     hs_error *err)
{
	struct wr *w = &x->w;
	struct sect_ent *ne;
	struct hstate hs;
	uint64_t done = 0;
	off_t at = ftello(w->f);

	if (at < 0 || w->h->nsect >= MAX_SECT)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: %s", x->path, strerror(at < 0 ? errno : EINVAL));
	hs_init(&hs, 0x082efa98ec4e6c89ull);
	while (done < e->comp) {
		size_t k = e->comp - done < WBUF ? (size_t)(e->comp - done) : WBUF;
		ssize_t got = pread(s->fd, w->buf, k, (off_t)(e->offset + done));
		if (got <= 0)
			return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: cut short", s->path);
		hs_update(&hs, w->buf, (size_t)got);
		if (fwrite(w->buf, 1, (size_t)got, w->f) != (size_t)got)
			return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: %s", x->path, strerror(errno));
		done += (uint64_t)got;
	}
	if (hs_final(&hs) != e->hash)
		return hs_error_set(err, HS_EFORMAT, HS_NO_OFFSET, "%s: damaged", s->path);
	ne = &w->h->sect[w->h->nsect++];
	*ne = *e;
	ne->offset = (uint64_t)at;
	return 0;
}

/*
 * What the command learned, added at the end of the index it read (@p fd,
 * open for writing and locked: its header @p cur, @p size bytes): the new
 * sections and the labels as they are now after the file's bytes, then the
 * header again, whose table drops the labels before.  The sections already
 * there stay where they are, so that a command reading them meanwhile
 * reads what it read before; read_hdr() takes the lock's shared side, so
 * that no command reads a header half written.  Unlike copying the index
 * (tens of MB for a few KB learned), this costs what is added.  1 done
 * (*bytes the file's size now), 0 not done because the bytes no section
 * holds any more would be over a quarter of the file (the caller copies
 * the index afresh instead), -1 with err set.
 */
static int update_in_place(hs_graph *g, int fd, const struct hdr *cur, uint64_t size, uint64_t *bytes,
			   hs_error *err)
{
	struct hs_index_state *s = g->idx;
	struct learned lab;
	struct hdr h;
	unsigned char hb[HDR_SIZE];
	uint64_t live = HDR_SIZE, end = size;
	uint32_t i, k = 0;
	int rc = 0;

	memset(&lab, 0, sizeof(lab));
	if (encode_section(g, S_LABELS, put_labels, NULL, &lab) < 0)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	h = *cur;
	for (i = 0; i < cur->nsect; i++)
		if (cur->sect[i].id != S_LABELS)
			h.sect[k++] = cur->sect[i];
	h.nsect = k;
	memset(&h.sect[k], 0, sizeof(h.sect[0]) * (MAX_SECT - k));
	for (i = 0; i <= s->nlearned && rc == 0; i++) {
		const struct learned *l = i < s->nlearned ? &s->learned[i] : &lab;
		if (h.nsect >= MAX_SECT) {
			rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: too many sections", s->path);
			break;
		}
		ent_learned(&h.sect[h.nsect++], l, end);
		end += l->len;
	}
	for (i = 0; i < h.nsect; i++)
		live += h.sect[i].comp;
	if (rc == 0 && end - live > end / 4) {
		free(lab.buf);
		return 0;
	}
	/* the bytes first: a header that names them comes after */
	for (i = 0; i <= s->nlearned && rc == 0; i++) {
		const struct learned *l = i < s->nlearned ? &s->learned[i] : &lab;
		errno = 0;
		if (pwrite_all(fd, l->buf, l->len, h.sect[h.nsect - (s->nlearned + 1) + i].offset) < 0)
			rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: %s", s->path, strerror(errno ? errno : EIO));
	}
	free(lab.buf);
	if (rc < 0)
		return rc;
	hdr_bytes(&h, hb);
	errno = 0;
	if (pwrite_all(fd, hb, HDR_SIZE, 0) < 0)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: %s", s->path, strerror(errno ? errno : EIO));
	/* in: the header now is this one, and nothing is new */
	s->h = h;
	s->file_size = end;
	if (bytes)
		*bytes = end;
	while (s->nlearned > 0)
		free(s->learned[--s->nlearned].buf);
	s->nlabels = label_count(g);
	return 1;
}

int hs_index_update(hs_graph *g, uint64_t *bytes, hs_error *err)
{
	struct hs_index_state *s = g->idx;
	struct hs_index_writer *x;
	struct hdr cur;
	uint64_t cur_size;
	uint32_t i;
	int why, fd, rc, in_place;

	if (bytes)
		*bytes = 0;
	if (!s || s->fd < 0 || s->unchecked || (s->nlearned == 0 && label_count(g) == s->nlabels))
		return 0;
	/* the index as it is now: still the one read, or another command's;
	 * locked while it is added to (a file this user may not write, in
	 * a folder it may: copied afresh) */
	fd = open(s->path, O_RDWR | O_CLOEXEC);
	in_place = fd >= 0;
	if (fd < 0)
		fd = open(s->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_EX) < 0) {
		close(fd);
		return 0;
	}
	rc = read_hdr_held(fd, &cur, &cur_size, &why, 0);
	if (rc < 0 || cur_size != s->file_size || memcmp(&cur, &s->h, sizeof(cur)) != 0) {
		close(fd);
		return 0;
	}
	rc = in_place ? update_in_place(g, fd, &cur, cur_size, bytes, err) : 0;
	close(fd);   /* and the lock with it */
	if (rc != 0)
		return rc;
	x = calloc(1, sizeof(*x));
	if (!x)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	x->fd = -1;
	x->d = g->d;
	x->g = g;
	snprintf(x->path, sizeof(x->path), "%s", s->path);
	memcpy(&x->h, &s->h, sizeof(x->h));
	x->h.nsect = 0;
	memset(x->h.sect, 0, sizeof(x->h.sect));
	rc = writer_setup(x, 0, err);
	for (i = 0; rc == 0 && i < s->h.nsect; i++) {
		const struct sect_ent *e = &s->h.sect[i];
		if (e->id != S_LABELS)
			rc = copy_sect(x, s, e, err);
	}
	if (rc == 0)
		rc = writer_finish(x, err);
	if (rc == 0) {
		/* in: the header now is another, and nothing is new */
		if (bytes)
			*bytes = x->bytes;
		while (s->nlearned > 0)
			free(s->learned[--s->nlearned].buf);
		s->nlabels = label_count(g);
	}
	x->rc = rc;
	writer_free(x);
	return rc < 0 ? rc : 1;
}
