/*
 * source.c - byte sources: plain files, stdin, gzip (zlib) and zstd.
 *
 * Standard input and other inputs that are no regular file (pipes, FIFOs,
 * /dev/stdin, <(...)) are copied to an unlinked file at open when they are
 * to be read again (HS_SRC_REWIND): see spool().
 *
 * Data structure: one hs_src owns a file descriptor and, for compressed
 * input, a decompressor with its own input buffer of RAW_BUF bytes.  The
 * decompressed output goes straight into the caller's buffer, so the source
 * adds no copy for plain files and one for compressed ones.
 *
 * gzip: jcmd writes a multi-member gzip file (one member per chunk), so at
 * the end of each member inflate is reset and continues while input remains.
 *
 * Read-ahead (hs_src_set_readahead): a whole pass from the start can be
 * read and decompressed by a second thread while the caller parses.  The
 * thread fills a ring of NBUF chunks of CHUNK bytes with what a direct
 * read gives (the same bytes, the same errors, in the same order); the
 * caller copies out of the ring (hs_src_read) or borrows a chunk where it
 * is (hs_src_borrow: the HPROF reader parses the ring's chunks in place,
 * which saves copying the whole dump once more; the chunk goes back to
 * the thread at the caller's next call).  A seek, skip or rewind stops the thread
 * first, so the source is only ever used by one thread at a time; a read
 * in a pass from the start (after open or rewind, skips included) starts
 * it again, reads after a seek (a few spans) do not.
 * A regular file's size and modification time are kept from the open:
 * hs_src_check() and every rewind compare them with the file's, so that a
 * later pass does not read a file overwritten or still being written
 * (cp over the dump, -XX:+HeapDumpOnOutOfMemoryError) as if it were the
 * one the first pass read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pthread.h>
#include <zlib.h>
#include <zstd.h>

#include "heapscan/source.h"

/* Input chunk for decompressors: large enough to amortise read() calls. */
#define RAW_BUF (1u << 20)
/* Read-ahead ring: NBUF chunks of CHUNK decompressed bytes (4 MiB: it
 * only has to cover the jitter between reading and parsing). */
#define NBUF 4
#define CHUNK (1u << 20)

struct ahead {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int running, stop;
	int lent;                  /* buf[head] is lent out (hs_src_borrow) */
	unsigned char *buf[NBUF];
	size_t len[NBUF];
	uint64_t raw_end[NBUF];    /* raw_pos after the chunk was read */
	int head, count;           /* chunks ready: head .. head + count */
	size_t pos;                /* consumed of buf[head] */
	int done;                  /* the producer reached the end or an error */
	int rc;                    /* 0 end, or the error, after the chunks */
	hs_error err;
	uint64_t raw_pos;          /* raw_pos of what the caller consumed */
	uint64_t consumed;         /* plain files: the caller's offset */
};

struct hs_src {
	int fd;
	int owns_fd;
	int seekable;
	char *path;
	enum hs_src_comp comp;
	uint64_t file_size;
	/* the file as opened (regular files only): size and mtime */
	int has_ident;
	uint64_t ident_size;
	struct timespec ident_mtime;
	uint64_t raw_pos;      /* bytes taken from fd */
	/* bytes read at open to detect the format, replayed first */
	unsigned char peek[8];
	size_t peek_len, peek_pos;
	/* decompressors */
	unsigned char *raw;
	size_t raw_len, raw_pos_in;
	int raw_eof;
	z_stream z;
	int z_init;
	int z_member_done;
	ZSTD_DStream *zs;
	int zs_frame_done;
	/* an error met after some bytes were produced: those are returned
	 * first, the error on the next call */
	int pending;
	hs_error pending_err;
	size_t partial;     /* bytes produced by the current read call */
	int readahead;      /* hs_src_set_readahead() */
	int sequential;     /* a pass from the start (open, rewind), not seeks */
	struct ahead *ah;   /* the read-ahead thread, when running */
	unsigned char *lend;   /* hs_src_borrow()'s chunk without read-ahead */
};

static ssize_t read_fd(hs_src *s, void *buf, size_t n, hs_error *err)
{
	for (;;) {
		ssize_t r = read(s->fd, buf, n);
		if (r >= 0) {
			s->raw_pos += (uint64_t)r;
			return r;
		}
		if (errno == EINTR)
			continue;
		return hs_error_set(err, HS_EIO, s->raw_pos, "cannot read: %s", strerror(errno));
	}
}

/* Remember what the file is now, for hs_src_check(). */
static void keep_ident(hs_src *s, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return;
	s->has_ident = 1;
	s->ident_size = (uint64_t)st->st_size;
	s->ident_mtime = st->st_mtim;
}

/* Raw bytes, first the peeked ones. */
static ssize_t read_raw(hs_src *s, void *buf, size_t n, hs_error *err)
{
	if (s->peek_pos < s->peek_len) {
		size_t k = s->peek_len - s->peek_pos;
		if (k > n)
			k = n;
		memcpy(buf, s->peek + s->peek_pos, k);
		s->peek_pos += k;
		return (ssize_t)k;
	}
	return read_fd(s, buf, n, err);
}

static int fill_raw(hs_src *s, hs_error *err)
{
	ssize_t r;

	if (s->raw_pos_in < s->raw_len || s->raw_eof)
		return 0;
	r = read_raw(s, s->raw, RAW_BUF, err);
	if (r < 0)
		return (int)r;
	s->raw_len = (size_t)r;
	s->raw_pos_in = 0;
	if (r == 0)
		s->raw_eof = 1;
	return 0;
}

static int detect(hs_src *s, hs_error *err)
{
	size_t have = 0;

	while (have < 4) {
		ssize_t r = read_fd(s, s->peek + have, 4 - have, err);
		if (r < 0)
			return (int)r;
		if (r == 0)
			break;
		have += (size_t)r;
	}
	s->peek_len = have;
	s->peek_pos = 0;
	s->comp = HS_COMP_NONE;
	if (have >= 2 && s->peek[0] == 0x1f && s->peek[1] == 0x8b)
		s->comp = HS_COMP_GZIP;
	else if (have >= 4 && s->peek[0] == 0x28 && s->peek[1] == 0xb5 &&
		 s->peek[2] == 0x2f && s->peek[3] == 0xfd)
		s->comp = HS_COMP_ZSTD;
	return 0;
}

static int start_decoder(hs_src *s, hs_error *err)
{
	if (s->comp == HS_COMP_NONE)
		return 0;
	if (!s->raw) {
		s->raw = malloc(RAW_BUF);
		if (!s->raw)
			return hs_error_oom(err, NULL);
	}
	s->raw_len = s->raw_pos_in = 0;
	s->raw_eof = 0;
	if (s->comp == HS_COMP_GZIP) {
		if (s->z_init)
			inflateEnd(&s->z);
		memset(&s->z, 0, sizeof(s->z));
		if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
			return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "cannot start gzip decoder");
		s->z_init = 1;
		s->z_member_done = 0;
	} else {
		if (!s->zs)
			s->zs = ZSTD_createDStream();
		if (!s->zs)
			return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "cannot start zstd decoder");
		ZSTD_initDStream(s->zs);
		s->zs_frame_done = 0;
	}
	return 0;
}

/* Copy what is left of the input (standard input, a pipe) to an unlinked
 * temporary file in @p dir (NULL: $TMPDIR, else /tmp), and read that from
 * now on: it can be read again. */
static int spool(hs_src *s, const char *dir, hs_error *err)
{
	char tmpl[4096];
	unsigned char *buf;
	int fd;

	if (!dir || !*dir)
		dir = getenv("TMPDIR");
	snprintf(tmpl, sizeof(tmpl), "%s/heapscan-spool-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(tmpl);
	if (fd < 0)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET,
				    "cannot copy the input to a temporary file in %s (to read it more than once): %s",
				    dir && *dir ? dir : "/tmp", strerror(errno));
	unlink(tmpl);
	buf = malloc(RAW_BUF);
	if (!buf) {
		close(fd);
		return hs_error_oom(err, NULL);
	}
	for (;;) {
		ssize_t r = read_fd(s, buf, RAW_BUF, err), w = 0;
		if (r < 0) {
			free(buf);
			close(fd);
			return (int)r;
		}
		if (r == 0)
			break;
		while (w < r) {
			ssize_t k = write(fd, buf + w, (size_t)(r - w));
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0) {
				int e = k < 0 ? errno : ENOSPC;
				free(buf);
				close(fd);
				return hs_error_set(err, HS_EIO, HS_NO_OFFSET,
						    "cannot copy the input to a temporary file in %s (to read it more than once): %s",
						    dir && *dir ? dir : "/tmp", strerror(e));
			}
			w += k;
		}
	}
	free(buf);
	if (s->owns_fd)
		close(s->fd);
	s->fd = fd;
	s->owns_fd = 1;
	s->seekable = 1;
	s->file_size = s->raw_pos;
	s->raw_pos = 0;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot rewind spool file");
	{
		struct stat st;
		if (fstat(fd, &st) == 0)
			keep_ident(s, &st);
	}
	return 0;
}

int hs_src_open(hs_src **out, const char *path, int flags, hs_error *err)
{
	return hs_src_open_in(out, path, flags, NULL, err);
}

int hs_src_open_in(hs_src **out, const char *path, int flags, const char *spool_dir, hs_error *err)
{
	hs_src *s;
	struct stat st;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return hs_error_oom(err, NULL);
	}
	if (strcmp(path, "-") == 0) {
		s->fd = STDIN_FILENO;
		if (fstat(s->fd, &st) < 0) {
			rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot stat: %s", strerror(errno));
			goto fail;
		}
	} else {
		s->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->fd < 0) {
			rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot open: %s", strerror(errno));
			goto fail;
		}
		s->owns_fd = 1;
		if (fstat(s->fd, &st) < 0) {
			rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot stat: %s", strerror(errno));
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "is a directory, not a heap dump");
			goto fail;
		}
	}
	if (S_ISREG(st.st_mode)) {
		s->seekable = 1;
		s->file_size = (uint64_t)st.st_size;
		keep_ident(s, &st);
#ifdef POSIX_FADV_SEQUENTIAL
		if (s->owns_fd)
			posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	} else if (flags & HS_SRC_REWIND) {
		/* a pipe, a FIFO, /dev/stdin, <(...): read once, so copied */
		rc = spool(s, spool_dir, err);
		if (rc < 0)
			goto fail;
	}
	rc = detect(s, err);
	if (rc < 0)
		goto fail;
	rc = start_decoder(s, err);
	if (rc < 0)
		goto fail;
	s->sequential = 1;
	*out = s;
	return 0;
fail:
	hs_src_free(s);
	return rc;
}

static ssize_t read_gzip(hs_src *s, unsigned char *buf, size_t n, hs_error *err)
{
	size_t produced = 0;
	s->partial = 0;

	while (produced < n) {
		int zr;
		int rc = fill_raw(s, err);
		if (rc < 0)
			return rc;
		if (s->z_member_done) {
			/* another member follows, or the end */
			if (s->raw_pos_in >= s->raw_len && s->raw_eof)
				break;
			inflateReset(&s->z);
			s->z_member_done = 0;
		}
		if (s->raw_pos_in >= s->raw_len && s->raw_eof)
			return hs_error_set(err, HS_ETRUNC, HS_NO_OFFSET,
					    "gzip stream ends early (truncated .gz file)");
		s->z.next_in = s->raw + s->raw_pos_in;
		s->z.avail_in = (uInt)(s->raw_len - s->raw_pos_in);
		s->z.next_out = buf + produced;
		s->z.avail_out = (uInt)(n - produced > (1u << 30) ? (1u << 30) : n - produced);
		{
			uInt before_out = s->z.avail_out;
			zr = inflate(&s->z, Z_NO_FLUSH);
			produced += before_out - s->z.avail_out;
			s->partial = produced;
		}
		s->raw_pos_in = s->raw_len - s->z.avail_in;
		if (zr == Z_STREAM_END)
			s->z_member_done = 1;
		else if (zr == Z_BUF_ERROR)
			continue;
		else if (zr != Z_OK)
			return hs_error_set(err, HS_EFORMAT, HS_NO_OFFSET, "corrupt gzip data: %s",
					    s->z.msg ? s->z.msg : "inflate failed");
		if (produced > 0 && s->raw_pos_in >= s->raw_len)
			break; /* return what we have rather than block on more input */
	}
	return (ssize_t)produced;
}

static ssize_t read_zstd(hs_src *s, unsigned char *buf, size_t n, hs_error *err)
{
	ZSTD_outBuffer ob = { buf, n, 0 };
	s->partial = 0;

	while (ob.pos < ob.size) {
		ZSTD_inBuffer ib;
		size_t zr;
		int rc = fill_raw(s, err);
		if (rc < 0)
			return rc;
		if (s->raw_pos_in >= s->raw_len && s->raw_eof) {
			if (!s->zs_frame_done)
				return hs_error_set(err, HS_ETRUNC, HS_NO_OFFSET,
						    "zstd stream ends early (truncated .zst file)");
			break;
		}
		ib.src = s->raw + s->raw_pos_in;
		ib.size = s->raw_len - s->raw_pos_in;
		ib.pos = 0;
		zr = ZSTD_decompressStream(s->zs, &ob, &ib);
		s->raw_pos_in += ib.pos;
		s->partial = ob.pos;
		if (ZSTD_isError(zr))
			return hs_error_set(err, HS_EFORMAT, HS_NO_OFFSET, "corrupt zstd data: %s",
					    ZSTD_getErrorName(zr));
		s->zs_frame_done = (zr == 0);
		if (ob.pos > 0 && s->raw_pos_in >= s->raw_len)
			break;
	}
	return (ssize_t)ob.pos;
}

static ssize_t direct_read(hs_src *s, void *buf, size_t n, hs_error *err)
{
	ssize_t r;
	if (s->pending) {
		s->pending = 0;
		if (err)
			*err = s->pending_err;
		return s->pending_err.code;
	}
	switch (s->comp) {
	case HS_COMP_GZIP: r = read_gzip(s, buf, n, err); break;
	case HS_COMP_ZSTD: r = read_zstd(s, buf, n, err); break;
	default: return read_raw(s, buf, n, err);
	}
	if (r < 0 && s->partial > 0) {
		/* deliver what was decompressed before the error */
		s->pending = 1;
		if (err)
			s->pending_err = *err;
		else
			hs_error_set(&s->pending_err, (int)r, HS_NO_OFFSET, "%s", hs_strerror((int)r));
		r = (ssize_t)s->partial;
	}
	return r;
}

/* ---- read-ahead ---------------------------------------------------- */

static void *ahead_main(void *arg)
{
	hs_src *s = arg;
	struct ahead *a = s->ah;
	for (;;) {
		int slot;
		ssize_t r;
		hs_error e;
		pthread_mutex_lock(&a->mu);
		while (a->count == NBUF && !a->stop)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->stop) {
			pthread_mutex_unlock(&a->mu);
			break;
		}
		slot = (a->head + a->count) % NBUF;
		pthread_mutex_unlock(&a->mu);
		hs_error_clear(&e);
		r = direct_read(s, a->buf[slot], CHUNK, &e);
		pthread_mutex_lock(&a->mu);
		if (r > 0) {
			a->len[slot] = (size_t)r;
			a->raw_end[slot] = s->raw_pos;
			a->count++;
		} else {
			a->done = 1;
			a->rc = (int)r;
			a->err = e;
		}
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		if (r <= 0)
			break;
	}
	return NULL;
}

/* Start the thread; 0 when it could not be (the caller reads directly). */
static int ahead_start(hs_src *s)
{
	struct ahead *a = calloc(1, sizeof(*a));
	int i;
	if (!a)
		return 0;
	for (i = 0; i < NBUF; i++)
		if (!(a->buf[i] = malloc(CHUNK)))
			goto fail;
	if (pthread_mutex_init(&a->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&a->cv, NULL) != 0) {
		pthread_mutex_destroy(&a->mu);
		goto fail;
	}
	a->raw_pos = s->raw_pos;
	/* for a plain file, the stream offset the caller stands at */
	a->consumed = s->raw_pos - (s->peek_len - s->peek_pos);
	s->ah = a;
	if (pthread_create(&a->th, NULL, ahead_main, s) != 0) {
		s->ah = NULL;
		pthread_cond_destroy(&a->cv);
		pthread_mutex_destroy(&a->mu);
		goto fail;
	}
	a->running = 1;
	return 1;
fail:
	for (i = 0; i < NBUF; i++)
		free(a->buf[i]);
	free(a);
	return 0;
}

/* Stop the thread and forget what it read ahead (the caller then seeks
 * or rewinds: where the source stands afterwards does not matter). */
static void ahead_stop(hs_src *s)
{
	struct ahead *a = s->ah;
	int i;
	if (!a)
		return;
	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->th, NULL);
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->mu);
	for (i = 0; i < NBUF; i++)
		free(a->buf[i]);
	free(a);
	s->ah = NULL;
}

/* The chunk at head is used up: it goes back to the thread. */
static void ahead_next(struct ahead *a)
{
	pthread_mutex_lock(&a->mu);
	a->raw_pos = a->raw_end[a->head];
	a->head = (a->head + 1) % NBUF;
	a->count--;
	a->pos = 0;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
}

/* The chunk lent by hs_src_borrow() goes back to the thread. */
static void ahead_give_back(struct ahead *a)
{
	if (!a->lent)
		return;
	a->lent = 0;
	ahead_next(a);
}

/* Wait for a chunk; 1 when there is one, else the end (0) or the error. */
static int ahead_wait(struct ahead *a, hs_error *err)
{
	int rc = 1;
	pthread_mutex_lock(&a->mu);
	while (a->count == 0 && !a->done)
		pthread_cond_wait(&a->cv, &a->mu);
	if (a->count == 0) {
		rc = a->rc;
		if (rc < 0 && err)
			*err = a->err;
	}
	pthread_mutex_unlock(&a->mu);
	return rc;
}

static ssize_t ahead_read(hs_src *s, unsigned char *buf, size_t n, hs_error *err)
{
	struct ahead *a = s->ah;
	size_t k;
	ahead_give_back(a);
	pthread_mutex_lock(&a->mu);
	while (a->count == 0 && !a->done)
		pthread_cond_wait(&a->cv, &a->mu);
	if (a->count == 0) {
		int rc = a->rc;
		if (rc < 0 && err)
			*err = a->err;
		pthread_mutex_unlock(&a->mu);
		return rc;
	}
	pthread_mutex_unlock(&a->mu);
	/* buf[head] is the caller's until it is handed back */
	k = a->len[a->head] - a->pos;
	if (k > n)
		k = n;
	if (buf)   /* NULL: skipped */
		memcpy(buf, a->buf[a->head] + a->pos, k);
	a->pos += k;
	a->consumed += k;
	if (a->pos == a->len[a->head])
		ahead_next(a);
	return (ssize_t)k;
}

void hs_src_set_readahead(hs_src *s, int on)
{
	if (!on)
		ahead_stop(s);
	s->readahead = on;
}

ssize_t hs_src_borrow(hs_src *s, const unsigned char **p, hs_error *err)
{
	ssize_t r;
	if (!s->ah && s->readahead && s->sequential)
		ahead_start(s);
	if (s->ah) {
		struct ahead *a = s->ah;
		int rc;
		size_t k;
		ahead_give_back(a);
		rc = ahead_wait(a, err);
		if (rc <= 0)
			return rc;
		/* buf[head] is the caller's until its next call */
		k = a->len[a->head] - a->pos;
		*p = a->buf[a->head] + a->pos;
		a->pos = a->len[a->head];
		a->consumed += k;
		a->lent = 1;
		return (ssize_t)k;
	}
	if (!s->lend && !(s->lend = malloc(CHUNK)))
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	r = direct_read(s, s->lend, CHUNK, err);
	if (r > 0)
		*p = s->lend;
	return r;
}

ssize_t hs_src_read(hs_src *s, void *buf, size_t n, hs_error *err)
{
	if (!s->ah && s->readahead && s->sequential && n > 0)
		ahead_start(s);
	if (s->ah)
		return ahead_read(s, buf, n, err);
	return direct_read(s, buf, n, err);
}

int64_t hs_src_skip(hs_src *s, uint64_t n, hs_error *err)
{
	uint64_t done = 0;
	unsigned char tmp[65536];

	if (s->ah && n > (uint64_t)NBUF * CHUNK && s->comp == HS_COMP_NONE && s->seekable) {
		/* a skip longer than the ring in a plain file: stop reading
		 * ahead and seek from where the caller stands */
		uint64_t at = s->ah->consumed;
		ahead_stop(s);
		s->peek_pos = s->peek_len;      /* the seek is absolute */
		if (lseek(s->fd, (off_t)at, SEEK_SET) < 0)
			return hs_error_set(err, HS_EIO, at, "cannot seek: %s", strerror(errno));
		s->raw_pos = at;
	}
	if (!s->ah && s->comp == HS_COMP_NONE && s->seekable && s->peek_pos >= s->peek_len) {
		uint64_t left = s->file_size > s->raw_pos ? s->file_size - s->raw_pos : 0;
		uint64_t k = n < left ? n : left;
		if (lseek(s->fd, (off_t)k, SEEK_CUR) < 0)
			return hs_error_set(err, HS_EIO, s->raw_pos, "cannot seek: %s", strerror(errno));
		s->raw_pos += k;
		return (int64_t)k;
	}
	/* read through: compressed data, or what is read ahead anyway (the
	 * ring's chunks are passed over without a copy) */
	while (done < n) {
		uint64_t left = n - done;
		ssize_t r = s->ah ? ahead_read(s, NULL, left > CHUNK ? CHUNK : (size_t)left, err)
				  : hs_src_read(s, tmp, left > sizeof(tmp) ? sizeof(tmp) : (size_t)left, err);
		if (r < 0)
			return r;
		if (r == 0)
			break;
		done += (uint64_t)r;
	}
	return (int64_t)done;
}

int hs_src_check(const hs_src *s, hs_error *err)
{
	struct stat st;
	if (!s->has_ident)
		return 0;
	if (fstat(s->fd, &st) < 0)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot stat: %s", strerror(errno));
	if ((uint64_t)st.st_size != s->ident_size || st.st_mtim.tv_sec != s->ident_mtime.tv_sec ||
	    st.st_mtim.tv_nsec != s->ident_mtime.tv_nsec)
		return hs_error_set(err, HS_ECHANGED, HS_NO_OFFSET, "%s", hs_strerror(HS_ECHANGED));
	return 0;
}

int hs_src_rewind(hs_src *s, hs_error *err)
{
	int rc;
	ahead_stop(s);
	s->sequential = 1;
	rc = hs_src_check(s, err);
	if (rc < 0)
		return rc;
	if (!s->seekable)   /* opened without HS_SRC_REWIND */
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot read a pipe more than once");
	if (lseek(s->fd, 0, SEEK_SET) < 0)
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot seek: %s", strerror(errno));
	s->raw_pos = 0;
	s->peek_len = s->peek_pos = 0;
	s->pending = 0;
	return start_decoder(s, err);
}

int hs_src_dup(const hs_src *s, hs_src **out, hs_error *err)
{
	char proc[64];
	struct stat a, b;
	hs_src *n;

	*out = NULL;
	if (!hs_src_can_seek(s))
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				    "internal: a second handle on a compressed or unseekable source");
	n = calloc(1, sizeof(*n));
	if (!n || !(n->path = s->path ? strdup(s->path) : NULL)) {
		free(n);
		return hs_error_oom(err, NULL);
	}
	/* the open file itself, not its name (a spool has none) */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", s->fd);
	n->fd = open(proc, O_RDONLY | O_CLOEXEC);
	if (n->fd < 0 || fstat(n->fd, &a) < 0 || fstat(s->fd, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino) {
		if (n->fd >= 0)
			close(n->fd);
		free(n->path);
		free(n);
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot open the input a second time");
	}
	n->owns_fd = 1;
	n->seekable = 1;
	n->comp = HS_COMP_NONE;
	n->file_size = s->file_size;
	n->has_ident = s->has_ident;
	n->ident_size = s->ident_size;
	n->ident_mtime = s->ident_mtime;
	*out = n;
	return 0;
}

int hs_src_can_seek(const hs_src *s)
{
	return s->comp == HS_COMP_NONE && s->seekable;
}

int hs_src_seek(hs_src *s, uint64_t off, hs_error *err)
{
	if (!hs_src_can_seek(s))
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				    "internal: seek on a compressed or unseekable source");
	ahead_stop(s);
	s->sequential = 0;
	if (lseek(s->fd, (off_t)off, SEEK_SET) < 0)
		return hs_error_set(err, HS_EIO, off, "cannot seek: %s", strerror(errno));
	s->raw_pos = off;
	s->peek_len = s->peek_pos = 0;
	s->pending = 0;
	return 0;
}

enum hs_src_comp hs_src_compression(const hs_src *s) { return s->comp; }
uint64_t hs_src_file_size(const hs_src *s) { return s->file_size; }
uint64_t hs_src_raw_pos(const hs_src *s)
{
	/* while reading ahead, what the caller consumed (whole chunks) */
	return s->ah ? s->ah->raw_pos : s->raw_pos;
}

void hs_src_free(hs_src *s)
{
	if (!s)
		return;
	ahead_stop(s);
	if (s->owns_fd && s->fd >= 0)
		close(s->fd);
	if (s->z_init)
		inflateEnd(&s->z);
	if (s->zs)
		ZSTD_freeDStream(s->zs);
	free(s->raw);
	free(s->lend);
	free(s->path);
	free(s);
}
