/*
 * rules.c - parsing and evaluating heap rules (grammar in rules.h), and
 * the class name patterns they use (hs_glob_match(), PATTERN+).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "heapscan/diff.h"
#include "heapscan/format.h"   /* hs_fmt_bytes, hs_fmt_counted: violation messages */
#include "heapscan/retained.h"
#include "heapscan/rules.h"
#include "heapscan/suspects.h"

/* ---- class name patterns ------------------------------------------ */

int hs_glob_match(const char *p, const char *s)
{
	/* iterative, with one backtrack point: the last '*'; a pattern
	 * without "(loader" matches the name without its loader suffix */
	const char *star = NULL, *resume = NULL;
	const char *end = s + (strstr(p, "(loader") ? strlen(s) : hs_class_name_bare_len(s));
	while (s < end) {
		if (*p == '*') {
			star = ++p;
			resume = s;
		} else if (*p == '?' || (*p && *p == *s)) {
			p++;
			s++;
		} else if (star) {
			p = star;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* @p pattern without a trailing '+' into @p buf; 1 when it had one, -1
 * when it is too long to be a pattern (hs_rules_add() keeps lines short). */
static int base_glob(const char *pattern, char *buf, size_t n)
{
	size_t l = strlen(pattern);
	int plus = l > 0 && pattern[l - 1] == '+';
	if (l >= n)
		return -1;
	memcpy(buf, pattern, l - (size_t)plus);
	buf[l - (size_t)plus] = '\0';
	return plus;
}

int hs_rules_class_in(const char *pattern, const hs_sum_class *c)
{
	char g[1100];
	uint32_t k;
	int plus = base_glob(pattern, g, sizeof(g));
	if (plus <= 0)
		return plus == 0 && hs_glob_match(pattern, c->name);
	/* every class is a java.lang.Object */
	if (hs_glob_match(g, c->name) || hs_glob_match(g, "java.lang.Object"))
		return 1;
	for (k = 0; k < c->nsupers; k++)
		if (hs_glob_match(g, c->supers[k]))
			return 1;
	return 0;
}

int hs_rules_pattern_defined(const hs_summary *s, const char *pattern)
{
	char g[1100];
	uint32_t i;
	if (base_glob(pattern, g, sizeof(g)) < 0)
		return 0;
	for (i = 0; i < s->nclasses; i++)
		if (hs_glob_match(g, s->classes[i].name))
			return 1;
	for (i = 0; i < s->nloaded; i++)
		if (hs_glob_match(g, s->loaded[i]))
			return 1;
	return 0;
}

/* Why a number is refused (parse_size(), parse_uint()). */
enum { NUM_BAD = -1, NUM_NEED_UNIT = -2, NUM_HEX = -3, NUM_BIG = -4 };
/* Sizes must be below 2^64 bytes (16 EB), what 64 bits count. */
#define TOO_MANY_BYTES 18446744073709551616.0

/* The decimal number at @p s: digits with at most one '.' (no sign,
 * exponent, hexadecimal, inf or nan, all of which strtod() reads). */
static int decimal(const char *s, double *out, const char **end)
{
	char buf[1024];
	const char *p = s;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (p == s || (p == s + 1 && *s == '.') || (size_t)(p - s) >= sizeof(buf))
		return NUM_BAD;
	memcpy(buf, s, (size_t)(p - s));
	buf[p - s] = '\0';
	*out = strtod(buf, NULL);
	*end = p;
	return 0;
}

/* A number with an optional unit or '%'.  need_unit: a bare number is an
 * error (NUM_NEED_UNIT), as in growth limits, where 10 could mean 10% or
 * 10 bytes.  A size of 2^64 bytes or more is NUM_BIG, "0x..." NUM_HEX. */
static int parse_size(const char *s, double *out, int *pct, int need_unit)
{
	const char *end;
	double v;
	*pct = 0;
	while (*s == ' ' || *s == '+')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return NUM_HEX;
	if (decimal(s, &v, &end) < 0)
		return NUM_BAD;
	while (*end == ' ')
		end++;
	if (!*end && need_unit)
		return NUM_NEED_UNIT;
	if (*end == '%') {
		*pct = 1;
		end++;
	} else if (!*end || !strcasecmp(end, "b")) {
	} else if (!strcasecmp(end, "k") || !strcasecmp(end, "kb") || !strcasecmp(end, "kib")) {
		v *= 1024.0;
	} else if (!strcasecmp(end, "m") || !strcasecmp(end, "mb") || !strcasecmp(end, "mib")) {
		v *= 1048576.0;
	} else if (!strcasecmp(end, "g") || !strcasecmp(end, "gb") || !strcasecmp(end, "gib")) {
		v *= 1073741824.0;
	} else if (!strcasecmp(end, "t") || !strcasecmp(end, "tb") || !strcasecmp(end, "tib")) {
		v *= 1099511627776.0;
	} else {
		return NUM_BAD;
	}
	if (*pct && *end)
		return NUM_BAD;
	if (!isfinite(v) || (!*pct && v >= TOO_MANY_BYTES))
		return NUM_BIG;
	*out = v;
	return 0;
}

static int parse_uint(const char *s, double *out)
{
	char *end;
	unsigned long long v;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return NUM_HEX;
	if (!isdigit((unsigned char)*s))
		return NUM_BAD;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return NUM_BAD;
	if (errno == ERANGE)
		return NUM_BIG;
	*out = (double)v;
	return 0;
}

/* What a rule's value must be, when parse_size() or parse_uint() said
 * @p rc: @p plain, or why a hexadecimal or too big number is refused. */
static const char *why_num(char *buf, size_t n, int rc, const char *what, int count, const char *plain)
{
	if (rc == NUM_HEX)
		snprintf(buf, n, "%s takes a decimal number, not hexadecimal", what);
	else if (rc == NUM_BIG && count)
		snprintf(buf, n, "%s takes a whole number up to 18446744073709551615", what);
	else if (rc == NUM_BIG)
		snprintf(buf, n, "%s takes a size up to 16 EB (18446744073709551615 bytes)", what);
	else
		snprintf(buf, n, "%s", plain);
	return buf;
}

static int words(char *s, char **w, int max)
{
	int n = 0;
	while (*s && n < max) {
		char *o, *next;
		int joined = 0;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		w[n++] = o = s;
		for (;;) {
			char *t, *close;
			while (*s && !isspace((unsigned char)*s))
				*o++ = *s++;
			/* "NAME (loader LOADER)": one word, as class rows name
			 * classes that several loaders define (with one space
			 * before the parenthesis, however many were written) */
			for (t = s; isspace((unsigned char)*t); t++)
				;
			if (joined || !*s || strncmp(t, "(loader ", 8) != 0 || (close = strchr(t, ')')) == NULL)
				break;
			*o++ = ' ';
			memmove(o, t, (size_t)(close + 1 - t));
			o += close + 1 - t;
			s = close + 1;
			joined = 1;
		}
		next = *s ? s + 1 : s;
		*o = '\0';
		s = next;
	}
	return n;
}

int hs_rules_add(hs_rules *rs, const char *line, const char *origin, hs_error *err)
{
	char buf[1024], *w[8], *hash, why[160];
	int n, pct = 0, rc = 0;
	hs_rule r;
	hs_rule *nr;

	memset(&r, 0, sizeof(r));
	snprintf(buf, sizeof(buf), "%s", line);
	hash = strchr(buf, '#');
	if (hash)
		*hash = '\0';
	{
		char tmp[1024];
		snprintf(tmp, sizeof(tmp), "%s", buf);
		n = words(tmp, w, 8);
		if (n == 0)
			return 0;
		/* keep the normalised text */
		{
			char text[1024] = "";
			int i;
			for (i = 0; i < n; i++) {
				strncat(text, w[i], sizeof(text) - strlen(text) - 2);
				if (i + 1 < n)
					strcat(text, " ");
			}
			r.text = strdup(text);
		}
	}
	n = words(buf, w, 8);
	if (n >= 2 && !strcmp(w[0], "optional")) {
		r.optional = 1;
		memmove(w, w + 1, sizeof(char *) * (size_t)--n);
	}
#define BAD(why) do { hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "%s: %s: '%s' (see RULES in heapscan(1))", \
		origin, (why), r.text); free(r.text); free(r.pattern); return err->code; } while (0)
#define GROWTH(what) do { int rc_ = parse_size(w[n - 1], &r.limit, &r.percent, 1); \
		if (rc_ == NUM_NEED_UNIT) BAD(what " takes +PCT% or +SIZE with a unit: write +10% or +10MB (+10B for bytes)"); \
		if (rc_ < 0) BAD(why_num(why, sizeof(why), rc_, what, 0, what " takes +PCT% or +SIZE")); } while (0)
	if (!strcmp(w[0], "heap") && n == 3 && !strcmp(w[1], "<=")) {
		r.kind = HS_RULE_HEAP;
		if ((rc = parse_size(w[2], &r.limit, &pct, 0)) < 0 || pct)
			BAD(why_num(why, sizeof(why), rc, "heap", 0, "heap takes a size"));
	} else if (!strcmp(w[0], "threads") && n == 3 && !strcmp(w[1], "<=")) {
		r.kind = HS_RULE_THREADS;
		if ((rc = parse_uint(w[2], &r.limit)) < 0)
			BAD(why_num(why, sizeof(why), rc, "threads", 1, "threads takes a whole number"));
	} else if (!strcmp(w[0], "suspect") && n == 3 && !strcmp(w[1], "<=")) {
		r.kind = HS_RULE_SUSPECT;
		if ((rc = parse_size(w[2], &r.limit, &pct, 1)) < 0 || !pct)
			BAD(why_num(why, sizeof(why), rc == NUM_BIG ? NUM_BAD : rc, "suspect", 0,
				    "suspect takes a percentage, e.g. 20%"));
		/* below 0.1%, each object above the limit would be a suspect
		 * of its own: up to thousands to describe */
		if (r.limit > 100 || r.limit < HS_RULE_MIN_SUSPECT_PCT)
			BAD("suspect takes a percentage from 0.1% to 100%");
		r.percent = 1;
	} else if (!strcmp(w[0], "thread-held") && n == 3 && !strcmp(w[1], "<=")) {
		r.kind = HS_RULE_THREAD_HELD;
		if ((rc = parse_size(w[2], &r.limit, &pct, 0)) < 0 || pct)
			BAD(why_num(why, sizeof(why), rc, "thread-held", 0, "thread-held takes a size"));
	} else if (!strcmp(w[0], "thread-held") && n == 4 && !strcmp(w[1], "entries") && !strcmp(w[2], "<=")) {
		r.kind = HS_RULE_THREAD_HELD_ENTRIES;
		if ((rc = parse_uint(w[3], &r.limit)) < 0)
			BAD(why_num(why, sizeof(why), rc, "thread-held entries", 1,
				    "thread-held entries takes a whole number"));
	} else if (!strcmp(w[0], "total") && n == 2 && w[1][0] == '+') {
		r.kind = HS_RULE_GROWTH_TOTAL;
		GROWTH("total");
	} else if (!strcmp(w[0], "class") && n == 3 && w[2][0] == '+') {
		r.kind = HS_RULE_GROWTH_CLASS;
		r.pattern = strdup(w[1]);
		GROWTH("class growth");
	} else {
		int i = 0;
		if (!strcmp(w[0], "class"))
			i = 1;
		if (n - i == 3 && !strcmp(w[i + 1], "<=")) {
			r.metric = HS_METRIC_RETAINED;
		} else if (n - i == 4 && !strcmp(w[i + 2], "<=")) {
			if (!strcmp(w[i + 1], "count"))
				r.metric = HS_METRIC_COUNT;
			else if (!strcmp(w[i + 1], "shallow"))
				r.metric = HS_METRIC_SHALLOW;
			else if (!strcmp(w[i + 1], "retained"))
				r.metric = HS_METRIC_RETAINED;
			else
				BAD("unknown measure (count, shallow or retained)");
		} else if (n >= 2 && w[1][0] == '+') {
			BAD("growth rules are 'total +LIMIT' and 'class PATTERN +LIMIT'");
		} else {
			BAD("unknown rule");
		}
		r.kind = HS_RULE_CLASS;
		r.pattern = strdup(w[i]);
		if (r.metric == HS_METRIC_COUNT) {
			if ((rc = parse_uint(w[n - 1], &r.limit)) < 0)
				BAD(why_num(why, sizeof(why), rc, "count", 1, "count takes a whole number"));
		} else if ((rc = parse_size(w[n - 1], &r.limit, &pct, 0)) < 0 || pct) {
			BAD(why_num(why, sizeof(why), rc, "a class rule", 0, "a class rule takes a size"));
		}
	}
	if (r.optional && r.kind != HS_RULE_CLASS && r.kind != HS_RULE_GROWTH_CLASS)
		BAD("only a class rule can be optional (it may match no class)");
	if (r.pattern && !*r.pattern)
		BAD("a class pattern cannot be empty");
	if (r.pattern && !strcmp(r.pattern, "+"))
		BAD("'+' follows a class pattern: java.lang.Thread+ (the class and its subclasses)");
#undef GROWTH
#undef BAD
	r.origin = strdup(origin);
	nr = realloc(rs->r, sizeof(*nr) * (rs->n + 1));
	if (!nr || !r.origin || !r.text) {
		free(r.text);
		free(r.pattern);
		free(r.origin);
		return hs_error_oom(err, NULL);
	}
	rs->r = nr;
	rs->r[rs->n++] = r;
	return 0;
}

/* The longest line of a rules file, in bytes without its newline. */
#define MAX_LINE 1022

int hs_rules_load(hs_rules *rs, const char *path, hs_error *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, origin[600];
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, rc = 0;
	if (!f)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: cannot open the rules file", path);
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		snprintf(origin, sizeof(origin), "%s:%d", path, lineno);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		/* a NUL would cut the line short unseen: the file is not text */
		if (memchr(line, '\0', (size_t)len)) {
			rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					  "%s: binary content (a NUL byte), not a line of rules: is %s a rules file?",
					  origin, path);
			break;
		}
		if (len > MAX_LINE) {
			rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "%s: line longer than %d bytes", origin,
					  MAX_LINE);
			break;
		}
		rc = hs_rules_add(rs, line, origin, err);
		if (rc < 0)
			break;
	}
	if (rc == 0 && ferror(f))
		rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: cannot read the rules file", path);
	free(line);
	fclose(f);
	return rc;
}

/* The classes of a pattern in a summary, or an error saying why a
 * snapshot cannot give their retained size. */
static int class_set(const hs_rule *r, const hs_summary *s, hs_sum_set *out, hs_error *err)
{
	char t[48];
	if (hs_summary_class_set(s, r->pattern, out) == 0)
		return 0;
	if (s->version < 2)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				    "%s: '%s': %s is a version 1 snapshot, which keeps retained sizes per class "
				    "only, and '%s' matches %s: make the snapshot again", r->origin, r->text,
				    s->source, r->pattern, hs_fmt_counted(t, sizeof(t), out->classes, "class", "classes"));
	return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
			    "%s: '%s': %s is a snapshot, which keeps retained sizes per class and per name "
			    "prefix (a.b.*, a.b.C*) only, and '%s' matches %s%s", r->origin, r->text,
			    s->source, r->pattern, hs_fmt_counted(t, sizeof(t), out->classes, "class", "classes"),
			    r->pattern[strlen(r->pattern) - 1] == '+' ? " (with its subclasses): check the dump" : "");
}

static void biggest_class(const hs_summary *s, const char *pattern, enum hs_rule_metric m, char *buf,
			  size_t n)
{
	uint32_t i;
	double best = -1;
	char t[48];
	for (i = 0; i < s->nclasses; i++) {
		const hs_sum_class *c = &s->classes[i];
		double v = m == HS_METRIC_COUNT ? (double)c->instances
			   : m == HS_METRIC_SHALLOW ? (double)c->shallow : (double)c->retained;
		if (!hs_rules_class_in(pattern, c) || v <= best)
			continue;
		best = v;
		if (m == HS_METRIC_COUNT)
			snprintf(buf, n, "%s (%s)", c->name, hs_fmt_counted(t, sizeof(t), c->instances, "instance", "instances"));
		else
			snprintf(buf, n, "%s (%s %s)", c->name,
				 hs_fmt_bytes(t, sizeof(t), m == HS_METRIC_SHALLOW ? c->shallow : c->retained),
				 m == HS_METRIC_SHALLOW ? "shallow" : "retained");
	}
}

/* A pattern with subclasses ("java.lang.Thread+") needs the summary to
 * know the class hierarchy. */
static int need_supers(const hs_rule *r, const hs_summary *s, hs_error *err)
{
	size_t l = strlen(r->pattern);
	if (!l || r->pattern[l - 1] != '+' || s->knows_supers)
		return 0;
	return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
			    "%s: '%s': %s is a snapshot without the class hierarchy that '%s' needs "
			    "(made by an earlier heapscan): make the snapshot again", r->origin, r->text,
			    s->source ? s->source : "", r->pattern);
}

int hs_rules_eval(const hs_rule *r, const hs_summary *now, const hs_summary *base, hs_rule_result *o,
		  hs_error *err)
{
	uint32_t i;
	char t1[48], t2[48], t3[48], t4[48];
	memset(o, 0, sizeof(*o));
	if (r->kind == HS_RULE_CLASS || r->kind == HS_RULE_GROWTH_CLASS) {
		if (need_supers(r, now, err) < 0 || (base && need_supers(r, base, err) < 0))
			return err->code;
		/* a pattern that names no class (a typo, a renamed package)
		 * would hold for ever: an error, unless the rule says it may */
		if (!hs_rules_pattern_defined(now, r->pattern)) {
			if (r->optional) {
				o->absent = 1;
				o->ok = 1;
			} else {
				o->no_class = 1;
			}
			if (r->kind == HS_RULE_GROWTH_CLASS && !base)
				o->skipped = 1;
			return 0;
		}
	}
	switch (r->kind) {
	case HS_RULE_HEAP:
		o->measured = (double)now->reachable_bytes;
		if (now->ndoms)
			snprintf(o->contributor, sizeof(o->contributor), "%s retaining %s", now->doms[0].name,
				 hs_fmt_bytes(t1, sizeof(t1), now->doms[0].retained));
		break;
	case HS_RULE_THREADS: {
		/* the biggest group of threads by name pattern */
		const char **names = malloc(sizeof(char *) * (now->nthreads + 1));
		uint32_t *gof = malloc(sizeof(uint32_t) * (now->nthreads + 1)), *cnt = NULL, ng = 0, best = 1, j;
		char **shown = NULL;
		o->measured = (double)now->threads_total;
		for (i = 0; names && i < now->nthreads; i++)
			names[i] = now->threads[i].name;
		if (names && gof && hs_name_groups(names, now->nthreads, gof, &shown, &ng) == 0 &&
		    (cnt = calloc(ng + 1, sizeof(uint32_t))) != NULL) {
			for (i = 0; i < now->nthreads; i++)
				cnt[gof[i]]++;
			for (j = 0; j < ng; j++)
				if (cnt[j] > best) {   /* a name of its own says nothing */
					best = cnt[j];
					snprintf(o->contributor, sizeof(o->contributor), "%s \"%s\"",
						 hs_fmt_counted(t2, sizeof(t2), cnt[j], "thread", "threads"), shown[j]);
				}
		}
		free(names);
		free(gof);
		free(cnt);
		hs_name_groups_free(shown, ng);
		break;
	}
	case HS_RULE_SUSPECT:
		o->measured = 0;
		for (i = 0; i < now->nsuspects; i++)
			if (strcmp(now->suspects[i].kind, "thread-count") && now->suspects[i].pct > o->measured) {
				const hs_sum_suspect *x = &now->suspects[i];
				char acc[300] = "";
				o->measured = x->pct;
				if (*x->accum_class && x->entries_min >= 0 && !strcmp(x->kind, "threads"))
					snprintf(acc, sizeof(acc), " in a %s of %s to %s entries, %s on average",
						 x->accum_class, hs_fmt_count(t2, sizeof(t2), (uint64_t)x->entries_min),
						 hs_fmt_count(t3, sizeof(t3), (uint64_t)x->entries_max),
						 hs_fmt_count(t4, sizeof(t4), (uint64_t)x->entries_avg));
				else if (*x->accum_class && x->entries >= 0)
					snprintf(acc, sizeof(acc), " in a %s of %s", x->accum_class,
						 hs_fmt_counted(t2, sizeof(t2), (uint64_t)x->entries, "entry", "entries"));
				else if (*x->accum_class && strcmp(x->accum_class, x->class_name))
					snprintf(acc, sizeof(acc), " in a %s", x->accum_class);
				if (!strcmp(x->kind, "threads"))
					snprintf(o->contributor, sizeof(o->contributor),
						 "%s \"%s\" retaining %s (each%s) through %s",
						 hs_fmt_counted(t3, sizeof(t3), x->members, "thread", "threads"), x->thread_pattern,
						 hs_fmt_bytes(t1, sizeof(t1), x->retained), acc, x->through);
				else
					snprintf(o->contributor, sizeof(o->contributor), "%s%s retaining %s%s, held by %s",
						 !strcmp(x->kind, "class") ? "the instances of " : "", x->class_name,
						 hs_fmt_bytes(t1, sizeof(t1), x->retained), acc, x->holder);
			}
		/* suspects between the limit and the summary's threshold are not
		 * in it: holding would say nothing */
		if (o->measured <= r->limit && r->limit < now->suspect_threshold)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "%s: '%s': %s keeps only the suspects above %g%% of the heap: "
					    "check the dump itself", r->origin, r->text,
					    now->source ? now->source : "", now->suspect_threshold);
		break;
	case HS_RULE_THREAD_HELD:
	case HS_RULE_THREAD_HELD_ENTRIES:
		for (i = 0; i < now->nthreads; i++) {
			const hs_sum_thread *t = &now->threads[i];
			double v = r->kind == HS_RULE_THREAD_HELD ? (double)t->held_retained : (double)t->held_entries;
			if (v > o->measured) {
				o->measured = v;
				if (t->held_entries >= 0)
					snprintf(o->contributor, sizeof(o->contributor),
						 "thread \"%s\" holds a %s of %s retaining %s", t->name,
						 t->held_class, hs_fmt_counted(t2, sizeof(t2), (uint64_t)t->held_entries, "entry", "entries"),
						 hs_fmt_bytes(t1, sizeof(t1), t->held_retained));
				else
					snprintf(o->contributor, sizeof(o->contributor),
						 "thread \"%s\" holds a %s retaining %s", t->name, t->held_class,
						 hs_fmt_bytes(t1, sizeof(t1), t->held_retained));
			}
		}
		break;
	case HS_RULE_CLASS: {
		hs_sum_set set;
		if (r->metric == HS_METRIC_RETAINED) {
			if (class_set(r, now, &set, err) < 0)
				return err->code;
			o->measured = (double)set.retained;
		} else {
			hs_summary_class_set(now, r->pattern, &set);   /* exact either way */
			o->measured = r->metric == HS_METRIC_COUNT ? (double)set.instances : (double)set.shallow;
		}
		if (set.classes > 1 || r->metric != HS_METRIC_COUNT)
			biggest_class(now, r->pattern, r->metric, o->contributor, sizeof(o->contributor));
		break;
	}
	case HS_RULE_GROWTH_TOTAL:
		if (!base) {
			o->skipped = 1;
			o->ok = 1;
			return 0;
		}
		/* a baseline without a heap (a snapshot of a dump cut short
		 * before its objects): growth in percent of it means nothing,
		 * and holding at "0%" would pass any heap */
		if (r->percent && base->reachable_bytes == 0)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "%s: '%s': the baseline %s has a reachable heap of 0 bytes: growth "
					    "cannot be a percentage of it (a baseline cut short? +SIZE is a limit in bytes)",
					    r->origin, r->text, base->source ? base->source : "");
		o->measured = (double)now->reachable_bytes - (double)base->reachable_bytes;
		if (r->percent)
			o->measured = 100.0 * o->measured / (double)base->reachable_bytes;
		/* the class whose instances grew most */
		{
			double best = 0;
			for (i = 0; i < now->nclasses; i++) {
				const hs_sum_class *c = &now->classes[i], *b = hs_summary_class(base, c->name);
				double d = (double)c->shallow - (b ? (double)b->shallow : 0);
				if (d > best) {
					best = d;
					int64_t dn = hs_delta(c->instances, b ? b->instances : 0);
					snprintf(o->contributor, sizeof(o->contributor), "%s +%s (%s)",
						 c->name, hs_fmt_bytes(t1, sizeof(t1), hs_fmt_clamp(d)),
						 hs_fmt_delta(t2, sizeof(t2), dn, "instance", "instances"));
				}
			}
		}
		break;
	case HS_RULE_GROWTH_CLASS: {
		hs_sum_set sn, sb;
		double best = 0;
		if (!base) {
			o->skipped = 1;
			o->ok = 1;
			return 0;
		}
		if (class_set(r, now, &sn, err) < 0 || class_set(r, base, &sb, err) < 0)
			return err->code;
		o->measured = (double)sn.retained - (double)sb.retained;
		if (r->percent && !sb.retained && sn.retained) {
			/* from nothing: more than any percentage */
			o->from_zero = 1;
		} else if (r->percent) {
			o->measured = sb.retained ? 100.0 * o->measured / (double)sb.retained : 0;
		}
		for (i = 0; i < now->nclasses; i++)
			if (hs_rules_class_in(r->pattern, &now->classes[i])) {
				const hs_sum_class *c = &now->classes[i], *b = hs_summary_class(base, c->name);
				double d = (double)c->retained - (b ? (double)b->retained : 0);
				if (d > best) {
					best = d;
					snprintf(o->contributor, sizeof(o->contributor), "%s %s -> %s retained", c->name,
						 hs_fmt_bytes(t1, sizeof(t1), b ? b->retained : 0),
						 hs_fmt_bytes(t2, sizeof(t2), c->retained));
				}
			}
		break;
	}
	}
	o->ok = !o->from_zero && o->measured <= r->limit;
	return 0;
}

void hs_rules_release(hs_rules *rs)
{
	uint32_t i;
	for (i = 0; i < rs->n; i++) {
		free(rs->r[i].pattern);
		free(rs->r[i].text);
		free(rs->r[i].origin);
	}
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}
