/*
 * cmd-check.c - `heapscan check`: heap rules for CI.  Exit status 0 when
 * every rule holds, 1 when any is violated, 2 on an error.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/outfile.h"
#include "heapscan/rules.h"
#include "cmd.h"

enum { O_BASELINE = HS_OPT_CMD, O_RULES, O_MAX_GROWTH, O_MAX_HEAP, O_MAX_SUSPECT, O_MAX_THREADS, O_JUNIT };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: every rule with its measured value, limit and result" },
	{ O_BASELINE, "baseline", "BASE", "a dump or snapshot to measure growth against" },
	{ O_RULES, "rules", "FILE", "read rules from FILE (format in heapscan(1), RULES)" },
	{ O_MAX_GROWTH, "max-growth", "PCT|SIZE", "reachable heap may grow at most PCT% (10%) or SIZE (50MB, 10B) over the baseline; a bare number is an error" },
	{ O_MAX_HEAP, "max-heap", "SIZE", "reachable heap at most SIZE" },
	{ O_MAX_SUSPECT, "max-suspect", "PCT", "no leak suspect may retain more than PCT% of the heap (below 10%, suspects are looked for down to PCT)" },
	{ O_MAX_THREADS, "max-threads", "N", "at most N live threads" },
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

/* Text in XML 1.0: escaped as text first (format.h), which leaves valid
 * UTF-8 without control characters, then the markup characters. */
static void xml(FILE *f, const char *s)
{
	char *e = hs_text_escape(s), *p;
	for (p = e ? e : "?"; *p; p++)
		switch (*p) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*p, f);
		}
	free(e);
}

static int run(const hs_args *a, hs_error *err)
{
	hs_rules rs = { 0 };
	hs_summary now, base;
	hs_rule_result *res = NULL;
	int rc = 0, have_base = 0, failed = 0, noclass = 0, absent = 0, json = a->set[HS_OPT_JSON] > 0;
	double sthr = HS_SUMMARY_SUSPECT_THRESHOLD;
	uint32_t i, npats = 0;
	char line[256], c1[48], c2[32], c3[32], c4[32];
	const char **pats = NULL, *name;

	if (a->npos > 1)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "too many arguments: '%s'", a->pos[1]);
	if (a->val[O_MAX_HEAP]) {
		snprintf(line, sizeof(line), "heap <= %s", a->val[O_MAX_HEAP]);
		if ((rc = hs_rules_add(&rs, line, "--max-heap", err)) < 0)
			goto out;
	}
	if (a->val[O_MAX_GROWTH]) {
		const char *v = a->val[O_MAX_GROWTH] + (a->val[O_MAX_GROWTH][0] == '+');
		uint64_t bare;
		if (hs_cli_parse_uint(v, &bare) == 0) {
			rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					  "--max-growth %s: a percentage or a size? write %s%% or %sMB (%sB for bytes)",
					  a->val[O_MAX_GROWTH], v, v, v);
			goto out;
		}
		snprintf(line, sizeof(line), "total +%s", v);
		if ((rc = hs_rules_add(&rs, line, "--max-growth", err)) < 0)
			goto out;
	}
	if (a->val[O_MAX_SUSPECT]) {
		size_t l = strlen(a->val[O_MAX_SUSPECT]);
		snprintf(line, sizeof(line), "suspect <= %s%s", a->val[O_MAX_SUSPECT],
			 l && a->val[O_MAX_SUSPECT][l - 1] == '%' ? "" : "%");
		if ((rc = hs_rules_add(&rs, line, "--max-suspect", err)) < 0)
			goto out;
	}
	if (a->val[O_MAX_THREADS]) {
		snprintf(line, sizeof(line), "threads <= %s", a->val[O_MAX_THREADS]);
		if ((rc = hs_rules_add(&rs, line, "--max-threads", err)) < 0)
			goto out;
	}
	if (a->val[O_RULES] && (rc = hs_rules_load(&rs, a->val[O_RULES], err)) < 0)
		goto out;
	if (rs.n == 0) {
		rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				  "no rules: give --max-heap, --max-growth, --max-suspect, --max-threads or --rules FILE");
		goto out;
	}
	for (i = 0; i < rs.n; i++)
		if ((rs.r[i].kind == HS_RULE_GROWTH_TOTAL || rs.r[i].kind == HS_RULE_GROWTH_CLASS) &&
		    !a->val[O_BASELINE]) {
			rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "%s: growth rule '%s' needs --baseline BASE",
					  rs.r[i].origin, rs.r[i].text);
			goto out;
		}
	/* the class patterns whose retained size a dump is asked for */
	pats = calloc(rs.n + 1, sizeof(*pats));
	if (!pats) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto out;
	}
	for (i = 0; i < rs.n; i++) {
		uint32_t k;
		if (!(rs.r[i].kind == HS_RULE_GROWTH_CLASS ||
		      (rs.r[i].kind == HS_RULE_CLASS && rs.r[i].metric == HS_METRIC_RETAINED)))
			continue;
		for (k = 0; k < npats && strcmp(pats[k], rs.r[i].pattern); k++)
			;
		if (k == npats)
			pats[npats++] = rs.r[i].pattern;
	}
	/* a suspect rule below the usual threshold needs the suspects down to
	 * its limit, which suspects --threshold would list */
	for (i = 0; i < rs.n; i++)
		if (rs.r[i].kind == HS_RULE_SUSPECT && rs.r[i].limit < sthr)
			sthr = rs.r[i].limit;
	/* DUMP first: opening the baseline would make it the remembered dump */
	rc = hs_cli_summary_ex(&now, a->npos ? a->pos[0] : NULL, a, pats, npats, sthr, err);
	if (rc < 0)
		goto out;
	if (a->val[O_BASELINE]) {
		rc = hs_cli_summary(&base, a->val[O_BASELINE], a, pats, npats, err);
		if (rc < 0) {
			hs_summary_release(&now);
			goto out;
		}
		have_base = 1;
	}
	res = calloc(rs.n, sizeof(*res));
	if (!res) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto out_now;
	}
	for (i = 0; i < rs.n; i++) {
		rc = hs_rules_eval(&rs.r[i], &now, have_base ? &base : NULL, &res[i], err);
		if (rc < 0)
			goto out_now;
		if (res[i].no_class)
			noclass++;
		else if (!res[i].ok)
			failed++;
		absent += res[i].absent;
	}
	name = a->npos ? a->pos[0] : now.dump;
	if (json) {
		hs_json j;
		hs_json_init(&j, stdout);
		hs_json_begin_obj(&j, NULL);
		hs_json_str(&j, "dump", name);
		if (have_base)
			hs_json_str(&j, "baseline", a->val[O_BASELINE]);
		hs_json_bool(&j, "ok", failed == 0 && noclass == 0);
		hs_json_begin_arr(&j, "rules");
		for (i = 0; i < rs.n; i++) {
			/* bytes and counts are integers; percentages keep decimals */
			int whole = !rs.r[i].percent && rs.r[i].kind != HS_RULE_SUSPECT;
			hs_json_begin_obj(&j, NULL);
			j.pretty = 0;
			hs_json_str(&j, "rule", rs.r[i].text);
			hs_json_str(&j, "origin", rs.r[i].origin);
			hs_json_bool(&j, "ok", res[i].ok);
			if (res[i].no_class || res[i].absent) {   /* nothing measured */
				hs_json_str(&j, "measured", NULL);
				hs_json_bool(&j, "matches_no_class", 1);
				if (res[i].no_class)
					hs_json_str(&j, "error", "matches no class");
			} else if (res[i].from_zero) {   /* no percentage of 0 */
				hs_json_str(&j, "measured", NULL);
				hs_json_bool(&j, "from_zero", 1);
			} else if (whole) {
				hs_json_whole(&j, "measured", res[i].measured);
			} else {
				hs_json_dbl(&j, "measured", res[i].measured);
			}
			if (whole)
				hs_json_whole(&j, "limit", rs.r[i].limit);
			else
				hs_json_dbl(&j, "limit", rs.r[i].limit);
			if (res[i].contributor[0])
				hs_json_str(&j, "biggest", res[i].contributor);
			hs_json_end_obj(&j);
			j.pretty = 1;
		}
		hs_json_end_arr(&j);
		hs_json_end_obj(&j);
		hs_json_finish(&j);
	} else {
		for (i = 0; i < rs.n; i++) {
			char m[128], l[128];
			if (res[i].no_class) {
				hs_fmt_printf(stdout, "ERROR %s (%s): matches no class in %s; a typo? (a rule "
					      "that may match none starts with 'optional')\n", rs.r[i].text,
					      rs.r[i].origin, name);
				continue;
			}
			if (res[i].ok)
				continue;
			fmt_values(m, l, sizeof(m), &rs.r[i], &res[i]);
			hs_fmt_printf(stdout, "FAIL %s (%s): measured %s, limit %s%s%s\n", rs.r[i].text, rs.r[i].origin, m, l,
			       res[i].contributor[0] ? "; biggest: " : "", res[i].contributor);
		}
		if (noclass)
			hs_fmt_printf(stdout, "check %s: %s, %s held, %s violated, %s match%s no class\n", name,
				      hs_fmt_counted(c1, sizeof(c1), rs.n, "rule", "rules"),
				      hs_fmt_count(c2, sizeof(c2), rs.n - (uint32_t)(failed + noclass)),
				      hs_fmt_count(c3, sizeof(c3), (uint64_t)failed), hs_fmt_count(c4, sizeof(c4), (uint64_t)noclass),
				      noclass == 1 ? "es" : "");
		else
			hs_fmt_printf(stdout, "check %s: %s, %s held, %s violated\n", name,
				      hs_fmt_counted(c1, sizeof(c1), rs.n, "rule", "rules"),
				      hs_fmt_count(c2, sizeof(c2), rs.n - (uint32_t)failed), hs_fmt_count(c3, sizeof(c3), (uint64_t)failed));
	}
	if (a->val[O_JUNIT]) {
		/* all or nothing (an old report stays until the new one is whole) */
		hs_outfile out;
		FILE *f;
		if ((rc = hs_outfile_open(&out, a->val[O_JUNIT], err)) < 0)
			goto out_now;
		f = out.f;
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<testsuite name=\"heapscan check\" tests=\"%u\" failures=\"%d\" errors=\"%d\" skipped=\"%d\">\n",
			rs.n, failed, noclass, absent);
		for (i = 0; i < rs.n; i++) {
			char m[128], l[128];
			fmt_values(m, l, sizeof(m), &rs.r[i], &res[i]);
			fprintf(f, "  <testcase classname=\"heapscan.check\" name=\"");
			xml(f, rs.r[i].text);
			fprintf(f, "\">");
			if (res[i].absent) {
				fprintf(f, "\n    <skipped message=\"matches no class (optional)\"/>\n  ");
			} else if (res[i].no_class) {
				fprintf(f, "\n    <error type=\"no-class\" message=\"matches no class\">");
				xml(f, name);
				fprintf(f, ": ");
				xml(f, rs.r[i].text);
				fprintf(f, " (");
				xml(f, rs.r[i].origin);
				fprintf(f, "): matches no class; a typo? (a rule that may match none starts with "
					"'optional')</error>\n  ");
			} else if (!res[i].ok) {
				fprintf(f, "\n    <failure type=\"violation\" message=\"measured %s, limit %s", m, l);
				if (res[i].contributor[0]) {
					fprintf(f, "; biggest: ");
					xml(f, res[i].contributor);
				}
				fprintf(f, "\">");
				xml(f, name);
				fprintf(f, ": ");
				xml(f, rs.r[i].text);
				fprintf(f, " (");
				xml(f, rs.r[i].origin);
				fprintf(f, "): measured %s, limit %s</failure>\n  ", m, l);
			}
			fprintf(f, "</testcase>\n");
		}
		fprintf(f, "</testsuite>\n");
		if ((rc = hs_outfile_commit(&out, err)) < 0)
			goto out_now;
	}
	if (noclass)
		hs_fmt_printf(stderr, "heapscan: %s: %s match%s no class (see ERROR above)\n", name,
			      hs_fmt_counted(c1, sizeof(c1), (uint64_t)noclass, "rule", "rules"), noclass == 1 ? "es" : "");
	rc = noclass ? HS_EXIT_ERROR : failed ? HS_EXIT_VIOLATION : HS_EXIT_OK;
out_now:
	free(res);
	hs_summary_release(&now);
	if (have_base)
		hs_summary_release(&base);
out:
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
