/*
 * main.c - heapscan's entry point: finds the command, parses its options,
 * runs it, and turns an hs_error into one line on stderr and an exit
 * status (0 ok, 1 a check failed, 2 an error).  The only place that exits.
 *
 * Standard output is what a command answers: a write or flush of it that
 * fails (a full disk, a closed descriptor) is an error too, checked once
 * at the end of every path, since stdio keeps the first failure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "heapscan/format.h"
#include "cmd.h"

static void usage(FILE *f)
{
	int i;
	fprintf(f, "usage: heapscan COMMAND [options] [DUMP]\n\n"
		   "Analyse a Java heap dump (HPROF: .hprof, .hprof.gz, .hprof.zst, or - for stdin).\n\n"
		   "commands:\n");
	for (i = 0; hs_cmd_table[i]; i++)
		fprintf(f, "  %-14s %s\n", hs_cmd_table[i]->name, hs_cmd_table[i]->summary);
	fprintf(f, "\nWhen DUMP is left out, the dump the last heapscan command analysed from the\n"
		   "current directory is used (and named on stderr).  Most commands read DUMP\n"
		   "several times: one that changes meanwhile (overwritten, still being written)\n"
		   "is an error.\n"
		   "Run 'heapscan COMMAND --help' for a command's options; 'man heapscan' for more.\n"
		   "Exit status: 0 success, 1 a check failed, 2 an error (also output that\n"
		   "cannot be written).\n");
}

/* The message names files and quotes arguments, rules and class names:
 * printed escaped (format.h), so it stays one line of text. */
static void report(const char *path, const hs_error *err)
{
	fprintf(stderr, "heapscan: ");
	if (path)
		hs_fmt_printf(stderr, "%s: ", path);
	if (err->offset != HS_NO_OFFSET)
		fprintf(stderr, "offset %llu (0x%llx): ", (unsigned long long)err->offset,
			(unsigned long long)err->offset);
	hs_fmt_printf(stderr, "%s\n", err->msg[0] ? err->msg : hs_strerror(err->code));
}

/* Flush standard output; on a failed write or flush, say so (unless an
 * error has been reported already: one line) and make the status 2. */
static int finish_stdout(int status)
{
	int e = 0;
	if (fflush(stdout) != 0)
		e = errno;
	if (!e && !ferror(stdout))
		return status;
	if (status != HS_EXIT_ERROR)
		fprintf(stderr, "heapscan: standard output: cannot write: %s\n",
			e ? strerror(e) : "write error");
	return HS_EXIT_ERROR;
}

static int run_main(int argc, char **argv);

int main(int argc, char **argv)
{
	return finish_stdout(run_main(argc, argv));
}

static int run_main(int argc, char **argv)
{
	const struct hs_cmd *c;
	const char *why = NULL;
	hs_args a;
	hs_error err;
	int rc;

	hs_error_clear(&err);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc >= 3 && strcmp(argv[1], "help") == 0) {
			c = hs_cmd_find(argv[2], &why);
			if (!c) {
				hs_fmt_printf(stderr, "heapscan: %s command '%s' (see heapscan --help)\n", why, argv[2]);
				return HS_EXIT_ERROR;
			}
			hs_cmd_help(c, stdout);
			return HS_EXIT_OK;
		}
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? HS_EXIT_ERROR : HS_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("heapscan %s\n", PACKAGE_VERSION);
		return HS_EXIT_OK;
	}
	c = hs_cmd_find(argv[1], &why);
	if (!c) {
		hs_fmt_printf(stderr, "heapscan: %s command '%s' (see heapscan --help)\n", why, argv[1]);
		return HS_EXIT_ERROR;
	}
	rc = hs_cmd_parse(c, argc - 2, argv + 2, &a, &err);
	if (rc < 0) {
		report(NULL, &err);
		return HS_EXIT_ERROR;
	}
	if (a.set[HS_OPT_HELP]) {
		hs_cmd_help(c, stdout);
		return HS_EXIT_OK;
	}
	fflush(stdout);
	if (!(a.cli = hs_cli_new())) {
		fprintf(stderr, "heapscan: out of memory\n");
		return HS_EXIT_ERROR;
	}
	rc = c->run(&a, &err);
	hs_cli_stats_report(a.cli, stderr);
	hs_cli_delete(a.cli);
	if (rc < 0) {
		report(NULL, &err);  /* the message names the file */
		return HS_EXIT_ERROR;
	}
	return rc;
}
