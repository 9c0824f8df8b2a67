/*
 * common.c - what the commands share: opening the dump named on the
 * command line or remembered from the last run in this directory, progress
 * on a terminal, size and number parsing, the report header.
 *
 * The remembered dumps are remember.c's.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "config.h"
#include "heapscan/format.h"
#include "heapscan/index.h"
#include "heapscan/loaders.h"
#include "heapscan/outfile.h"
#include "heapscan/source.h"
#include "heapscan/result.h"
#include "cmd.h"

/*
 * Progress and phases.  The library names its phase in every progress call
 * ("reading", "building graph (1/2)", "dominators", "suspects", ...); on a
 * terminal the phase and its percentage are shown at most once a second.
 * With --stats every change of phase is also timed, with the process's
 * memory then, for hs_cli_stats_report().
 */
#define MAX_PHASES 24

struct phase {
	const char *name;     /* the library's string: static */
	double secs;
	uint64_t rss_end;     /* resident bytes when it ended */
	uint64_t peak;        /* the process's peak RSS when it ended */
};

struct progress {
	int on;               /* show on the terminal */
	int timing;           /* --stats */
	time_t last;
	const char *shown;    /* the phase on the terminal */
	const char *cur;
	double cur_start;
	struct phase ph[MAX_PHASES];
	int nph;
	double t_open;
	/* what the dumps freed so far read again */
	unsigned dumps;
	uint64_t rereads_whole, rereads_spans, reread_span_bytes;
	uint64_t max_memory, mem_peak, spill_peak, spills, mem_reused, moved, moved_bytes;
};

static double now_s(void);

static void rss_now(uint64_t *rss, uint64_t *peak)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long long size = 0, res = 0;
	struct rusage ru;
	*rss = *peak = 0;
	if (f) {
		if (fscanf(f, "%llu %llu", &size, &res) == 2)
			*rss = res * (uint64_t)sysconf(_SC_PAGESIZE);
		fclose(f);
	}
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		*peak = (uint64_t)ru.ru_maxrss * 1024;
}

/* Close the current phase (its time adds to an earlier one of that name). */
static void phase_end(struct progress *p, double t)
{
	int i;
	if (!p->cur)
		return;
	for (i = 0; i < p->nph && strcmp(p->ph[i].name, p->cur) != 0; i++)
		;
	if (i == p->nph) {
		if (p->nph == MAX_PHASES)
			i = MAX_PHASES - 1;   /* the rest add to the last row */
		else
			p->ph[p->nph++].name = p->cur;
	}
	p->ph[i].secs += t - p->cur_start;
	rss_now(&p->ph[i].rss_end, &p->ph[i].peak);
	p->cur = NULL;
}

static void phase_begin(struct progress *p, const char *name)
{
	double t = now_s();
	phase_end(p, t);
	p->cur = name;
	p->cur_start = t;
}

static void progress_cb(void *ctx, const char *phase, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	time_t now;
	int changed = p->shown != phase;   /* a new phase shows at once */
	if (p->timing && (!p->cur || strcmp(p->cur, phase) != 0))
		phase_begin(p, phase);
	if (!p->on)
		return;
	now = time(NULL);
	if (now == p->last && !changed && !(total && done == total))   /* 100% always shows */
		return;
	p->shown = phase;
	p->last = now;
	if (total)
		fprintf(stderr, "\r\033[K%s: %3.0f%%", phase, 100.0 * (double)done / (double)total);
	else if (done)
		fprintf(stderr, "\r\033[K%s: %llu MB", phase, (unsigned long long)(done >> 20));
	else
		fprintf(stderr, "\r\033[K%s", phase);
	fflush(stderr);
}

/* What a run of the program keeps between the calls of a command (main
 * makes one, hs_args points to it): the progress and timings, and what
 * became of the index of the last graph opened (info, index). */
struct hs_cli {
	struct progress progress;
	struct {
		char path[PATH_MAX];
		int state;
		uint64_t bytes, file_size;
		char why[300];
		int quiet, stats, on_tty;
		double t_start;
	} index;
};

struct hs_cli *hs_cli_new(void) { return calloc(1, sizeof(struct hs_cli)); }
void hs_cli_delete(struct hs_cli *c) { free(c); }

/* The records the scan found inconsistent and made sense of (see
 * hs_dump_open): one line each on stderr, whatever their number. */
static void warn_inconsistent(const hs_dump *d, const char *path)
{
	const hs_dump_info *info = hs_dump_get_info(d);
	char b1[48];
	if (info->duplicate_ids)
		hs_fmt_printf(stderr,
			"heapscan: warning: %s: %s reuse%s an object id (the first: 0x%llx); "
			"the first record of each id is the object\n",
			path, hs_fmt_counted(b1, sizeof(b1), info->duplicate_ids, "record", "records"),
			info->duplicate_ids == 1 ? "s" : "",
			(unsigned long long)info->duplicate_id_first);
	if (info->super_loops) {
		uint32_t ci = hs_dump_class_by_id(d, info->super_loop_class);
		const char *name = ci != HS_NONE ? hs_dump_class(d, ci)->name : NULL;
		hs_fmt_printf(stderr,
			"heapscan: warning: %s: superclass loop: the superclasses of class %s (0x%llx) "
			"lead back to it; it is taken to have none (%s)\n",
			path, name ? name : "?", (unsigned long long)info->super_loop_class,
			hs_fmt_counted(b1, sizeof(b1), info->super_loops, "loop", "loops"));
	}
}

/* Where indexes go: --index-dir, else $HEAPSCAN_INDEX_DIR, else NULL
 * (beside the dump, or the cache folder). */
static const char *index_dir(const hs_args *a)
{
	const char *e = getenv("HEAPSCAN_INDEX_DIR");
	if (a->val[HS_OPT_INDEX_DIR])
		return a->val[HS_OPT_INDEX_DIR];
	return e && *e ? e : NULL;
}

/* --tmpdir DIR must be a folder heapscan can write in. */
static int check_tmpdir(const hs_args *a, hs_error *err)
{
	const char *t = a->val[HS_OPT_TMPDIR];
	if (t && access(t, W_OK | X_OK) < 0)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--tmpdir %s: %s", t, strerror(errno));
	return 0;
}

/*
 * The dump of the command line, or the one remembered for this directory,
 * into @p path, and the options to open it with into @p o; sets up the
 * progress.  Returns 0 or an hs_code.
 */
static int dump_args(char *path, size_t npath, hs_open_opts *o, const hs_args *a, int nextra,
		     int build_ids, hs_error *err)
{
	struct hs_cli *c = a->cli;
	uint64_t n = 1;
	int rc;

	if (a->npos > nextra + 1)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "too many arguments: '%s'", a->pos[nextra + 1]);
	if (a->npos < nextra)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "missing argument");
	if (a->npos == nextra) {
		if (hs_cli_remembered(path, npath) < 0)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "no DUMP given and no dump analysed from this directory yet");
		/* say which: it may not be the one the user thinks of */
		if (!a->set[HS_OPT_QUIET])
			hs_fmt_printf(stderr, "heapscan: using %s, the last dump analysed here\n", path);
	} else {
		snprintf(path, npath, "%s", a->pos[0]);
	}
	memset(o, 0, sizeof(*o));
	if (a->val[HS_OPT_DUMP] && (hs_cli_parse_uint(a->val[HS_OPT_DUMP], &n) < 0 || n < 1 ||
				    n > 1000000))
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				    "--dump takes a number from 1 (the first heap dump), not '%s'",
				    a->val[HS_OPT_DUMP]);
	o->dump_index = (unsigned)(n - 1);
	o->strict = a->set[HS_OPT_STRICT] > 0;
	if (a->val[HS_OPT_THREADS]) {
		uint64_t t;
		if (hs_cli_parse_uint(a->val[HS_OPT_THREADS], &t) < 0 || t < 1 || t > 1024)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "--threads takes a number from 1 to 1024, not '%s'",
					    a->val[HS_OPT_THREADS]);
		o->threads = (unsigned)t;
	} else {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		o->threads = c > 0 ? (unsigned)c : 1;
	}
	o->build_ids = build_ids;
	if (build_ids) {
		if (a->val[HS_OPT_MAX_MEMORY]) {
			if (hs_cli_parse_size(a->val[HS_OPT_MAX_MEMORY], &o->max_memory) < 0 || o->max_memory == 0)
				return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
						    "--max-memory takes a size above 0 such as 512M or 4G, not '%s'",
						    a->val[HS_OPT_MAX_MEMORY]);
		} else {
			o->max_memory = hs_default_max_memory();
		}
		c->progress.max_memory = o->max_memory;
	}
	/* the graph's files, and the copy of a dump from a pipe */
	o->tmpdir = a->val[HS_OPT_TMPDIR];
	if ((rc = check_tmpdir(a, err)) < 0)
		return rc;
	if (index_dir(a) && access(index_dir(a), W_OK | X_OK) < 0)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--index-dir %s: %s", index_dir(a),
				    strerror(errno));
	c->progress.on = isatty(2) && !a->set[HS_OPT_QUIET];
	c->progress.timing = a->set[HS_OPT_STATS] > 0;
	c->progress.last = 0;
	if (c->progress.timing && !c->progress.t_open)
		c->progress.t_open = now_s();
	o->progress = progress_cb;
	o->progress_ctx = &c->progress;
	return 0;
}

/* What every opened dump says: it is remembered, and cut short, holding
 * several heap dumps or inconsistent records are told on stderr. */
static void after_open(hs_dump *d, const hs_args *a, const char *path)
{
	/* a state that cannot be written would make a later command
	 * without DUMP take an older dump: say so */
	char why[PATH_MAX + 256];
	const hs_dump_info *info = hs_dump_get_info(d);
	if (hs_cli_remember(path, why, sizeof(why)) < 0 && !a->set[HS_OPT_QUIET])
		hs_fmt_printf(stderr, "heapscan: warning: cannot remember %s as the last dump analysed here: %s\n",
			      path, why);
	if (a->set[HS_OPT_QUIET])
		return;
	if (info->truncated)
		hs_fmt_printf(stderr,
			"heapscan: warning: %s: offset %llu (0x%llx): %s; analysing the records before it\n",
			path, (unsigned long long)info->trunc_error.offset,
			(unsigned long long)info->trunc_error.offset, info->trunc_error.msg);
	if (info->heap_dumps > 1 && !a->val[HS_OPT_DUMP])
		hs_fmt_printf(stderr,
			"heapscan: note: %s holds %u heap dumps; analysing the first (use --dump N)\n",
			path, info->heap_dumps);
	warn_inconsistent(d, path);
}

/*
 * Open the dump of the command line, or the one remembered for this
 * directory.  @p src: the dump opened already (hs_cli_summary(), which
 * had to look at it), owned from here on, or NULL to open the path.
 */
static int open_dump(hs_dump **out, const hs_args *a, int nextra, int build_ids, hs_src *src,
		     hs_error *err)
{
	struct hs_cli *c = a->cli;
	char path[PATH_MAX];
	hs_open_opts o;
	int rc;

	*out = NULL;
	rc = dump_args(path, sizeof(path), &o, a, nextra, build_ids, err);
	if (rc < 0) {
		hs_src_free(src);
		return rc;
	}
	if (c->progress.timing)
		phase_begin(&c->progress, "reading");
	rc = src ? hs_dump_open_src(out, src, path, &o, err) : hs_dump_open(out, path, &o, err);
	if (c->progress.on)
		fprintf(stderr, "\r\033[K");
	if (rc < 0) {
		hs_error_name_file(err, path);
		return rc;
	}
	after_open(*out, a, path);
	return 0;
}

int hs_cli_parse_uint(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int hs_cli_parse_id(const char *s, uint64_t *out)
{
	const char *h;
	size_t n;
	if (!s)
		return -1;
	h = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? s + 2 : s;
	n = strlen(h);
	if (n == 0 || n > 16 || strspn(h, "0123456789abcdefABCDEF") != n)
		return -1;
	*out = strtoull(h, NULL, 16);
	return 0;
}

int hs_cli_parse_decimal(const char *s, double *out, const char **end)
{
	char num[64];
	const char *p = s;
	if (!s)
		return -1;
	for (; isdigit((unsigned char)*p); p++)
		;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (p == s || (p == s + 1 && *s == '.') || (size_t)(p - s) >= sizeof(num))
		return -1;
	memcpy(num, s, (size_t)(p - s));
	num[p - s] = '\0';
	*out = strtod(num, NULL);
	*end = p;
	return 0;
}

int hs_cli_parse_size(const char *s, uint64_t *out)
{
	const char *end;
	double v;
	uint64_t mul = 1;
	if (hs_cli_parse_decimal(s, &v, &end) < 0)
		return -1;
	while (*end == ' ')
		end++;
	if (!strcasecmp(end, "") || !strcasecmp(end, "b"))
		mul = 1;
	else if (!strcasecmp(end, "k") || !strcasecmp(end, "kb") || !strcasecmp(end, "kib"))
		mul = 1ull << 10;
	else if (!strcasecmp(end, "m") || !strcasecmp(end, "mb") || !strcasecmp(end, "mib"))
		mul = 1ull << 20;
	else if (!strcasecmp(end, "g") || !strcasecmp(end, "gb") || !strcasecmp(end, "gib"))
		mul = 1ull << 30;
	else if (!strcasecmp(end, "t") || !strcasecmp(end, "tb") || !strcasecmp(end, "tib"))
		mul = 1ull << 40;
	else
		return -1;
	if (v < 0 || v * (double)mul > 1.8e19)
		return -1;
	*out = (uint64_t)(v * (double)mul + 0.5);
	return 0;
}

void hs_cli_header(FILE *f, const hs_dump *d)
{
	const hs_dump_info *i = hs_dump_get_info(d);
	hs_fmt_printf(f, "Dump: %s", i->path);
	if (i->heap_dumps > 1)
		fprintf(f, " (heap dump %u of %u)", i->dump_index + 1, i->heap_dumps);
	if (i->truncated)
		fprintf(f, " [TRUNCATED at offset %llu]", (unsigned long long)i->trunc_error.offset);
	fputc('\n', f);
}

int hs_cli_render(const struct hs_result *r, const hs_args *a, const char *table, hs_error *err)
{
	int rc = hs_res_error(r, err);
	if (rc < 0)
		return rc;
	if (a->set[HS_OPT_JSON])
		hs_render_json(r, stdout);
	else if (a->set[HS_OPT_CSV])
		hs_render_csv(r, table, stdout);
	else if (table)
		hs_render_table(r, table, stdout);
	else
		hs_render_text(r, NULL, stdout);
	return 0;
}

int hs_cli_render_graph(const struct hs_result *r, const hs_args *a, const char *table, const hs_dump *d,
			const hs_graph *g, hs_error *err)
{
	/* said by the header lines */
	static const char *const skip[] = { "dump", "reachable_objects", "reachable_bytes", "unreachable_objects",
					    "unreachable_bytes", NULL };
	int rc = hs_res_error(r, err);
	if (rc < 0 || a->set[HS_OPT_JSON] || a->set[HS_OPT_CSV])
		return rc < 0 ? rc : hs_cli_render(r, a, table, err);
	hs_cli_graph_header(stdout, d, g);
	putchar('\n');
	if (table)
		hs_render_table(r, table, stdout);
	else
		hs_render_text(r, skip, stdout);
	return 0;
}

const char *hs_cli_extra(const hs_args *a, int nextra, int i)
{
	int first = a->npos > nextra ? 1 : 0;
	return first + i < a->npos ? a->pos[first + i] : NULL;
}

void hs_cli_dump_last(hs_args *a)
{
	const char *p;
	if (a->npos != 2 || strcmp(a->pos[1], "-") == 0 ||
	    (access(a->pos[1], F_OK) != 0 && (strcmp(a->pos[0], "-") == 0 || access(a->pos[0], F_OK) == 0)))
		return;
	p = a->pos[0];
	a->pos[0] = a->pos[1];
	a->pos[1] = p;
}

int hs_cli_open(hs_dump **out, const hs_args *a, int nextra, hs_error *err)
{
	return open_dump(out, a, nextra, 0, NULL, err);
}

void hs_cli_free_dump(const hs_args *a, hs_dump *d)
{
	struct hs_cli *c = a->cli;
	if (d) {
		const hs_dump_info *in = hs_dump_get_info(d);
		c->progress.dumps++;
		c->progress.rereads_whole += in->rereads_whole;
		c->progress.rereads_spans += in->rereads_spans;
		uint64_t mp, sp, ns, reused, moved, moved_bytes;
		c->progress.reread_span_bytes += in->reread_span_bytes;
		hs_dump_memory(d, &mp, &sp, &ns);
		if (mp > c->progress.mem_peak)
			c->progress.mem_peak = mp;
		if (sp > c->progress.spill_peak)
			c->progress.spill_peak = sp;
		c->progress.spills += ns;
		hs_dump_memory_moves(d, &reused, &moved, &moved_bytes);
		c->progress.mem_reused += reused;
		c->progress.moved += moved;
		c->progress.moved_bytes += moved_bytes;
	}
	hs_dump_free(d);
}

void hs_cli_stats_report(struct hs_cli *c, FILE *f)
{
	struct progress *p = &c->progress;
	double total = 0;
	int i;
	if (!p->timing)
		return;
	phase_end(p, now_s());
	for (i = 0; i < p->nph; i++) {
		fprintf(f, "stats: phase %-24s %7.2f s, RSS %6.0f MB after it, peak %6.0f MB\n", p->ph[i].name,
			p->ph[i].secs, (double)p->ph[i].rss_end / 1048576.0, (double)p->ph[i].peak / 1048576.0);
		total += p->ph[i].secs;
	}
	if (p->nph)
		fprintf(f, "stats: phases total %.2f s (wall since the dump was opened: %.2f s)\n", total,
			now_s() - p->t_open);
	if (p->dumps && p->max_memory)
		fprintf(f, "stats: graph arrays: at most %llu bytes in memory (--max-memory %llu), %llu in files (%llu arrays)\n",
			(unsigned long long)p->mem_peak, (unsigned long long)p->max_memory,
			(unsigned long long)p->spill_peak, (unsigned long long)p->spills);
	if (p->dumps && p->mem_reused)
		fprintf(f, "stats: graph arrays: %llu bytes given out again from freed ones (their pages made already)\n",
			(unsigned long long)p->mem_reused);
	if (p->dumps && p->moved)
		fprintf(f, "stats: graph arrays: %llu moved to files (%llu bytes), their memory left to arrays read at random\n",
			(unsigned long long)p->moved, (unsigned long long)p->moved_bytes);
	if (p->dumps)
		fprintf(f, "stats: read again: %llu whole passes, %llu reads of spans, %llu bytes in spans\n",
			(unsigned long long)p->rereads_whole, (unsigned long long)p->rereads_spans,
			(unsigned long long)p->reread_span_bytes);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void graph_opts(hs_graph_opts *go, const hs_args *a)
{
	memset(go, 0, sizeof(*go));
	go->exclude_weak = a->set[HS_OPT_EXCLUDE_WEAK] > 0;
	go->keep_unreachable = a->set[HS_OPT_KEEP_UNREACHABLE] > 0;
}

static void graph_stats(const hs_dump *d, const hs_graph *g, double t_scan, double t_graph)
{
	const hs_graph_stats *st = hs_graph_get_stats(g);
	double n = st->nodes > 1 ? (double)(st->nodes - 1) : 1;
	unsigned scan_threads = hs_dump_get_info(d)->scan_threads;   /* 0: from an index */
	fprintf(stderr, "stats: %u objects, %llu references, %llu bytes of HPROF\n"
		"stats: time: scan %.2f s (%u thread%s), graph and dominators %.2f s (the graph's passes read by %u thread%s)\n"
		"stats: object graph: %llu bytes now (%.1f bytes/object), peak %llu (%.1f bytes/object), "
		"id map %llu (%.2f bytes/object)\n",
		st->nodes - 1, (unsigned long long)st->edges,
		(unsigned long long)hs_dump_get_info(d)->bytes, t_scan, scan_threads,
		scan_threads == 1 ? "" : "s", t_graph,
		st->readers ? st->readers : 1u, st->readers > 1 ? "s" : "",
		(unsigned long long)st->memory_bytes, (double)st->memory_bytes / n,
		(unsigned long long)st->peak_bytes, (double)st->peak_bytes / n,
		(unsigned long long)st->idmap_bytes, (double)st->idmap_bytes / n);
}

/*
 * The dump and its graph from the dump's index when one matches it (see
 * index.h): 1 loaded, 0 not (then *ipath is where to write one, or empty
 * for none), or an hs_code.
 */
static int from_index(hs_dump **d, hs_graph **g, const hs_args *a, const char *path,
		      const hs_open_opts *o, const hs_graph_opts *go, char *ipath, size_t n,
		      hs_error *err)
{
	struct hs_cli *c = a->cli;
	int why, rc;
	double t0 = now_s();
	ipath[0] = '\0';   /* c->index: reset by open_graph() */
	if (a->set[HS_OPT_NO_INDEX] || hs_index_path(ipath, n, path, index_dir(a), o, go, 0) < 0) {
		ipath[0] = '\0';
		return 0;
	}
	if (c->progress.timing)
		phase_begin(&c->progress, "reading the index");
	rc = hs_index_load(d, g, ipath, path, o, go, &why, err);
	if (c->progress.on)
		fprintf(stderr, "\r\033[K");
	if (rc < 0) {
		hs_error_name_file(err, path);
		return rc;
	}
	if (rc == 1) {
		struct stat st;
		snprintf(c->index.path, sizeof(c->index.path), "%s", ipath);
		c->index.state = HS_CLI_INDEX_READ;
		c->index.quiet = a->set[HS_OPT_QUIET] > 0;
		c->index.stats = a->set[HS_OPT_STATS] > 0;
		c->index.bytes = stat(ipath, &st) == 0 ? (uint64_t)st.st_size : 0;
		if (a->set[HS_OPT_STATS]) {
			graph_stats(*d, *g, 0, 0);
			fprintf(stderr, "stats: index: read %s (%llu bytes) in %.2f s\n", ipath,
				(unsigned long long)c->index.bytes, now_s() - t0);
		}
		return 1;
	}
	if ((why == HS_INDEX_STALE || why == HS_INDEX_CORRUPT) && !a->set[HS_OPT_QUIET])
		hs_fmt_printf(stderr, "heapscan: note: not using the index %s: %s; making it again\n", ipath,
			      hs_index_miss_text(why));
	/* where a new one goes: beside the dump, or the cache folder */
	if (hs_index_path(ipath, n, path, index_dir(a), o, go, 1) < 0)
		ipath[0] = '\0';
	return 0;
}

/* The index could not be written: a note (the command goes on), and what
 * info and index report. */
static void index_failed(struct hs_cli *c, const hs_error *e)
{
	c->index.state = HS_CLI_INDEX_FAILED;
	snprintf(c->index.why, sizeof(c->index.why), "%s", e->msg);
	if (!c->index.quiet)
		hs_fmt_printf(stderr, "heapscan: note: cannot write the index %s: %s\n", c->index.path, e->msg);
}

/* Start writing the index of a graph just built: on a second thread while
 * the command goes on (hs_cli_free_graph() waits for it and tells how it
 * went); a failure is a note, not an error: the command goes on without. */
static void write_index(hs_dump *d, hs_graph *g, const hs_args *a, const char *ipath)
{
	struct hs_cli *c = a->cli;
	hs_error e;
	const char *outer = hs_dump_phase(d);
	hs_error_clear(&e);
	hs_dump_progress(d, "writing the index", 0, 0);
	snprintf(c->index.path, sizeof(c->index.path), "%s", ipath);
	c->index.quiet = a->set[HS_OPT_QUIET] > 0;
	c->index.stats = a->set[HS_OPT_STATS] > 0;
	c->index.t_start = now_s();
	c->index.file_size = hs_dump_get_info(d)->file_size;
	/* the loaders' names go into it too, where reading them costs a few
	 * spans of the file; a compressed dump would be inflated once for
	 * each field read: there it keeps those the command names */
	if ((hs_dump_get_info(d)->compression == HS_COMP_NONE && hs_loader_names_all(g, NULL, 0, &e) < 0) ||
	    hs_index_write_start(d, g, ipath, HS_INDEX_TOP_LABELS, &e) < 0) {
		index_failed(c, &e);
	} else {
		c->index.state = HS_CLI_INDEX_WRITING;
	}
	if (c->index.on_tty)
		fprintf(stderr, "\r\033[K");
	if (outer)
		hs_dump_progress(d, outer, 0, 0);
}

/* The index being written: wait for it, and say how it went. */
static void index_done(struct hs_cli *c, hs_graph *g)
{
	hs_error e;
	uint64_t bytes = 0;
	int rc;
	if (c->index.state == HS_CLI_INDEX_READ) {
		/* what this command added to what the index keeps goes in */
		double t0 = now_s();
		hs_error_clear(&e);
		rc = hs_index_update(g, &bytes, &e);
		if (rc > 0 && c->index.stats)
			fprintf(stderr, "stats: index: added what this command learned to %s (%llu bytes now) in %.2f s\n",
				c->index.path, (unsigned long long)bytes, now_s() - t0);
		else if (rc < 0 && !c->index.quiet)
			hs_fmt_printf(stderr, "heapscan: note: cannot update the index %s: %s\n", c->index.path, e.msg);
		return;
	}
	if (c->index.state != HS_CLI_INDEX_WRITING)
		return;
	hs_error_clear(&e);
	rc = hs_index_write_wait(g, &bytes, &e);
	if (rc == 1)
		return;   /* not this graph's */
	if (rc < 0) {
		index_failed(c, &e);
		return;
	}
	c->index.state = HS_CLI_INDEX_WRITTEN;
	c->index.bytes = bytes;
	if (c->index.stats)
		fprintf(stderr, "stats: index: wrote %s (%llu bytes, %.1f%% of the dump), done %.2f s after the graph%s\n",
			c->index.path, (unsigned long long)bytes,
			c->index.file_size ? 100.0 * (double)bytes / (double)c->index.file_size : 0.0,
			now_s() - c->index.t_start,
			hs_graph_get_stats(g)->index_early ? " (begun while the dominators were computed)" : "");
}

void hs_cli_free_graph(const hs_args *a, hs_graph *g)
{
	if (!g)
		return;
	index_done(a->cli, g);
	hs_graph_free(g);
}

int hs_cli_index_state(const hs_args *a, hs_graph *g, const char **path, uint64_t *bytes, const char **why)
{
	struct hs_cli *c = a->cli;
	index_done(c, g);
	*path = c->index.path;
	*bytes = c->index.bytes;
	*why = c->index.why;
	return c->index.state;
}

static int open_graph(hs_dump **d, hs_graph **g, const hs_args *a, int nextra, hs_src *src, hs_error *err)
{
	struct hs_cli *c = a->cli;
	char path[PATH_MAX], ipath[PATH_MAX] = "";
	hs_graph_opts go;
	hs_open_opts o;
	int rc;
	double t0 = now_s(), t1;

	*g = NULL;
	*d = NULL;
	graph_opts(&go, a);
	c->index.state = a->set[HS_OPT_NO_INDEX] ? HS_CLI_INDEX_OFF : HS_CLI_INDEX_NONE;
	c->index.path[0] = '\0';
	if (!src) {
		rc = dump_args(path, sizeof(path), &o, a, nextra, 1, err);
		if (rc < 0)
			return rc;
		rc = from_index(d, g, a, path, &o, &go, ipath, sizeof(ipath), err);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			after_open(*d, a, path);
			c->progress.on = 0;
			if (a->set[HS_OPT_STATS])
				hs_dump_progress(*d, "analysis", 0, 0);
			return 0;
		}
	}
	rc = open_dump(d, a, nextra, 1, src, err);
	if (rc < 0)
		return rc;
	t1 = now_s();
	if (ipath[0])
		go.index_path = ipath;   /* begun while the dominators are computed */
	rc = hs_graph_build(g, *d, &go, err);
	if (c->progress.on)
		fprintf(stderr, "\r\033[K");
	if (rc < 0) {
		hs_error_name_file(err, hs_dump_path(*d));
		hs_cli_free_dump(a, *d);
		*d = NULL;
		return rc;
	}
	if (a->set[HS_OPT_STATS])
		graph_stats(*d, *g, t1 - t0, now_s() - t1);
	c->index.on_tty = c->progress.on;
	if (ipath[0])
		write_index(*d, *g, a, ipath);
	c->progress.on = 0;   /* the reports' own passes are short: no line to clear after them */
	if (a->set[HS_OPT_STATS])
		hs_dump_progress(*d, "analysis", 0, 0);   /* until a phase is named */
	return 0;
}

void hs_cli_graph_header(FILE *f, const hs_dump *d, const hs_graph *g)
{
	const hs_graph_stats *s = hs_graph_get_stats(g);
	char b1[48], b2[32], b3[48], b4[48], b5[48];
	hs_cli_header(f, d);
	if (s->unreachable_kept) {
		fprintf(f, "Heap analysed: %s, %s (%s), of which unreachable from the GC roots "
			   "(kept under the virtual root): %s, %s\n",
			hs_fmt_counted(b1, sizeof(b1), s->reachable, "object", "objects"),
			hs_fmt_bytes(b2, sizeof(b2), s->reachable_bytes),
			hs_fmt_counted(b3, sizeof(b3), s->reachable_bytes, "byte", "bytes"),
			hs_fmt_counted(b4, sizeof(b4), s->unreachable, "object", "objects"),
			hs_fmt_counted(b5, sizeof(b5), s->unreachable_bytes, "byte", "bytes"));
		return;
	}
	fprintf(f, "Reachable heap: %s, %s (%s); unreachable%s: %s, %s\n",
		hs_fmt_counted(b1, sizeof(b1), s->reachable, "object", "objects"),
		hs_fmt_bytes(b2, sizeof(b2), s->reachable_bytes),
		hs_fmt_counted(b3, sizeof(b3), s->reachable_bytes, "byte", "bytes"),
		s->unreachable ? " (left out)" : "",
		hs_fmt_counted(b4, sizeof(b4), s->unreachable, "object", "objects"),
		hs_fmt_counted(b5, sizeof(b5), s->unreachable_bytes, "byte", "bytes"));
}

void hs_cli_graph_result(struct hs_node *o, const hs_dump *d, const hs_graph *g)
{
	const hs_graph_stats *s = hs_graph_get_stats(g);
	hs_res_str(o, "dump", hs_dump_path(d));
	hs_res_u64(o, "reachable_objects", s->reachable);
	hs_res_u64(o, "reachable_bytes", s->reachable_bytes);
	hs_res_u64(o, "unreachable_objects", s->unreachable);
	hs_res_u64(o, "unreachable_bytes", s->unreachable_bytes);
}

int hs_cli_open_graph(hs_dump **d, hs_graph **g, const hs_args *a, int nextra, hs_error *err)
{
	return open_graph(d, g, a, nextra, NULL, err);
}

/* A snapshot made from a dump cut short: its figures are of part of the
 * heap, which a baseline must not hide. */
static int snapshot_truncated(hs_summary *s, const char *path, const hs_args *a, hs_error *err)
{
	if (a->set[HS_OPT_STRICT]) {
		hs_error_set(err, HS_ETRUNC, HS_NO_OFFSET,
			     "a snapshot of a dump cut short at offset %llu (%s)",
			     (unsigned long long)s->truncated_at, s->truncated_what);
		hs_error_name_file(err, path);
		hs_summary_release(s);
		return HS_ETRUNC;
	}
	if (!a->set[HS_OPT_QUIET])
		hs_fmt_printf(stderr, "heapscan: warning: %s: a snapshot of a dump cut short at offset %llu (%s); "
			      "its figures are of the records before it\n",
			      path, (unsigned long long)s->truncated_at, s->truncated_what);
	return 0;
}

int hs_cli_summary(hs_summary *out, const char *path, const hs_args *a, const char *const *patterns,
		   uint32_t npatterns, hs_error *err)
{
	return hs_cli_summary_ex(out, path, a, patterns, npatterns, HS_SUMMARY_SUSPECT_THRESHOLD, err);
}

int hs_cli_summary_ex(hs_summary *out, const char *path, const hs_args *a, const char *const *patterns,
		      uint32_t npatterns, double suspect_threshold, hs_error *err)
{
	hs_args b = *a;
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_src *src = NULL;
	int rc;
	if (path) {
		/* one open for the look and the reading: a pipe is read once,
		 * so it is copied here (to --tmpdir) and that copy read */
		if ((rc = check_tmpdir(a, err)) < 0)
			return rc;
		rc = hs_src_open_in(&src, path, HS_SRC_REWIND, a->val[HS_OPT_TMPDIR], err);
		if (rc == 0)
			rc = hs_summary_is_snapshot_src(src, err);
		if (rc < 0) {
			hs_src_free(src);
			err->offset = HS_NO_OFFSET;   /* a snapshot is text: no offsets */
			hs_error_name_file(err, path);
			return rc;
		}
		if (rc == 1) {
			rc = hs_summary_read_src(out, src, path, err);
			hs_src_free(src);
			if (rc < 0) {
				err->offset = HS_NO_OFFSET;
				hs_error_name_file(err, path);
			} else if (out->truncated) {
				/* as for the dump itself: a warning, an error with --strict */
				rc = snapshot_truncated(out, path, a, err);
			}
			return rc;
		}
		b.npos = 1;
		b.pos[0] = path;
		{
			/* a file is opened again by its name, which finds its index */
			struct stat st;
			if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				hs_src_free(src);
				src = NULL;
			}
		}
	} else {
		b.npos = 0;
	}
	rc = open_graph(&d, &g, &b, 0, src, err);
	if (rc < 0)
		return rc;
	rc = hs_summary_build_ex(out, d, g, PACKAGE_VERSION, patterns, npatterns, suspect_threshold, err);
	/* its index: written, or what the summary learned added to it (the
	 * class and loader sums, the paths' trees), as every command's */
	hs_cli_free_graph(&b, g);
	hs_cli_free_dump(a, d);
	return rc;
}
