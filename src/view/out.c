/*
 * out.c - the one place output is written: a FILE or a memory buffer.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/view.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void out_init_file(struct out *o, FILE *f)
{
	memset(o, 0, sizeof *o);
	o->f = f;
}

void out_init_buf(struct out *o)
{
	memset(o, 0, sizeof *o);
}

/* the block a held FILE output writes at a time */
#define HOLD_SIZE ((size_t)1 << 16)

static void write_file(struct out *o, const char *s, size_t n);

static void write_held(struct out *o)
{
	if (o->len)
		write_file(o, o->buf, o->len);
	o->len = 0;
}

void out_hold(struct out *o)
{
	if (o->f)
		o->hold = true;
}

void out_flush(struct out *o)
{
	if (!o->f)
		return;
	write_held(o);
	fflush(o->f);
}

void out_free(struct out *o)
{
	if (o->f)
		write_held(o);
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

/*
 * Text reaching a FILE passes through here.  Names the user typed (a cache
 * name given to kmem_cache_create, say) are printed as they are in result
 * lines and change logs, so a byte that is not UTF-8, or a C1 control
 * (U+0080-U+009F: 0x9b is a terminal's CSI), is written as \xNN, as error
 * messages write it.  C0 controls cannot be typed (the lexer refuses them);
 * ESC of our own colours passes.  A sequence cut at the end of a chunk is
 * passed as it is: the rest comes in the next write.
 */
static void write_file(struct out *o, const char *s, size_t n)
{
	FILE *f = o->f;
	const unsigned char *p = (const unsigned char *)s;
	/* any byte with its top bit set?  Eight bytes at a time (a shown step
	 * writes a few hundred bytes, and a byte at a time cost as much as
	 * rendering them) */
	uint64_t hi = 0, h[4] = { 0, 0, 0, 0 };
	size_t j = 0;
#if defined(__SSE2__)
	/* sixteen bytes at a time where the machine has SSE2 */
	__m128i v = _mm_setzero_si128();
	for (; j + 64 <= n; j += 64) {
		v = _mm_or_si128(v, _mm_loadu_si128((const __m128i *)(const void *)(p + j)));
		v = _mm_or_si128(v, _mm_loadu_si128((const __m128i *)(const void *)(p + j + 16)));
		v = _mm_or_si128(v, _mm_loadu_si128((const __m128i *)(const void *)(p + j + 32)));
		v = _mm_or_si128(v, _mm_loadu_si128((const __m128i *)(const void *)(p + j + 48)));
	}
	if (_mm_movemask_epi8(v))
		hi = 0x80;
#endif
	for (; j + 32 <= n; j += 32) {
		uint64_t w[4];
		memcpy(w, p + j, sizeof w);
		h[0] |= w[0];
		h[1] |= w[1];
		h[2] |= w[2];
		h[3] |= w[3];
	}
	hi |= h[0] | h[1] | h[2] | h[3];
	for (; j + 8 <= n; j += 8) {
		uint64_t w;
		memcpy(&w, p + j, sizeof w);
		hi |= w;
	}
	for (; j < n; j++)
		hi |= p[j];
	if (!(hi & 0x8080808080808080ull)) {
		o->utf8_due = 0;
		fwrite(s, 1, n, f);
		return;
	}
	size_t start = 0, i = 0;
	/* the end of a sequence the last write began */
	while (o->utf8_due && i < n && (p[i] & 0xc0) == 0x80)
		i++, o->utf8_due--;
	o->utf8_due = 0;
	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		unsigned char tmp[4] = { 0 };
		size_t avail = n - i < 4 ? n - i : 4;
		memcpy(tmp, p + i, avail);
		uint32_t cp;
		size_t len = out_utf8_seq(tmp, &cp);
		if (len && len <= avail && !(cp >= 0x80 && cp <= 0x9f)) {
			i += len;
			continue;
		}
		if (!len && avail < 4 && p[i] >= 0xc2 && p[i] <= 0xf4) {
			/* maybe a sequence the next write completes */
			bool prefix = true;
			for (size_t k = 1; k < avail; k++)
				prefix = prefix && (p[i + k] & 0xc0) == 0x80;
			size_t need = p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : 2;
			if (prefix && avail < need) {
				o->utf8_due = (unsigned char)(need - avail);
				break;
			}
		}
		fwrite(s + start, 1, i - start, f);
		size_t bad = len ? len : 1;
		for (size_t k = 0; k < bad; k++)
			fprintf(f, "\\x%02x", p[i + k]);
		i += bad;
		start = i;
	}
	fwrite(s + start, 1, n - start, f);
}

static void append(struct out *o, const char *s, size_t n)
{
	if (o->f) {
		if (!o->hold) {
			write_file(o, s, n);
			return;
		}
		if (!n)
			return;
		if (n > o->cap - o->len) {
			if (!o->buf) {
				o->buf = malloc(HOLD_SIZE);
				if (!o->buf) {
					write_file(o, s, n);
					return;
				}
				o->cap = HOLD_SIZE;
			}
			write_held(o);
			if (n > o->cap) {
				write_file(o, s, n);
				return;
			}
		}
		memcpy(o->buf + o->len, s, n);
		o->len += n;
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
