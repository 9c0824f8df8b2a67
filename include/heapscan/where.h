/*
 * where.h - the filter expressions of `heapscan objects --where`: a small
 * language over the fields of one object.
 *
 *   expr    := and ( "or" and )*
 *   and     := unary ( "and" unary )*
 *   unary   := "not" unary | "(" expr ")" | compare
 *   compare := operand OP operand      OP: = == != < <= > >= ~
 *   operand := NAME | NUMBER | 'text' | "text" | null | true | false
 *
 * NAME is a field of the object (its own or a superclass's) or one of the
 * computed columns retained, shallow and size; NUMBER is decimal with an
 * optional K, M or G (times 1024, 1024^2, 1024^3); ~ matches text
 * against a glob (fnmatch: * ? [..]).  Keywords are lowercase.
 *
 * A name whose value the object does not have (no such field, a size of
 * something that is no collection) makes its comparison false, and so
 * does comparing text with a number; "not" of such a comparison is true.
 * Parsing is recursive descent over the expression's text, at most
 * HS_WHERE_MAX_DEPTH levels deep; evaluation walks the parsed tree
 * (bounded by the same depth), never the object graph.
 */
#ifndef HEAPSCAN_WHERE_H
#define HEAPSCAN_WHERE_H

#include <stdint.h>

#include "heapscan/error.h"

/* Nesting of parentheses and "not" the parser accepts: a limit on its
 * own stack, far above what a command line needs. */
#define HS_WHERE_MAX_DEPTH 64
/* Longest expression accepted, in bytes. */
#define HS_WHERE_MAX_LEN 4096

typedef struct hs_where hs_where;

enum hs_wval_kind { HS_WV_NONE, HS_WV_NULL, HS_WV_NUM, HS_WV_TEXT };

/* A value an operand takes: absent, null, a number, or text (borrowed). */
typedef struct hs_wval {
	enum hs_wval_kind kind;
	double num;
	const char *text;
} hs_wval;

/* Gives the value of field @p name of the object under test. */
typedef void (*hs_where_lookup)(void *ctx, const char *name, hs_wval *out);

/**
 * Parse an expression.  An error (HS_EUSAGE) says where: "column N: ..."
 * with N counted from 1, in bytes.
 * @param[out] out  freed with hs_where_free()
 */
int hs_where_parse(hs_where **out, const char *text, hs_error *err);
void hs_where_free(hs_where *w);
/** 1 when the object @p lookup describes matches, else 0. */
int hs_where_eval(const hs_where *w, hs_where_lookup lookup, void *ctx);
/** The distinct names the expression uses (borrowed), *n of them. */
const char *const *hs_where_names(const hs_where *w, uint32_t *n);

#endif
