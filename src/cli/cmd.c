/*
 * cmd.c - the command table, command lookup (unknown / ambiguous prefixes,
 * as tmux's cmd_find does), option parsing driven by each command's table,
 * and --help generated from the same table.
 */
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/where.h"
#include "cmd.h"

const struct hs_cmd *const hs_cmd_table[] = {
	&hs_cmd_suspects,
	&hs_cmd_info,
	&hs_cmd_histogram,
	&hs_cmd_dominators,
	&hs_cmd_top_retained,
	&hs_cmd_path,
	&hs_cmd_inspect,
	&hs_cmd_objects,
	&hs_cmd_waste,
	&hs_cmd_threads,
	&hs_cmd_snapshot,
	&hs_cmd_diff,
	&hs_cmd_check,
	&hs_cmd_index,
	&hs_cmd_report,


	NULL
};

const struct hs_cmd *hs_cmd_find(const char *name, const char **why)
{
	const struct hs_cmd *found = NULL;
	size_t n = strlen(name);
	int i, matches = 0;

	for (i = 0; hs_cmd_table[i]; i++) {
		if (strcmp(hs_cmd_table[i]->name, name) == 0)
			return hs_cmd_table[i];
		if (n > 0 && strncmp(hs_cmd_table[i]->name, name, n) == 0) {
			found = hs_cmd_table[i];
			matches++;
		}
	}
	if (matches == 1)
		return found;
	*why = matches > 1 ? "ambiguous" : "unknown";
	return NULL;
}

static const hs_opt *find_opt(const struct hs_cmd *c, const char *name, size_t n)
{
	const hs_opt *o;
	for (o = c->opts; o->name; o++)
		if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
			return o;
	return NULL;
}

/* @p v checked against @p o's type; the value into @p a. */
static int typed(const hs_opt *o, const char *v, hs_args *a, hs_error *err)
{
	const char *end;
	uint64_t max = o->max ? o->max : UINT32_MAX;
	regex_t re;
	size_t l = strlen(v);

	switch (o->type) {
	case HS_T_COUNT:
		if (hs_cli_parse_uint(v, &a->num[o->id]) < 0 || a->num[o->id] > max)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "--%s takes a whole number from 0 to %llu, not '%s'", o->name,
					    (unsigned long long)max, v);
		return 0;
	case HS_T_SIZE:
		if (hs_cli_parse_size(v, &a->num[o->id]) < 0)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "--%s takes a size such as 512, 64K, 1.5G, not '%s'", o->name, v);
		return 0;
	case HS_T_PCT:
	case HS_T_SIZE_PCT:
		if (l > 1 && v[l - 1] == '%') {
			if (hs_cli_parse_decimal(v, &a->real[o->id], &end) < 0 || end != v + l - 1 ||
			    a->real[o->id] > 100)
				break;
			a->pct[o->id] = 1;
			return 0;
		}
		if (o->type == HS_T_PCT) {
			if (hs_cli_parse_decimal(v, &a->real[o->id], &end) < 0 || *end || a->real[o->id] > 100)
				break;
			a->pct[o->id] = 1;
			return 0;
		}
		if (hs_cli_parse_size(v, &a->num[o->id]) == 0)
			return 0;
		break;
	case HS_T_ENUM: {
		const char *p = o->choices;
		uint64_t i = 0;
		while (p && *p) {
			size_t n = strcspn(p, "|");
			if (n == l && strncmp(p, v, n) == 0) {
				a->num[o->id] = i;
				return 0;
			}
			p += n + (p[n] == '|');
			i++;
		}
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--%s takes one of %s, not '%s'", o->name,
				    o->choices, v);
	}
	case HS_T_ID:
		if (hs_cli_parse_id(v, &a->num[o->id]) < 0)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "--%s takes an object id in hex (0x1a2b), not '%s'", o->name, v);
		return 0;
	case HS_T_GROWTH: {
		const char *g = v + (v[0] == '+');
		if (hs_cli_parse_decimal(g, &a->real[o->id], &end) == 0 && !*end)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "--%s %s: a percentage or a size? write %s%% or %sMB (%sB for bytes)",
					    o->name, v, g, g, g);
		if (hs_cli_parse_decimal(g, &a->real[o->id], &end) == 0 && end[0] == '%' && !end[1]) {
			a->pct[o->id] = 1;
			return 0;
		}
		if (hs_cli_parse_size(g, &a->num[o->id]) == 0)
			return 0;
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				    "--%s takes a growth in percent (10%%) or a size (50MB, 10B), not '%s'", o->name, v);
	}
	case HS_T_WHERE: {
		hs_where *w;
		hs_error e;
		if (hs_where_parse(&w, v, &e) < 0)
			return hs_error_set(err, e.code, HS_NO_OFFSET, "--%s: %s", o->name, e.msg);
		hs_where_free(w);
		return 0;
	}
	case HS_T_REGEX: {
		int rc = regcomp(&re, v, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char msg[128];
			regerror(rc, &re, msg, sizeof(msg));
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--%s '%s': %s", o->name, v, msg);
		}
		regfree(&re);
		return 0;
	}
	default:
		return 0;
	}
	if (o->type == HS_T_PCT)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--%s takes a percentage from 0 to 100, not '%s'",
				    o->name, v);
	return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
			    "--%s takes a size (10M) or a percentage of the heap (2%%), not '%s'", o->name, v);
}

uint32_t hs_cli_top(const hs_args *a)
{
	if (!a->set[HS_OPT_TOP])
		return HS_TOP_DEFAULT;
	return a->num[HS_OPT_TOP] == 0 ? UINT32_MAX : (uint32_t)a->num[HS_OPT_TOP];
}

int hs_cmd_parse(const struct hs_cmd *c, int argc, char **argv, hs_args *a, hs_error *err)
{
	int i, only_pos = 0;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *s = argv[i];
		if (!only_pos && strcmp(s, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (!only_pos && s[0] == '-' && s[1] == '-' && s[2]) {
			const char *eq = strchr(s + 2, '=');
			size_t n = eq ? (size_t)(eq - s - 2) : strlen(s + 2);
			const hs_opt *o = find_opt(c, s + 2, n);
			if (!o)
				return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
						    "unknown option '--%.*s' for '%s' (see heapscan %s --help)",
						    (int)n, s + 2, c->name, c->name);
			a->set[o->id]++;
			if (o->arg) {
				if (eq)
					a->val[o->id] = eq + 1;
				else if (i + 1 < argc)
					a->val[o->id] = argv[++i];
				else
					return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
							    "option '--%s' needs an argument %s",
							    o->name, o->arg);
			} else if (eq) {
				return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
						    "option '--%s' takes no argument", o->name);
			}
			if (o->arg && typed(o, a->val[o->id], a, err) < 0)
				return err->code;
			continue;
		}
		if (!only_pos && s[0] == '-' && s[1] == 'o' && !s[2] && find_opt(c, "output", 6)) {
			/* -o FILE, the one short option (heapscan snapshot) */
			const hs_opt *o = find_opt(c, "output", 6);
			if (i + 1 >= argc)
				return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "option '-o' needs an argument FILE");
			a->set[o->id]++;
			a->val[o->id] = argv[++i];
			continue;
		}
		if (!only_pos && s[0] == '-' && s[1] == 'h' && !s[2]) {
			a->set[HS_OPT_HELP]++;
			continue;
		}
		if (!only_pos && s[0] == '-' && s[1])
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "unknown option '%s' for '%s' (see heapscan %s --help)",
					    s, c->name, c->name);
		if (a->npos >= (int)(sizeof(a->pos) / sizeof(a->pos[0])))
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "too many arguments");
		a->pos[a->npos++] = s;
	}
	if (a->set[HS_OPT_JSON] && a->set[HS_OPT_CSV])
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--json and --csv cannot be used together");
	return 0;
}

void hs_cmd_help(const struct hs_cmd *c, FILE *f)
{
	const hs_opt *o;
	int w = 0;

	fprintf(f, "usage: heapscan %s %s\n\n%s\n", c->name, c->usage, c->summary);
	if (c->description)
		fprintf(f, "\n%s\n", c->description);
	fprintf(f, "\noptions:\n");
	for (o = c->opts; o->name; o++) {
		int l = (int)strlen(o->name) + (o->arg ? (int)strlen(o->arg) + 1 : 0);
		if (l > w)
			w = l;
	}
	for (o = c->opts; o->name; o++) {
		char buf[128];
		snprintf(buf, sizeof(buf), "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  --%-*s  %s\n", w, buf, o->help);
	}
}
