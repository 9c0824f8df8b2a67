/*
 * result.h - the result of a command, as data: one model that every
 * renderer (text tables, JSON, CSV, and what builds on them) reads.
 *
 * A result is a tree of nodes.  The root is an object; an object holds
 * named fields in the order they were added; a field is a value (an
 * unsigned or signed integer, a real, a string, a boolean, null), an
 * object, or a list.  A list holds unnamed objects or values.  A list
 * that was given columns is a table: its elements are rows (objects) and
 * the columns say which of their fields the text and CSV renderers show,
 * in which order; a row may hold a nested table of the same columns
 * under the field "children" (a tree, such as the dominator tree).
 *
 * Every field name is one of the project's field names (hs_rfield_find(),
 * listed once in src/format/fields.c with its kind, its heading in text
 * output and its description for the manual): the same thing has the same
 * name in every command, and a byte count is rendered as a byte count
 * everywhere.  Adding a field name that is not in the list, or a value
 * of the wrong C type for its kind, makes the result fail (hs_res_error())
 * instead of printing a document nobody documented.
 *
 * Memory: nodes and strings live in one arena per result, freed at once
 * by hs_res_free().  When an allocation fails the result remembers it,
 * later calls do nothing, and hs_res_error() reports it: a command checks
 * once, before rendering, instead of after every call.
 */
#ifndef HEAPSCAN_RESULT_H
#define HEAPSCAN_RESULT_H

#include <stdint.h>
#include <stdio.h>

#include "heapscan/error.h"

/* The version of the JSON documents' shape: the "schema" field of every
 * document.  It changes when a field is renamed or removed or changes
 * meaning (new fields do not change it). */
#define HS_RESULT_SCHEMA 2

/* How a field's value is stored and shown. */
enum hs_kind {
	HS_K_TEXT,     /* a string (NULL: null); untrusted bytes are escaped */
	HS_K_COUNT,    /* a count: "1,234" in text, an integer in JSON */
	HS_K_BYTES,    /* a byte count: "1,234" in tables, "1,234 (1.2 KB)" alone */
	HS_K_DELTA,    /* a signed change: "+1,234" / "-5" / "0" */
	HS_K_PCT,      /* a percentage 0-100: "12.3%" in text, 12.3456 in JSON */
	HS_K_ID,       /* an object id: "0x1a2b" (a string in JSON) */
	HS_K_BOOL,     /* true/false: "yes"/"no" in text */
	HS_K_REAL,     /* any other real number (a ratio, a limit) */
	HS_K_INT,      /* a plain integer that is not a count (a depth, an index) */
	HS_K_OBJECT,   /* a nested object */
	HS_K_LIST      /* a list (or a table) */
};

typedef struct hs_rfield {
	const char *key;       /* the JSON name, also the CSV header */
	enum hs_kind kind;
	const char *heading;   /* column heading / label in text output */
	const char *doc;       /* one line for the manual's OUTPUT section */
} hs_rfield;

/** The field named @p key, or NULL. */
const hs_rfield *hs_rfield_find(const char *key);
/** All field names, in the order of the manual; @p n gets their number. */
const hs_rfield *hs_rfield_all(int *n);

typedef struct hs_result hs_result;
typedef struct hs_node hs_node;

/** A new result for command @p command ("histogram"): its root object
 *  already holds "schema" and "command".  NULL when out of memory. */
hs_result *hs_res_new(const char *command);
void hs_res_free(hs_result *r);
/** The root object. */
hs_node *hs_res_root(hs_result *r);
/** 0, or the hs_code of the first failure (out of memory, an unknown
 *  field, a value of the wrong kind) with its message in @p err. */
int hs_res_error(const hs_result *r, hs_error *err);

/* ---- building ----
 * In an object @p key names the field; in a list it must be NULL.  Each
 * returns the new node (NULL once the result has failed); values are
 * copied. */
hs_node *hs_res_u64(hs_node *o, const char *key, uint64_t v);   /* COUNT, BYTES, ID, INT */
hs_node *hs_res_i64(hs_node *o, const char *key, int64_t v);    /* DELTA, INT */
hs_node *hs_res_real(hs_node *o, const char *key, double v);    /* PCT, REAL */
/** A percentage of @p part in @p whole (0 when whole is 0). */
hs_node *hs_res_pct(hs_node *o, const char *key, uint64_t part, uint64_t whole);
hs_node *hs_res_str(hs_node *o, const char *key, const char *s); /* TEXT; NULL: null */
hs_node *hs_res_strf(hs_node *o, const char *key, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 3, 4)))
#endif
	;
hs_node *hs_res_bool(hs_node *o, const char *key, int v);
hs_node *hs_res_null(hs_node *o, const char *key);
hs_node *hs_res_obj(hs_node *o, const char *key);
hs_node *hs_res_list(hs_node *o, const char *key);
/** A table: a list whose rows show the fields named in @p cols (NULL-
 *  terminated, each a known field) in text and CSV.  A row's other fields
 *  still go to JSON. */
hs_node *hs_res_table(hs_node *o, const char *key, const char *const *cols);
/** A new row (an object) at the end of table @p t. */
hs_node *hs_res_row(hs_node *t);
/** The nested table of @p row's children (a tree), made on first use. */
hs_node *hs_res_children(hs_node *row);
/** The total row of table @p t, shown last in text after a rule (JSON
 *  and CSV leave it out: a document gives totals as fields of its own). */
hs_node *hs_res_total(hs_node *t);
/** Show table @p t's columns in text in the order of @p cols (static,
 *  NULL-terminated) instead of the CSV order. */
void hs_res_text_cols(hs_node *t, const char *const *cols);
/** Show table @p t in text with a first column "#" numbering the rows. */
void hs_res_numbered(hs_node *t);

/* ---- reading (renderers, tests) ---- */
const hs_node *hs_node_first(const hs_node *n);   /* first field / element */
const hs_node *hs_node_next(const hs_node *n);
const hs_node *hs_node_parent(const hs_node *n);  /* NULL for the root */
const hs_node *hs_node_get(const hs_node *o, const char *key);
const hs_rfield *hs_node_field(const hs_node *n);  /* NULL for list elements */
enum hs_kind hs_node_kind(const hs_node *n);      /* list elements: their own kind */
const char *const *hs_node_cols(const hs_node *n); /* a table's columns, else NULL */
const hs_node *hs_node_total(const hs_node *t);
const char *const *hs_node_text_cols(const hs_node *t);
int hs_node_numbered(const hs_node *t);
/** The rows of table @p t depth first: hs_table_next_row(t, row, &depth)
 *  after @p row (start with hs_node_first(t), depth 0), NULL at the end;
 *  *depth follows the tree (0 for t's own rows). */
const hs_node *hs_table_next_row(const hs_node *t, const hs_node *row, int *depth);
/** Whether a row of table @p t has children (a tree). */
int hs_table_is_tree(const hs_node *t);
uint64_t hs_node_u64(const hs_node *n);
int64_t hs_node_i64(const hs_node *n);
double hs_node_real(const hs_node *n);
const char *hs_node_str(const hs_node *n);        /* NULL for null */
int hs_node_is_null(const hs_node *n);
/** Whether @p n is an object or a list (not null). */
int hs_node_is_container(const hs_node *n);
/** Whether an integer was stored signed (hs_res_i64()). */
int hs_node_signed(const hs_node *n);

/* ---- rendering (src/format) ----
 * Each returns 0, or -1 when writing failed (ferror()). */
/** JSON: the whole tree, pretty-printed, table rows one per line. */
int hs_render_json(const hs_result *r, FILE *f);
/** CSV: the table @p key of the root (NULL: the first table), a header of
 *  the column names, one record per row; a tree's rows come depth first
 *  with a "depth" column in front. */
int hs_render_csv(const hs_result *r, const char *key, FILE *f);
/** Text: the root's values as aligned "Heading: value" lines, each table
 *  as an aligned table under its heading (a tree indented), each list of
 *  objects as numbered blocks.  Fields in @p skip (NULL-terminated, may
 *  be NULL) are left out (those a command's own lines already said). */
int hs_render_text(const hs_result *r, const char *const *skip, FILE *f);
/** One table of the root (@p key) as an aligned text table, nothing else. */
int hs_render_table(const hs_result *r, const char *key, FILE *f);
/** JUnit XML of the result of `heapscan check`: a testcase per row of
 *  its table "rules" (render-junit.c says which fields it reads). */
int hs_render_junit(const hs_result *r, FILE *f);
/** The report (`heapscan report`): one self-contained HTML page of the
 *  results below (render-html.c says how).  All but diff are required;
 *  the results stay the caller's. */
typedef struct hs_html_report {
	const hs_result *info;        /* info: the dump and its figures */
	const hs_result *suspects;    /* suspects: the findings */
	const hs_result *dominators;  /* dominators: the tree the treemap draws */
	const hs_result *classes;     /* top-retained by class: table "classes" */
	const hs_result *loaders;     /* top-retained by class loader: table "loaders" */
	const hs_result *packages;    /* top-retained by package: table "packages" */
	const hs_result *threads;     /* threads, with stacks */
	const hs_result *diff;        /* diff against the baseline, or NULL */
	/* the sentences of each finding as the text output has them (first
	 * line the headline), or with no finding one line saying so */
	const char *const *finding_texts;
	uint32_t nfindings;
	double analysis_seconds;
	const char *generator;        /* "heapscan 1.2.3", or NULL */
} hs_html_report;
int hs_render_html(const hs_html_report *rep, FILE *f);
/** @p s (NULL: nothing) as HTML text or attribute value: escaped for
 *  text first (format.h: controls and bytes that are not UTF-8 as \xNN),
 *  then & < > " ' as entities.  Returns 0, or -1 when writing failed or
 *  out of memory. */
int hs_html_text(FILE *f, const char *s);
/** The first @p n bytes of @p s, the same way line by line, the newlines
 *  kept (for <pre>). */
int hs_html_lines(FILE *f, const char *s, size_t n);
/** JSON text @p json (@p n bytes) for the inside of a <script> element:
 *  '<', '>', '&', U+2028 and U+2029 as \u escapes, which JSON.parse()
 *  reads back as they were, so that no string in it can end the element
 *  or start a comment.  Returns 0, or -1 when writing failed. */
int hs_html_script_json(FILE *f, const char *json, size_t n);
/** A value as text output shows it ("1,234", "12.3%", "0x1a"), into @p buf. */
const char *hs_node_text(const hs_node *n, char *buf, size_t size);

#endif
