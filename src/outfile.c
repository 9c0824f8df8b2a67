/*
 * outfile.c - writing a file all or nothing (see outfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "heapscan/outfile.h"

/* The longest part of NAME kept in the temporary file's name, so that
 * ".NAME.XXXXXX" stays a valid file name. */
#define TMP_BASE_MAX 200

static int fail(hs_outfile *o, int e, hs_error *err)
{
	int code = e == ENOMEM ? HS_ENOMEM : HS_EIO;
	hs_error_set(err, code, HS_NO_OFFSET, "%s: cannot write: %s", o->name, strerror(e ? e : EIO));
	hs_outfile_abort(o);
	return code;
}

static void release(hs_outfile *o)
{
	free(o->path);
	free(o->tmp);
	o->f = NULL;
	o->path = o->tmp = NULL;
}

/* A device, a pipe, a dangling link: written where it is, as by fopen. */
static int open_in_place(hs_outfile *o, hs_error *err)
{
	o->f = fopen(o->name, "wb");
	return o->f ? 0 : fail(o, errno, err);
}

int hs_outfile_open(hs_outfile *o, const char *name, hs_error *err)
{
	struct stat st;
	mode_t mask;
	const char *slash, *base;
	size_t dirlen, baselen;
	int fd;

	memset(o, 0, sizeof(*o));
	o->name = name;
	mask = umask(0);
	umask(mask);
	o->mode = 0666 & ~mask;
	if (strncmp(name, "/dev/", 5) == 0)
		return open_in_place(o, err);   /* /dev/stdout: not a file to replace */
	if (stat(name, &st) == 0) {   /* through a symbolic link */
		if (!S_ISREG(st.st_mode))
			return open_in_place(o, err);
		o->mode = st.st_mode & 07777;
		o->has_old = 1;
		o->uid = st.st_uid;
		o->gid = st.st_gid;
		o->path = realpath(name, NULL);   /* the file a link points at */
		if (!o->path)
			return fail(o, errno, err);
	} else if (errno != ENOENT) {
		return fail(o, errno, err);
	} else if (lstat(name, &st) == 0) {
		return open_in_place(o, err);     /* a link to nothing yet */
	} else {
		o->path = strdup(name);
		if (!o->path)
			return fail(o, ENOMEM, err);
	}
	/* DIR/.BASE.XXXXXX next to the file, on the same file system */
	slash = strrchr(o->path, '/');
	base = slash ? slash + 1 : o->path;
	dirlen = (size_t)(base - o->path);
	baselen = strlen(base);
	if (baselen > TMP_BASE_MAX)
		baselen = TMP_BASE_MAX;
	o->tmp = malloc(dirlen + baselen + 16);
	if (!o->tmp)
		return fail(o, ENOMEM, err);
	memcpy(o->tmp, o->path, dirlen);
	o->tmp[dirlen] = '.';
	memcpy(o->tmp + dirlen + 1, base, baselen);
	strcpy(o->tmp + dirlen + 1 + baselen, ".XXXXXX");
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno;
		free(o->tmp);
		o->tmp = NULL;   /* nothing to remove */
		return fail(o, e, err);
	}
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		int e = errno;
		close(fd);
		return fail(o, e, err);
	}
	errno = 0;   /* what a failed write to o->f leaves, for the commit */
	return 0;
}

/* Make the rename itself durable: fsync the folder (best effort; some
 * file systems refuse it). */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fsync(fd) != 0) {
		/* the file is complete either way */
	}
	close(fd);
}

int hs_outfile_commit(hs_outfile *o, hs_error *err)
{
	int e = 0;
	if (!o->f)
		return fail(o, EBADF, err);
	if (fflush(o->f) != 0)
		e = errno;
	else if (ferror(o->f))   /* an earlier write failed (and dropped its data) */
		e = errno ? errno : EIO;
	if (!e && o->tmp) {
		int fd = fileno(o->f);
		if (fsync(fd) != 0)
			e = errno;
		else if (fchmod(fd, o->mode) != 0)
			e = errno;
		if (!e && o->has_old && geteuid() == 0 && fchown(fd, o->uid, o->gid) != 0) {
			/* not allowed here (root squashed): the file is ours */
		}
	}
	if (fclose(o->f) != 0 && !e)
		e = errno;
	o->f = NULL;
	if (!e && o->tmp && rename(o->tmp, o->path) != 0)
		e = errno;
	if (e)
		return fail(o, e, err);
	if (o->tmp)
		sync_dir(o->path);
	release(o);
	return 0;
}

void hs_outfile_abort(hs_outfile *o)
{
	if (o->f)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	release(o);
}
