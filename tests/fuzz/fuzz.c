/*
 * fuzz.c - helpers of the fuzz targets (see fuzz.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "heapscan/rules.h"
#include "fuzz.h"

static char dir[4096];
static pid_t dir_pid;

static void remove_dir(void)
{
	DIR *d;
	struct dirent *e;
	char p[8192];
	if (!dir[0] || dir_pid != getpid())
		return;
	d = opendir(dir);
	if (d) {
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
				unlink(p);
			}
		closedir(d);
	}
	rmdir(dir);
}

const char *hs_fuzz_dir(void)
{
	const char *t = getenv("HS_FUZZ_TMPDIR");
	if (dir[0])
		return dir;
	if (!t || !*t)
		t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/heapscan-fuzz.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(dir))
		hs_fuzz_fail("cannot make a folder %s", dir);
	dir_pid = getpid();
	atexit(remove_dir);
	return dir;
}

const char *hs_fuzz_file(int slot, const uint8_t *data, size_t size)
{
	static int fd[4] = { -1, -1, -1, -1 };
	static char path[4][4200];
	size_t done = 0;
	if (slot < 0 || slot > 3)
		hs_fuzz_fail("hs_fuzz_file: slot %d", slot);
	if (fd[slot] < 0) {
#ifdef MFD_CLOEXEC
		fd[slot] = memfd_create("heapscan-fuzz", MFD_CLOEXEC);
		if (fd[slot] >= 0)
			snprintf(path[slot], sizeof(path[slot]), "/proc/self/fd/%d", fd[slot]);
#endif
		if (fd[slot] < 0) {
			snprintf(path[slot], sizeof(path[slot]), "%s/input%d", hs_fuzz_dir(), slot);
			fd[slot] = open(path[slot], O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		}
		if (fd[slot] < 0)
			hs_fuzz_fail("cannot make a file for the input");
	}
	if (ftruncate(fd[slot], 0) != 0)
		hs_fuzz_fail("cannot empty %s", path[slot]);
	while (done < size) {
		ssize_t k = pwrite(fd[slot], data + done, size - done, (off_t)done);
		if (k <= 0)
			hs_fuzz_fail("cannot write %s", path[slot]);
		done += (size_t)k;
	}
	return path[slot];
}

void hs_fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "heapscan fuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

void hs_fuzz_check(int rc, const hs_error *err, const char *call)
{
	if (rc == 0)
		return;
	if (rc < HS_ECHANGED || rc > HS_ENOMEM)
		hs_fuzz_fail("%s returned %d, not a code of error.h", call, rc);
	if (err->code != rc)
		hs_fuzz_fail("%s returned %d but set error code %d (%s)", call, rc, err->code, err->msg);
	if (!err->msg[0])
		hs_fuzz_fail("%s returned %d (%s) without a message", call, rc, hs_strerror(rc));
}

/* ---- summaries and rules --------------------------------------------- */

static const char *str(const char *s)
{
	return s ? s : "";
}

#define SAME_STR(what, a, b) do { if (strcmp(str(a), str(b))) \
		hs_fuzz_fail("snapshot round trip: %s '%s' came back as '%s'", (what), str(a), str(b)); } while (0)
#define SAME_NUM(what, a, b) do { if ((uint64_t)(a) != (uint64_t)(b)) \
		hs_fuzz_fail("snapshot round trip: %s %llu came back as %llu", (what), \
			     (unsigned long long)(a), (unsigned long long)(b)); } while (0)

static void same(const hs_summary *a, const hs_summary *b)
{
	uint32_t i;
	SAME_STR("heapscan", a->heapscan_version, b->heapscan_version);
	SAME_STR("dump", a->dump, b->dump);
	SAME_STR("format", a->format, b->format);
	SAME_NUM("idsize", a->idsize, b->idsize);
	SAME_NUM("timestamp", a->timestamp_ms, b->timestamp_ms);
	SAME_NUM("file size", a->file_size, b->file_size);
	SAME_NUM("reachable bytes", a->reachable_bytes, b->reachable_bytes);
	SAME_NUM("reachable objects", a->reachable_objects, b->reachable_objects);
	SAME_NUM("unreachable objects", a->unreachable_objects, b->unreachable_objects);
	SAME_NUM("unreachable bytes", a->unreachable_bytes, b->unreachable_bytes);
	SAME_NUM("threads", a->threads_total, b->threads_total);
	SAME_NUM("version", a->version, b->version);
	SAME_NUM("class rows", a->nclasses, b->nclasses);
	for (i = 0; i < a->nclasses; i++) {
		SAME_STR("class", a->classes[i].name, b->classes[i].name);
		SAME_NUM("class instances", a->classes[i].instances, b->classes[i].instances);
		SAME_NUM("class shallow", a->classes[i].shallow, b->classes[i].shallow);
		SAME_NUM("class retained", a->classes[i].retained, b->classes[i].retained);
	}
	SAME_NUM("prefix rows", a->nprefixes, b->nprefixes);
	for (i = 0; i < a->nprefixes; i++) {
		SAME_STR("prefix", a->prefixes[i].name, b->prefixes[i].name);
		SAME_NUM("prefix retained", a->prefixes[i].retained, b->prefixes[i].retained);
		SAME_NUM("prefix instances", a->prefixes[i].instances, b->prefixes[i].instances);
		SAME_NUM("prefix shallow", a->prefixes[i].shallow, b->prefixes[i].shallow);
		SAME_NUM("prefix classes", a->prefixes[i].classes, b->prefixes[i].classes);
	}
	SAME_NUM("thread rows", a->nthreads, b->nthreads);
	for (i = 0; i < a->nthreads; i++) {
		SAME_STR("thread", a->threads[i].name, b->threads[i].name);
		SAME_NUM("thread retained", a->threads[i].retained, b->threads[i].retained);
		SAME_NUM("thread objects", a->threads[i].objects, b->threads[i].objects);
		SAME_STR("thread held class", a->threads[i].held_class, b->threads[i].held_class);
		SAME_NUM("thread held", a->threads[i].held_retained, b->threads[i].held_retained);
		SAME_NUM("thread held entries", a->threads[i].held_entries, b->threads[i].held_entries);
	}
	SAME_NUM("loader rows", a->nloaders, b->nloaders);
	for (i = 0; i < a->nloaders; i++) {
		SAME_STR("loader", a->loaders[i].name, b->loaders[i].name);
		SAME_NUM("loader retained", a->loaders[i].retained, b->loaders[i].retained);
		SAME_NUM("loader objects", a->loaders[i].objects, b->loaders[i].objects);
	}
	SAME_NUM("dominator rows", a->ndoms, b->ndoms);
	for (i = 0; i < a->ndoms; i++) {
		SAME_STR("dominator", a->doms[i].name, b->doms[i].name);
		SAME_NUM("dominator retained", a->doms[i].retained, b->doms[i].retained);
		SAME_NUM("dominator shallow", a->doms[i].shallow, b->doms[i].shallow);
		if (a->version >= 2) {
			SAME_NUM("dominator objects", a->doms[i].objects, b->doms[i].objects);
			SAME_STR("dominator shape", a->doms[i].shape, b->doms[i].shape);
		}
	}
	SAME_NUM("suspect rows", a->nsuspects, b->nsuspects);
	for (i = 0; i < a->nsuspects; i++) {
		const hs_sum_suspect *x = &a->suspects[i], *y = &b->suspects[i];
		SAME_STR("suspect kind", x->kind, y->kind);
		SAME_STR("suspect class", x->class_name, y->class_name);
		SAME_STR("suspect holder", x->holder, y->holder);
		SAME_STR("suspect accumulation class", x->accum_class, y->accum_class);
		SAME_STR("suspect thread pattern", x->thread_pattern, y->thread_pattern);
		SAME_STR("suspect through", x->through, y->through);
		SAME_NUM("suspect retained", x->retained, y->retained);
		SAME_NUM("suspect members", x->members, y->members);
		SAME_NUM("suspect entries", x->entries, y->entries);
	}
}

int hs_fuzz_roundtrip(const hs_summary *s, hs_summary *back)
{
	char path[4200];
	hs_error err;
	int rc;
	snprintf(path, sizeof(path), "%s/snapshot", hs_fuzz_dir());
	hs_error_clear(&err);
	rc = hs_summary_write(s, path, &err);
	hs_fuzz_check(rc, &err, "hs_summary_write");
	if (rc < 0)
		hs_fuzz_fail("hs_summary_write of a whole summary: %s", err.msg);
	rc = hs_summary_is_snapshot(path, &err);
	if (rc != 1)
		hs_fuzz_fail("hs_summary_is_snapshot on a snapshot just written: %d", rc);
	rc = hs_summary_read(back, path, &err);
	hs_fuzz_check(rc, &err, "hs_summary_read");
	if (rc < 0)
		hs_fuzz_fail("a snapshot just written cannot be read: %s", err.msg);
	same(s, back);
	return rc;
}

static const char *const rules[] = {
	"heap <= 1MB", "threads <= 3", "suspect <= 5%", "thread-held <= 10KB",
	"thread-held entries <= 10", "java.lang.String <= 1KB", "java.lang.* count <= 100",
	"class java.util.HashMap* shallow <= 1KB", "* <= 1B", "?* retained <= 2TB",
	"*[] count <= 0", "Node <= 100B", "com.example.* <= 1KB", "total +10%", "total +1MB",
	"class * +5%", "class java.* +1KB", "class java.lang.Thread +0B",
	"class Node (loader 0x1234) +1%", "a (loader b) count <= 3", "**** <= 0B",
	"class *?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?x +1%",
	/* not rules: errors */
	"heap <= 10", "heap <= -1", "threads <= 1.5", "total +10", "suspect <= 20", "class X +",
	"thread-held entries <= 1e999", "x y z <=", "heap <= 1e308TB",
};

void hs_fuzz_rules(const hs_summary *now, const hs_summary *base)
{
	hs_rules rs;
	hs_error err;
	uint32_t i;
	size_t k;
	memset(&rs, 0, sizeof(rs));
	for (k = 0; k < sizeof(rules) / sizeof(rules[0]); k++) {
		int rc;
		hs_error_clear(&err);
		rc = hs_rules_add(&rs, rules[k], "fuzz", &err);
		hs_fuzz_check(rc, &err, "hs_rules_add");
	}
	for (i = 0; i < rs.n; i++) {
		hs_rule_result res;
		int rc;
		hs_error_clear(&err);
		rc = hs_rules_eval(&rs.r[i], now, base, &res, &err);
		hs_fuzz_check(rc, &err, "hs_rules_eval");
	}
	hs_rules_release(&rs);
}
