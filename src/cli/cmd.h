/*
 * cmd.h - the command table and what every command shares.
 *
 * Adding a command:
 *  1. write src/cli/cmd-NAME.c exporting `const struct hs_cmd hs_cmd_NAME`
 *     with its option table (which drives parsing, --help and the man
 *     page check);
 *  2. declare it below and list it in hs_cmd_table[] in cmd.c;
 *  3. add it to heapscan_SOURCES in Makefile.am;
 *  4. document it in man/heapscan.1 (OPTIONS must match --help: the test
 *     tests/cli/help-vs-man.sh checks) and in the README;
 *  5. add CLI tests under tests/cli/ and make sure `make check` passes.
 */
#ifndef HEAPSCAN_CLI_CMD_H
#define HEAPSCAN_CLI_CMD_H

#include <stdint.h>
#include <stdio.h>

#include "heapscan/dump.h"
#include "heapscan/error.h"

/* Exit statuses: the contract scripts and CI jobs rely on. */
enum { HS_EXIT_OK = 0, HS_EXIT_VIOLATION = 1, HS_EXIT_ERROR = 2 };

/* Option ids shared by all commands; command-specific ids start at
 * HS_OPT_CMD. */
enum {
	HS_OPT_HELP, HS_OPT_JSON, HS_OPT_CSV, HS_OPT_DUMP, HS_OPT_STRICT, HS_OPT_QUIET,
	HS_OPT_STATS = 8, HS_OPT_MAX_MEMORY = 9, HS_OPT_TMPDIR = 10, HS_OPT_THREADS = 11,
	HS_OPT_NO_INDEX = 12, HS_OPT_INDEX_DIR = 13, HS_OPT_TOP = 14, HS_OPT_MATCH = 15,
	HS_OPT_CMD = 16, HS_OPT_MAX = 44
};

/* What an option's argument is.  hs_cmd_parse() checks every argument
 * against its type before the command runs (so a bad value never waits
 * for an analysis) and leaves the parsed value in hs_args. */
enum hs_opt_type {
	HS_T_ANY,      /* a flag (arg NULL), or any text */
	HS_T_COUNT,    /* a whole number 0..max (max 0: UINT32_MAX) -> num[] */
	HS_T_SIZE,     /* a byte size, "512", "64K", "1.5G" -> num[] */
	HS_T_PCT,      /* a percentage 0-100, "5" or "5%" -> real[] */
	HS_T_SIZE_PCT, /* either: "10M" -> num[], "2%" -> real[] with pct[] set */
	HS_T_ENUM,     /* one of choices ("a|b|c") -> num[] is its index */
	HS_T_ID,       /* an object id in hex, "0x1a2b" or "1a2b" -> num[] */
	HS_T_REGEX,    /* an extended regular expression (compiled once to check) */
	HS_T_WHERE,    /* a --where expression (where.h), parsed once to check */
	HS_T_GROWTH    /* a growth, "+" optional: "10%" (any percentage) -> real[] with
			* pct[] set, or a size with its unit ("50MB", "10B") -> num[]; a
			* bare number is an error, since 10 could mean either */
};

typedef struct hs_opt {
	int id;
	const char *name;     /* long name, without "--" */
	const char *arg;      /* argument name for --help, NULL for a flag */
	const char *help;
	enum hs_opt_type type;
	const char *choices;  /* HS_T_ENUM: "a|b|c" */
	uint64_t max;         /* HS_T_COUNT: the largest value (0: UINT32_MAX) */
} hs_opt;

typedef struct hs_args {
	const char *val[HS_OPT_MAX];
	int set[HS_OPT_MAX];
	uint64_t num[HS_OPT_MAX];   /* typed values (see enum hs_opt_type) */
	double real[HS_OPT_MAX];
	int pct[HS_OPT_MAX];        /* HS_T_SIZE_PCT given as a percentage */
	const char *pos[16];
	int npos;
	struct hs_cli *cli;         /* the run's state (common.c), main's */
} hs_args;

/* The options every command that prints rows takes, the same way. */
#define HS_TOP_DEFAULT 20
#define HS_TOP_OPT \
	{ HS_OPT_TOP, "top", "N", "show the first N rows (default 20, 0: all)", HS_T_COUNT, NULL, 0 }
#define HS_MATCH_OPT(what) \
	{ HS_OPT_MATCH, "match", "REGEX", "only " what " whose name matches REGEX (extended, unanchored)", HS_T_REGEX, NULL, 0 }
/* --top N (HS_TOP_DEFAULT when not given); 0 means all (UINT32_MAX). */
uint32_t hs_cli_top(const hs_args *a);

struct hs_cmd {
	const char *name;
	const char *summary;
	const char *usage;         /* after "heapscan NAME " */
	const char *description;   /* paragraph for --help */
	const hs_opt *opts;        /* terminated by { 0, NULL } */
	int (*run)(const hs_args *a, hs_error *err);
};

extern const struct hs_cmd hs_cmd_info, hs_cmd_histogram, hs_cmd_dominators,
	hs_cmd_top_retained, hs_cmd_path, hs_cmd_suspects,
	hs_cmd_threads, hs_cmd_snapshot, hs_cmd_diff, hs_cmd_check, hs_cmd_index, hs_cmd_report,
	hs_cmd_inspect, hs_cmd_objects, hs_cmd_waste;

extern const struct hs_cmd *const hs_cmd_table[];

/* cmd.c */
const struct hs_cmd *hs_cmd_find(const char *name, const char **why);
int hs_cmd_parse(const struct hs_cmd *c, int argc, char **argv, hs_args *a, hs_error *err);
void hs_cmd_help(const struct hs_cmd *c, FILE *f);

/* Common options every dump-reading command includes. */
#define HS_COMMON_OPTS \
	{ HS_OPT_HELP, "help", NULL, "show this help and exit" }, \
	{ HS_OPT_DUMP, "dump", "N", "analyse heap dump N of a file holding several (default 1)" }, \
	{ HS_OPT_STRICT, "strict", NULL, "treat a truncated dump, or a snapshot of one, as an error" }, \
	{ HS_OPT_QUIET, "quiet", NULL, "no progress, notes or warnings on stderr" }, \
	{ HS_OPT_THREADS, "threads", "N", "threads to use (default: the online CPUs); 1 reads and parses on one", HS_T_COUNT, NULL, 1024 }

/* Open the dump named by the first positional argument, or, when only
 * nextra positionals are given, the one remembered for this directory
 * (saying which on stderr); prints the truncation warning, and a warning
 * when the dump cannot be remembered.  Returns 0 or an hs_code. */
int hs_cli_open(hs_dump **out, const hs_args *a, int nextra, hs_error *err);
/* For a usage that puts DUMP last ("CLASS [DUMP]"): with two positionals,
 * put the dump first as hs_cli_open() expects, unless the first is the
 * file (or -) and the second is none. */
void hs_cli_dump_last(hs_args *a);
/* The i-th positional argument after DUMP (DUMP may have been left out). */
const char *hs_cli_extra(const hs_args *a, int nextra, int i);
/* Options of the commands that build the object graph. */
enum { HS_OPT_EXCLUDE_WEAK = 6, HS_OPT_KEEP_UNREACHABLE = 7 };
#define HS_GRAPH_OPTS \
	{ HS_OPT_EXCLUDE_WEAK, "exclude-weak", NULL, \
	  "drop the referent edges of weak, soft, phantom and final references" }, \
	{ HS_OPT_STATS, "stats", NULL, \
	  "print timings and the memory of the object graph (bytes per object) on stderr" }, \
	{ HS_OPT_KEEP_UNREACHABLE, "keep-unreachable", NULL, \
	  "keep objects no GC root reaches, under the virtual root" }, \
	HS_MEMORY_OPTS, \
	HS_INDEX_OPTS
/* The index of a dump (index.h): read when it matches the dump, written
 * after the graph is built. */
#define HS_INDEX_OPTS \
	{ HS_OPT_NO_INDEX, "no-index", NULL, \
	  "neither read nor write the index of the dump (DUMP.hsidx), which makes the next command on it quick" }, \
	{ HS_OPT_INDEX_DIR, "index-dir", "DIR", \
	  "keep the index in DIR (default $HEAPSCAN_INDEX_DIR, else beside the dump, else $XDG_CACHE_HOME/heapscan)" }
/* Labels (String values, sizes of collections) of the objects with the
 * largest retained sizes that an index keeps, beside the threads'. */
#define HS_INDEX_TOP_LABELS 1000
/* Where the graph's arrays may go (commands that build the graph). */
#define HS_MEMORY_OPTS \
	{ HS_OPT_MAX_MEMORY, "max-memory", "SIZE", \
	  "memory the object graph may take (e.g. 2G); beyond it its arrays go to files in the temporary folder (default: 60% of the memory available, cgroup limit included)", HS_T_SIZE, NULL, 0 }, \
	{ HS_OPT_TMPDIR, "tmpdir", "DIR", "folder for those files and for the copy of a dump read from a pipe (default $TMPDIR, else /tmp); they are removed at once" }

#include "heapscan/graph.h"
/* With --stats: each phase's time and memory on @p f (main calls it once
 * the command has run). */
void hs_cli_stats_report(struct hs_cli *c, FILE *f);
/* The state of a run of the program (main): made once, freed at the end. */
struct hs_cli *hs_cli_new(void);
void hs_cli_delete(struct hs_cli *c);
/* hs_dump_free(), keeping for --stats what the dump read again. */
void hs_cli_free_dump(const hs_args *a, hs_dump *d);
/* Open the dump and build its graph with dominators (see hs_cli_open). */
int hs_cli_open_graph(hs_dump **d, hs_graph **g, const hs_args *a, int nextra, hs_error *err);
/* What became of the index of the graph last opened: read, written
 * (*path, *bytes), not written (*why), none (a pipe), or off. */
enum { HS_CLI_INDEX_NONE, HS_CLI_INDEX_OFF, HS_CLI_INDEX_READ, HS_CLI_INDEX_WRITTEN, HS_CLI_INDEX_FAILED,
       HS_CLI_INDEX_WRITING };
/* (waits for an index still being written for @p g) */
int hs_cli_index_state(const hs_args *a, hs_graph *g, const char **path, uint64_t *bytes, const char **why);
/* hs_graph_free(), once the index being written for it (a second
 * thread) is done, saying how that went (a note if it failed, the size
 * with --stats). */
void hs_cli_free_graph(const hs_args *a, hs_graph *g);
/* "Reachable heap: ..., unreachable: ..." line for report headers. */
void hs_cli_graph_header(FILE *f, const hs_dump *d, const hs_graph *g);

#include "heapscan/snapshot.h"   /* the summary, and its file form */
/* A summary of a dump or a snapshot file (detected by content); for a
 * dump, the graph is built, and the retained sizes of the class sets
 * matching patterns computed.  path NULL: the remembered dump. */
int hs_cli_summary(hs_summary *out, const char *path, const hs_args *a, const char *const *patterns,
		   uint32_t npatterns, hs_error *err);
/* The same, with the suspects above @p suspect_threshold percent of the
 * heap (hs_cli_summary(): HS_SUMMARY_SUSPECT_THRESHOLD). */
int hs_cli_summary_ex(hs_summary *out, const char *path, const hs_args *a, const char *const *patterns,
		      uint32_t npatterns, double suspect_threshold, hs_error *err);

/* remember.c: the dump last analysed from the current directory, and
 * remembering one.  hs_cli_remembered() returns 0 with its absolute path
 * in @p out, or -1 when there is none.  hs_cli_remember() returns 0 (also
 * when there is nothing to remember: "-", a pipe, no $XDG_STATE_HOME nor
 * $HOME), or -1 with the reason in @p why, which names the file. */
int hs_cli_remembered(char *out, size_t n);
int hs_cli_remember(const char *path, char *why, size_t n);

/* A decimal number at the start of @p s: digits with at most one '.' (no
 * sign, exponent, hexadecimal, inf or nan, which strtod() would take);
 * *end is after it.  Returns -1 when there is none. */
int hs_cli_parse_decimal(const char *s, double *out, const char **end);
/* Parse "123", "10MB", "1.5GB" (decimal); returns -1 on error. */
int hs_cli_parse_size(const char *s, uint64_t *out);
int hs_cli_parse_uint(const char *s, uint64_t *out);
/* An object id: 1 to 16 hex digits, "0x" in front or not.  0 or -1. */
int hs_cli_parse_id(const char *s, uint64_t *out);
/* Name of the dump for report headers. */
void hs_cli_header(FILE *f, const hs_dump *d);
struct hs_result;
struct hs_node;
/* The dump and its reachable and unreachable heap, as fields of @p o. */
void hs_cli_graph_result(struct hs_node *o, const hs_dump *d, const hs_graph *g);
/* Print result @p r on stdout as the options ask: --json the document,
 * --csv its table @p table, else as text (only table @p table when it is
 * not NULL, else the whole result).  Returns 0 or an hs_code. */
int hs_cli_render(const struct hs_result *r, const hs_args *a, const char *table, hs_error *err);
/* The same for a result about graph @p g of dump @p d: as text, the dump's
 * header and reachable heap lines first (hs_cli_graph_header()), and the
 * result's own dump and heap fields left out. */
int hs_cli_render_graph(const struct hs_result *r, const hs_args *a, const char *table, const hs_dump *d,
			const hs_graph *g, hs_error *err);

/* ---- the results of the commands, for the commands and the report ----
 * Each builds on an open dump and graph the result its command renders
 * (the report puts several in one page).  They return 0 with the result
 * in *out (the caller's, hs_res_free()), or an hs_code with *out NULL. */
#include <regex.h>
#include "heapscan/result.h"
#include "heapscan/suspects.h"
/* cmd-suspects.c: the findings (--json's document). */
int hs_cli_suspects_result(struct hs_result **out, hs_dump *d, hs_graph *g, const hs_suspect_opts *o, hs_error *err);
/* The sentences of finding @p f (number @p no) of a suspects result, as
 * the text output prints them: "Suspect 1: ..." and its detail lines. */
void hs_cli_suspect_text(FILE *out, const struct hs_node *root, const struct hs_node *f, uint32_t no);
/* cmd-info.c: what the dump is (info --json). */
int hs_cli_info_result(struct hs_result **out, const hs_args *a, hs_dump *d, hs_graph *g, hs_error *err);
/* cmd-top-retained.c: the first @p top rows by object, class, thread,
 * class loader or package (tables objects, classes, threads, loaders,
 * packages). */
enum hs_cli_by { HS_BY_OBJECT, HS_BY_CLASS, HS_BY_THREAD, HS_BY_LOADER, HS_BY_PACKAGE };
int hs_cli_top_retained_result(struct hs_result **out, hs_dump *d, hs_graph *g, enum hs_cli_by by, uint32_t top,
			       hs_error *err);
/* cmd-threads.c: the first @p top threads, with their stacks or not. */
int hs_cli_threads_result(struct hs_result **out, hs_dump *d, hs_graph *g, uint32_t top, int stacks, hs_error *err);
/* cmd-dominators.c: the dominator tree from the GC roots. */
typedef struct hs_cli_dom_opts {
	uint32_t top;       /* top-level rows */
	uint32_t depth;     /* levels expanded below them */
	uint32_t children;  /* rows per expanded row */
	uint64_t min;       /* rows retaining less are not shown */
	int fold;           /* the children not shown become one row: class null, "count" of them */
} hs_cli_dom_opts;
int hs_cli_dominators_result(struct hs_result **out, hs_dump *d, hs_graph *g, const hs_cli_dom_opts *o, hs_error *err);
/* cmd-diff.c: BASE against NEW (names as given), the first @p top class
 * rows matching @p re (NULL: all), and the suspects new or grown by
 * @p min_pct and @p min_bytes. */
int hs_cli_diff_result(struct hs_result **out, const char *base_name, const char *new_name, const hs_summary *base,
		       const hs_summary *now, uint32_t top, const regex_t *re, double min_pct, uint64_t min_bytes,
		       hs_error *err);

#endif
