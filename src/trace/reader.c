/*
 * reader.c - lines of a trace, plain or gzip-compressed, from a file or
 * from stdin.
 *
 * zlib's gzread() tells gzip from plain text by the magic bytes (1f 8b)
 * and passes plain input through, so a file named .gz that is not
 * compressed, or a compressed one with any name, both read.  Lines are
 * handed out from one buffer without copies; a line longer than
 * TRACE_LINE_MAX is skipped to its newline and reported as overlong.  A
 * truncated gzip stream ends the input with zlib's message kept for the
 * report.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "kmemsh/i18n.h"
#include "kmemsh/trace.h"

#define READ_CHUNK (1u << 20)

struct trace_reader {
	gzFile gz;
	int fd;
	char *buf;
	size_t cap, start, end;
	bool eof;
	bool gzip;
	bool has_nul;                   /* a NUL byte is somewhere in the buffer */
	uint64_t lineno;
	uint64_t size;                  /* of the file; 0 for a pipe */
	char error[128];
};

int trace_reader_open(struct trace_reader **out, const char *path, char *err, size_t errlen)
{
	*out = NULL;
	int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "%s: %s", path, strerror(EISDIR));
		return -EISDIR;
	}
	/* a small file needs no big buffer, only room for the longest line
	 * (decompressed data can outgrow the file, so never less) */
	size_t cap = READ_CHUNK + TRACE_LINE_MAX;
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < 4096)
		cap = TRACE_LINE_MAX + 4096;
	struct trace_reader *r = calloc(1, sizeof *r);
	if (r)
		r->buf = malloc(cap);
	if (!r || !r->buf) {
		if (r)
			free(r->buf);
		free(r);
		close(fd);
		snprintf(err, errlen, _("%s: out of memory"), path);
		return -ENOMEM;
	}
	r->cap = cap;
	r->fd = fd;
	r->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	r->gz = gzdopen(fd, "rb");
	if (!r->gz) {
		close(fd);
		free(r->buf);
		free(r);
		snprintf(err, errlen, _("%s: out of memory"), path);
		return -ENOMEM;
	}
	gzbuffer(r->gz, cap < (256u << 10) ? 8192 : 256u << 10);
	*out = r;
	return 0;
}

/* read more into the buffer after what is left; false at the end */
static bool fill(struct trace_reader *r)
{
	if (r->eof)
		return false;
	if (r->start) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	size_t room = r->cap - r->end;
	if (room > READ_CHUNK)
		room = READ_CHUNK;
	int n = gzread(r->gz, r->buf + r->end, (unsigned)room);
	if (!r->gzip && r->lineno == 0 && !gzdirect(r->gz))
		r->gzip = true;
	if (n <= 0) {
		int errnum = Z_OK;
		const char *msg = gzerror(r->gz, &errnum);
		if (errnum != Z_OK && !r->error[0]) {
			/* gzdopen() names the stream "<fd:N>: " */
			const char *colon = strncmp(msg, "<fd:", 4) == 0 ? strstr(msg, ": ") : NULL;
			snprintf(r->error, sizeof r->error, "%s",
				 errnum == Z_ERRNO ? strerror(errno) : colon ? colon + 2 : msg);
		}
		r->eof = true;
		return false;
	}
	/* one pass over the new bytes, so that lines need no NUL check
	 * unless there is one */
	r->has_nul = memchr(r->buf, '\0', r->end + (size_t)n) != NULL;
	r->end += (size_t)n;
	return true;
}

int trace_reader_next(struct trace_reader *r, const char **line, size_t *len)
{
	size_t scanned = 0;     /* bytes of the current line already searched */
	for (;;) {
		char *s = r->buf + r->start;
		size_t have = r->end - r->start;
		char *nl = have > scanned ? memchr(s + scanned, '\n', have - scanned) : NULL;
		if (nl) {
			r->lineno++;
			*line = s;
			*len = (size_t)(nl - s);
			r->start += *len + 1;
			return *len > TRACE_LINE_MAX ? 2 : 1;
		}
		scanned = have;
		if (have >= TRACE_LINE_MAX) {
			/* overlong: drop it up to the newline */
			r->lineno++;
			r->start = r->end = 0;
			for (;;) {
				if (!fill(r))
					return 2;
				nl = memchr(r->buf, '\n', r->end);
				if (nl) {
					r->start = (size_t)(nl - r->buf) + 1;
					return 2;
				}
				r->end = 0;
			}
		}
		if (!fill(r)) {
			if (r->end > r->start) {
				/* the last line has no newline */
				r->lineno++;
				*line = r->buf + r->start;
				*len = r->end - r->start;
				r->start = r->end;
				return 1;
			}
			return 0;
		}
	}
}

bool trace_reader_may_have_nul(const struct trace_reader *r)
{
	return r->has_nul;
}

uint64_t trace_reader_lineno(const struct trace_reader *r)
{
	return r->lineno;
}

bool trace_reader_gzip(const struct trace_reader *r)
{
	return r->gzip;
}

void trace_reader_progress(const struct trace_reader *r, uint64_t *done, uint64_t *total)
{
	z_off_t off = gzoffset(r->gz);
	*done = off > 0 ? (uint64_t)off : 0;
	*total = r->size;
}

const char *trace_reader_error(const struct trace_reader *r)
{
	return r->error[0] ? r->error : NULL;
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	gzclose(r->gz);         /* closes fd */
	free(r->buf);
	free(r);
}
