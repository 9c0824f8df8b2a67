/*
 * cmd.c - the command table, command lookup (unknown / ambiguous prefixes,
 * as tmux's cmd_find does), option parsing driven by each command's table,
 * and --help generated from the same table.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

const struct hs_cmd *const hs_cmd_table[] = {
	&hs_cmd_suspects,
	&hs_cmd_info,
	&hs_cmd_histogram,
	&hs_cmd_dominators,
	&hs_cmd_top_retained,
	&hs_cmd_path,
	&hs_cmd_threads,
	&hs_cmd_snapshot,
	&hs_cmd_diff,
	&hs_cmd_check,
	&hs_cmd_index,


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
