/*
 * trace_parse_ref.c - the line parser as it was before the one-pass rewrite
 * (src/trace/parse.c of e0f8a95, helpers made static, the entry point
 * renamed trace_parse_line_ref()): the reference fuzz_trace.c and
 * test_trace.c compare the new parser with, field by field.  One known
 * difference: its eight-bytes-at-a-time scans did not stop at a tab (only
 * the byte-by-byte tail did), so lines with tabs are not compared.
 *
 * The original header follows.
 *
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
 * No allocation, no copies: the fields point into the line.
 */
#include <string.h>

#include "kmemsh/trace.h"

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* hex digits: 0x10 | value; 0 for anything else */
#define H10(b) [b + 0] = 0x10, [b + 1] = 0x11, [b + 2] = 0x12, [b + 3] = 0x13, [b + 4] = 0x14, \
	[b + 5] = 0x15, [b + 6] = 0x16, [b + 7] = 0x17, [b + 8] = 0x18, [b + 9] = 0x19
#define H6(b) [b + 0] = 0x1a, [b + 1] = 0x1b, [b + 2] = 0x1c, [b + 3] = 0x1d, [b + 4] = 0x1e, [b + 5] = 0x1f
static const uint8_t hex_tab[256] = { H10('0'), H6('a'), H6('A') };

/* the first byte at or after i (before len) that is a blank or (stop2) c2:
 * eight bytes at a time, a zero byte of (word ^ pattern) marks a match */
static inline size_t scan_to(const char *p, size_t i, size_t len, char c2)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	const uint64_t sp = ones * ' ', c2w = ones * (unsigned char)c2;
	while (i + 8 <= len) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t a = w ^ sp, b = w ^ c2w;
		uint64_t t = ((a - ones) & ~a) | ((b - ones) & ~b);
		t &= highs;
		if (t) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return i + (size_t)(__builtin_ctzll(t) >> 3);
#else
			break;
#endif
		}
		i += 8;
	}
	while (i < len && p[i] != ' ' && p[i] != '\t' && p[i] != c2)
		i++;
	return i;
}

/* hex number (optional 0x) filling the whole value; false otherwise */
static bool parse_hex(const char *p, size_t n, uint64_t *out)
{
	if (n >= 2 && p[0] == '0' && (p[1] | 0x20) == 'x') {
		p += 2;
		n -= 2;
	}
	if (!n || n > 16)
		return false;
	uint64_t v = 0;
	unsigned ok = 0x10;
	for (size_t i = 0; i < n; i++) {
		unsigned d = hex_tab[(unsigned char)p[i]];
		ok &= d;
		v = v << 4 | (d & 15);
	}
	if (!ok)
		return false;
	*out = v;
	return true;
}

static bool parse_dec(const char *p, size_t n, uint64_t *out)
{
	if (!n || n > 19)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return false;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	*out = v;
	return true;
}

/* decimal up to UINT64_MAX (alloc_vmap_area's %lu va_start has 20 digits) */
static bool parse_u64(const char *p, size_t n, uint64_t *out)
{
	if (n < 20)
		return parse_dec(p, n, out);
	uint64_t hi;
	if (n > 20 || !parse_dec(p, 19, &hi) || !is_digit(p[19]))
		return false;
	unsigned d = (unsigned)(p[19] - '0');
	if (hi > (UINT64_MAX - d) / 10)
		return false;
	*out = hi * 10 + d;
	return true;
}

/* a pointer: hex, or "(null)" / "(nil)" (perf script) / "0" */
static bool parse_ptr(const char *p, size_t n, uint64_t *out)
{
	if ((n == 6 && memcmp(p, "(null)", 6) == 0) || (n == 5 && memcmp(p, "(nil)", 5) == 0)) {
		*out = 0;
		return true;
	}
	return parse_hex(p, n, out);
}

/* pfn: "0x..." hex (6.x), decimal (2.6.32); "-1"-like all-ones means no page */
static bool parse_pfn(const char *p, size_t n, uint64_t *out)
{
	if (n >= 2 && p[0] == '0' && (p[1] | 0x20) == 'x')
		return parse_hex(p, n, out);
	if (n == 2 && p[0] == '-' && p[1] == '1') {
		*out = ~0ull;
		return true;
	}
	return parse_dec(p, n, out);
}

static enum trace_ev event_of(const char *p, size_t n)
{
	/* perf script: SYSTEM:EVENT */
	const char *c = memchr(p, ':', n);
	if (c) {
		n -= (size_t)(c + 1 - p);
		p = c + 1;
	}
#define IS(s) (n == sizeof(s) - 1 && memcmp(p, s, sizeof(s) - 1) == 0)
	switch (p[0]) {
	case 'k':
		if (IS("kmalloc"))
			return TEV_KMALLOC;
		if (IS("kfree"))
			return TEV_KFREE;
		if (IS("kmem_cache_alloc"))
			return TEV_CACHE_ALLOC;
		if (IS("kmem_cache_free"))
			return TEV_CACHE_FREE;
		if (IS("kmalloc_node"))
			return TEV_KMALLOC_NODE;
		if (IS("kmem_cache_alloc_node"))
			return TEV_CACHE_ALLOC_NODE;
		break;
	case 'm':
		if (IS("mm_page_alloc"))
			return TEV_PAGE_ALLOC;
		if (IS("mm_page_free"))
			return TEV_PAGE_FREE;
		if (IS("mm_page_free_batched"))
			return TEV_PAGE_FREE_BATCHED;
		if (IS("mm_page_alloc_zone_locked"))
			return TEV_PAGE_ALLOC_ZONE_LOCKED;
		if (IS("mm_page_pcpu_drain"))
			return TEV_PAGE_PCPU_DRAIN;
		if (IS("mm_page_alloc_extfrag"))
			return TEV_PAGE_ALLOC_EXTFRAG;
		/* 2.6.32 - 3.2 names (include/trace/events/kmem.h of 2.6.32) */
		if (IS("mm_page_free_direct"))
			return TEV_PAGE_FREE;
		if (IS("mm_pagevec_free"))
			return TEV_PAGE_FREE_BATCHED;
		break;
	case 'a':
		if (IS("alloc_vmap_area"))
			return TEV_ALLOC_VMAP_AREA;
		break;
	case 'f':
		if (IS("free_vmap_area_noflush"))
			return TEV_FREE_VMAP_AREA_NOFLUSH;
		break;
	case 'p':
		if (IS("purge_vmap_area_lazy"))
			return TEV_PURGE_VMAP_AREA_LAZY;
		break;
	}
#undef IS
	return TEV_OTHER;
}

/* Find the timestamp "D+.D+:" followed by a blank; *ts_end at the ':' */
static bool find_timestamp(const char *line, size_t len, size_t *ts_start, size_t *ts_end)
{
	const char *p = line, *end = line + len;
	while (p < end) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		if (!c)
			return false;
		if (c + 1 < end && (c[1] == ' ' || c[1] == '\t') && c > line && is_digit(c[-1])) {
			const char *q = c - 1;
			while (q > line && is_digit(q[-1]))
				q--;
			if (q > line && q[-1] == '.') {
				const char *r = q - 1;
				while (r > line && is_digit(r[-1]))
					r--;
				if (r < q - 1 && (r == line || r[-1] == ' ' || r[-1] == '\t' || r[-1] == ']')) {
					*ts_start = (size_t)(r - line);
					*ts_end = (size_t)(c - line);
					return true;
				}
			}
		}
		p = c + 1;
	}
	return false;
}

static void set_bad(struct trace_event *ev, const char *why)
{
	ev->type = TEV_BAD;
	ev->why = why;
}

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
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		size_t k0 = i;
		i = scan_to(line, i, len, '=');
		if (i == k0)
			break;
		const char *key = line + k0, *v;
		size_t klen = i - k0, vlen;
		if (klen == 9 && memcmp(key, "va_start:", 9) == 0) {
			/* the value is the next word, in decimal */
			while (i < len && (line[i] == ' ' || line[i] == '\t'))
				i++;
			size_t v0 = i;
			i = scan_to(line, i, len, ' ');
			if (parse_u64(line + v0, i - v0, &ev->ptr))
				ev->has |= TF_VA_START | TF_PTR;
			continue;
		}
		if (i >= len || line[i] != '=')
			continue;
		v = line + ++i;
		i = scan_to(line, i, len, ' ');
		vlen = (size_t)(line + i - v);
		uint64_t x;
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(key, s, sizeof(s) - 1) == 0)
		if (KEY("va_start") || KEY("start")) {
			if (parse_hex(v, vlen, &ev->ptr))
				ev->has |= TF_VA_START | TF_PTR;
		} else if (KEY("size")) {
			if (parse_u64(v, vlen, &ev->va.size))
				ev->has |= TF_VA_SIZE;
		} else if (KEY("align")) {
			if (parse_u64(v, vlen, &ev->va.align))
				ev->has |= TF_VA_ALIGN;
		} else if (KEY("vstart")) {
			if (parse_hex(v, vlen, &ev->va.vstart))
				range |= 1;
		} else if (KEY("vend")) {
			if (parse_hex(v, vlen, &ev->va.vend))
				range |= 2;
		} else if (KEY("failed")) {
			if (parse_dec(v, vlen, &x)) {
				ev->va.failed = x != 0;
				ev->has |= TF_VA_FAILED;
			}
		} else if (KEY("nr_lazy")) {
			if (parse_dec(v, vlen, &ev->va.nr_lazy))
				range |= 4;
		} else if (KEY("nr_lazy_max")) {
			if (parse_dec(v, vlen, &ev->va.nr_lazy_max))
				range |= 8;
		} else if (KEY("end")) {
			parse_hex(v, vlen, &ev->va.end);
		} else if (KEY("num_purged")) {
			if (parse_dec(v, vlen, &ev->va.num_purged))
				ev->has |= TF_VA_PURGED;
		}
#undef KEY
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

/* trace-cmd report's preamble: "version = N", "cpus=N", "CPU N is empty" */
static bool ref_trace_cmd_preamble(const char *p, size_t len)
{
	size_t k, e = len;
	while (e > 0 && (p[e - 1] == ' ' || p[e - 1] == '\t'))
		e--;
	if (len > 10 && memcmp(p, "version = ", 10) == 0)
		return true;
	if (e > 5 && memcmp(p, "cpus=", 5) == 0) {
		for (k = 5; k < e && p[k] >= '0' && p[k] <= '9'; k++)
			;
		return k > 5 && k == e;
	}
	if (e > 4 && memcmp(p, "CPU ", 4) == 0) {
		for (k = 4; k < e && p[k] >= '0' && p[k] <= '9'; k++)
			;
		return k > 4 && e - k == 9 && memcmp(p + k, " is empty", 9) == 0;
	}
	return false;
}

static void trace_parse_line_ref(const char *line, size_t len, struct trace_event *ev)
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

	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len || line[i] == '#' || ref_trace_cmd_preamble(line + i, len - i))
		return;
	size_t ts0, ts1;
	if (!find_timestamp(line, len, &ts0, &ts1)) {
		set_bad(ev, "no timestamp (not a trace line)");
		return;
	}
	/* timestamp: seconds.fraction to ns */
	{
		uint64_t sec = 0, frac = 0;
		size_t k = ts0, digits = 0;
		while (line[k] != '.')
			sec = sec * 10 + (unsigned)(line[k++] - '0');
		k++;
		while (k < ts1) {
			if (digits < 9) {
				frac = frac * 10 + (unsigned)(line[k] - '0');
				digits++;
			}
			k++;
		}
		while (digits < 9) {
			frac *= 10;
			digits++;
		}
		ev->ts_ns = sec * 1000000000ull + frac;
		ev->has |= TF_TS;
	}
	/* CPU: the "[NNN]" before the timestamp, perhaps with flags between */
	{
		size_t k = ts0;
		for (int tok = 0; tok < 2 && k > 0; tok++) {
			while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t'))
				k--;
			if (k > 0 && line[k - 1] == ']') {
				size_t e = k - 1, b = e;
				while (b > 0 && is_digit(line[b - 1]))
					b--;
				uint64_t cpu;
				if (b > 0 && line[b - 1] == '[' && parse_dec(line + b, e - b, &cpu) && cpu < 1u << 20) {
					ev->cpu = (int)cpu;
					ev->has |= TF_CPU;
				}
				break;
			}
			while (k > 0 && line[k - 1] != ' ' && line[k - 1] != '\t')
				k--;
		}
	}
	/* the event name: the next word, ending in ':' */
	i = ts1 + 1;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	size_t e0 = i;
	while (i < len && line[i] != ' ' && line[i] != '\t')
		i++;
	if (i == e0 || line[i - 1] != ':') {
		set_bad(ev, "no event name after the timestamp");
		return;
	}
	ev->event.p = line + e0;
	ev->event.len = (uint32_t)(i - 1 - e0);
	if (!ev->event.len) {
		set_bad(ev, "no event name after the timestamp");
		return;
	}
	enum trace_ev type = event_of(line + e0, i - 1 - e0);
	ev->type = type;
	if (type >= TEV_ALLOC_VMAP_AREA && type <= TEV_PURGE_VMAP_AREA_LAZY) {
		vmap_fields(line, i, len, ev);
		return;
	}
	if (type == TEV_OTHER || type >= TEV_PAGE_ALLOC_ZONE_LOCKED)
		return;         /* not replayed: the fields are not needed */

	/* fields: KEY=VALUE */
	while (i < len) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		size_t k0 = i;
		i = scan_to(line, i, len, '=');
		if (i >= len)
			break;
		size_t klen = i - k0;
		if (line[i] != '=')
			continue;       /* a word without a value */
		i++;
		size_t v0 = i;
		i = scan_to(line, i, len, ' ');
		const char *key = line + k0, *v = line + v0;
		size_t vlen = i - v0;
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(key, s, sizeof(s) - 1) == 0)
		switch (key[0]) {
		case 'p':
			if (KEY("ptr")) {
				if (parse_ptr(v, vlen, &ev->ptr))
					ev->has |= TF_PTR;
				else if ((vlen == 8 && memcmp(v, "(ptrval)", 8) == 0) ||
					 (vlen == 16 && memcmp(v, "(____ptrval____)", 16) == 0))
					ev->has |= TF_PTR | TF_PTRVAL;  /* not printed: hash key not set */
			} else if (KEY("pfn")) {
				if (parse_pfn(v, vlen, &ev->pfn))
					ev->has |= TF_PFN;
			}
			break;
		case 'b':
			if (KEY("bytes_req")) {
				if (parse_dec(v, vlen, &ev->bytes_req))
					ev->has |= TF_REQ;
			} else if (KEY("bytes_alloc")) {
				if (parse_dec(v, vlen, &ev->bytes_alloc))
					ev->has |= TF_ALLOC;
			}
			break;
		case 'o':
			if (KEY("order")) {
				uint64_t o;
				if (parse_dec(v, vlen, &o) && o < 64) {
					ev->order = (unsigned)o;
					ev->has |= TF_ORDER;
				}
			}
			break;
		case 'g':
			if (KEY("gfp_flags") && vlen) {
				ev->gfp.p = v;
				ev->gfp.len = (uint32_t)vlen;
				ev->has |= TF_GFP;
			}
			break;
		case 'n':
			if (KEY("name") && vlen) {
				ev->name.p = v;
				ev->name.len = (uint32_t)vlen;
				ev->has |= TF_NAME;
			}
			break;
		case 'c':
			if (KEY("call_site") && vlen) {
				ev->site.p = v;
				ev->site.len = (uint32_t)vlen;
				ev->has |= TF_SITE;
			}
			break;
		default:
			break;
		}
#undef KEY
	}

	/* what each event needs to be replayed */
	switch (type) {
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

/* the same bytes of the line; two empty strings are the same wherever
 * they point (a line with no event name after "ts: " leaves the name
 * empty at a place each parser picks differently) */
static bool same_str(struct trace_str a, struct trace_str b)
{
	return a.len == b.len && (a.len == 0 || a.p == b.p);
}

/* whether line parses the same with trace_parse_line() and the reference
 * (true for a line with a tab: not compared) */
static bool trace_parse_same_as_ref(const char *line, size_t len)
{
	if (memchr(line, '\t', len))
		return true;
	struct trace_event a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	trace_parse_line(line, len, &a);
	trace_parse_line_ref(line, len, &b);
	if (b.type >= TEV_PAGE_ALLOC_ZONE_LOCKED && b.type <= TEV_PAGE_ALLOC_EXTFRAG) {
		/* the reference did not read these events' fields (the new parser
		 * does, and calls one without them bad): the line's head only */
		return (a.type == b.type || a.type == TEV_BAD) && (a.has & (TF_TS | TF_CPU)) == b.has &&
		       a.cpu == b.cpu && a.ts_ns == b.ts_ns && same_str(a.event, b.event);
	}
	return a.type == b.type && a.has == b.has && a.cpu == b.cpu && a.ts_ns == b.ts_ns && a.ptr == b.ptr &&
	       a.pfn == b.pfn && a.bytes_req == b.bytes_req && a.bytes_alloc == b.bytes_alloc && a.order == b.order &&
	       same_str(a.site, b.site) && same_str(a.name, b.name) && same_str(a.gfp, b.gfp) &&
	       same_str(a.event, b.event) && (a.why == b.why || (a.why && b.why && strcmp(a.why, b.why) == 0)) &&
	       memcmp(&a.va, &b.va, sizeof a.va) == 0;
}
