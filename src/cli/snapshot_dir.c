/*
 * snapshot_dir.c - the files of a snapshot (kmemsh --from DIR, --snapshot DIR).
 *
 * A snapshot directory holds a machine's /proc files under their own paths
 * (DIR/proc/zoneinfo, ...), so "/" is the running system itself.  Reading
 * them is input, so it lives here, beside the program; the model's
 * snapshot.c parses the texts.  /proc files report size 0: they are read
 * to the end.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmemsh/memmap.h"
#include "kmemsh/snapshot.h"

#define MAX_FILE (64u << 20)
#define TRIES 20

static void join(const char *dir, const char *rel, char *buf, size_t len)
{
	size_t n = strlen(dir);
	snprintf(buf, len, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", rel);
}

/* the whole file, or NULL with why set */
static char *slurp(const char *path, char *why, size_t whylen)
{
	/* /proc files are regular files; a FIFO would block the open for ever
	 * and a device (a link to /dev/zero) never ends */
	struct stat st;
	if (stat(path, &st)) {
		snprintf(why, whylen, "%s", errno == ENOENT ? "missing" : strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s", S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
		return NULL;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(why, whylen, "%s", errno == ENOENT ? "missing" : strerror(errno));
		return NULL;
	}
	size_t cap = 16384, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
		if (len + 1 == cap) {
			char *nb = cap >= MAX_FILE ? NULL : realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				snprintf(why, whylen, "%s", cap >= MAX_FILE ? "larger than 64 MiB" : "out of memory");
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf && ferror(f)) {
		snprintf(why, whylen, "%s", strerror(errno ? errno : EIO));
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		snprintf(why, whylen, "not a text file");
		free(buf);
		return NULL;
	}
	return buf;
}

/* a text that grows */
struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void __attribute__((format(printf, 2, 3))) bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	for (int tries = 0; tries < 2 && !b->oom; tries++) {
		va_start(ap, fmt);
		int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t nc = b->cap ? b->cap : 65536;
		while (nc < b->len + (size_t)n + 1)
			nc *= 2;
		char *np = realloc(b->p, nc);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* a name the one-line text can carry: no blank, no '=', not "->" */
static bool plain_name(const char *n)
{
	return *n && strlen(n) < 200 && !strpbrk(n, " \t\n=/") && strcmp(n, "->") != 0;
}

/*
 * DIR/sys/kernel/slab as the text snapshot.h describes.  What cannot be
 * read is said in s->notes: on recent kernels the attributes are mode 0400
 * (mm/slub.c SLAB_ATTR_RO; so on this development machine's 6.18), and a
 * user who is not root sees the names and the merged caches' links only.
 */
static void read_slab_dir(const char *dir, struct snapshot *s)
{
	enum snapshot_file f = SF_SLAB_SYSFS;
	char path[4096];
	join(dir, snapshot_paths[f], path, sizeof path);
	struct stat st;
	if (stat(path, &st)) {
		snprintf(s->why[f], sizeof s->why[f], "%s", errno == ENOENT ? "missing" : strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(s->why[f], sizeof s->why[f], "%s", strerror(ENOTDIR));
		return;
	}
	DIR *d = opendir(path);
	if (!d) {
		snprintf(s->why[f], sizeof s->why[f], "%s", strerror(errno));
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	unsigned odd = 0;
	bool oom = false;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!plain_name(e->d_name)) {
			odd++;
			continue;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 512;
			char **nn = realloc(names, nc * sizeof *nn);
			if (!nn) {
				oom = true;
				break;
			}
			names = nn;
			cap = nc;
		}
		if (!(names[n] = strdup(e->d_name))) {
			oom = true;
			break;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_name);
	struct buf b = { 0 };
	unsigned unread = 0, unread_caches = 0;
	char first_why[48] = "";
	for (size_t i = 0; i < n && !oom; i++) {
		char ep[3800], tgt[512];
		if ((size_t)snprintf(ep, sizeof ep, "%.3500s/%s", path, names[i]) >= sizeof ep) {
			odd++;
			continue;
		}
		if (lstat(ep, &st)) {
			odd++;
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			ssize_t k = readlink(ep, tgt, sizeof tgt - 1);
			if (k <= 0) {
				odd++;
				continue;
			}
			tgt[k] = '\0';
			const char *base = strrchr(tgt, '/') ? strrchr(tgt, '/') + 1 : tgt;
			if (!plain_name(base)) {
				odd++;
				continue;
			}
			bprintf(&b, "%s -> %s\n", names[i], base);
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			odd++;
			continue;
		}
		bprintf(&b, "%s", names[i]);
		unsigned miss = 0;
		for (int a = 0; snapshot_slab_attrs[a]; a++) {
			char ap[4200], why[48];
			snprintf(ap, sizeof ap, "%s/%s", ep, snapshot_slab_attrs[a]);
			char *v = slurp(ap, why, sizeof why);
			if (!v) {
				if (strcmp(why, "missing")) {
					miss++;
					if (!first_why[0])
						snprintf(first_why, sizeof first_why, "%s", why);
				}
				continue;
			}
			size_t w = strcspn(v, " \t\n");
			bprintf(&b, " %s=%.*s", snapshot_slab_attrs[a], (int)(w < 64 ? w : 64), v);
			free(v);
		}
		bprintf(&b, "\n");
		unread += miss;
		unread_caches += miss != 0;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (oom || b.oom) {
		free(b.p);
		snprintf(s->why[f], sizeof s->why[f], "out of memory");
		return;
	}
	s->text[f] = b.p ? b.p : strdup("");
	if (!s->text[f])
		snprintf(s->why[f], sizeof s->why[f], "out of memory");
	size_t nl = strlen(s->notes);
	if (unread)
		snprintf(s->notes + nl, sizeof s->notes - nl, "%s: %u attributes of %u caches unreadable (%s; "
			 "root only on recent kernels)\n", snapshot_paths[f], unread, unread_caches, first_why);
	nl = strlen(s->notes);
	if (odd)
		snprintf(s->notes + nl, sizeof s->notes - nl, "%s: %u entries that are neither a cache "
			 "directory nor a link to one, left out\n", snapshot_paths[f], odd);
}

static int cmp_num(const void *a, const void *b)
{
	unsigned long x = strtoul(*(char *const *)a, NULL, 10), y = strtoul(*(char *const *)b, NULL, 10);
	return x < y ? -1 : x > y;
}

/* the first line of a small file, without its newline; false if unreadable */
static bool first_line(const char *path, char *out, size_t len, char *why, size_t whylen)
{
	char *v = slurp(path, why, whylen);
	if (!v)
		return false;
	snprintf(out, len, "%.*s", (int)strcspn(v, "\n"), v);
	free(v);
	return true;
}

/*
 * DIR/sys/firmware/memmap as the text snapshot.h describes: its numbered
 * entries in number order (drivers/firmware/memmap.c names them 0, 1, ...
 * in the order firmware_map_add_early() was called), each "START END TYPE".
 * The files are mode 0444: every user reads them.
 */
static void read_fw_memmap(const char *dir, struct snapshot *s)
{
	enum snapshot_file f = SF_FW_MEMMAP;
	char path[4096];
	join(dir, snapshot_paths[f], path, sizeof path);
	DIR *d = opendir(path);
	if (!d) {
		snprintf(s->why[f], sizeof s->why[f], "%s", errno == ENOENT ? "missing" : strerror(errno));
		return;
	}
	char *names[1024];              /* E820_MAX_ENTRIES is 128 + 3 * MAX_NUMNODES */
	size_t n = 0;
	bool bad = false;
	struct dirent *e;
	while ((e = readdir(d)) && !bad) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_name[strspn(e->d_name, "0123456789")] || strlen(e->d_name) > 6 || n == 1024 ||
		    !(names[n] = strdup(e->d_name))) {
			bad = true;
			break;
		}
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_num);
	struct buf b = { 0 };
	char why[48] = "";
	for (size_t i = 0; i < n && !bad; i++) {
		char v[3][128], fp[4200];
		static const char *const parts[3] = { "start", "end", "type" };
		for (int k = 0; k < 3 && !bad; k++) {
			snprintf(fp, sizeof fp, "%s/%s/%s", path, names[i], parts[k]);
			bad = !first_line(fp, v[k], sizeof v[k], why, sizeof why);
		}
		if (!bad)
			bprintf(&b, "%s %s %s\n", v[0], v[1], v[2]);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	if (bad || b.oom) {
		free(b.p);
		snprintf(s->why[f], sizeof s->why[f], "%s", b.oom ? "out of memory" : why[0] ? why : "not a memmap");
		return;
	}
	s->text[f] = b.p ? b.p : strdup("");
	if (!s->text[f])
		snprintf(s->why[f], sizeof s->why[f], "out of memory");
}

static void read_one(const char *dir, struct snapshot *s, enum snapshot_file f)
{
	char path[4096];
	free(s->text[f]);
	s->text[f] = NULL;
	s->why[f][0] = '\0';
	if (f == SF_SLAB_SYSFS) {
		read_slab_dir(dir, s);
		return;
	}
	if (f == SF_FW_MEMMAP) {
		read_fw_memmap(dir, s);
		return;
	}
	join(dir, snapshot_paths[f], path, sizeof path);
	s->text[f] = slurp(path, s->why[f], sizeof s->why[f]);
}

int snapshot_read_dir(const char *dir, struct snapshot *s, char *err, size_t errlen)
{
	struct stat st;
	memset(s, 0, sizeof *s);
	if (stat(dir, &st)) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -ENOENT;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", dir);
		return -ENOTDIR;
	}
	s->dir = strdup(dir);
	if (!s->dir) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (int f = 0; f < SF_COUNT; f++)
		read_one(dir, s, (enum snapshot_file)f);
	/* a live system changes between two reads: buddyinfo before and after
	 * pagetypeinfo must agree, or both are read again */
	for (int i = 0; i < TRIES && s->text[SF_BUDDYINFO] && s->text[SF_PAGETYPEINFO]; i++) {
		char why[48], path[4096];
		join(dir, snapshot_paths[SF_BUDDYINFO], path, sizeof path);
		char *b2 = slurp(path, why, sizeof why);
		bool same = b2 && strcmp(b2, s->text[SF_BUDDYINFO]) == 0;
		free(b2);
		if (same)
			break;
		read_one(dir, s, SF_BUDDYINFO);
		read_one(dir, s, SF_PAGETYPEINFO);
	}
	return 0;
}

static int mkdirs(const char *dir, const char *rel, char *err, size_t errlen)
{
	char path[4096];
	join(dir, rel, path, sizeof path);
	size_t below = strlen(dir); /* DIR itself may be a link; what we make in it may not */
	for (char *p = path + 1; ; p++) {
		if (*p == '/' || !*p) {
			char c = *p;
			*p = '\0';
			if (mkdir(path, 0755) && errno != EEXIST) {
				snprintf(err, errlen, "%s: %s", path, strerror(errno));
				return -errno;
			}
			struct stat st;
			if ((size_t)(p - path) > below && (lstat(path, &st) || !S_ISDIR(st.st_mode))) {
				snprintf(err, errlen, "%s: not a directory (a snapshot is not written through links)", path);
				return -ENOTDIR;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	return 0;
}

/* one small file, not through a link (we may be root) */
static int write_text(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
	FILE *o = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (fd >= 0 && !o)
		close(fd);
	bool ok = o && fwrite(text, 1, len, o) == len;
	if (o && fclose(o))
		ok = false;
	if (!ok) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
		return -EIO;
	}
	return 0;
}

/* sys/kernel/slab back from its text: a directory of one-line attribute
 * files per cache, a link per merged name */
static int write_slab_dir(const char *dir, const char *text, char *err, size_t errlen)
{
	char rel[1100], path[4096];
	int r;
	if ((r = mkdirs(dir, snapshot_paths[SF_SLAB_SYSFS], err, errlen)))
		return r;
	for (const char *p = text; *p; ) {
		size_t n = strcspn(p, "\n");
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
		p += n + (p[n] == '\n');
		/* a cache whose attributes could not be read is a bare name: its
		 * directory is still made, for the links to it */
		char *sp = strchr(line, ' '), none[1] = "", *rest = none;
		if (sp) {
			*sp = '\0';
			rest = sp + 1;
		}
		if (!*line)
			continue;
		snprintf(rel, sizeof rel, "%s/%s", snapshot_paths[SF_SLAB_SYSFS], line);
		join(dir, rel, path, sizeof path);
		if (!strncmp(rest, "-> ", 3)) {
			char got[512];
			ssize_t k;
			if (symlink(rest + 3, path) && !(errno == EEXIST && (k = readlink(path, got, sizeof got - 1)) > 0 &&
							 (got[k] = '\0', strcmp(got, rest + 3) == 0))) {
				snprintf(err, errlen, "%s: %s", path, strerror(errno));
				return -EIO;
			}
			continue;
		}
		if ((r = mkdirs(dir, rel, err, errlen)))
			return r;
		for (char *a = strtok(rest, " "); a; a = strtok(NULL, " ")) {
			char *eq = strchr(a, '=');
			if (!eq)
				continue;
			*eq = '\0';
			char fp[4200], val[80];
			snprintf(fp, sizeof fp, "%s/%s", path, a);
			int vl = snprintf(val, sizeof val, "%s\n", eq + 1);
			if ((r = write_text(fp, val, (size_t)vl, err, errlen)))
				return r;
		}
	}
	return 0;
}

/* sys/firmware/memmap back from its text: N/start, N/end, N/type */
static int write_fw_memmap(const char *dir, const char *text, char *err, size_t errlen)
{
	int r, i = 0;
	for (const char *p = text; *p; i++) {
		size_t n = strcspn(p, "\n");
		char line[512], rel[600], fp[4200], path[4096];
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
		p += n + (p[n] == '\n');
		char *a = strchr(line, ' '), *b = a ? strchr(a + 1, ' ') : NULL;
		if (!b)
			continue;
		*a = *b = '\0';
		snprintf(rel, sizeof rel, "%s/%d", snapshot_paths[SF_FW_MEMMAP], i);
		if ((r = mkdirs(dir, rel, err, errlen)))
			return r;
		join(dir, rel, path, sizeof path);
		const char *parts[3][2] = { { "start", line }, { "end", a + 1 }, { "type", b + 1 } };
		for (int k = 0; k < 3; k++) {
			char val[520];
			int vl = snprintf(val, sizeof val, "%s\n", parts[k][1]);
			snprintf(fp, sizeof fp, "%s/%s", path, parts[k][0]);
			if ((r = write_text(fp, val, (size_t)vl, err, errlen)))
				return r;
		}
	}
	return 0;
}

int snapshot_write_dir(const char *from, const char *dir, struct snapshot *s, unsigned *copied,
		       char *err, size_t errlen)
{
	int r = snapshot_read_dir(from, s, err, errlen);
	*copied = 0;
	if (r)
		return r;
	if ((r = mkdirs(dir, "proc/sys/vm", err, errlen)))
		return r;
	for (int f = 0; f < SF_COUNT; f++) {
		if (!s->text[f])
			continue;
		if (f == SF_SLAB_SYSFS || f == SF_FW_MEMMAP) {
			if ((r = (f == SF_SLAB_SYSFS ? write_slab_dir : write_fw_memmap)(dir, s->text[f], err, errlen)))
				return r;
			(*copied)++;
			continue;
		}
		char path[4096];
		join(dir, snapshot_paths[f], path, sizeof path);
		/* O_NOFOLLOW: a link left in DIR is not written through (we may be root) */
		if ((r = write_text(path, s->text[f], strlen(s->text[f]), err, errlen)))
			return r;
		(*copied)++;
	}
	return 0;
}
