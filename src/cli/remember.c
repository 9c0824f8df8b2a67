/*
 * remember.c - the dump last analysed from each directory, for commands
 * whose DUMP is left out.
 *
 * The state lives in $XDG_STATE_HOME/heapscan/last-dumps (or
 * ~/.local/state/heapscan/last-dumps), never next to the dump: one line
 * "DIRECTORY<TAB>DUMP" per directory, both absolute, oldest first.  In
 * either path a backslash, TAB, newline or carriage return is written \\,
 * \t, \n or \r, so that any path fits on its line.
 *
 * Several heapscan commands may run at once (a CI job's steps, a script
 * with &): an update is read, change, write under an exclusive flock() of
 * last-dumps.lock in the same folder, and the file is replaced whole
 * (hs_outfile: all or nothing), so no update is lost and a reader, which
 * takes no lock, sees the old file or the new one.  Each update drops the
 * lines whose directory or dump no longer exists and keeps the newest
 * REMEMBER_MAX.  Only regular files are remembered: not standard input, a
 * pipe, a FIFO (reading one again would wait for a writer), nor a
 * snapshot, which never comes here.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "heapscan/outfile.h"
#include "cmd.h"

/* Directories remembered at most: the newest ones are kept. */
#define REMEMBER_MAX 200
/* How long to wait for another heapscan's update, in milliseconds. */
#define LOCK_WAIT_MS 10000

static int state_dir(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int k;
	if (xdg && *xdg)
		k = snprintf(buf, n, "%s/heapscan", xdg);
	else if (home && *home)
		k = snprintf(buf, n, "%s/.local/state/heapscan", home);
	else
		return -1;
	return k > 0 && (size_t)k < n ? 0 : -1;
}

/* mkdir -p, 0700; 0, or -1 with errno (and the folder that failed in dir) */
static int mkdirs(char *dir)
{
	char *p;
	struct stat st;
	for (p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST)
				return -1;   /* dir names the folder */
			*p = '/';
		}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	if (stat(dir, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '\\': fputs("\\\\", f); break;
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		default: fputc(*s, f);
		}
}

/* Undo put_escaped() in place; -1 for what it cannot have written. */
static int unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		switch (*++s) {
		case '\\': *o++ = '\\'; break;
		case 't': *o++ = '\t'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		default: return -1;
		}
	}
	*o = '\0';
	return 0;
}

/* Split a line of the file (its newline gone) into its two paths; -1
 * for a line that is not "DIRECTORY<TAB>DUMP" with absolute paths. */
static int parse(char *line, char **dir, char **dump)
{
	char *tab = strchr(line, '\t');
	if (!tab || strchr(tab + 1, '\t'))
		return -1;
	*tab = '\0';
	*dir = line;
	*dump = tab + 1;
	if (unescape(*dir) < 0 || unescape(*dump) < 0 || **dir != '/' || **dump != '/')
		return -1;
	return 0;
}

/* Read one line (any length) without its newline; NULL at the end. */
static char *next_line(FILE *f, char **buf, size_t *cap)
{
	ssize_t n = getline(buf, cap, f);
	if (n < 0)
		return NULL;
	if (n > 0 && (*buf)[n - 1] == '\n')
		(*buf)[n - 1] = '\0';
	return *buf;
}

int hs_cli_remembered(char *out, size_t n)
{
	char dir[PATH_MAX], file[PATH_MAX + 16], cwd[PATH_MAX], *buf = NULL, *line, *d, *p;
	size_t cap = 0;
	FILE *f;
	int found = 0;

	if (state_dir(dir, sizeof(dir)) < 0 || !getcwd(cwd, sizeof(cwd)))
		return -1;
	snprintf(file, sizeof(file), "%s/last-dumps", dir);
	f = fopen(file, "r");
	if (!f)
		return -1;
	while ((line = next_line(f, &buf, &cap)))
		if (parse(line, &d, &p) == 0 && strcmp(d, cwd) == 0 && strlen(p) < n) {
			memcpy(out, p, strlen(p) + 1);
			found = 1;   /* the last line for it wins */
		}
	free(buf);
	fclose(f);
	return found ? 0 : -1;
}

/* Gone for good: a path that does not exist (any other error keeps it). */
static int gone(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 && (errno == ENOENT || errno == ENOTDIR);
}

/* An exclusive lock of @p fd, waiting up to LOCK_WAIT_MS; 0 or -1. */
static int lock_wait(int fd)
{
	struct timespec pause = { 0, 5 * 1000 * 1000 };
	long waited = 0;
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (waited >= LOCK_WAIT_MS) {
			errno = EWOULDBLOCK;
			return -1;
		}
		nanosleep(&pause, NULL);
		waited += 5;
	}
}

struct entry {
	char *dir, *dump;
};

int hs_cli_remember(const char *path, char *why, size_t n)
{
	char dir[PATH_MAX], file[PATH_MAX + 16], lock[PATH_MAX + 16], cwd[PATH_MAX], abs[PATH_MAX];
	char *buf = NULL, *line;
	size_t cap = 0, ne = 0, ecap = 0, i, first;
	struct entry *e = NULL;
	struct stat st;
	hs_outfile o;
	hs_error err;
	FILE *in;
	int fd, rc = -1;

	why[0] = '\0';
	if (strcmp(path, "-") == 0 || state_dir(dir, sizeof(dir)) < 0)
		return 0;   /* nothing to remember, or nowhere to */
	if (!realpath(path, abs) || stat(abs, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;   /* a pipe, /dev/stdin, <(...): not to be read again */
	if (!getcwd(cwd, sizeof(cwd))) {
		snprintf(why, n, "cannot tell the current directory: %s", strerror(errno));
		return -1;
	}
	snprintf(file, sizeof(file), "%s/last-dumps", dir);
	snprintf(lock, sizeof(lock), "%s/last-dumps.lock", dir);
	if (mkdirs(dir) < 0) {
		snprintf(why, n, "%s: cannot create the folder: %s", dir, strerror(errno));
		return -1;
	}
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(why, n, "%s: %s", lock, strerror(errno));
		return -1;
	}
	if (lock_wait(fd) < 0) {
		if (errno == EWOULDBLOCK)
			snprintf(why, n, "%s: another heapscan kept it locked for %d s", lock, LOCK_WAIT_MS / 1000);
		else
			snprintf(why, n, "%s: cannot lock: %s", lock, strerror(errno));
		close(fd);
		return -1;
	}
	/* the other directories' entries that still mean something */
	in = fopen(file, "r");
	if (!in && errno != ENOENT) {
		snprintf(why, n, "%s: cannot read: %s", file, strerror(errno));
		goto done;
	}
	while (in && (line = next_line(in, &buf, &cap))) {
		char *d, *p;
		if (parse(line, &d, &p) < 0 || strcmp(d, cwd) == 0 || gone(d) || gone(p))
			continue;
		if (ne == ecap) {
			size_t nc = ecap ? ecap * 2 : 64;
			struct entry *ne2 = realloc(e, nc * sizeof(*e));
			if (!ne2)
				goto oom;
			e = ne2;
			ecap = nc;
		}
		e[ne].dir = strdup(d);
		e[ne].dump = strdup(p);
		if (!e[ne].dir || !e[ne].dump) {
			free(e[ne].dir);
			free(e[ne].dump);
			goto oom;
		}
		ne++;
	}
	if (in && ferror(in)) {
		snprintf(why, n, "%s: cannot read: %s", file, strerror(errno));
		fclose(in);
		goto done;
	}
	if (in)
		fclose(in);
	if (hs_outfile_open(&o, file, &err) < 0) {
		snprintf(why, n, "%s", err.msg);
		goto done;
	}
	first = ne + 1 > REMEMBER_MAX ? ne + 1 - REMEMBER_MAX : 0;
	for (i = first; i < ne; i++) {
		put_escaped(o.f, e[i].dir);
		fputc('\t', o.f);
		put_escaped(o.f, e[i].dump);
		fputc('\n', o.f);
	}
	put_escaped(o.f, cwd);
	fputc('\t', o.f);
	put_escaped(o.f, abs);
	fputc('\n', o.f);
	if (hs_outfile_commit(&o, &err) < 0) {
		snprintf(why, n, "%s", err.msg);
		goto done;
	}
	rc = 0;
	goto done;
oom:
	snprintf(why, n, "out of memory");   /* rather than drop the others' lines */
	fclose(in);
done:
	close(fd);   /* and the lock with it */
	for (i = 0; i < ne; i++) {
		free(e[i].dir);
		free(e[i].dump);
	}
	free(e);
	free(buf);
	return rc;
}
