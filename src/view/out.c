/*
 * out.c - the one place output is written: a FILE or a memory buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/view.h"

void out_init_file(struct out *o, FILE *f)
{
	memset(o, 0, sizeof *o);
	o->f = f;
}

void out_init_buf(struct out *o)
{
	memset(o, 0, sizeof *o);
}

void out_free(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

static void append(struct out *o, const char *s, size_t n)
{
	if (o->f) {
		fwrite(s, 1, n, o->f);
		return;
	}
	if (o->len + n + 1 > o->cap) {
		size_t nc = o->cap ? o->cap : 256;
		while (nc < o->len + n + 1)
			nc *= 2;
		char *nb = realloc(o->buf, nc);
		if (!nb)
			return;
		o->buf = nb;
		o->cap = nc;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

void out_printf(struct out *o, const char *fmt, ...)
{
	char small[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		append(o, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big)
		return;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	append(o, big, (size_t)n);
	free(big);
}

void out_puts(struct out *o, const char *s)
{
	append(o, s, strlen(s));
}

void out_write(struct out *o, const char *s, size_t n)
{
	append(o, s, n);
}

size_t out_utf8_seq(const unsigned char *p, uint32_t *cp)
{
	unsigned c = p[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, v = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, v = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

void out_json_str(struct out *o, const char *s)
{
	append(o, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; ) {
		char esc[8];
		uint32_t cp;
		size_t n = out_utf8_seq(p, &cp);
		if (!n) {
			append(o, "\\ufffd", 6);
			p++;
			continue;
		}
		switch (cp) {
		case '"': append(o, "\\\"", 2); break;
		case '\\': append(o, "\\\\", 2); break;
		case '\n': append(o, "\\n", 2); break;
		case '\t': append(o, "\\t", 2); break;
		case '\r': append(o, "\\r", 2); break;
		default:
			if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
				snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
				append(o, esc, strlen(esc));
			} else {
				append(o, (const char *)p, n);
			}
		}
		p += n;
	}
	append(o, "\"", 1);
}

void out_color(struct out *o, const char *ansi)
{
	if (o->color && !o->json)
		out_printf(o, "\033[%sm", ansi);
}

void out_reset(struct out *o)
{
	if (o->color && !o->json)
		out_puts(o, "\033[0m");
}
