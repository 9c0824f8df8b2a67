/*
 * outfile.h - the files heapscan writes (snapshots, JUnit reports, the
 * remembered dumps): all or nothing.
 *
 * The contents go to a temporary file in the same folder (".NAME.XXXXXX"),
 * which hs_outfile_commit() flushes to the disk (fsync) and renames over
 * NAME only once complete.  So a failed write (a full disk, a file size
 * limit) or an interruption leaves the old NAME as it was, never empty or
 * half written; on an error the temporary file is removed (a process
 * killed meanwhile leaves it, never a damaged NAME).  The new file
 * gets the old one's permissions (a new one 0666 less the umask), and a
 * symbolic link is followed: the file it points at is replaced, the link
 * stays.  A NAME under /dev (/dev/stdout) or that exists and is no
 * regular file (a pipe) is written in place, there being nothing to
 * replace.
 *
 * Errors are HS_EIO with the message "NAME: cannot write: REASON" (no
 * offset); the file is named already.
 */
#ifndef HEAPSCAN_OUTFILE_H
#define HEAPSCAN_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "heapscan/error.h"

typedef struct hs_outfile {
	FILE *f;              /* write here, between open and commit or abort */
	const char *name;     /* as given, for messages */
	char *path;           /* the file replaced: NAME, or the target of its link */
	char *tmp;            /* the temporary file; NULL when writing in place */
	mode_t mode;          /* permissions of the new file */
	int has_old;          /* NAME existed: keep its owner when allowed */
	uid_t uid;
	gid_t gid;
} hs_outfile;

/** Start writing @p name.  Returns 0 (write to o->f), or HS_EIO/HS_ENOMEM
 *  and nothing to release. */
int hs_outfile_open(hs_outfile *o, const char *name, hs_error *err);

/**
 * Finish: flush, fsync, rename over the file.  Any failed write to o->f
 * since the open is an error here.  Releases @p o whatever the outcome; on
 * an error the old file is untouched and the temporary file removed.
 */
int hs_outfile_commit(hs_outfile *o, hs_error *err);

/** Give up: remove the temporary file, keep the old one; releases @p o.
 *  Does nothing on an @p o already released. */
void hs_outfile_abort(hs_outfile *o);

#endif
