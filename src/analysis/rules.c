/*
 * rules.c - parsing and evaluating heap rules (grammar in rules.h).
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "heapscan/diff.h"
#include "heapscan/rules.h"

static int parse_size(const char *s, double *out, int *pct)
{
	char *end;
	double v;
	*pct = 0;
	while (*s == ' ' || *s == '+')
		s++;
	v = strtod(s, &end);
	if (end == s || v < 0)
		return -1;
	while (*end == ' ')
		end++;
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
		return -1;
	}
	if (*pct && *end)
		return -1;
	*out = v;
	return 0;
}

static int words(char *s, char **w, int max)
{
	int n = 0;
	while (*s && n < max) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		w[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

int hs_rules_add(hs_rules *rs, const char *line, const char *origin, hs_error *err)
{
	char buf[1024], *w[8], *hash;
	int n, pct = 0;
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
#define BAD(why) do { free(r.text); return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, \
		"%s: %s: '%s' (see RULES in heapscan(1))", origin, (why), line); } while (0)
	if (!strcmp(w[0], "heap") && n == 3 && !strcmp(w[1], "<=")) {
		r.kind = HS_RULE_HEAP;
		if (parse_size(w[2], &r.limit, &pct) < 0 || pct)
			BAD("heap takes a size");
	} else if (!strcmp(w[0], "threads") && n == 3 && !strcmp(w[1], "<=")) {
		r.kind = HS_RULE_THREADS;
		if (parse_size(w[2], &r.limit, &pct) < 0 || pct)
			BAD("threads takes a number");
	} else if (!strcmp(w[0], "suspect") && n == 3 && !strcmp(w[1], "<=")) {
		r.kind = HS_RULE_SUSPECT;
		if (parse_size(w[2], &r.limit, &pct) < 0 || !pct)
			BAD("suspect takes a percentage, e.g. 20%");
		r.percent = 1;
	} else if (!strcmp(w[0], "thread-held") && n == 3 && !strcmp(w[1], "<=")) {
		r.kind = HS_RULE_THREAD_HELD;
		if (parse_size(w[2], &r.limit, &pct) < 0 || pct)
			BAD("thread-held takes a size");
	} else if (!strcmp(w[0], "thread-held") && n == 4 && !strcmp(w[1], "entries") && !strcmp(w[2], "<=")) {
		r.kind = HS_RULE_THREAD_HELD_ENTRIES;
		if (parse_size(w[3], &r.limit, &pct) < 0 || pct)
			BAD("thread-held entries takes a number");
	} else if (!strcmp(w[0], "total") && n == 2 && w[1][0] == '+') {
		r.kind = HS_RULE_GROWTH_TOTAL;
		if (parse_size(w[1], &r.limit, &r.percent) < 0)
			BAD("total takes +PCT% or +SIZE");
	} else if (!strcmp(w[0], "class") && n == 3 && w[2][0] == '+') {
		r.kind = HS_RULE_GROWTH_CLASS;
		r.pattern = strdup(w[1]);
		if (parse_size(w[2], &r.limit, &r.percent) < 0)
			BAD("class growth takes +PCT% or +SIZE");
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
		} else {
			BAD("unknown rule");
		}
		r.kind = HS_RULE_CLASS;
		r.pattern = strdup(w[i]);
		if (parse_size(w[n - 1], &r.limit, &pct) < 0 || pct)
			BAD("a class rule takes a size or a number");
	}
#undef BAD
	r.origin = strdup(origin);
	nr = realloc(rs->r, sizeof(*nr) * (rs->n + 1));
	if (!nr || !r.origin || !r.text) {
		free(r.text);
		free(r.pattern);
		free(r.origin);
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	}
	rs->r = nr;
	rs->r[rs->n++] = r;
	return 0;
}

int hs_rules_load(hs_rules *rs, const char *path, hs_error *err)
{
	FILE *f = fopen(path, "r");
	char line[1024], origin[600];
	int lineno = 0, rc = 0;
	if (!f)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "%s: cannot open the rules file", path);
	while (fgets(line, sizeof(line), f)) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		snprintf(origin, sizeof(origin), "%s:%d", path, lineno);
		rc = hs_rules_add(rs, line, origin, err);
		if (rc < 0)
			break;
	}
	fclose(f);
	return rc;
}

static double class_metric(const hs_sum_class *c, enum hs_rule_metric m)
{
	return m == HS_METRIC_COUNT ? (double)c->instances : m == HS_METRIC_SHALLOW ? (double)c->shallow
										     : (double)c->retained;
}

void hs_rules_eval(const hs_rule *r, const hs_summary *now, const hs_summary *base, hs_rule_result *o)
{
	uint32_t i;
	memset(o, 0, sizeof(*o));
	switch (r->kind) {
	case HS_RULE_HEAP:
		o->measured = (double)now->reachable_bytes;
		break;
	case HS_RULE_THREADS:
		o->measured = (double)now->threads_total;
		break;
	case HS_RULE_SUSPECT:
		for (i = 0; i < now->nsuspects; i++)
			if (strcmp(now->suspects[i].kind, "thread-count") && now->suspects[i].pct > o->measured) {
				o->measured = now->suspects[i].pct;
				snprintf(o->contributor, sizeof(o->contributor), "%s %s%s%s, held by %s",
					 now->suspects[i].kind, now->suspects[i].class_name,
					 *now->suspects[i].thread_pattern ? " " : "", now->suspects[i].thread_pattern,
					 now->suspects[i].holder);
			}
		break;
	case HS_RULE_THREAD_HELD:
	case HS_RULE_THREAD_HELD_ENTRIES:
		for (i = 0; i < now->nthreads; i++) {
			const hs_sum_thread *t = &now->threads[i];
			double v = r->kind == HS_RULE_THREAD_HELD ? (double)t->held_retained : (double)t->held_entries;
			if (v > o->measured) {
				o->measured = v;
				snprintf(o->contributor, sizeof(o->contributor), "thread %s holds a %s", t->name,
					 t->held_class);
			}
		}
		break;
	case HS_RULE_CLASS: {
		double best = -1;
		for (i = 0; i < now->nclasses; i++) {
			const hs_sum_class *c = &now->classes[i];
			double v;
			if (fnmatch(r->pattern, c->name, 0) != 0)
				continue;
			v = class_metric(c, r->metric);
			o->measured += v;
			if (v > best) {
				best = v;
				snprintf(o->contributor, sizeof(o->contributor), "%s", c->name);
			}
		}
		break;
	}
	case HS_RULE_GROWTH_TOTAL:
		if (!base) {
			o->skipped = 1;
			o->ok = 1;
			return;
		}
		o->measured = (double)now->reachable_bytes - (double)base->reachable_bytes;
		if (r->percent)
			o->measured = base->reachable_bytes ? 100.0 * o->measured / (double)base->reachable_bytes : 0;
		break;
	case HS_RULE_GROWTH_CLASS: {
		double b = 0, n = 0, best = -1e300;
		if (!base) {
			o->skipped = 1;
			o->ok = 1;
			return;
		}
		for (i = 0; i < now->nclasses; i++)
			if (fnmatch(r->pattern, now->classes[i].name, 0) == 0) {
				const hs_sum_class *bc = hs_summary_class(base, now->classes[i].name);
				double d = (double)now->classes[i].retained - (bc ? (double)bc->retained : 0);
				n += (double)now->classes[i].retained;
				if (d > best) {
					best = d;
					snprintf(o->contributor, sizeof(o->contributor), "%s", now->classes[i].name);
				}
			}
		for (i = 0; i < base->nclasses; i++)
			if (fnmatch(r->pattern, base->classes[i].name, 0) == 0)
				b += (double)base->classes[i].retained;
		o->measured = n - b;
		if (r->percent)
			o->measured = b > 0 ? 100.0 * (n - b) / b : (n > 0 ? 1e9 : 0);
		break;
	}
	}
	o->ok = o->measured <= r->limit;
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
