/*
 * rules.h - heap rules for CI (`heapscan check`).
 *
 * Rules file: one rule per line, '#' starts a comment, blank lines are
 * ignored; a NUL byte is an error (binary content).  SIZE is a decimal
 * number (no hexadecimal, no exponent) with an optional unit (B, KB, MB,
 * GB, TB; powers of 1024), below 16 EB; in growth limits the unit (or
 * '%') is required, since +10 could mean either.  N is a whole number
 * below 2^64, PCT of suspect from 0.1 (HS_RULE_MIN_SUSPECT_PCT) to 100.  PATTERN is a glob on
 * whole class names, '*' and '?' only (hs_glob_match()).
 *   heap <= SIZE                    reachable heap
 *   threads <= N                    live threads
 *   suspect <= PCT%                 no leak suspect above PCT% of the heap
 *   thread-held <= SIZE             what any one thread holds at its
 *                                   accumulation point
 *   thread-held entries <= N        ... counted in collection entries
 *   PATTERN [retained] <= SIZE      retained size of the matching classes
 *                                   together, each object once
 *   PATTERN count <= N              summed instance count
 *   PATTERN shallow <= SIZE         summed shallow size
 *   total +PCT% | total +SIZE       growth of the reachable heap against
 *                                   the baseline (in percent: an error
 *                                   over a baseline heap of 0 bytes)
 *   class PATTERN +PCT% | +SIZE     growth of the classes' retained size
 *                                   (together, as above; in percent,
 *                                   any growth from 0 bytes is violated)
 * A class rule may start with the word "class".  PATTERN+ (a '+' after
 * the pattern: "java.lang.Thread+") takes the matching classes and all
 * their subclasses.  A class rule whose pattern matches no class of the
 * dump (with instances or not) is an error of its own (no_class), unless
 * it starts with the word "optional": then it holds.
 */
#ifndef HEAPSCAN_RULES_H
#define HEAPSCAN_RULES_H

#include "heapscan/summary.h"

enum hs_rule_kind {
	HS_RULE_HEAP, HS_RULE_THREADS, HS_RULE_SUSPECT, HS_RULE_THREAD_HELD,
	HS_RULE_THREAD_HELD_ENTRIES, HS_RULE_CLASS, HS_RULE_GROWTH_TOTAL, HS_RULE_GROWTH_CLASS
};
enum hs_rule_metric { HS_METRIC_RETAINED, HS_METRIC_COUNT, HS_METRIC_SHALLOW };
/* The lowest limit of a suspect rule, in percent of the heap. */
#define HS_RULE_MIN_SUSPECT_PCT 0.1

typedef struct hs_rule {
	enum hs_rule_kind kind;
	enum hs_rule_metric metric;
	char *pattern;        /* class glob, or NULL */
	double limit;         /* bytes, count, or percent */
	int percent;          /* limit is a percentage */
	int optional;         /* "optional ...": may match no class */
	char *text;           /* the rule as written */
	char *origin;         /* "rules.txt:12" or "--max-heap" */
} hs_rule;

typedef struct hs_rules {
	hs_rule *r;
	uint32_t n;
} hs_rules;

typedef struct hs_rule_result {
	int ok;               /* 1 holds, 0 violated */
	int skipped;          /* needs a baseline that was not given */
	int no_class;         /* the pattern matches no class of the dump: an
			       * error (ok 0), unless the rule is optional */
	int absent;           /* ... and the rule is optional: it holds */
	int from_zero;        /* class growth in percent over 0 bytes in the
			       * baseline: violated, measured in bytes */
	double measured;
	char contributor[512];
} hs_rule_result;

/** Parse one rule; origin names it in messages. */
int hs_rules_add(hs_rules *rs, const char *line, const char *origin, hs_error *err);
/** Parse a rules file. */
int hs_rules_load(hs_rules *rs, const char *path, hs_error *err);
/** Evaluate a rule; base may be NULL (growth rules are then skipped).
 *  Fails when a snapshot cannot tell the retained size of a pattern's
 *  classes together (see hs_summary_class_set()), and for "total +PCT%"
 *  when the baseline's reachable heap is 0 bytes (no growth is a
 *  percentage of it), for PATTERN+ on a snapshot that keeps no class
 *  hierarchy, and for "suspect <= PCT%" on a summary that kept only the
 *  suspects above a higher percentage when none of those breaks the rule.
 *  "class PATTERN +PCT%" over classes that retain 0 bytes in the baseline
 *  and more now is violated, out->from_zero.  A class pattern that matches
 *  no class of @p now: out->no_class (ok 0), or out->absent (ok 1) for an
 *  optional rule. */
int hs_rules_eval(const hs_rule *r, const hs_summary *now, const hs_summary *base,
		  hs_rule_result *out, hs_error *err);
void hs_rules_release(hs_rules *rs);

/**
 * Whether class row @p c is one of @p pattern's classes: its name matches
 * the glob, or, for a pattern ending in '+' ("java.lang.Thread+"), the
 * name or that of one of its superclasses matches the glob before the '+'.
 */
int hs_rules_class_in(const char *pattern, const hs_sum_class *c);
/** Whether some class of the dump has a name that @p pattern's glob (the
 *  part before a '+') matches: a class row, or one in loaded[]. */
int hs_rules_pattern_defined(const hs_summary *s, const char *pattern);

/** Glob match on a whole class name: '*' any run of characters, '?' one;
 *  nothing else is special ('[' is a character of array names). */
int hs_glob_match(const char *pattern, const char *name);

#endif
