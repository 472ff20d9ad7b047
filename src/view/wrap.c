/*
 * wrap.c - where to break a line of explanatory text.
 *
 * English breaks at spaces; a translation may be Chinese, which has no
 * spaces and whose characters take two columns and three bytes in UTF-8.
 * A line may therefore also break either side of a wide character (as
 * Chinese text is set), and it is measured in columns, not bytes.  For
 * ASCII text the result is the old rule exactly: the last space at or
 * before column cols.
 */
#include <stddef.h>
#include <string.h>

#include "view_int.h"

/* the bytes and columns of the UTF-8 character at p (a stray byte: 1, 1) */
static size_t char_at(const unsigned char *p, unsigned *cols)
{
	size_t n = 1;
	if (p[0] >= 0xf0)
		n = 4;
	else if (p[0] >= 0xe0)
		n = 3;
	else if (p[0] >= 0xc0)
		n = 2;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			n = 1;
	/* three- and four-byte characters here are CJK and fullwidth forms */
	*cols = n >= 3 ? 2 : 1;
	return n;
}

/* Chinese line-breaking rules (kinsoku): no line starts with a closing
 * mark (，。、；：）！？) and none ends with an opening one (（) */
static bool no_break_before(const unsigned char *c)
{
	static const char *const closing[] = { "\xef\xbc\x8c", "\xe3\x80\x82", "\xe3\x80\x81",
		"\xef\xbc\x9b", "\xef\xbc\x9a", "\xef\xbc\x89", "\xef\xbc\x81", "\xef\xbc\x9f" };
	for (size_t k = 0; k < sizeof closing / sizeof closing[0]; k++)
		if (!memcmp(c, closing[k], 3))
			return true;
	return false;
}

static bool no_break_after(const unsigned char *c)
{
	return !memcmp(c, "\xef\xbc\x88", 3);
}

size_t view_wrap_cut(const char *text, size_t cols)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, w = 0, cut = 0;
	size_t prev = 0;                /* where the previous character starts */
	bool prev_wide = false;
	while (p[i]) {
		unsigned cw;
		size_t n = char_at(p + i, &cw);
		bool wide = cw == 2;
		/* a break before this character: the line is p[0..i) */
		if (i > 0 && (p[i] == ' ' || wide || prev_wide) &&
		    !(wide && n == 3 && no_break_before(p + i)) && !(prev_wide && no_break_after(p + prev)))
			cut = i;
		if (w + cw > cols) {
			/* a space just past the edge still ends a full line */
			return p[i] == ' ' ? i : cut;
		}
		w += cw;
		prev = i;
		i += n;
		prev_wide = wide;
	}
	return i;
}

size_t view_text_cols(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t cols = 0;
	while (*p) {
		unsigned c;
		p += char_at(p, &c);
		cols += c;
	}
	return cols;
}
