/*
 * snapshot_dir.c - the files of a snapshot (kmemsh --from DIR, --snapshot DIR).
 *
 * A snapshot directory holds a machine's /proc files under their own paths
 * (DIR/proc/zoneinfo, ...), so "/" is the running system itself.  Reading
 * them is input, so it lives here, beside the program; the model's
 * snapshot.c parses the texts.  /proc files report size 0: they are read
 * to the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void read_one(const char *dir, struct snapshot *s, enum snapshot_file f)
{
	char path[4096];
	join(dir, snapshot_paths[f], path, sizeof path);
	free(s->text[f]);
	s->why[f][0] = '\0';
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
		char path[4096];
		join(dir, snapshot_paths[f], path, sizeof path);
		/* O_NOFOLLOW: a link left in DIR is not written through (we may be root) */
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
		FILE *o = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (fd >= 0 && !o)
			close(fd);
		bool ok = o && fputs(s->text[f], o) != EOF;
		if (o && fclose(o))
			ok = false;
		if (!ok) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -EIO;
		}
		(*copied)++;
	}
	return 0;
}
