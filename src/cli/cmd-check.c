/*
 * cmd-check.c - `heapscan check`: heap rules for CI.  Exit status 0 when
 * every rule holds, 1 when any is violated, 2 on an error.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/outfile.h"
#include "heapscan/result.h"
#include "heapscan/rules.h"
#include "cmd.h"

enum { O_BASELINE = HS_OPT_CMD, O_RULES, O_MAX_GROWTH, O_MAX_HEAP, O_MAX_SUSPECT, O_MAX_THREADS, O_JUNIT };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: every rule with its status, measured value, limit and message" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output, one row per rule: rule,origin,status,ok,measured,measured_pct,limit,limit_pct,biggest,message" },
	{ O_BASELINE, "baseline", "BASE", "a dump or snapshot to measure growth against" },
	{ O_RULES, "rules", "FILE", "read rules from FILE (format in heapscan(1), RULES)" },
	{ O_MAX_GROWTH, "max-growth", "PCT|SIZE", "reachable heap may grow at most PCT% (10%) or SIZE (50MB, 10B) over the baseline; a bare number is an error", HS_T_GROWTH, NULL, 0 },
	{ O_MAX_HEAP, "max-heap", "SIZE", "reachable heap at most SIZE", HS_T_SIZE, NULL, 0 },
	{ O_MAX_SUSPECT, "max-suspect", "PCT", "no leak suspect may retain more than PCT% of the heap (below 10%, suspects are looked for down to PCT)", HS_T_PCT, NULL, 0 },
	{ O_MAX_THREADS, "max-threads", "N", "at most N live threads", HS_T_COUNT, NULL, UINT64_MAX },
	{ O_JUNIT, "junit", "FILE", "also write JUnit XML (one test case per rule) to FILE, all or nothing" },
	{ 0, NULL, NULL, NULL }
};

/* A measured value or a limit as the rule reads: a size, a count or a
 * percentage; exact (bytes, 0.001%) when the rounded one would not tell
 * it from the other value. */
static void fmt_one(char *buf, size_t n, const hs_rule *r, double v, int exact)
{
	char t[32];
	int growth = r->kind == HS_RULE_GROWTH_TOTAL || r->kind == HS_RULE_GROWTH_CLASS;
	int bytes = (r->kind == HS_RULE_HEAP || r->kind == HS_RULE_THREAD_HELD ||
		     (r->kind == HS_RULE_CLASS && r->metric != HS_METRIC_COUNT) || (growth && !r->percent));
	if (r->percent || r->kind == HS_RULE_SUSPECT)
		snprintf(buf, n, exact ? "%s%.3f%%" : "%s%.1f%%", growth && v >= 0 ? "+" : "", v);
	else if (bytes && exact)
		snprintf(buf, n, "%s%s bytes", growth ? (v >= 0 ? "+" : "-") : "",
			 hs_fmt_count(t, sizeof(t), hs_fmt_clamp(v < 0 ? -v : v)));
	else if (bytes)
		snprintf(buf, n, "%s%s", growth ? (v >= 0 ? "+" : "-") : "",
			 hs_fmt_bytes(t, sizeof(t), hs_fmt_clamp(v < 0 ? -v : v)));
	else
		snprintf(buf, n, "%s", hs_fmt_count(t, sizeof(t), hs_fmt_clamp(v)));
}

static void fmt_values(char *m, char *l, size_t n, const hs_rule *r, const hs_rule_result *res)
{
	double measured = res->measured;
	if (res->from_zero) {   /* growth in bytes, of which no percentage */
		char t[32];
		snprintf(m, n, "+%s from 0 B in the baseline", hs_fmt_bytes(t, sizeof(t), (uint64_t)measured));
		fmt_one(l, n, r, r->limit, 0);
		return;
	}
	fmt_one(m, n, r, measured, 0);
	fmt_one(l, n, r, r->limit, 0);
	if (!strcmp(m, l) && measured != r->limit) {
		fmt_one(m, n, r, measured, 1);
		fmt_one(l, n, r, r->limit, 1);
	}
}

/* The rules of the options (their values checked by their types), before
 * those of --rules FILE. */
static int option_rules(hs_rules *rs, const hs_args *a, hs_error *err)
{
	const char *g = a->val[O_MAX_GROWTH], *s = a->val[O_MAX_SUSPECT];
	char line[256];
	int rc = 0;

	if (a->val[O_MAX_HEAP]) {
		snprintf(line, sizeof(line), "heap <= %s", a->val[O_MAX_HEAP]);
		rc = hs_rules_add(rs, line, "--max-heap", err);
	}
	if (rc == 0 && g) {
		snprintf(line, sizeof(line), "total +%s", g + (g[0] == '+'));
		rc = hs_rules_add(rs, line, "--max-growth", err);
	}
	if (rc == 0 && s) {
		snprintf(line, sizeof(line), "suspect <= %s%s", s, s[strlen(s) - 1] == '%' ? "" : "%");
		rc = hs_rules_add(rs, line, "--max-suspect", err);
	}
	if (rc == 0 && a->val[O_MAX_THREADS]) {
		snprintf(line, sizeof(line), "threads <= %s", a->val[O_MAX_THREADS]);
		rc = hs_rules_add(rs, line, "--max-threads", err);
	}
	if (rc == 0 && a->val[O_RULES])
		rc = hs_rules_load(rs, a->val[O_RULES], err);
	if (rc == 0 && rs->n == 0)
		rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				  "no rules: give --max-heap, --max-growth, --max-suspect, --max-threads or --rules FILE");
	return rc;
}

/* The class patterns whose retained size a dump is asked for (@p pats,
 * room for rs->n), and the suspects' threshold: a suspect rule below the
 * usual one needs the suspects down to its limit. */
static uint32_t patterns(const hs_rules *rs, const char **pats, double *sthr)
{
	uint32_t i, k, n = 0;
	*sthr = HS_SUMMARY_SUSPECT_THRESHOLD;
	for (i = 0; i < rs->n; i++) {
		const hs_rule *r = &rs->r[i];
		if (r->kind == HS_RULE_SUSPECT && r->limit < *sthr)
			*sthr = r->limit;
		if (!(r->kind == HS_RULE_GROWTH_CLASS || (r->kind == HS_RULE_CLASS && r->metric == HS_METRIC_RETAINED)))
			continue;
		for (k = 0; k < n && strcmp(pats[k], r->pattern); k++)
			;
		if (k == n)
			pats[n++] = r->pattern;
	}
	return n;
}

/* A double as a signed integer, saturated (a cast beyond would be undefined). */
static int64_t whole(double v)
{
	if (!(v == v))
		return 0;
	if (v >= 9223372036854775807.0)
		return INT64_MAX;
	if (v <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)(v < 0 ? v - 0.5 : v + 0.5);
}

/* One rule's row: its status, what it measured and its limit (integers
 * for bytes and counts, _pct for percentages, null for what does not
 * apply), and the message the text and JUnit reports give. */
static void rule_row(hs_node *t, const hs_rule *r, const hs_rule_result *x, const char *name)
{
	hs_node *row = hs_res_row(t);
	int pct = r->percent || r->kind == HS_RULE_SUSPECT, measured = !x->no_class && !x->absent;
	int growth = r->kind == HS_RULE_GROWTH_TOTAL || r->kind == HS_RULE_GROWTH_CLASS;
	char m[128], l[128];

	hs_res_str(row, "rule", r->text);
	hs_res_str(row, "origin", r->origin);
	hs_res_str(row, "status", x->absent ? "skipped" : x->no_class ? "error" : x->ok ? "held" : "violated");
	hs_res_bool(row, "ok", x->ok);
	if (measured && (!pct || x->from_zero) && growth)
		hs_res_i64(row, "measured", whole(x->measured));
	else if (measured && !pct)
		hs_res_u64(row, "measured", hs_fmt_clamp(x->measured + 0.5));
	else
		hs_res_null(row, "measured");
	if (measured && pct && !x->from_zero)
		hs_res_real(row, "measured_pct", x->measured);
	else
		hs_res_null(row, "measured_pct");
	if (pct) {
		hs_res_null(row, "limit");
		hs_res_real(row, "limit_pct", r->limit);
	} else {
		hs_res_u64(row, "limit", hs_fmt_clamp(r->limit + 0.5));
		hs_res_null(row, "limit_pct");
	}
	hs_res_str(row, "biggest", x->contributor[0] ? x->contributor : NULL);
	if (x->absent) {
		hs_res_str(row, "message", "matches no class (optional)");
	} else if (x->no_class) {
		hs_res_strf(row, "message", "matches no class in %s; a typo? (a rule that may match none starts with 'optional')",
			    name);
	} else {
		fmt_values(m, l, sizeof(m), r, x);
		hs_res_strf(row, "message", "measured %s, limit %s%s%s", m, l, x->contributor[0] ? "; biggest: " : "",
			    x->contributor);
	}
}

static const char *text(const hs_node *o, const char *key)
{
	const hs_node *n = hs_node_get(o, key);
	return n && !hs_node_is_null(n) ? hs_node_str(n) : "";
}

/* The text report: a line per violated rule and per rule matching no
 * class, then the counts; returns the number of rules matching none. */
static uint64_t print_text(const hs_result *r, int count_only)
{
	const hs_node *root = hs_res_root((hs_result *)r), *row;
	uint64_t n = 0, failed = 0, noclass = 0;
	char c1[48], c2[32], c3[32], c4[32];

	for (row = hs_node_first(hs_node_get(root, "rules")); row; row = hs_node_next(row), n++) {
		int err = !strcmp(text(row, "status"), "error"), bad = !strcmp(text(row, "status"), "violated");
		noclass += err;
		failed += bad;
		if ((err || bad) && !count_only)
			hs_fmt_printf(stdout, "%s %s (%s): %s\n", err ? "ERROR" : "FAIL", text(row, "rule"),
				      text(row, "origin"), text(row, "message"));
	}
	if (count_only)
		return noclass;
	hs_fmt_printf(stdout, "check %s: %s, %s held, %s violated", text(root, "dump"),
		      hs_fmt_counted(c1, sizeof(c1), n, "rule", "rules"),
		      hs_fmt_count(c2, sizeof(c2), n - failed - noclass), hs_fmt_count(c3, sizeof(c3), failed));
	if (noclass)
		hs_fmt_printf(stdout, ", %s match%s no class", hs_fmt_count(c4, sizeof(c4), noclass),
			      noclass == 1 ? "es" : "");
	putchar('\n');
	return noclass;
}

/* --junit FILE, all or nothing (an old report stays until the new one is
 * whole). */
static int write_junit(const hs_result *r, const char *path, hs_error *err)
{
	hs_outfile out;
	int rc = hs_outfile_open(&out, path, err);
	if (rc < 0)
		return rc;
	hs_render_junit(r, out.f);
	return hs_outfile_commit(&out, err);
}

/* Evaluates the rules into the result's table "rules". */
static int evaluate(hs_result *r, const hs_rules *rs, const hs_summary *now, const hs_summary *base,
		    const char *name, const char *baseline, hs_error *err)
{
	static const char *const cols[] = { "rule", "origin", "status", "ok", "measured", "measured_pct",
					    "limit", "limit_pct", "biggest", "message", NULL };
	hs_node *root = hs_res_root(r), *t;
	hs_rule_result *x = calloc(rs->n, sizeof(*x));
	uint32_t i;
	int ok = 1, rc = x ? 0 : hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");

	for (i = 0; rc == 0 && i < rs->n; i++) {
		rc = hs_rules_eval(&rs->r[i], now, base, &x[i], err);
		ok &= x[i].ok && !x[i].no_class;
	}
	hs_res_str(root, "dump", name);
	hs_res_str(root, "baseline", baseline);
	hs_res_bool(root, "ok", ok);
	t = hs_res_table(root, "rules", cols);
	for (i = 0; rc == 0 && i < rs->n; i++)
		rule_row(t, &rs->r[i], &x[i], name);
	free(x);
	return rc < 0 ? rc : hs_res_error(r, err);
}

static int run(const hs_args *a, hs_error *err)
{
	hs_rules rs = { 0 };
	hs_summary now, base;
	hs_result *r = NULL;
	int rc, have_base = 0;
	double sthr;
	uint32_t npats;
	uint64_t noclass;
	const char **pats = NULL;
	char c1[48];

	if (a->npos > 1)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "too many arguments: '%s'", a->pos[1]);
	if ((rc = option_rules(&rs, a, err)) < 0)
		goto out;
	for (npats = 0; npats < rs.n; npats++)
		if ((rs.r[npats].kind == HS_RULE_GROWTH_TOTAL || rs.r[npats].kind == HS_RULE_GROWTH_CLASS) &&
		    !a->val[O_BASELINE]) {
			rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "%s: growth rule '%s' needs --baseline BASE",
					  rs.r[npats].origin, rs.r[npats].text);
			goto out;
		}
	if (!(pats = calloc(rs.n + 1, sizeof(*pats))) || !(r = hs_res_new("check"))) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto out;
	}
	npats = patterns(&rs, pats, &sthr);
	/* DUMP first: opening the baseline would make it the remembered dump */
	if ((rc = hs_cli_summary_ex(&now, a->npos ? a->pos[0] : NULL, a, pats, npats, sthr, err)) < 0)
		goto out;
	if (a->val[O_BASELINE] && (rc = hs_cli_summary(&base, a->val[O_BASELINE], a, pats, npats, err)) < 0)
		goto out_now;
	have_base = a->val[O_BASELINE] != NULL;
	if ((rc = evaluate(r, &rs, &now, have_base ? &base : NULL, a->npos ? a->pos[0] : now.dump,
			    a->val[O_BASELINE], err)) < 0)
		goto out_now;
	noclass = print_text(r, a->set[HS_OPT_JSON] || a->set[HS_OPT_CSV]);
	if ((a->set[HS_OPT_JSON] || a->set[HS_OPT_CSV]) && (rc = hs_cli_render(r, a, "rules", err)) < 0)
		goto out_now;
	if (a->val[O_JUNIT] && (rc = write_junit(r, a->val[O_JUNIT], err)) < 0)
		goto out_now;
	if (noclass && fflush(stdout) == 0)   /* the report before what stderr adds to it */
		hs_fmt_printf(stderr, "heapscan: %s: %s match%s no class (see ERROR above)\n",
			      text(hs_res_root(r), "dump"), hs_fmt_counted(c1, sizeof(c1), noclass, "rule", "rules"),
			      noclass == 1 ? "es" : "");
	rc = noclass ? HS_EXIT_ERROR : hs_node_u64(hs_node_get(hs_res_root(r), "ok")) ? HS_EXIT_OK : HS_EXIT_VIOLATION;
out_now:
	hs_summary_release(&now);
	if (have_base)
		hs_summary_release(&base);
out:
	hs_res_free(r);
	free(pats);
	hs_rules_release(&rs);
	return rc;
}

const struct hs_cmd hs_cmd_check = {
	.name = "check",
	.summary = "check heap rules for CI: exit 0 all hold, 1 a rule is violated, 2 an error",
	.usage = "[options] [DUMP] [--baseline BASE] [--rules FILE]",
	.description = "DUMP and BASE are dumps or snapshots.  Rules come from the options and from\n"
		       "--rules FILE (one per line, # comments; format in heapscan(1), RULES), e.g.\n"
		       "  heap <= 2GB    com.example.cache.* <= 200MB    java.lang.Thread+ count <= 500\n"
		       "  total +10%     class com.example.* +5MB        thread-held entries <= 100000\n"
		       "PATTERN+ takes subclasses too; a class rule that matches no class of DUMP is\n"
		       "an error unless it starts with 'optional'.\n"
		       "One line per violated rule, with the measured value, the limit and the\n"
		       "biggest contributor.  Exit status: 0 every rule holds, 1 a rule is violated,\n"
		       "2 an error (a rule that cannot be parsed or matches no class, a file that\n"
		       "cannot be read, the report or --junit FILE that cannot be written).",
	.opts = opts,
	.run = run,
};
