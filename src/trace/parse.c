/*
 * parse.c - one line of ftrace text: TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS.
 *
 * The same line shape comes from tracefs `trace` and `trace_pipe`
 * (kernel/trace/trace_output.c), `trace-cmd report` and `perf script` (which
 * writes SYSTEM:EVENT).  The line is found by its timestamp, the first
 * "DIGITS.DIGITS: " (a task's name may hold anything else), then the event
 * name, then the KEY=VALUE fields of the event's TP_printk() in
 * include/trace/events/kmem.h and vmalloc.h.  Pointers are hex with or
 * without 0x (hashed %p, raw with no_hash_pointers, "(null)" on old
 * kernels); pfn is hex in 6.x ("pfn=0x%lx") and decimal in 2.6.32
 * ("pfn=%lu"); call_site is %pS in 6.x and %lx in 2.6.32.
 *
 * This is the replay's hot path (a trace has millions of lines), so it
 * goes over the line once, left to right, and copies nothing: the
 * timestamp's ':' is found eight bytes at a time; the event name is told
 * by its length and then one comparison; a field is told by its first
 * letter and one comparison with the whole "key=", and its value is
 * converted where it stands, the number's end being the token's end
 * (a value that is not all digits is skipped to the next blank, as an
 * unknown field is).  Strings (call_site, name=, gfp_flags) point into
 * the line.
 */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kmemsh/trace.h"

#define EM(e, s) [e] = s,
static const char *const ev_names[] = { TRACE_EVENTS };
#undef EM

const char *trace_ev_name(enum trace_ev ev)
{
	if (ev >= 0 && ev < TEV_NR)
		return ev_names[ev];
	return ev == TEV_BAD ? "bad" : "none";
}

static inline bool is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

static inline bool is_blank(char c)
{
	/* most bytes are above ' ': one comparison for them */
	return (unsigned char)c <= ' ' && (c == ' ' || c == '\t');
}

/* the token ends at i: a blank or the end of the line */
static inline bool token_end(const char *p, size_t i, size_t len)
{
	return i == len || is_blank(p[i]);
}

/* hex digits: 0x10 | value; 0 for anything else */
#define H10(b) [b + 0] = 0x10, [b + 1] = 0x11, [b + 2] = 0x12, [b + 3] = 0x13, [b + 4] = 0x14, \
	[b + 5] = 0x15, [b + 6] = 0x16, [b + 7] = 0x17, [b + 8] = 0x18, [b + 9] = 0x19
#define H6(b) [b + 0] = 0x1a, [b + 1] = 0x1b, [b + 2] = 0x1c, [b + 3] = 0x1d, [b + 4] = 0x1e, [b + 5] = 0x1f
static const uint8_t hex_tab[256] = { H10('0'), H6('a'), H6('A') };

/*
 * Word-at-a-time search: the byte index of the first byte of w equal to
 * the byte in rep (rep = 0x0101...01 * c), or 8.  (x - 0x01..) & ~x &
 * 0x80.. has its lowest set bit at x's first zero byte (bits above it may
 * be borrows, never below), so the lowest bit of the OR of two such masks
 * is the first byte matching either.
 */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
static inline uint64_t zero_bytes(uint64_t x)
{
	return (x - ONES) & ~x & HIGHS;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR 1
#else
#define SWAR 0
#endif

/* the bytes of w below n (n <= 0x80): the lowest set bit is exact */
static inline uint64_t below(uint64_t w, unsigned n)
{
	return (w - ONES * n) & ~w & HIGHS;
}

#if defined(__SSE2__)
/* sixteen bytes at a time (x86_64 always has SSE2): a mask of the bytes
 * of p[i..i+16) equal to a or b */
static inline unsigned eq16(const char *p, size_t i, char a, char b)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(a)),
							_mm_cmpeq_epi8(v, _mm_set1_epi8(b))));
}
#define SSE2 1
#else
#define SSE2 0
#endif

/* the first blank at or after i, or len: sixteen or eight bytes at a
 * time (for eight, looking for a control byte or ' ', then at what it is) */
static inline size_t to_blank(const char *p, size_t i, size_t len)
{
#if SSE2
	while (i + 16 <= len) {
		unsigned t = eq16(p, i, ' ', '\t');
		if (t)
			return i + (size_t)__builtin_ctz(t);
		i += 16;
	}
#endif
#if SWAR
	while (i + 8 <= len) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t t = below(w, ' ' + 1);
		if (t) {
			size_t j = i + (size_t)(__builtin_ctzll(t) >> 3);
			if (is_blank(p[j]))
				return j;
			i = j + 1;
			continue;
		}
		i += 8;
	}
#endif
	while (i < len && !is_blank(p[i]))
		i++;
	return i;
}

/* the first blank or c at or after i, or len */
static inline size_t to_blank_or(const char *p, size_t i, size_t len, char c)
{
#if SWAR
	while (i + 8 <= len) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t t = zero_bytes(w ^ (ONES * ' ')) | zero_bytes(w ^ (ONES * '\t')) |
			     zero_bytes(w ^ (ONES * (unsigned char)c));
		if (t)
			return i + (size_t)(__builtin_ctzll(t) >> 3);
		i += 8;
	}
#endif
	while (i < len && !is_blank(p[i]) && p[i] != c)
		i++;
	return i;
}

/* the first c at or after i, or len */
static inline size_t to_char(const char *p, size_t i, size_t len, char c)
{
#if SSE2
	while (i + 16 <= len) {
		unsigned t = eq16(p, i, c, c);
		if (t)
			return i + (size_t)__builtin_ctz(t);
		i += 16;
	}
#endif
#if SWAR
	while (i + 8 <= len) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t t = zero_bytes(w ^ (ONES * (unsigned char)c));
		if (t)
			return i + (size_t)(__builtin_ctzll(t) >> 3);
		i += 8;
	}
#endif
	while (i < len && p[i] != c)
		i++;
	return i;
}

static inline size_t skip_blanks(const char *p, size_t i, size_t len)
{
	while (i < len && is_blank(p[i]))
		i++;
	return i;
}

/* the first byte that is not a blank at or after i, or len (the columns
 * of spaces that right-align a task's name) */
static inline size_t skip_blank_run(const char *p, size_t i, size_t len)
{
#if SSE2
	while (i + 16 <= len) {
		unsigned t = ~eq16(p, i, ' ', '\t') & 0xffff;
		if (t)
			return i + (size_t)__builtin_ctz(t);
		i += 16;
	}
#endif
#if SWAR
	while (i + 8 <= len) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		/* bytes that are neither ' ' nor '\t': exact per byte (no borrows) */
		uint64_t a = w ^ (ONES * ' '), b = w ^ (ONES * '\t');
		uint64_t nz_a = (((a & ~HIGHS) + ~HIGHS) | a) & HIGHS;   /* top bit: a's byte is not 0 */
		uint64_t nz_b = (((b & ~HIGHS) + ~HIGHS) | b) & HIGHS;
		uint64_t t = nz_a & nz_b;
		if (t)
			return i + (size_t)(__builtin_ctzll(t) >> 3);
		i += 8;
	}
#endif
	return skip_blanks(p, i, len);
}

/* the start of the run of blanks that ends at k (k when p[k - 1] is not
 * one): the eight bytes before k at once, the last that is not a blank */
static inline size_t back_blanks(const char *p, size_t k)
{
#if SWAR
	if (k >= 8) {
		uint64_t w;
		memcpy(&w, p + k - 8, 8);
		uint64_t a = w ^ (ONES * ' '), b = w ^ (ONES * '\t');
		uint64_t nz_a = (((a & ~HIGHS) + ~HIGHS) | a) & HIGHS;
		uint64_t nz_b = (((b & ~HIGHS) + ~HIGHS) | b) & HIGHS;
		uint64_t t = nz_a & nz_b;
		if (t)
			return k - 8 + ((63 - (size_t)__builtin_clzll(t)) >> 3) + 1;
	}
#endif
	while (k > 0 && is_blank(p[k - 1]))
		k--;
	return k;
}

/*
 * Numbers converted where they stand.  Each takes the token at *i (up to
 * the next blank), and on success sets *out and moves *i to the token's
 * end; otherwise it leaves *out alone and *i at the token's end all the same.
 */

#if SWAR
/*
 * Eight hex digits at once (w: the bytes in line order, little-endian):
 * true and their value when all eight are hex digits.  A byte x below 0x80
 * is at least lo when x + (0x80 - lo) has its top bit set, with no carry
 * into the next byte; a digit's value is its low nibble, plus 9 for a
 * letter (bit 6); the nibbles are then packed pairwise.
 */
static inline bool hex8(uint64_t w, uint32_t *out)
{
	if (w & HIGHS)
		return false;
	uint64_t l = w | ONES * 0x20;
	uint64_t digit = (w + ONES * (0x80 - '0')) & ~(w + ONES * (0x7f - '9'));
	uint64_t alpha = (l + ONES * (0x80 - 'a')) & ~(l + ONES * (0x7f - 'f'));
	if (((digit | alpha) & HIGHS) != HIGHS)
		return false;
	uint64_t n = (w & ONES * 0x0f) + ((w >> 6) & ONES) * 9;
	n = ((n << 4) | (n >> 8)) & 0x00ff00ff00ff00ffull;
	n = ((n << 8) | (n >> 16)) & 0x0000ffff0000ffffull;
	*out = (uint32_t)((n << 16) | (n >> 32));
	return true;
}

/* how many of w's bytes, from the first, are hex digits (0 to 8); 0 when
 * a byte is not ASCII.  The same per-byte tests as hex8(), exact per byte */
static inline unsigned hex_run(uint64_t w)
{
	if (w & HIGHS)
		return 0;
	uint64_t l = w | ONES * 0x20;
	uint64_t digit = (w + ONES * (0x80 - '0')) & ~(w + ONES * (0x7f - '9'));
	uint64_t alpha = (l + ONES * (0x80 - 'a')) & ~(l + ONES * (0x7f - 'f'));
	uint64_t other = ~(digit | alpha) & HIGHS;
	return other ? (unsigned)__builtin_ctzll(other) >> 3 : 8;
}
#endif

/* hex, with or without 0x: 1 to 16 digits */
static inline bool hex_token(const char *p, size_t *i, size_t len, uint64_t *out)
{
	size_t k = *i;
	if (k + 2 <= len && p[k] == '0' && (p[k + 1] | 0x20) == 'x')
		k += 2;
	size_t d0 = k;
#if SWAR
	/* a pointer: 16 digits (64-bit) or 8 (32-bit), then the token's end */
	if (k + 8 <= len) {
		uint64_t w;
		uint32_t hi = 0, lo;
		memcpy(&w, p + k, 8);
		unsigned j = hex_run(w);
		if (j && j < 8 && is_blank(p[k + j])) {
			/* fewer than eight digits and a blank (a pfn): the same
			 * digits after '0's, as eight */
			(void)hex8(w << (8 * (8 - j)) | (ONES * '0') >> (8 * j), &hi);
			*i = k + j;
			*out = hi;
			return true;
		}
		if (j == 8 && hex8(w, &hi)) {
			if (token_end(p, k + 8, len)) {
				*i = k + 8;
				*out = hi;
				return true;
			}
			if (k + 16 <= len && (memcpy(&w, p + k + 8, 8), hex8(w, &lo)) && token_end(p, k + 16, len)) {
				*i = k + 16;
				*out = (uint64_t)hi << 32 | lo;
				return true;
			}
		}
	}
#endif
	uint64_t v = 0;
	unsigned d;
	while (k < len && (d = hex_tab[(unsigned char)p[k]]) != 0) {
		v = v << 4 | (d & 15);
		k++;
	}
	if (k == d0 || k - d0 > 16 || !token_end(p, k, len)) {
		*i = to_blank(p, k, len);
		return false;
	}
	*i = k;
	*out = v;
	return true;
}

/* decimal: 1 to 19 digits (below 10^19, no overflow) */
static inline bool dec_token(const char *p, size_t *i, size_t len, uint64_t *out)
{
	size_t k = *i;
	uint64_t v = 0;
	while (k < len && is_digit(p[k])) {
		v = v * 10 + (unsigned)(p[k] - '0');
		k++;
	}
	if (k == *i || k - *i > 19 || !token_end(p, k, len)) {
		*i = to_blank(p, k, len);
		return false;
	}
	*i = k;
	*out = v;
	return true;
}

/* decimal up to UINT64_MAX (alloc_vmap_area's %lu va_start has 20 digits) */
static bool u64_token(const char *p, size_t *i, size_t len, uint64_t *out)
{
	size_t k = *i, e = to_blank(p, k, len);
	*i = e;
	if (e == k || e - k > 20)
		return false;
	uint64_t v = 0;
	for (; k < e; k++) {
		if (!is_digit(p[k]))
			return false;
		unsigned d = (unsigned)(p[k] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/*
 * a pointer: hex, or NULL as "(null)" (the kernel's vsprintf %p before
 * 4.x) or "(nil)" (perf script: libtraceevent prints %p with the C
 * library's printf, and glibc writes a null pointer so)
 */
static inline bool ptr_token(const char *p, size_t *i, size_t len, uint64_t *out)
{
	size_t k = *i;
	if (p[k] == '(' && len - k >= 6 && memcmp(p + k, "(null)", 6) == 0 && token_end(p, k + 6, len)) {
		*i = k + 6;
		*out = 0;
		return true;
	}
	if (p[k] == '(' && len - k >= 5 && memcmp(p + k, "(nil)", 5) == 0 && token_end(p, k + 5, len)) {
		*i = k + 5;
		*out = 0;
		return true;
	}
	return hex_token(p, i, len, out);
}

/*
 * a pointer the kernel did not print: lib/vsprintf.c ptr_to_id() writes
 * "(ptrval)" (32-bit) or "(____ptrval____)" (64-bit) for a hashed %p while
 * its hash key is not set, which is until the random number generator is
 * ready (vsprintf_init_hashval()); the trace file formats its events when
 * it is read, so a trace read that early has every pointer so
 */
static inline bool ptrval_token(const char *p, size_t *i, size_t len)
{
	size_t k = *i;
	if (p[k] == '(' && len - k >= 8 && memcmp(p + k, "(ptrval)", 8) == 0 && token_end(p, k + 8, len)) {
		*i = k + 8;
		return true;
	}
	if (p[k] == '(' && len - k >= 16 && memcmp(p + k, "(____ptrval____)", 16) == 0 && token_end(p, k + 16, len)) {
		*i = k + 16;
		return true;
	}
	return false;
}

/* pfn: "0x..." hex (6.x), decimal (2.6.32); "-1" means no page */
static inline bool pfn_token(const char *p, size_t *i, size_t len, uint64_t *out)
{
	size_t k = *i;
	if (k + 2 <= len && p[k] == '0' && (p[k + 1] | 0x20) == 'x')
		return hex_token(p, i, len, out);
	if (p[k] == '-' && k + 2 <= len && p[k + 1] == '1' && token_end(p, k + 2, len)) {
		*i = k + 2;
		*out = ~0ull;
		return true;
	}
	return dec_token(p, i, len, out);
}

/* a string value: the token, not empty */
static inline bool str_token(const char *p, size_t *i, size_t len, struct trace_str *out)
{
	size_t k = *i, e = to_blank(p, k, len);
	*i = e;
	if (e == k)
		return false;
	out->p = p + k;
	out->len = (uint32_t)(e - k);
	return true;
}

/* the event for a name (without its ':'): by length, then one comparison */
static enum trace_ev event_named(const char *p, size_t n)
{
#define IS(s, e) if (memcmp(p, s, sizeof(s) - 1) == 0) return e
	switch (n) {
	case 5:
		IS("kfree", TEV_KFREE);
		break;
	case 7:
		IS("kmalloc", TEV_KMALLOC);
		break;
	case 12:
		IS("mm_page_free", TEV_PAGE_FREE);
		IS("kmalloc_node", TEV_KMALLOC_NODE);
		break;
	case 13:
		IS("mm_page_alloc", TEV_PAGE_ALLOC);
		break;
	case 15:
		IS("kmem_cache_free", TEV_CACHE_FREE);
		IS("alloc_vmap_area", TEV_ALLOC_VMAP_AREA);
		/* 2.6.32 - 3.2 (include/trace/events/kmem.h of 2.6.32) */
		IS("mm_pagevec_free", TEV_PAGE_FREE_BATCHED);
		break;
	case 16:
		IS("kmem_cache_alloc", TEV_CACHE_ALLOC);
		break;
	case 18:
		IS("mm_page_pcpu_drain", TEV_PAGE_PCPU_DRAIN);
		break;
	case 19:
		IS("mm_page_free_direct", TEV_PAGE_FREE);      /* 2.6.32 - 3.2 */
		break;
	case 20:
		IS("mm_page_free_batched", TEV_PAGE_FREE_BATCHED);
		IS("purge_vmap_area_lazy", TEV_PURGE_VMAP_AREA_LAZY);
		break;
	case 21:
		IS("kmem_cache_alloc_node", TEV_CACHE_ALLOC_NODE);
		IS("mm_page_alloc_extfrag", TEV_PAGE_ALLOC_EXTFRAG);
		break;
	case 22:
		IS("free_vmap_area_noflush", TEV_FREE_VMAP_AREA_NOFLUSH);
		break;
	case 25:
		IS("mm_page_alloc_zone_locked", TEV_PAGE_ALLOC_ZONE_LOCKED);
		break;
	default:
		break;
	}
#undef IS
	return TEV_OTHER;
}

static enum trace_ev event_of(const char *p, size_t n)
{
	enum trace_ev e = event_named(p, n);
	if (e != TEV_OTHER)
		return e;
	/* perf script: SYSTEM:EVENT (no known name has a ':') */
	const char *c = memchr(p, ':', n);
	if (!c)
		return TEV_OTHER;
	return event_named(c + 1, n - (size_t)(c + 1 - p));
}

/*
 * The timestamp: the first ':' followed by a blank that ends "D+.D+" which
 * starts the line or follows a blank or ']'.  *ts_start at its first digit,
 * *ts_end at the ':', and its value in ns (fraction digits past the ninth
 * dropped), converted while the digits are checked.
 */
static inline __attribute__((always_inline)) bool find_timestamp(const char *line, size_t len, size_t *ts_start, size_t *ts_end, uint64_t *ns)
{
	static const uint32_t scale[10] = { 1000000000, 100000000, 10000000, 1000000, 100000,
					    10000, 1000, 100, 10, 1 };
	for (size_t c = to_char(line, 0, len, ':'); c < len; c = to_char(line, c + 1, len, ':')) {
		if (c + 1 >= len || !is_blank(line[c + 1]) || c == 0 || !is_digit(line[c - 1]))
			continue;
		size_t q;
		uint64_t frac6 = 0;
		bool six = false;
		if (c >= 8 && line[c - 7] == '.' && is_digit(line[c - 6]) && is_digit(line[c - 5]) &&
		    is_digit(line[c - 4]) && is_digit(line[c - 3]) && is_digit(line[c - 2])) {
			/* tracefs' "%5lu.%06lu": six fraction digits, converted at once */
#if SWAR
			/* the eight bytes before the ':' hold a digit, '.' and the
			 * six: the six as bytes 0-9 above two zero bytes, combined by
			 * pairs, fours and eights as the seconds are below */
			uint64_t w;
			memcpy(&w, line + c - 8, 8);
			uint64_t v = w & ONES * 0x0f & ~0xffffull;
			v = (v * 10 + (v >> 8)) & 0x00ff00ff00ff00ffull;
			v = (v * 100 + (v >> 16)) & 0x0000ffff0000ffffull;
			frac6 = (v * 10000 + (v >> 32)) & 0xffffffffull;
#else
			const unsigned char *d = (const unsigned char *)line + c - 6;
			frac6 = (uint64_t)(d[0] - '0') * 100000 + (uint64_t)(d[1] - '0') * 10000 +
				(uint64_t)(d[2] - '0') * 1000 + (uint64_t)(d[3] - '0') * 100 +
				(uint64_t)(d[4] - '0') * 10 + (uint64_t)(d[5] - '0');
#endif
			q = c - 6;
			six = true;
		} else {
			q = c - 1;
			while (q > 0 && is_digit(line[q - 1]))
				q--;
			if (q == 0 || line[q - 1] != '.')
				continue;
		}
		size_t r = q - 1;
		uint64_t sec = 0, mul = 1;
		bool more = true;       /* digits left to read one by one */
#if SWAR
		if (r >= 8) {
			/* the eight bytes before the '.': the digits at their top end */
			uint64_t w;
			memcpy(&w, line + r - 8, 8);
			uint64_t digit = (w + ONES * (0x80 - '0')) & ~(w + ONES * (0x7f - '9')) & HIGHS;
			uint64_t other = ~digit & HIGHS;
			if (!(w & HIGHS) && other) {
				unsigned top = (63 - (unsigned)__builtin_clzll(other)) >> 3;   /* the last non-digit */
				unsigned n = 7 - top;
				if (n) {
					/* digits as bytes 0-9 with zeros below them, then the
					 * pairs, fours and eights of digits combined */
					uint64_t v = (w & ONES * 0x0f) & (~0ull << (8 * (8 - n)));
					v = (v * 10 + (v >> 8)) & 0x00ff00ff00ff00ffull;
					v = (v * 100 + (v >> 16)) & 0x0000ffff0000ffffull;
					v = v * 10000 + (v >> 32);
					sec = v & 0xffffffffull;
					r -= n;
				}
				more = false;   /* done: the loop below is not needed */
			}
		}
#endif
		/* mul wraps to 0 after 64 digits: the loop must not stop on it
		 * (the seconds wrap, as the reference parser's do) */
		while (more && r > 0 && is_digit(line[r - 1])) {
			sec += (uint64_t)(line[--r] - '0') * mul;
			mul *= 10;
		}
		if (r < q - 1 && (r == 0 || is_blank(line[r - 1]) || line[r - 1] == ']')) {
			*ts_start = r;
			*ts_end = c;
			if (six) {
				*ns = sec * 1000000000ull + frac6 * 1000;
				return true;
			}
			size_t digits = c - q < 9 ? c - q : 9;
			uint64_t frac = 0;
			for (size_t d = 0; d < digits; d++)
				frac = frac * 10 + (unsigned)(line[q + d] - '0');
			*ns = sec * 1000000000ull + frac * scale[digits];
			return true;
		}
	}
	return false;
}

/* why: a msgid (the Makefile names set_bad for xgettext); replay translates it */
static void set_bad(struct trace_event *ev, const char *why)
{
	ev->type = TEV_BAD;
	ev->why = why;
}

#define KEY(s) (klen == sizeof(s) - 1 && memcmp(key, s, sizeof(s) - 1) == 0)

/*
 * The vmalloc events' fields (trace.h has their TP_printk()s); kept out of
 * the kmem events' loop.  alloc_vmap_area writes "va_start: %lu", a word
 * and a decimal value, where every other field is KEY=VALUE.
 */
static void vmap_fields(const char *line, size_t i, size_t len, struct trace_event *ev)
{
	unsigned range = 0;
	memset(&ev->va, 0, sizeof ev->va);
	while (i < len) {
		i = skip_blanks(line, i, len);
		size_t k0 = i;
		i = to_blank_or(line, i, len, '=');
		if (i == k0)
			break;
		const char *key = line + k0;
		size_t klen = i - k0;
		if (KEY("va_start:")) {
			/* the value is the next word, in decimal */
			i = skip_blanks(line, i, len);
			if (i < len && u64_token(line, &i, len, &ev->ptr))
				ev->has |= TF_VA_START | TF_PTR;
			continue;
		}
		if (i >= len || line[i] != '=')
			continue;
		i++;
		if (i >= len)
			break;
		uint64_t x;
		bool ok;
		if (KEY("va_start") || KEY("start")) {
			if (hex_token(line, &i, len, &ev->ptr))
				ev->has |= TF_VA_START | TF_PTR;
		} else if (KEY("size")) {
			if (u64_token(line, &i, len, &ev->va.size))
				ev->has |= TF_VA_SIZE;
		} else if (KEY("align")) {
			if (u64_token(line, &i, len, &ev->va.align))
				ev->has |= TF_VA_ALIGN;
		} else if (KEY("vstart")) {
			if (hex_token(line, &i, len, &ev->va.vstart))
				range |= 1;
		} else if (KEY("vend")) {
			if (hex_token(line, &i, len, &ev->va.vend))
				range |= 2;
		} else if (KEY("failed")) {
			if (dec_token(line, &i, len, &x)) {
				ev->va.failed = x != 0;
				ev->has |= TF_VA_FAILED;
			}
		} else if (KEY("nr_lazy")) {
			if (dec_token(line, &i, len, &ev->va.nr_lazy))
				range |= 4;
		} else if (KEY("nr_lazy_max")) {
			if (dec_token(line, &i, len, &ev->va.nr_lazy_max))
				range |= 8;
		} else if (KEY("end")) {
			ok = hex_token(line, &i, len, &ev->va.end);
			(void)ok;
		} else if (KEY("num_purged")) {
			if (dec_token(line, &i, len, &ev->va.num_purged))
				ev->has |= TF_VA_PURGED;
		} else {
			i = to_blank(line, i, len);
		}
	}
	if ((range & 3) == 3)
		ev->has |= TF_VA_RANGE;
	if ((range & 12) == 12)
		ev->has |= TF_VA_LAZY;
	switch (ev->type) {
	case TEV_ALLOC_VMAP_AREA:
		if (!(ev->has & TF_VA_START) || !(ev->has & TF_VA_SIZE) || !(ev->has & TF_VA_FAILED))
			set_bad(ev, "alloc_vmap_area without va_start/size/failed (truncated?)");
		break;
	case TEV_FREE_VMAP_AREA_NOFLUSH:
		if (!(ev->has & TF_VA_START))
			set_bad(ev, "free_vmap_area_noflush without va_start (truncated?)");
		break;
	default:
		break;          /* purge_vmap_area_lazy: replayed with or without its fields */
	}
}
#undef KEY

#define KEY(s) (klen == sizeof(s) - 1 && memcmp(key, s, sizeof(s) - 1) == 0)

/* the fields of mm_page_alloc_zone_locked, mm_page_pcpu_drain and
 * mm_page_alloc_extfrag (trace.h has their TP_printk()s) */
static void pcp_fields(const char *line, size_t i, size_t len, struct trace_event *ev)
{
	unsigned ext = 0;
	memset(&ev->pg, 0, sizeof ev->pg);
	while (i < len) {
		i = skip_blanks(line, i, len);
		size_t k0 = i;
		i = to_blank_or(line, i, len, '=');
		if (i == k0)
			break;
		if (i >= len || line[i] != '=')
			continue;
		const char *key = line + k0;
		size_t klen = i - k0;
		if (++i >= len)
			break;
		uint64_t x;
		if (KEY("pfn")) {
			if (pfn_token(line, &i, len, &ev->pfn))
				ev->has |= TF_PFN;
		} else if (KEY("order") || KEY("alloc_order")) {
			if (dec_token(line, &i, len, &x) && x < 64) {
				ev->order = (unsigned)x;
				ev->has |= TF_ORDER;
			}
		} else if (KEY("percpu_refill")) {
			if (dec_token(line, &i, len, &x)) {
				ev->pg.percpu_refill = x != 0;
				ev->has |= TF_PCP_REFILL;
			}
		} else if (KEY("fallback_order")) {
			if (dec_token(line, &i, len, &x) && x < 64) {
				ev->pg.fallback_order = (unsigned)x;
				ext |= 1;
			}
		} else if (KEY("fragmenting")) {
			if (dec_token(line, &i, len, &x)) {
				ev->pg.fragmenting = x != 0;
				ext |= 2;
			}
		} else if (KEY("change_ownership")) {
			if (dec_token(line, &i, len, &x)) {
				ev->pg.change_ownership = x != 0;
				ext |= 4;
			}
		} else {
			i = to_blank(line, i, len);
		}
	}
	if (ext == 7)
		ev->has |= TF_EXTFRAG;
	switch (ev->type) {
	case TEV_PAGE_ALLOC_ZONE_LOCKED:
		if (!(ev->has & TF_ORDER) || !(ev->has & TF_PCP_REFILL))
			set_bad(ev, "mm_page_alloc_zone_locked without order/percpu_refill (truncated?)");
		break;
	case TEV_PAGE_PCPU_DRAIN:
		if (!(ev->has & TF_ORDER))
			set_bad(ev, "mm_page_pcpu_drain without order (truncated?)");
		break;
	default:
		if (!(ev->has & TF_ORDER) || !(ev->has & TF_EXTFRAG))
			set_bad(ev, "mm_page_alloc_extfrag without alloc_order/fallback_order/fragmenting/"
				"change_ownership (truncated?)");
		break;
	}
}
#undef KEY

/* the line at i starts with "key=" (s, a literal, includes the '='): past it */
#define AT(s) (len - i > sizeof(s) - 1 && memcmp(line + i, s, sizeof(s) - 1) == 0 && (i += sizeof(s) - 1, true))

/* the kmem events' KEY=VALUE fields from i; those the replay uses are kept */
static void kmem_fields(const char *line, size_t i, size_t len, struct trace_event *ev)
{
	uint64_t o;
	/* i is at the end of a token (a blank) or of the line */
	for (;;) {
		if (i >= len)
			break;
		/* past the one blank the kernel writes between fields, and any more */
		if (++i < len && (unsigned char)line[i] <= ' ')
			i = skip_blanks(line, i, len);
		if (i >= len)
			break;
		switch (line[i]) {
		case 'p':
			if (AT("ptr=")) {
				size_t at = i;
				if (ptr_token(line, &i, len, &ev->ptr)) {
					ev->has |= TF_PTR;
				} else if (ptrval_token(line, &at, len)) {
					ev->has |= TF_PTR | TF_PTRVAL;  /* ptr stays 0: use TF_PTRVAL */
					i = at;
				}
				continue;
			}
			if (AT("pfn=")) {
				if (pfn_token(line, &i, len, &ev->pfn))
					ev->has |= TF_PFN;
				continue;
			}
			break;
		case 'b':
			if (AT("bytes_req=")) {
				if (dec_token(line, &i, len, &ev->bytes_req))
					ev->has |= TF_REQ;
				continue;
			}
			if (AT("bytes_alloc=")) {
				if (dec_token(line, &i, len, &ev->bytes_alloc))
					ev->has |= TF_ALLOC;
				continue;
			}
			break;
		case 'o':
			if (AT("order=")) {
				if (dec_token(line, &i, len, &o) && o < 64) {
					ev->order = (unsigned)o;
					ev->has |= TF_ORDER;
				}
				continue;
			}
			break;
		case 'g':
			if (AT("gfp_flags=")) {
				if (str_token(line, &i, len, &ev->gfp))
					ev->has |= TF_GFP;
				continue;
			}
			break;
		case 'n':
			if (AT("name=")) {
				if (str_token(line, &i, len, &ev->name))
					ev->has |= TF_NAME;
				continue;
			}
			break;
		case 'c':
			if (AT("call_site=")) {
				if (str_token(line, &i, len, &ev->site))
					ev->has |= TF_SITE;
				continue;
			}
			break;
		default:
			break;
		}
		/* a field the replay does not use, or a word without a value */
		i = to_blank(line, i, len);
	}
}
#undef AT

/*
 * The fast path for the six kmem events as 6.x writes them, fields in
 * their TP_printk() order (include/trace/events/kmem.h):
 *   kmalloc:          call_site ptr bytes_req bytes_alloc gfp_flags node accounted
 *   kmem_cache_alloc: call_site ptr [name (6.18)] bytes_req bytes_alloc gfp_flags node accounted
 *   kfree:            call_site ptr
 *   kmem_cache_free:  call_site ptr name
 *   mm_page_alloc:    page pfn order migratetype gfp_flags
 *   mm_page_free:     page pfn order
 * Each field is checked with one comparison of " key=" (the one blank the
 * kernel writes before it included) and its value converted as
 * kmem_fields() would; at the first thing that is not so (another order,
 * more blanks, a value of another shape) kmem_fields() takes over at that
 * field's blank, with nothing of that field stored yet: kmem_fields() reads
 * tokens left to right, each on its own, so what the fast path read before
 * is what it would have read itself.
 */

/* n (4 to 24, a constant) bytes at a equal those at b (a literal): two or
 * three overlapping loads of each, which the compiler folds for the
 * literal (memcmp() of 9 to 13 bytes is a call) */
static inline __attribute__((always_inline)) bool same_bytes(const char *a, const char *b, size_t n)
{
	if (n > 16) {
		uint64_t x, y, u, v, w, z;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&u, a + 8, 8);
		memcpy(&v, b + 8, 8);
		memcpy(&w, a + n - 8, 8);
		memcpy(&z, b + n - 8, 8);
		return ((x ^ y) | (u ^ v) | (w ^ z)) == 0;
	}
	if (n >= 8) {
		uint64_t x, y, u, v;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&u, a + n - 8, 8);
		memcpy(&v, b + n - 8, 8);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	uint32_t x, y, u, v;
	memcpy(&x, a, 4);
	memcpy(&y, b, 4);
	memcpy(&u, a + n - 4, 4);
	memcpy(&v, b + n - 4, 4);
	return ((x ^ y) | (u ^ v)) == 0;
}

/* the line at i holds s (a literal: " key=") and at least one byte more */
#define FIELD(s) (len - i > sizeof(s) - 1 && same_bytes(line + i, s, sizeof(s) - 1))

/* sixteen hex digits at k, then the token's end: hex_token()'s reading
 * (the second digit is not 'x', so there is no "0x" to strip) */
static inline __attribute__((always_inline)) bool fast_hex16(const char *p, size_t k, size_t len, uint64_t *out)
{
#if SWAR
	uint64_t w1, w2;
	uint32_t hi, lo;
	if (k + 16 > len)
		return false;
	memcpy(&w1, p + k, 8);
	memcpy(&w2, p + k + 8, 8);
	if (!hex8(w1, &hi) || !hex8(w2, &lo) || !token_end(p, k + 16, len))
		return false;
	*out = (uint64_t)hi << 32 | lo;
	return true;
#else
	(void)p, (void)k, (void)len, (void)out;
	return false;
#endif
}

/* sixteen bytes at k that are not blanks, then a blank or the end */
static inline __attribute__((always_inline)) bool page16(const char *p, size_t k, size_t len)
{
#if SSE2
	return k + 16 <= len && !eq16(p, k, ' ', '\t') && token_end(p, k + 16, len);
#else
	uint64_t unused;
	return fast_hex16(p, k, len, &unused);
#endif
}

/* "0x" and one to seven hex digits at k, then a blank: hex_token()'s
 * short-token reading (a pfn) */
static inline __attribute__((always_inline)) bool fast_hex_short(const char *p, size_t k, size_t len, uint64_t *out,
								size_t *end)
{
#if SWAR
	uint64_t w;
	uint32_t v = 0;
	if (k + 10 > len || p[k] != '0' || p[k + 1] != 'x')
		return false;
	memcpy(&w, p + k + 2, 8);
	unsigned j = hex_run(w);
	if (!j || j >= 8 || !is_blank(p[k + 2 + j]))
		return false;
	(void)hex8(w << (8 * (8 - j)) | (ONES * '0') >> (8 * j), &v);
	*out = v;
	*end = k + 2 + j;
	return true;
#else
	(void)p, (void)k, (void)len, (void)out, (void)end;
	return false;
#endif
}

/* decimal at k, 1 to 19 digits, then the token's end: dec_token()'s reading */
static inline __attribute__((always_inline)) bool fast_dec(const char *p, size_t k, size_t len, uint64_t *out,
							  size_t *end)
{
	size_t k0 = k;
	uint64_t v = 0;
	while (k < len && is_digit(p[k])) {
		v = v * 10 + (unsigned)(p[k] - '0');
		k++;
	}
	if (k == k0 || k - k0 > 19 || !token_end(p, k, len))
		return false;
	*out = v;
	*end = k;
	return true;
}

/* a short token the replay does not use: to its end (to_blank() for a few bytes) */
static inline size_t short_token(const char *p, size_t k, size_t len)
{
	while (k < len && !is_blank(p[k]))
		k++;
	return k;
}

/* the fields from i (a blank after the event's name), as kmem_fields() reads them */
static inline __attribute__((always_inline)) void fast_kmem_fields(const char *line, size_t i, size_t len,
								    struct trace_event *ev)
{
	enum trace_ev type = ev->type;
	size_t e;
	if (type >= TEV_PAGE_ALLOC) {
		/* page=%p: skipped as kmem_fields() skips it */
		/* page=%p: sixteen bytes without a blank and a blank after them,
		 * where kmem_fields()' to_blank() would stop too */
		if (!FIELD(" page=") || !page16(line, i + 6, len))
			goto rest;
		i += 6 + 16;
		if (!FIELD(" pfn=") || !fast_hex_short(line, i + 5, len, &ev->pfn, &e))
			goto rest;
		ev->has |= TF_PFN;
		i = e;
		uint64_t o;
		if (!FIELD(" order=") || !fast_dec(line, i + 7, len, &o, &e))
			goto rest;
		if (o < 64) {
			ev->order = (unsigned)o;
			ev->has |= TF_ORDER;
		}
		i = e;
		if (type == TEV_PAGE_FREE)
			goto rest;
		if (!FIELD(" migratetype="))
			goto rest;
		i = short_token(line, i + 13, len);
		goto gfp;
	}
	if (!FIELD(" call_site="))
		goto rest;
	e = to_blank(line, i + 11, len);
	if (e == i + 11)
		goto rest;      /* "call_site=" and a blank: no value (kmem_fields() skips it) */
	ev->site.p = line + i + 11;
	ev->site.len = (uint32_t)(e - (i + 11));
	ev->has |= TF_SITE;
	i = e;
	if (!FIELD(" ptr=") || !fast_hex16(line, i + 5, len, &ev->ptr))
		goto rest;
	ev->has |= TF_PTR;
	i += 5 + 16;
	if (type == TEV_KFREE)
		goto rest;
	if (type != TEV_KMALLOC && FIELD(" name=")) {
		e = to_blank(line, i + 6, len);
		if (e == i + 6)
			goto rest;
		ev->name.p = line + i + 6;
		ev->name.len = (uint32_t)(e - (i + 6));
		ev->has |= TF_NAME;
		i = e;
	}
	if (type == TEV_CACHE_FREE)
		goto rest;
	if (!FIELD(" bytes_req=") || !fast_dec(line, i + 11, len, &ev->bytes_req, &e))
		goto rest;
	ev->has |= TF_REQ;
	i = e;
	if (!FIELD(" bytes_alloc=") || !fast_dec(line, i + 13, len, &ev->bytes_alloc, &e))
		goto rest;
	ev->has |= TF_ALLOC;
	i = e;
gfp:
	if (!FIELD(" gfp_flags="))
		goto rest;
	e = to_blank(line, i + 11, len);
	if (e == i + 11)
		goto rest;      /* "gfp_flags=" and a blank: no value (kmem_fields() skips it) */
	ev->gfp.p = line + i + 11;
	ev->gfp.len = (uint32_t)(e - (i + 11));
	ev->has |= TF_GFP;
	i = e;
	if (type >= TEV_PAGE_ALLOC)
		goto rest;
	/* node=%d accounted=%s: neither is read; mostly these two */
	if ((len - i == 23 && same_bytes(line + i, " node=-1 accounted=true", 23)) ||
	    (len - i == 24 && same_bytes(line + i, " node=-1 accounted=false", 24)))
		return;
	if (!FIELD(" node="))
		goto rest;
	i = short_token(line, i + 6, len);
	if (!FIELD(" accounted="))
		goto rest;
	i = short_token(line, i + 11, len);
rest:
	/* nothing more (the usual end), or kmem_fields() from this blank on */
	if (i < len)
		kmem_fields(line, i, len, ev);
}
#undef FIELD

/* the event's name at e0 as tracefs writes the six kmem events most lines
 * are, with the ':' and the blank after it: the event, and *end at the
 * blank; TEV_NONE for anything else (event_of() reads it then) */
static inline __attribute__((always_inline)) enum trace_ev fast_event(const char *p, size_t e0, size_t len, size_t *end)
{
#if SWAR
	uint64_t w;
	if (e0 + 19 > len)
		return TEV_NONE;
	memcpy(&w, p + e0, 8);
#define W8(s) ((uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[1] << 8 | \
	       (uint64_t)(unsigned char)s[2] << 16 | (uint64_t)(unsigned char)s[3] << 24 | \
	       (uint64_t)(unsigned char)s[4] << 32 | (uint64_t)(unsigned char)s[5] << 40 | \
	       (uint64_t)(unsigned char)s[6] << 48 | (uint64_t)(unsigned char)s[7] << 56)
	if (w == W8("kmem_cac")) {
		if (same_bytes(p + e0 + 8, "he_alloc: ", 10)) {
			*end = e0 + 17;
			return TEV_CACHE_ALLOC;
		}
		if (same_bytes(p + e0 + 8, "he_free: ", 9)) {
			*end = e0 + 16;
			return TEV_CACHE_FREE;
		}
		return TEV_NONE;
	}
	if (w == W8("mm_page_")) {
		if (same_bytes(p + e0 + 8, "alloc: ", 7)) {
			*end = e0 + 14;
			return TEV_PAGE_ALLOC;
		}
		if (same_bytes(p + e0 + 8, "free: ", 6)) {
			*end = e0 + 13;
			return TEV_PAGE_FREE;
		}
		return TEV_NONE;
	}
	if (w == W8("kmalloc:")) {
		if (p[e0 + 8] != ' ')
			return TEV_NONE;
		*end = e0 + 8;
		return TEV_KMALLOC;
	}
	if ((w & 0x00ffffffffffffffull) == (W8("kfree: x") & 0x00ffffffffffffffull)) {
		*end = e0 + 6;
		return TEV_KFREE;
	}
#undef W8
#else
	(void)p, (void)e0, (void)len, (void)end;
#endif
	return TEV_NONE;
}

/* what each kmem event needs to be replayed */
static inline __attribute__((always_inline)) void kmem_check(struct trace_event *ev)
{
	switch (ev->type) {
	case TEV_KMALLOC:
	case TEV_KMALLOC_NODE:
		if (!(ev->has & TF_PTR))
			set_bad(ev, "kmalloc without ptr (truncated?)");
		else if (!(ev->has & TF_REQ) || !(ev->has & TF_ALLOC))
			set_bad(ev, "kmalloc without bytes_req/bytes_alloc (truncated?)");
		break;
	case TEV_CACHE_ALLOC:
	case TEV_CACHE_ALLOC_NODE:
		if (!(ev->has & TF_PTR))
			set_bad(ev, "kmem_cache_alloc without ptr (truncated?)");
		else if (!(ev->has & TF_ALLOC))
			set_bad(ev, "kmem_cache_alloc without bytes_alloc (truncated?)");
		else if (!(ev->has & TF_REQ))
			ev->bytes_req = ev->bytes_alloc;
		break;
	case TEV_KFREE:
	case TEV_CACHE_FREE:
		if (!(ev->has & TF_PTR))
			set_bad(ev, "free without ptr (truncated?)");
		break;
	case TEV_PAGE_ALLOC:
		if (!(ev->has & TF_PFN))
			set_bad(ev, "mm_page_alloc without pfn (truncated?)");
		else if (!(ev->has & TF_ORDER))
			set_bad(ev, "mm_page_alloc without order (truncated?)");
		break;
	case TEV_PAGE_FREE:
	case TEV_PAGE_FREE_BATCHED:
		if (!(ev->has & TF_PFN))
			set_bad(ev, "page free without pfn (truncated?)");
		break;
	default:
		break;
	}
}

/*
 * trace-cmd report's preamble (trace-cmd's tracecmd/trace-read.c): the
 * file's "version = N", "cpus=N" and "CPU N is empty" for a CPU that
 * recorded nothing, before the events: header lines, as tracefs' '#' ones
 */
static bool trace_cmd_preamble(const char *p, size_t len)
{
	size_t k;
	if (len > 10 && memcmp(p, "version = ", 10) == 0)
		return true;
	if (len > 5 && memcmp(p, "cpus=", 5) == 0) {
		for (k = 5; k < len && is_digit(p[k]); k++)
			;
		return k > 5 && skip_blank_run(p, k, len) == len;
	}
	if (len > 4 && memcmp(p, "CPU ", 4) == 0) {
		for (k = 4; k < len && is_digit(p[k]); k++)
			;
		return k > 4 && len - k >= 9 && memcmp(p + k, " is empty", 9) == 0 &&
		       skip_blank_run(p, k + 9, len) == len;
	}
	return false;
}

void trace_parse_line(const char *line, size_t len, struct trace_event *ev)
{
	ev->type = TEV_NONE;
	ev->has = 0;
	ev->cpu = -1;
	ev->ts_ns = 0;
	ev->ptr = 0;
	ev->pfn = ~0ull;
	ev->bytes_req = ev->bytes_alloc = 0;
	ev->order = 0;
	ev->site.p = ev->name.p = ev->gfp.p = ev->event.p = NULL;
	ev->site.len = ev->name.len = ev->gfp.len = ev->event.len = 0;
	ev->why = NULL;

	size_t i = skip_blank_run(line, 0, len);
	if (i == len || line[i] == '#' || trace_cmd_preamble(line + i, len - i))
		return;
	size_t ts0, ts1;
	if (!find_timestamp(line, len, &ts0, &ts1, &ev->ts_ns)) {
		set_bad(ev, "no timestamp (not a trace line)");
		return;
	}
	ev->has |= TF_TS;
	/* CPU: the "[NNN]" before the timestamp, perhaps with flags between */
	{
		size_t k = back_blanks(line, ts0);
		/* tracefs: "[000] ..... ", five flag characters between */
		if (k >= 8 && line[k - 1] != ']' && line[k - 6] == ' ' && line[k - 7] == ']' &&
		    !is_blank(line[k - 5]) && !is_blank(line[k - 4]) && !is_blank(line[k - 3]) &&
		    !is_blank(line[k - 2]) && !is_blank(line[k - 1]))
			k -= 6;
		for (int tok = 0; tok < 2 && k > 0; tok++) {
			k = back_blanks(line, k);
			if (k >= 5 && line[k - 1] == ']' && line[k - 5] == '[' && is_digit(line[k - 4]) &&
			    is_digit(line[k - 3]) && is_digit(line[k - 2])) {
				/* tracefs' "[%03d]": the loop below would read the same */
				ev->cpu = (line[k - 4] - '0') * 100 + (line[k - 3] - '0') * 10 + (line[k - 2] - '0');
				ev->has |= TF_CPU;
				break;
			}
			if (k > 0 && line[k - 1] == ']') {
				size_t e = k - 1, b = e;
				uint64_t cpu = 0, mul = 1;
				while (b > 0 && is_digit(line[b - 1]) && e - b < 19) {
					cpu += (uint64_t)(line[--b] - '0') * mul;
					mul *= 10;
				}
				/* 1 to 19 digits after a '[' */
				if (b < e && b > 0 && line[b - 1] == '[' && cpu < 1u << 20) {
					ev->cpu = (int)cpu;
					ev->has |= TF_CPU;
				}
				break;
			}
			while (k > 0 && !is_blank(line[k - 1]))
				k--;
		}
	}
	/* the event name: the next word, ending in ':' */
	i = skip_blanks(line, ts1 + 1, len);
	size_t e0 = i;
	enum trace_ev type = fast_event(line, e0, len, &i);
	if (type != TEV_NONE) {
		ev->event.p = line + e0;
		ev->event.len = (uint32_t)(i - 1 - e0);
		ev->type = type;
		fast_kmem_fields(line, i, len, ev);
		kmem_check(ev);
		return;
	}
	i = to_blank(line, i, len);
	if (i == e0 || line[i - 1] != ':' || i - 1 == e0) {
		set_bad(ev, "no event name after the timestamp");
		return;
	}
	ev->event.p = line + e0;
	ev->event.len = (uint32_t)(i - 1 - e0);
	type = event_of(line + e0, i - 1 - e0);
	ev->type = type;
	if (type >= TEV_ALLOC_VMAP_AREA && type <= TEV_PURGE_VMAP_AREA_LAZY) {
		vmap_fields(line, i, len, ev);
		return;
	}
	if (type == TEV_OTHER)
		return;         /* not replayed: the fields are not needed */
	if (type >= TEV_PAGE_ALLOC_ZONE_LOCKED) {
		pcp_fields(line, i, len, ev);
		return;
	}
	kmem_fields(line, i, len, ev);
	kmem_check(ev);
}
