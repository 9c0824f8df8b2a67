/*
 * source.h - byte sources: where dump bytes come from.
 *
 * A source yields the decompressed bytes of a dump, front to back, from a
 * regular file, standard input ("-"), a gzip file (including the multi-member
 * output of `jcmd GC.heap_dump -gz=N`) or a zstd file.  The compression is
 * detected from the first bytes, never from the name.
 *
 * Sources can be rewound for analyses that read the dump more than once.
 * Standard input, and a path that is no regular file (a pipe or FIFO,
 * /dev/stdin, the /dev/fd/N of a shell's <(...), a character device),
 * can be read once only, so when rewinding is asked for at open time they
 * are first spooled to an unlinked temporary file.
 */
#ifndef HEAPSCAN_SOURCE_H
#define HEAPSCAN_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "heapscan/error.h"

typedef struct hs_src hs_src;

enum hs_src_comp { HS_COMP_NONE, HS_COMP_GZIP, HS_COMP_ZSTD };

enum {
	HS_SRC_REWIND = 1   /* caller will call hs_src_rewind() */
};

/**
 * Open @p path ("-" for standard input).
 * @param[out] out  the new source, freed with hs_src_free()
 * @return 0 or a negative hs_code (missing file, directory, read error)
 */
int hs_src_open(hs_src **out, const char *path, int flags, hs_error *err);

/**
 * hs_src_open(), spooling to @p spool_dir: with HS_SRC_REWIND, an input
 * that is no regular file is copied whole, at once, to an unlinked file in
 * @p spool_dir (NULL: $TMPDIR, else /tmp), read from then on; an error
 * copying it (a full disk) is HS_EIO naming the folder.  A regular file
 * is read where it is.
 */
int hs_src_open_in(hs_src **out, const char *path, int flags, const char *spool_dir, hs_error *err);

/**
 * Read up to @p n decompressed bytes into @p buf.
 * @return the number of bytes read (0 at the end), or a negative hs_code
 */
ssize_t hs_src_read(hs_src *src, void *buf, size_t n, hs_error *err);

/**
 * The next decompressed bytes where they already are, without a copy: a
 * chunk of the read-ahead ring, or the source's own buffer.  @p *p stays
 * valid until the next call of any hs_src function on @p src.
 * @return the number of bytes at @p *p (0 at the end), or a negative hs_code
 */
ssize_t hs_src_borrow(hs_src *src, const unsigned char **p, hs_error *err);

/**
 * Skip @p n decompressed bytes; plain files seek instead of reading.
 * @return the number of bytes skipped (less than n at the end) or < 0
 */
int64_t hs_src_skip(hs_src *src, uint64_t n, hs_error *err);

/**
 * Go back to the first byte.
 * @return 0, HS_ECHANGED when the file is no longer the one opened (see
 *         hs_src_check()), or another negative hs_code
 */
int hs_src_rewind(hs_src *src, hs_error *err);

/**
 * Read ahead in a second thread during passes from the start (after open
 * or hs_src_rewind()): reading and decompressing overlap with the
 * caller's parsing.  The bytes and errors are those of direct reads.
 */
void hs_src_set_readahead(hs_src *src, int on);

/**
 * A second, independent handle on a seekable source's file (its own file
 * offset, the same file even when its name now names another or none):
 * two threads can then read two parts of one dump.  It compares with the
 * file as @p src first opened it (hs_src_check()).
 * @return 0, or a negative hs_code (the caller reads with one handle)
 */
int hs_src_dup(const hs_src *src, hs_src **out, hs_error *err);

/** Whether hs_src_seek() works: a plain (uncompressed) file or spool. */
int hs_src_can_seek(const hs_src *src);

/** Go to byte @p off of a plain file; the next read starts there. */
int hs_src_seek(hs_src *src, uint64_t off, hs_error *err);

/**
 * Is the file still the one opened?  A regular file (or the spool of
 * standard input) must have the size and modification time it had then.
 * @return 0 (also when there is nothing to compare: a pipe), HS_ECHANGED
 *         ("the dump changed while it was read", no offset), or HS_EIO
 */
int hs_src_check(const hs_src *src, hs_error *err);

/** Compression detected. */
enum hs_src_comp hs_src_compression(const hs_src *src);

/** Size of the file on disk (compressed size), or 0 when unknown (a pipe). */
uint64_t hs_src_file_size(const hs_src *src);

/** Compressed bytes consumed so far (for progress), plain: bytes read. */
uint64_t hs_src_raw_pos(const hs_src *src);

/** Release; NULL is allowed. */
void hs_src_free(hs_src *src);

#endif
