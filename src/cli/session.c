/*
 * session.c - running lines of kmemsh: the lexer, variables, typed
 * arguments, error reporting and the script runner.
 *
 * A line holds statements separated by ';'; '#' starts a comment; words
 * are separated by blanks and may be quoted with '…' or "…".  A statement
 * `NAME = COMMAND ARGS` stores the command's result in $NAME; $_ is always
 * the last result.  GFP expressions may be written with blanks around '|'.
 */
#include <ctype.h>
#include <stdint.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kmemsh/buddy.h"
#include "kmemsh/cli.h"
#include "kmemsh/vmscan.h"
#include "kmemsh/context.h"
#include "kmemsh/gfp.h"
#include "kmemsh/i18n.h"
#include "cmd_int.h"
#include "help_int.h"

/* the steps from a script's line to its command, inlined into one
 * another: each frame they had cost a scripted line about ten instructions */
#define HOT static inline __attribute__((always_inline))
#define MAX_LINE 4096
#define MAX_ARGS 64
#define MAX_DEPTH 16

/* ---- errors ------------------------------------------------------------- */

/*
 * What a message holds of the user's input may not reach a terminal raw:
 * control characters (C0, DEL and the C1 range U+0080-U+009F, 0x9b being
 * CSI to an 8-bit terminal) and bytes that are not UTF-8 are written as
 * \xNN, one per byte; a backslash stays a backslash.  Valid UTF-8 passes.
 */
static void escape_for_terminal(const char *in, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0;
	while (*p && o + 5 < outlen) {
		uint32_t cp;
		size_t n = out_utf8_seq(p, &cp);
		if (n && cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f)) {
			memcpy(out + o, p, n);
			o += n;
			p += n;
			continue;
		}
		/* a control or a byte outside UTF-8: each byte of it escaped */
		for (size_t i = 0; i < (n ? n : 1) && o + 5 < outlen; i++)
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", p[i]);
		p += n ? n : 1;
	}
	out[o] = '\0';
}

void session_error(struct session *s, const char *fmt, ...)
{
	char raw[1024], msg[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, _(fmt), ap);   /* fmt is a msgid (xgettext keyword) */
	va_end(ap);
	/* keep it on one line and printable */
	escape_for_terminal(raw, msg, sizeof msg);
	/* results printed so far come first */
	if (s->out.f)
		out_flush(&s->out);
	if (s->json) {
		out_puts(&s->err, "{\"error\":");
		out_json_str(&s->err, msg);
		if (s->src_name && !s->from_argv) {
			out_puts(&s->err, ",\"file\":");
			out_json_str(&s->err, s->src_name);
			out_printf(&s->err, ",\"line\":%u", s->src_line);
		}
		out_puts(&s->err, "}\n");
	} else if (s->from_argv) {
		out_printf(&s->err, "kmemsh: %s%s%s\n", s->cur_cmd ? s->cur_cmd : "", s->cur_cmd ? ": " : "", msg);
	} else if (s->src_name && !s->interactive) {
		out_printf(&s->err, "%s:%u: %s%s%s\n", s->src_name, s->src_line,
			   s->cur_cmd ? s->cur_cmd : "", s->cur_cmd ? ": " : "", msg);
	} else {
		out_color(&s->err, "1;31");
		out_puts(&s->err, _("error: "));
		out_reset(&s->err);
		out_printf(&s->err, "%s%s%s\n", s->cur_cmd ? s->cur_cmd : "", s->cur_cmd ? ": " : "", msg);
	}
	if (s->err.f)
		fflush(s->err.f);
}

/* ---- suggestions ---------------------------------------------------------- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t c = toupper((unsigned char)a[i - 1]) == toupper((unsigned char)b[j - 1]) ? 0 : 1;
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < v)
				v = d[i - 1][j - 1] + c;
			d[i][j] = v;
		}
	return d[la][lb];
}

const char *cli_suggest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t bd = 3;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, names[i]);
		if (d < bd) {
			bd = d;
			best = names[i];
		}
	}
	return best;
}

/* ---- variables ------------------------------------------------------------ */

/* FNV-1a and a final mix: names like p0 .. p999 spread over the table */
static size_t hash_name(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (size_t)h;
}

/* strcmp(a, b) == 0 for variable names, inline: they are a few characters
 * (p0 .. p999) and mostly differ early.  Longer strings (command names, GFP
 * expressions) compare faster with the library's strcmp (callgrind). */
static inline bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* the slot of name (hash: hash_name(name)): its own, or the empty one
 * where it would go; slots keep their name's hash, compared first */
static struct var *var_slot(const struct session *s, const char *name, size_t hash)
{
	if (!s->cap_vars)
		return NULL;
	size_t i = hash & (s->cap_vars - 1);
	for (;;) {
		struct var *v = &s->vars[i];
		if (!v->name || (v->hash == hash && str_eq(v->name, name)))
			return v;
		i = (i + 1) & (s->cap_vars - 1);
	}
}

const struct value *var_get(const struct session *s, const char *name)
{
	if (name[0] == '_' && !name[1])
		return &s->last;
	/* a script reads a name mostly right after setting it (p = alloc_pages
	 * ...; __free_pages $p): the slot var_set() last wrote is tried first.
	 * Names are unique in the table, so a slot holding this name is its
	 * slot whatever happened since (a reset, a resize: checked here). */
	if (s->var_hint < s->cap_vars) {
		const struct var *h = &s->vars[s->var_hint];
		if (h->name && str_eq(h->name, name))
			return &h->v;
	}
	struct var *v = var_slot(s, name, hash_name(name));
	return v && v->name ? &v->v : NULL;
}

/* -ENOSPC: a new name beyond SESSION_MAX_VARS; -ENOMEM */
int var_set(struct session *s, const char *name, struct value val)
{
	size_t hash = hash_name(name);
	struct var *v = var_slot(s, name, hash);
	if (v && v->name) {
		v->v = val;
		s->var_hint = (size_t)(v - s->vars);
		return 0;
	}
	if (s->nvars >= SESSION_MAX_VARS)
		return -ENOSPC;
	if ((s->nvars + 1) * 2 > s->cap_vars) {
		size_t nc = s->cap_vars ? s->cap_vars * 2 : 64;
		struct var *nv = calloc(nc, sizeof *nv);
		if (!nv)
			return -ENOMEM;
		struct var *old = s->vars;
		size_t oc = s->cap_vars;
		s->vars = nv;
		s->cap_vars = nc;
		for (size_t i = 0; i < oc; i++)
			if (old[i].name)
				*var_slot(s, old[i].name, old[i].hash) = old[i];
		free(old);
	}
	v = var_slot(s, name, hash);
	if (!v->name) {
		v->name = strdup(name);
		if (!v->name)
			return -ENOMEM;
		v->hash = hash;
		s->nvars++;
	}
	v->v = val;
	s->var_hint = (size_t)(v - s->vars);
	return 0;
}

/* isalnum() || '_', with ASCII answered without the library (a name is
 * checked at every assignment) by two bitmaps, of the characters 0-63 (the
 * digits) and 64-127 (the letters and '_'); other bytes are the locale's */
#define NAME_DIGITS 0x03ff000000000000ull               /* '0'-'9': 48-57 */
#define NAME_ALPHA  0x07fffffe87fffffeull               /* 'A'-'Z', '_', 'a'-'z': 65-90, 95, 97-122 */
static inline bool name_char(unsigned char c, bool first)
{
	if (c < 64)
		return !first && ((NAME_DIGITS >> c) & 1);
	if (c < 128)
		return (NAME_ALPHA >> (c - 64)) & 1;
	return first ? isalpha(c) : isalnum(c);
}

static bool valid_name(const char *n)
{
	if (!name_char((unsigned char)*n, true))
		return false;
	const char *p = n + 1;
	for (; *p; p++)
		if (!name_char((unsigned char)*p, false))
			return false;
	return (size_t)(p - n) < 64;
}

/* ---- typed arguments -------------------------------------------------------- */

static const char *kind_name(enum val_kind k)
{
	switch (k) {
	case V_ADDR: return "a kernel virtual address";
	case V_PAGE: return "a struct page pointer";
	case V_PFN: return "a pfn";
	case V_PHYS: return "a physical address";
	case V_NUM: return "a number";
	default: return "no value";
	}
}

/* strpbrk(text, "+-") != NULL, inline: every $variable argument asks */
static inline bool has_sign(const char *text)
{
	for (; *text; text++)
		if (*text == '+' || *text == '-')
			return true;
	return false;
}

static inline bool is_digit(char c)
{
	return (unsigned)(c - '0') < 10;   /* isdigit(): the ten decimal digits in every locale */
}

static int resolve_slow(struct session *s, int idx, const char *text, struct value *v);

/*
 * resolve()'s common cases, inline and without a call (so that the arg_*
 * functions' fast paths need no frame): the variable var_set() wrote last
 * when it holds a value (a name holds no '+' or '-', so that it is not
 * $var+N; "_" is never its name), a decimal of at most 19 digits (no
 * overflow).  false: ask resolve_slow(), which does it all, errors
 * included.
 */
static inline bool resolve_fast(const struct session *s, const char *text, struct value *v)
{
	if (text[0] == '$') {
		if (s->var_hint >= s->cap_vars)
			return false;
		const struct var *h = &s->vars[s->var_hint];
		if (!h->name || !str_eq(h->name, text + 1) || h->v.kind == V_NONE)
			return false;
		*v = h->v;
		return true;
	}
	if (!is_digit(text[0]))
		return false;
	uint64_t u = 0;
	const char *q = text;
	for (; is_digit(*q) && q - text < 19; q++)
		u = u * 10 + (uint64_t)(*q - '0');
	if (*q)
		return false;
	v->kind = V_NUM;
	v->u = u;
	return true;
}

/* "$name" -> value; plain text -> number.  0 ok, -1 error reported. */
static inline int resolve(struct session *s, int idx, const char *text, struct value *v)
{
	return resolve_fast(s, text, v) ? 0 : resolve_slow(s, idx, text, v);
}

/* $var+N, $var-N: an address or number and an offset (out of resolve()'s
 * way: its buffer and recursion made every argument pay for a large frame) */
static __attribute__((noinline)) int resolve_offset(struct session *s, int idx, const char *text, struct value *v)
{
	size_t k = strcspn(text, "+-");
	char name[64];
	if (k >= sizeof name || !text[k + 1]) {
		session_error(s, "argument %d '%s': expected $VAR+N or $VAR-N", idx, text);
		return -1;
	}
	memcpy(name, text, k);
	name[k] = '\0';
	struct value base, off;
	if (resolve(s, idx, name, &base) || resolve(s, idx, text + k + 1, &off))
		return -1;
	bool plus = text[k] == '+';
	if (plus ? base.u + off.u < base.u : off.u > base.u) {
		session_error(s, "argument %d '%s': the offset overflows", idx, text);
		return -1;
	}
	*v = base;
	v->u = plus ? base.u + off.u : base.u - off.u;
	return 0;
}

static __attribute__((noinline)) int resolve_slow(struct session *s, int idx, const char *text, struct value *v)
{
	if (text[0] == '$' && has_sign(text))
		return resolve_offset(s, idx, text, v);
	if (text[0] == '$') {
		const struct value *x = var_get(s, text + 1);
		if (!x) {
			session_error(s, "argument %d: no variable '%s' (set one with NAME = COMMAND)", idx, text);
			return -1;
		}
		if (x->kind == V_NONE) {
			session_error(s, "argument %d: %s holds no value%s", idx, text,
				      strcmp(text, "$_") == 0 ? " yet: no command has returned a result" : "");
			return -1;
		}
		*v = *x;
		return 0;
	}
	const char *p = text;
	if (*p == '-') {
		session_error(s, "argument %d '%s': negative numbers are not allowed here", idx, text);
		return -1;
	}
	if (!is_digit(*p)) {
		session_error(s, "argument %d '%s': expected a number or $variable", idx, text);
		return -1;
	}
	/* decimal, or hex with 0x: every character must be a digit */
	int base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p) {
		session_error(s, "argument %d '%s': not a number", idx, text);
		return -1;
	}
	unsigned long long u = 0;
	for (const char *q = p; *q; q++) {
		int d;
		if (is_digit(*q))
			d = *q - '0';
		else if (base == 16 && isxdigit((unsigned char)*q))
			d = tolower((unsigned char)*q) - 'a' + 10;
		else {
			session_error(s, "argument %d '%s': not a number", idx, text);
			return -1;
		}
		/* u * base + d > ULLONG_MAX, without a division per digit */
		if (__builtin_mul_overflow(u, (unsigned)base, &u) || __builtin_add_overflow(u, (unsigned)d, &u)) {
			session_error(s, "argument %d '%s': number too large", idx, text);
			return -1;
		}
	}
	v->kind = V_NUM;
	v->u = u;
	return 0;
}

static __attribute__((noinline)) int arg_u64_slow(struct session *s, int idx, const char *text, const char *what,
						       uint64_t max, uint64_t *out)
{
	struct value v;
	if (resolve(s, idx, text, &v))
		return -1;
	if (v.u > max) {
		session_error(s, "argument %d '%s': %s must be at most %llu", idx, text, what,
			      (unsigned long long)max);
		return -1;
	}
	*out = v.u;
	return 0;
}

/* the fast path of each arg_* function: resolve_fast() and the checks that
 * pass; anything else goes to the full function, which reports the error */
int arg_u64(struct session *s, int idx, const char *text, const char *what, uint64_t max, uint64_t *out)
{
	struct value v;
	if (resolve_fast(s, text, &v) && v.u <= max) {
		*out = v.u;
		return 0;
	}
	return arg_u64_slow(s, idx, text, what, max, out);
}

int arg_order(struct session *s, int idx, const char *text, unsigned *out)
{
	uint64_t v;
	/* orders above MAX_ORDER are passed on: the kernel itself warns */
	if (arg_u64(s, idx, text, "an order", 63, &v))
		return -1;
	*out = (unsigned)v;
	return 0;
}

int arg_gfp(struct session *s, int idx, const char *text, uint32_t *out)
{
	const struct kernel_profile *kp = s->m->kp;
	size_t off = 0;
	int r;

	if (text[0] == '$') {
		uint64_t v;
		if (arg_u64(s, idx, text, "a gfp mask", kp->gfp_bits_mask, &v))
			return -1;
		*out = (uint32_t)v;
		return 0;
	}
	/* a script repeats a few GFP strings: parse each once */
	for (size_t i = 0; i < sizeof s->gfp_memo / sizeof s->gfp_memo[0]; i++) {
		const struct gfp_memo *g = &s->gfp_memo[i];
		if (g->kp == kp && strcmp(g->text, text) == 0) {
			*out = g->mask;
			return 0;
		}
	}
	r = gfp_parse(kp, text, out, &off);
	if (r == 0) {
		size_t len = strlen(text);
		if (len < sizeof s->gfp_memo[0].text) {
			struct gfp_memo *g = &s->gfp_memo[s->gfp_memo_next++ % (sizeof s->gfp_memo / sizeof s->gfp_memo[0])];
			g->kp = kp;
			g->mask = *out;
			memcpy(g->text, text, len + 1);
		}
		return 0;
	}
	const char *bad = text + off;
	size_t n = strcspn(bad, "| \t");
	char word[128];
	if (n >= sizeof word)
		n = sizeof word - 1;
	memcpy(word, bad, n);
	word[n] = '\0';
	if (r == -ERANGE) {
		session_error(s, "argument %d: '%s' has bits outside __GFP_BITS_MASK (%#x) of %s",
			      idx, word, kp->gfp_bits_mask, kp->version);
		return -1;
	}
	if (!*word) {
		session_error(s, "argument %d '%s': empty GFP flag name", idx, text);
		return -1;
	}
	const char *names[128];
	size_t k = 0;
	for (size_t i = 0; k < 128 && gfp_name_at(kp, i); i++)
		if (!gfp_names_opposite(word, gfp_name_at(kp, i)))
			names[k++] = gfp_name_at(kp, i);
	const char *hint = gfp_other_kernel_hint(kp, word);
	const char *sug = cli_suggest(word, names, k);
	if (hint)
		session_error(s, "argument %d: unknown GFP flag '%s' in %s: %s", idx, word, kp->version, hint);
	else if (sug)
		session_error(s, "argument %d: unknown GFP flag '%s' in %s (did you mean %s?)", idx, word,
			      kp->version, sug);
	else
		session_error(s, "argument %d: unknown GFP flag '%s' in %s", idx, word, kp->version);
	return -1;
}

static __attribute__((noinline)) int arg_size_slow(struct session *s, int idx, const char *text, uint64_t *out)
{
	/* a size is the modelled machine's size_t */
	unsigned bits = s->m->arch->bits;
	uint64_t max = bits == 32 ? UINT32_MAX : (uint64_t)1 << 62;
	if (text[0] == '$' || text[0] == '-')
		return arg_u64(s, idx, text, "a size", max, out);
	int r = parse_size(text, out);
	if (r == 0 && *out > max) {
		if (bits == 32)
			session_error(s, "argument %d '%s': larger than %s's size_t (32 bits: at most 0xffffffff, "
				      "4G - 1)", idx, text, s->m->arch->name);
		else
			session_error(s, "argument %d '%s': larger than kmemsh's limit for a size (2^62)", idx, text);
		return -1;
	}
	if (r) {
		session_error(s, "argument %d '%s': %s (write e.g. 200, 4K, 1M, 3.5G)", idx, text,
			      r == -ERANGE ? "size too large" : "not a size");
		return -1;
	}
	return 0;
}

/* SIZE: bytes, with K/M/G suffixes, or a $variable.  A plain decimal of at
 * most 19 digits without a leading 0 (parse_size()'s own fast case) that
 * fits is taken here; the rest, errors included, by arg_size_slow(). */
int arg_size(struct session *s, int idx, const char *text, uint64_t *out)
{
	if (text[0] >= '1' && text[0] <= '9') {
		uint64_t d = 0;
		const char *p = text;
		for (; is_digit(*p) && p - text < 19; p++)
			d = d * 10 + (uint64_t)(*p - '0');
		uint64_t max = s->m->arch->bits == 32 ? UINT32_MAX : (uint64_t)1 << 62;
		if (!*p && d <= max) {
			*out = d;
			return 0;
		}
	}
	return arg_size_slow(s, idx, text, out);
}

int arg_value(struct session *s, int idx, const char *text, struct value *v)
{
	return resolve(s, idx, text, v);
}

static __attribute__((noinline)) int arg_addr_slow(struct session *s, int idx, const char *text, uint64_t *out)
{
	struct value v;
	if (resolve(s, idx, text, &v))
		return -1;
	if (v.kind == V_PAGE) {
		session_error(s, "argument %d '%s' is a struct page pointer, not an address "
			      "(use page_address, or the __free_pages form)", idx, text);
		return -1;
	}
	if (v.kind == V_PFN || v.kind == V_PHYS) {
		session_error(s, "argument %d '%s' is %s, not a kernel virtual address%s", idx, text, kind_name(v.kind),
			      v.kind == V_PHYS ? " (use phys_to_virt)" : "");
		return -1;
	}
	*out = v.u;
	return 0;
}

int arg_addr(struct session *s, int idx, const char *text, uint64_t *out)
{
	struct value v;
	if (resolve_fast(s, text, &v) && v.kind != V_PAGE && v.kind != V_PFN && v.kind != V_PHYS) {
		*out = v.u;
		return 0;
	}
	return arg_addr_slow(s, idx, text, out);
}

static __attribute__((noinline)) int arg_page_slow(struct session *s, int idx, const char *text, uint64_t *pfn)
{
	struct value v;
	if (resolve(s, idx, text, &v))
		return -1;
	if (v.kind == V_ADDR) {
		session_error(s, "argument %d '%s' is a kernel virtual address, not a struct page pointer "
			      "(use virt_to_page)", idx, text);
		return -1;
	}
	if (v.kind == V_PFN) {
		session_error(s, "argument %d '%s' is a pfn, not a struct page pointer (use pfn_to_page)",
			      idx, text);
		return -1;
	}
	int r = machine_page_ptr_to_pfn(s->m, v.u, pfn);
	if (r == -EINVAL) {
		session_error(s, "argument %d '%s': not aligned to a struct page (%u bytes) in mem_map",
			      idx, text, s->m->struct_page_size);
		return -1;
	}
	if (r) {
		session_error(s, "argument %d '%s': not a struct page pointer (mem_map is %#llx-%#llx)", idx, text,
			      (unsigned long long)machine_page_ptr(s->m, 0),
			      (unsigned long long)machine_page_ptr(s->m, s->m->max_pfn));
		return -1;
	}
	return 0;
}

int arg_page(struct session *s, int idx, const char *text, uint64_t *pfn)
{
	struct value v;
	if (resolve_fast(s, text, &v) && v.kind != V_ADDR && v.kind != V_PFN &&
	    machine_page_ptr_to_pfn(s->m, v.u, pfn) == 0)
		return 0;
	return arg_page_slow(s, idx, text, pfn);
}

int arg_pfn(struct session *s, int idx, const char *text, uint64_t *out)
{
	struct value v;
	if (resolve(s, idx, text, &v))
		return -1;
	if (v.kind == V_ADDR || v.kind == V_PAGE) {
		session_error(s, "argument %d '%s' is %s, not a pfn", idx, text, kind_name(v.kind));
		return -1;
	}
	if (v.u >= s->m->max_pfn) {
		session_error(s, "argument %d '%s': pfn beyond the end of memory (max_pfn %#llx)", idx, text,
			      (unsigned long long)s->m->max_pfn);
		return -1;
	}
	*out = v.u;
	return 0;
}

/* ---- lexer -------------------------------------------------------------------- */

/*
 * One pass over the line: every word is copied once, without its quotes,
 * into a buffer (NUL-terminated, in order); statements are runs of words.
 * ';' and '#' outside quotes end a statement ('#' the line); a word that
 * starts with '|' or follows one that ends with '|' is joined to the
 * previous word (GFP expressions written with blanks).  Control
 * characters anywhere on the line, comments included, refuse the whole
 * line before any statement runs; an unterminated quote or too many words
 * make that statement fail when its turn comes, as before.
 */
#define MAX_STMTS 256

/* What run_statement() needs to know of the '=' in a statement's words.
 * EQ_UNKNOWN (0, what a statement built elsewhere has): look at them all. */
enum { EQ_UNKNOWN, EQ_NONE, EQ_ASSIGN };

struct lex_stmt {
	int first;              /* index of its first word in lexed.words */
	int argc;               /* words after joining */
	int raw;                /* words before joining: more than MAX_ARGS is an error */
	bool open_quote;        /* the line ended inside a quote */
	bool opens;             /* a block's head: its words come before a '{' */
	bool closes;            /* a '}' (no words) */
	/* EQ_NONE: no '=' in its words; EQ_ASSIGN: the second word is "=" and
	 * the first has none (NAME = COMMAND, nothing to split).  Either way
	 * the statement is lex_plain()'s: words[first + argc] is NULL. */
	unsigned char eq;
};

/* bytes lex_plain() may read (and write back) past a line's end */
#define LEX_PAD 32

struct lexed {
	char buf[MAX_LINE + 2 + LEX_PAD];       /* the words, each NUL-terminated */
	char *words[MAX_LINE / 2 + 2];          /* a word takes at least two characters but the last */
	struct lex_stmt st[MAX_STMTS];
	int nst;
	int too_many;                           /* > 0: the line holds more than MAX_STMTS statements */
	bool braces;                            /* a '{' or '}' outside quotes: check_blocks() has work */
	size_t bad_col;                         /* > 0: column of the first control character */
	unsigned char bad_char;
};

/* character classes of the lexer */
enum { LC_WORD, LC_BLANK, LC_SEP, LC_QUOTE, LC_CTRL, LC_BRACE };
#define LC_CTRL8(b) [b] = LC_CTRL, [b + 1] = LC_CTRL, [b + 2] = LC_CTRL, [b + 3] = LC_CTRL, \
	[b + 4] = LC_CTRL, [b + 5] = LC_CTRL, [b + 6] = LC_CTRL, [b + 7] = LC_CTRL
static const unsigned char lex_class[256] = {
	LC_CTRL8(0x00), [0x08] = LC_CTRL, [0x0a] = LC_CTRL, [0x0b] = LC_CTRL, [0x0c] = LC_CTRL,
	[0x0e] = LC_CTRL, [0x0f] = LC_CTRL, LC_CTRL8(0x10), LC_CTRL8(0x18), [0x7f] = LC_CTRL,
	['\t'] = LC_BLANK, ['\r'] = LC_BLANK, [' '] = LC_BLANK,
	[';'] = LC_SEP, ['#'] = LC_SEP, ['"'] = LC_QUOTE, ['\''] = LC_QUOTE,
	['{'] = LC_BRACE, ['}'] = LC_BRACE,
};

static void lex_end_statement(struct lexed *lx, struct lex_stmt *cur, int nw)
{
	if (cur->raw || cur->opens || cur->closes) {
		if (lx->nst < MAX_STMTS)
			lx->st[lx->nst++] = *cur;
		else
			lx->too_many = 1;
	}
	cur->first = nw;
	cur->argc = cur->raw = 0;
	cur->opens = cur->closes = false;
}

/*
 * Plain lines: most lines of a script are words of letters, digits, '_',
 * '$', '=' and the like, separated by spaces.  Such a line lexes to one
 * statement of its space-separated words, which lex_plain() finds 16
 * characters at a time (SSE2, in every x86_64): a word starts at a
 * non-blank after a blank and ends at a blank after a non-blank.  A line
 * with any other character (a tab, a control, ';', '#', a quote, a brace,
 * '|' where words may join, a byte above 0x7e ...) is left to lex_line()'s
 * loop, which lexes every line alike.
 */
#if defined(__SSE2__)
/* x in [lo, hi] (unsigned) for each byte x of v: x - lo + 0x80, as a
 * signed byte, is below -128 + (hi - lo) + 1 */
#define IN_RANGE(v, lo, hi) _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - (lo)))), \
					   _mm_set1_epi8((char)(-128 + (hi) - (lo) + 1)))

/* 16 bytes of 0xff, then 16 of 0: loaded at 16 - n, the first n bytes set */
static const signed char first_bytes[32] = { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 };

/* the plain characters of v (a bit each): ' ', '$', '(' to ':', '<' to 'z' */
static inline unsigned plain_mask(__m128i v, __m128i sp)
{
	__m128i ok = _mm_or_si128(_mm_or_si128(sp, _mm_cmpeq_epi8(v, _mm_set1_epi8('$'))),
				  _mm_or_si128(IN_RANGE(v, '(', ':'), IN_RANGE(v, '<', 'z')));
	return (unsigned)_mm_movemask_epi8(ok);
}

/* v with its spaces among its first n bytes (n <= 16) made NULs */
static inline __m128i spaces_to_nul(__m128i v, __m128i sp, size_t n)
{
	__m128i in = _mm_loadu_si128((const __m128i *)(const void *)(first_bytes + 16 - n));
	return _mm_andnot_si128(_mm_and_si128(sp, in), v);
}

/* Lex buf[0, len) in place when it is a plain line: 0 or 1 statement, and
 * every space of the line made a NUL (the words' ends among them); false
 * (buf as it was) when it is not.  buf[len] is '\0' and buf holds LEX_PAD
 * bytes past it, which the loads read and the masks drop (the stores
 * write them back as they were).  32 characters at a time: a script's
 * line mostly fits. */
HOT bool lex_plain(struct lexed *lx, char *buf, size_t len)
{
	size_t nw = 0;
	uint32_t carry = 0;                     /* the last character of the previous 32 is not blank */
	size_t first_eq = (size_t)-1;
	for (size_t off = 0; off < len; off += 32) {
		char *b = buf + off;
		__m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)b);
		__m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(b + 16));
		__m128i s0 = _mm_cmpeq_epi8(v0, _mm_set1_epi8(' '));
		__m128i s1 = _mm_cmpeq_epi8(v1, _mm_set1_epi8(' '));
		size_t left = len - off;
		uint32_t keep = left >= 32 ? 0xffffffffu : ((uint32_t)1 << left) - 1;
		if (~(plain_mask(v0, s0) | plain_mask(v1, s1) << 16) & keep) {
			/* not plain: the NULs written so far were spaces */
			for (size_t i = 0; i < off; i++)
				if (!buf[i])
					buf[i] = ' ';
			return false;
		}
		uint32_t sp = (unsigned)_mm_movemask_epi8(s0) | (unsigned)_mm_movemask_epi8(s1) << 16;
		uint32_t eq = ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v0, _mm_set1_epi8('='))) |
			       (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v1, _mm_set1_epi8('='))) << 16) & keep;
		if (eq && first_eq == (size_t)-1)
			first_eq = off + (unsigned)__builtin_ctz(eq);
		/* the line's spaces become NULs; what follows it stays */
		_mm_storeu_si128((__m128i *)(void *)b, spaces_to_nul(v0, s0, left >= 16 ? 16 : left));
		_mm_storeu_si128((__m128i *)(void *)(b + 16),
				 spaces_to_nul(v1, s1, left >= 32 ? 16 : left > 16 ? left - 16 : 0));
		uint32_t nb = ~((sp & keep) | ~keep);   /* past the end: blank */
		uint32_t starts = nb & ~((nb << 1) | carry);
		carry = nb >> 31;
		for (; starts; starts &= starts - 1)
			lx->words[nw++] = b + (unsigned)__builtin_ctz(starts);
	}
	lx->words[nw] = NULL;
	lx->nst = 0;
	lx->too_many = 0;
	lx->braces = false;
	lx->bad_col = 0;
	if (!nw)
		return true;
	unsigned char eqk = EQ_UNKNOWN;
	if (first_eq == (size_t)-1)
		eqk = EQ_NONE;
	else if (nw >= 2 && lx->words[1] == buf + first_eq && !lx->words[1][1])
		eqk = EQ_ASSIGN;                /* the first '=' is the second word, alone */
	lx->st[0] = (struct lex_stmt){ .first = 0, .argc = (int)nw, .raw = (int)nw, .eq = eqk };
	lx->nst = 1;
	return true;
}

/* strlen() of a word lex_plain() cut (its buffer has LEX_PAD bytes past the line) */
static inline size_t plain_word_len(const char *w)
{
	unsigned z = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)w),
								_mm_setzero_si128()));
	return z ? (size_t)__builtin_ctz(z) : strlen(w);
}
#else
HOT bool lex_plain(struct lexed *lx, char *buf, size_t len)
{
	(void)lx;
	(void)buf;
	(void)len;
	return false;
}

static inline size_t plain_word_len(const char *w)
{
	return strlen(w);
}
#endif

/* Lex line[0, len); line[len] is '\0' or the '\n' left off (a control
 * character: the loops stop at it).  Returns 0, or -1 when a control
 * character refuses the line (lx->bad_col, lx->bad_char).
 *
 * The line is copied once, whole, into lx->buf and cut there in place: a
 * word without quotes is its own characters followed by a NUL written over
 * the blank, ';', '#', brace or end that ended it (the character is read
 * first); only a word with quotes moves its characters down over them. */
static int lex_line(const char *line, size_t len, struct lexed *lx)
{
	char *buf = lx->buf;
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (lex_plain(lx, buf, len))
		return 0;
	unsigned char *p = (unsigned char *)buf, *end = p + len;
	char *pe = NULL;                        /* the previous (joined) word's NUL */
	int nw = 0;
	struct lex_stmt cur = { 0, 0, 0, false, false, false, EQ_UNKNOWN };
	size_t prev_len = 0;                    /* length of the previous (joined) word */
	unsigned char c;
	unsigned k;

	lx->nst = 0;
	lx->too_many = 0;
	lx->braces = false;
	lx->bad_col = 0;
	for (;;) {
		while ((k = lex_class[c = *p]) == LC_BLANK)
			p++;
	dispatch:                               /* c and k: the character at p (*p may be a word's NUL) */
		if (p == end) {
			lex_end_statement(lx, &cur, nw);
			break;
		}
		if (k == LC_BRACE) {
			/* '{' ends its block's head, '}' is a statement of its own */
			lx->braces = true;
			if (c == '{') {
				cur.opens = true;
				lex_end_statement(lx, &cur, nw);
			} else {
				lex_end_statement(lx, &cur, nw);
				cur.closes = true;
				lex_end_statement(lx, &cur, nw);
			}
			p++;
			continue;
		}
		if (k == LC_SEP) {
			lex_end_statement(lx, &cur, nw);
			if (c == '#') {
				/* a comment: only control characters matter */
				for (p++; p < end; p++)
					if (lex_class[*p] == LC_CTRL)
						goto control;
				break;
			}
			p++;
			continue;
		}
		/* a word: plain characters stay where they are */
		char *w = (char *)p, *o;
		cur.raw++;
		/* unrolled: a word's characters cost a load and a test each; it
		 * never reads past the first character that is not a word's
		 * (at the latest the NUL at end) */
		for (;;) {
			if (lex_class[p[0]] != LC_WORD)
				break;
			if (lex_class[p[1]] != LC_WORD) {
				p += 1;
				break;
			}
			if (lex_class[p[2]] != LC_WORD) {
				p += 2;
				break;
			}
			if (lex_class[p[3]] != LC_WORD) {
				p += 3;
				break;
			}
			p += 4;
		}
		o = (char *)p;
		for (;;) {
			c = *p;
			k = lex_class[c];
			if (k == LC_WORD) {
				*o++ = (char)c;
				p++;
				continue;
			}
			if (k == LC_QUOTE) {
				p++;
				while (*p != c) {
					if (lex_class[*p] == LC_CTRL) {
						if (p == end)
							break;
						goto control;
					}
					*o++ = (char)*p++;
				}
				if (p == end) {
					cur.open_quote = true;
					break;
				}
				p++;
				continue;
			}
			if (k == LC_CTRL && p != end)
				goto control;
			break;                  /* a blank, ';', '#', a brace or the end */
		}
		size_t wl = (size_t)(o - w);
		*o = '\0';                      /* c and k keep the character it may cover */
		if (cur.argc && (w[0] == '|' || (prev_len && pe[-1] == '|'))) {
			/* joined to the previous word: moved down to its NUL */
			memmove(pe, w, wl + 1);
			pe += wl;
			prev_len += wl;
		} else {
			lx->words[nw++] = w;
			cur.argc++;
			prev_len = wl;
			pe = o;
		}
		if (cur.open_quote) {
			/* the rest of the line was the quote: the statement ends here */
			lex_end_statement(lx, &cur, nw);
			break;
		}
		if (k == LC_BLANK) {
			p++;
			continue;
		}
		goto dispatch;
	}
	return 0;
control:
	lx->bad_col = (size_t)((const char *)p - buf) + 1;
	lx->bad_char = *p;
	return -1;
}

/* ---- running ------------------------------------------------------------------ */

/*
 * Command lookup: a sorted index of each table, built from the table itself
 * on first use (the table stays the one description; its order is help's),
 * searched by bisection.  A name is found if it is a command's name or a
 * prefix of at least two characters of exactly one name; *amb gets the
 * second candidate in table order when there are several.
 */
#define MAX_INDEXED_TABLES 8
#define MAX_TABLE_CMDS 512

#define CMD_HASH_SIZE (2 * MAX_TABLE_CMDS)   /* a power of two, at most half full */

struct cmd_index {
	const struct cmd *table;
	size_t n;
	const struct cmd *by_name[MAX_TABLE_CMDS];      /* sorted by name */
	const struct cmd *hash[CMD_HASH_SIZE];          /* exact names, open addressing */
	size_t hash_len[CMD_HASH_SIZE];                 /* strlen() of each one's name */
};

static struct cmd_index cmd_indexes[MAX_INDEXED_TABLES];

/* The exact-name hash: the length and three characters, mixed.  The names
 * of a table differ there often enough (the probes stay short at a table
 * at most half full), and a name is hashed at every statement, where
 * hash_name()'s step per character cost more than the lookup. */
static inline size_t cmd_hash(const char *name, size_t n)
{
	if (!n)
		return 0;
	uint64_t h = (uint64_t)n | (uint64_t)(unsigned char)name[0] << 8 |
		     (uint64_t)(unsigned char)name[n / 2] << 16 | (uint64_t)(unsigned char)name[n - 1] << 24;
	h *= 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 40);
}

static int cmp_cmd_ptr(const void *a, const void *b)
{
	const struct cmd *x = *(const struct cmd *const *)a, *y = *(const struct cmd *const *)b;
	int c = strcmp(x->name, y->name);
	/* equal names: the first in the table wins, as a linear scan finds it */
	return c ? c : (x < y ? -1 : x > y);
}

static struct cmd_index *cmd_index_build(const struct cmd *table)
{
	for (size_t i = 0; i < MAX_INDEXED_TABLES; i++) {
		struct cmd_index *ix = &cmd_indexes[i];
		if (ix->table == table)
			return ix;
		if (ix->table)
			continue;
		size_t n = 0;
		while (table[n].name)
			n++;
		if (n > MAX_TABLE_CMDS)
			return NULL;
		for (size_t k = 0; k < n; k++)
			ix->by_name[k] = &table[k];
		qsort(ix->by_name, n, sizeof ix->by_name[0], cmp_cmd_ptr);
		/* in table order, so that the first of equal names is found */
		for (size_t k = 0; k < n; k++) {
			size_t len = strlen(table[k].name);
			size_t h = cmd_hash(table[k].name, len) & (CMD_HASH_SIZE - 1);
			while (ix->hash[h] && strcmp(ix->hash[h]->name, table[k].name) != 0)
				h = (h + 1) & (CMD_HASH_SIZE - 1);
			if (!ix->hash[h]) {
				ix->hash[h] = &table[k];
				ix->hash_len[h] = len;
			}
		}
		ix->n = n;
		ix->table = table;
		return ix;
	}
	return NULL;
}

static const struct cmd *cmd_find_linear(const struct cmd *table, const char *name, const struct cmd **amb)
{
	const struct cmd *prefix = NULL;
	int nprefix = 0;
	size_t len = strlen(name);
	for (const struct cmd *c = table; c->name; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
		if (len >= 2 && strncmp(c->name, name, len) == 0) {
			if (nprefix == 1 && amb)
				*amb = c;
			if (!prefix)
				prefix = c;
			nprefix++;
		}
	}
	return nprefix == 1 ? prefix : NULL;
}

/* memcmp(a, b, n) == 0, inline: a few loads of 8 (or 4) bytes, none
 * outside [0, n) */
static inline bool bytes_eq(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, v;
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return false;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		if (u != v)
			return false;
		memcpy(&u, a + n - 4, 4);
		memcpy(&v, b + n - 4, 4);
		return u == v;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* cmd_find() of a name whose strlen() the caller knows */
/* the index of a table (NULL: no room for it), the last one asked for first */
static inline struct cmd_index *cmd_index_of(const struct cmd *table)
{
	static struct cmd_index *last;
	if (!last || last->table != table)
		last = cmd_index_build(table);
	return last;
}

HOT const struct cmd *cmd_find_len(const struct cmd *table, const char *name, size_t name_len,
				   const struct cmd **amb)
{
	if (amb)
		*amb = NULL;
	struct cmd_index *ix = cmd_index_of(table);
	if (!ix)
		return cmd_find_linear(table, name, amb);
	for (size_t h = cmd_hash(name, name_len) & (CMD_HASH_SIZE - 1); ix->hash[h]; h = (h + 1) & (CMD_HASH_SIZE - 1))
		if (ix->hash_len[h] == name_len && bytes_eq(ix->hash[h]->name, name, name_len))
			return ix->hash[h];
	/* not a name: lo is the first name > name, where its prefixes start */
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ix->by_name[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ix->n)
		return NULL;
	size_t len = name_len;
	if (len < 2)
		return NULL;
	/* the names with this prefix follow lo */
	size_t k = lo;
	const struct cmd *first = NULL, *second = NULL;
	for (; k < ix->n && strncmp(ix->by_name[k]->name, name, len) == 0; k++) {
		const struct cmd *c = ix->by_name[k];
		if (!first || c < first) {
			second = first;
			first = c;
		} else if (!second || c < second) {
			second = c;
		}
	}
	if (k - lo == 1)
		return first;
	if (amb)
		*amb = second;
	return NULL;
}

const struct cmd *cmd_find(const struct cmd *table, const char *name, const struct cmd **amb)
{
	return cmd_find_len(table, name, strlen(name), amb);
}

static void report_unknown(struct session *s, const char *name, const struct cmd *table, const char *where)
{
	const struct cmd *amb;
	cmd_find(table, name, &amb);
	/* a kernel call kmemsh lacks: say so, not "did you mean" something else */
	const char *nm = table == cmd_table && !amb ? help_not_modelled(name) : NULL;
	if (nm) {
		session_error(s, "%s", nm);
		return;
	}
	const char *names[256];
	size_t n = 0;
	for (const struct cmd *c = table; c->name && n < 256; c++)
		names[n++] = c->name;
	if (amb) {
		char list[512] = "";
		size_t len = strlen(name);
		for (const struct cmd *c = table; c->name; c++)
			if (strncmp(c->name, name, len) == 0 && strlen(list) + strlen(c->name) + 3 < sizeof list) {
				if (*list)
					strcat(list, ", ");
				strcat(list, c->name);
			}
		session_error(s, "ambiguous %s '%s': %s", where, name, list);
		return;
	}
	const char *sug = cli_suggest(name, names, n);
	if (sug)
		session_error(s, "unknown %s '%s' (did you mean %s?)%s", where, name, sug,
			      table == cmd_table ? "" : "; try help show");
	else
		session_error(s, "unknown %s '%s' (%s)", where, name,
			      table == cmd_table ? "type help for the list" : "try help show");
}

/* Columns a terminal shows of text: ANSI colour sequences take none (and
 * a UTF-8 sequence one). */
static size_t visible_len(const char *p, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\033') {
			while (i < n && p[i] != 'm')
				i++;
			continue;
		}
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			w++;
	}
	return w;
}

/* Each line of text, wrapped at spaces to width columns; a continuation
 * is indented two columns past the line's own indent. */
static void put_wrapped_lines(struct out *o, const char *text, size_t len, unsigned width)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		size_t indent = strspn(p, " ");
		if (indent > width / 2)
			indent = 0;
		bool first = true;
		while (visible_len(p, (size_t)(eol - p)) + (first ? 0 : indent + 2) > width) {
			/* the last space that keeps the piece within the width */
			const char *cut = NULL;
			for (const char *q = p + (first ? indent : 0) + 1; q < eol; q++)
				if (*q == ' ' && visible_len(p, (size_t)(q - p)) + (first ? 0 : indent + 2) <= width)
					cut = q;
			/* a first word wider than the line: break after it, so
			 * that the rest of the line still wraps */
			for (const char *q = p + (first ? indent : 0) + 1; !cut && q < eol; q++)
				if (*q == ' ')
					cut = q;
			if (!cut)
				break;
			const char *stop = cut;         /* no trailing blanks before the break */
			while (stop > p && stop[-1] == ' ')
				stop--;
			if (!first)
				out_printf(o, "%*s", (int)indent + 2, "");
			out_write(o, p, (size_t)(stop - p));
			out_puts(o, "\n");
			p = cut + 1;
			while (p < eol && *p == ' ')
				p++;
			first = false;
		}
		if (!first)
			out_printf(o, "%*s", (int)indent + 2, "");
		out_write(o, p, (size_t)(eol - p));
		out_puts(o, "\n");
		p = nl ? nl + 1 : end;
	}
}

/* Show what one step did: its result line (only when it succeeded), then
 * the changes and the new dmesg lines.  The brief form is wrapped to the
 * terminal's width; the kernel's log lines are left as the kernel wrote
 * them. */
static void show_step(struct session *s, const struct step_result *r, bool ok,
		      const struct nr_free_snapshot *before)
{
	if (s->brief && !s->explain && !s->out.json) {
		struct out b;
		out_init_buf(&b);
		b.color = s->out.color;
		if (ok)
			view_result(&b, s->m, r);
		view_changes_brief(&b, s->m, before);
		if (s->width)
			put_wrapped_lines(&s->out, b.buf ? b.buf : "", b.len, s->width);
		else
			out_write(&s->out, b.buf ? b.buf : "", b.len);
		out_free(&b);
	} else {
		if (ok)
			view_result(&s->out, s->m, r);
		if (ok && s->explain)
			view_story(&s->out, s->m, r);
		if (s->m->log.n || s->m->log.dropped)
			view_changes(&s->out, s->m, before, s->explain);
	}
	if (s->m->dmesg.seen < s->m->dmesg.n)
		view_dmesg(&s->out, s->m, s->m->dmesg.seen);
}

/* cmd_dispatch() of the command c that cmd_find() gave for argv[0] */
HOT int dispatch_found(struct session *s, const struct cmd *table, const struct cmd *c, int argc, char **argv,
			struct step_result *r)
{
	if (!c) {
		s->cur_cmd = table == cmd_table ? NULL : "show";
		report_unknown(s, argv[0], table, table == cmd_table ? "command" : "show subcommand");
		return -1;
	}
	s->cur_cmd = c->name;
	int nargs = argc - 1;
	if (nargs < c->min_args || (c->max_args >= 0 && nargs > c->max_args)) {
		if (c->max_args == 0)
			session_error(s, "takes no arguments (usage: %s)", c->name);
		else if (nargs < c->min_args)
			session_error(s, "missing argument (usage: %s %s)", c->name, c->args);
		else
			session_error(s, "too many arguments: '%s' (usage: %s %s)", argv[c->max_args + 1],
				      c->name, c->args);
		return -1;
	}
	/* handlers see the command's full name (kzalloc, kmem_cache_destroy …),
	 * also when it was typed as a unique prefix */
	char *typed = argv[0];
	argv[0] = (char *)c->name;
	int rc = c->fn(s, argc, argv, r);
	argv[0] = typed;
	return rc;
}

int cmd_dispatch(struct session *s, const struct cmd *table, int argc, char **argv, struct step_result *r)
{
	return dispatch_found(s, table, cmd_find(table, argv[0], NULL), argc, argv, r);
}

/* ---- NAME = COMMAND: decided before the command runs -------------------------- */

/* Whether the command typed (argc words, argv[0] its name) gives a value to
 * store.  `x = kfree $p` is refused here, before kfree runs: afterwards $p
 * would be freed and the statement still failed.  An unknown command is
 * left to the dispatcher's own error. */
static bool assignment_refused(struct session *s, const struct cmd *c, int argc, const char *assign)
{
	if (!c)
		return false;
	if (c->yields == CMD_VALUE || (c->yields == CMD_VALUE_NO_ARGS && argc == 1))
		return false;
	s->cur_cmd = c->name;
	if (c->yields == CMD_VALUE_NO_ARGS)
		session_error(s, "'%s' with arguments gives no value to store in $%s (nothing was run)", c->name, assign);
	else
		session_error(s, "'%s' gives no value to store in $%s (nothing was run)", c->name, assign);
	return true;
}

/*
 * JSON Lines: one JSON object per command on its own line.  The step's
 * output arrives as objects on lines of their own (the result, its
 * changes and dmesg lines, a view's objects: one, or one per row) and as
 * text from commands whose words are the shell's (help, echo, set, check,
 * sysctl); here they become
 * {"command":NAME,"ok":BOOL,"output":[OBJECT...],"text":TEXT}
 * with the objects in the order written and "text" only when there was
 * some.
 */
static void json_step(struct out *o, const char *cmd, bool ok, const struct out *step)
{
	out_puts(o, "{\"command\":");
	out_json_str(o, cmd);
	out_printf(o, ",\"ok\":%s,\"output\":[", ok ? "true" : "false");
	struct out text;
	out_init_buf(&text);
	const char *p = step->buf ? step->buf : "";
	const char *end = p + step->len;
	bool first = true;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n >= 2 && p[0] == '{' && p[n - 1] == '}') {
			if (!first)
				out_puts(o, ",");
			out_write(o, p, n);
			first = false;
		} else {
			out_write(&text, p, n);
			out_puts(&text, "\n");
		}
		p += n + (nl ? 1 : 0);
	}
	out_puts(o, "]");
	if (text.len) {
		out_puts(o, ",\"text\":");
		out_json_str(o, text.buf);
	}
	out_free(&text);
	out_puts(o, "}\n");
}

/* Accept "x=cmd", "x= cmd" and "x =cmd" too: split the '=' into a word of
 * its own (argv has room for two more words). */
static void split_assignment(int *argcp, char **argv)
{
	static char eq[] = "=";
	static char or_eq[] = "|=", and_eq[] = "&=";
	int argc = *argcp;
	char *e0 = strchr(argv[0], '=');
	if (e0 && e0 > argv[0] + 1 && (e0[-1] == '|' || e0[-1] == '&')) {
		/* "current->flags |= PF_MEMALLOC": the lexer joins a word that
		 * starts with '|' to the one before (GFP_KERNEL | __GFP_ZERO);
		 * C's |= (and "flags&=~X" written without spaces) is no
		 * assignment of a variable, its operator a word */
		char op = e0[-1];
		e0[-1] = '\0';
		memmove(argv + 2, argv + 1, (size_t)argc * sizeof *argv);
		argv[1] = op == '|' ? or_eq : and_eq;
		argc++;
		if (e0[1]) {
			memmove(argv + 3, argv + 2, (size_t)(argc - 1) * sizeof *argv);
			argv[2] = e0 + 1;
			argc++;
		}
	} else if (e0 && e0 != argv[0]) {
		*e0 = '\0';
		memmove(argv + 2, argv + 1, (size_t)argc * sizeof *argv);
		argv[1] = eq;
		argc++;
		if (e0[1]) {
			memmove(argv + 3, argv + 2, (size_t)(argc - 1) * sizeof *argv);
			argv[2] = e0 + 1;
			argc++;
		}
	} else if (argc >= 2 && argv[1][0] == '=' && argv[1][1]) {
		memmove(argv + 3, argv + 2, (size_t)(argc - 1) * sizeof *argv);
		argv[2] = argv[1] + 1;
		argv[1] = eq;
		argc++;
	}
	*argcp = argc;
}

/* memset(p, 0, n) for a small constant n, in 16-byte stores (GCC makes
 * the memset a `rep stos`, whose start costs more than the stores) */
static inline void zero_bytes(void *p, size_t n)
{
	char *b = p;
#if defined(__SSE2__)
	if (n >= 16) {
		for (size_t i = 0; i + 16 <= n; i += 16)
			_mm_storeu_si128((__m128i *)(void *)(b + i), _mm_setzero_si128());
		if (n % 16)             /* the last 16, over what is already zero */
			_mm_storeu_si128((__m128i *)(void *)(b + n - 16), _mm_setzero_si128());
		return;
	}
#endif
	memset(b, 0, n);
}

/* Each statement's words are the lexer's: stmt_words[0, st->argc) */
static int run_statement(struct session *s, char **stmt_words, const struct lex_stmt *st)
{
	char *words[MAX_ARGS + 3];           /* room for splitting "x=cmd" */
	char **argv = words;
	int argc = st->argc;
	s->cur_cmd = NULL;
	if (st->raw > MAX_ARGS) {
		session_error(s, "too many words (at most %d)", MAX_ARGS);
		return -1;
	}
	if (st->open_quote) {
		session_error(s, "unterminated quote");
		return -1;
	}
	if (st->eq != EQ_UNKNOWN) {
		/* nothing to split: the lexer's words as they are (NULL after
		 * the last) */
		argv = stmt_words;
	} else {
		memcpy(words, stmt_words, (size_t)argc * sizeof *words);
		argv[argc] = NULL;
		split_assignment(&argc, argv);
	}

	const char *assign = NULL;
	if (st->eq == EQ_ASSIGN || (st->eq == EQ_UNKNOWN && argc >= 2 && strcmp(argv[1], "=") == 0)) {
		if (!valid_name(argv[0]) || strcmp(argv[0], "_") == 0) {
			session_error(s, "'%s' is not a variable name (letters, digits, _)", argv[0]);
			return -1;
		}
		if (argc == 2) {
			session_error(s, "nothing after '=' (usage: NAME = COMMAND ARGS)");
			return -1;
		}
		assign = argv[0];
		argv += 2;
		argc -= 2;
	}
	size_t cmd_len = st->eq != EQ_UNKNOWN ? plain_word_len(argv[0]) : strlen(argv[0]);
	/* the command, looked up once for all that follows */
	const struct cmd *runner = cmd_find_len(cmd_table, argv[0], cmd_len, NULL);
	if (assign && assignment_refused(s, runner, argc, assign))
		return -1;

	struct nr_free_snapshot before_here, *before = &before_here;
	bool showing = s->show && !s->quiet;
	bool snap_mine = false;         /* this step holds s->snap as its `before` */
	/* --check reads the step's change log for what it touched */
	s->m->log.enabled = showing || s->check_each;
	changelog_reset(s->m);
	if (showing) {
		/* the session's snapshot of the last step shown, brought up to
		 * date: zones the steps since have not touched are not copied
		 * again.  A step run inside this one (source, repeat) takes its
		 * own; a new machine (reboot) clears snap_valid. */
		if (!s->snap_busy && !s->snap)
			s->snap = malloc(sizeof *s->snap);
		if (!s->snap_busy && s->snap) {
			if (s->snap_valid && s->snap_m == s->m) {
				view_snapshot_update(s->m, s->snap);
			} else {
				view_snapshot(s->m, s->snap);
				s->snap_m = s->m;
				s->snap_valid = true;
			}
			before = s->snap;
			s->snap_busy = snap_mine = true;
		} else {
			view_snapshot(s->m, &before_here);
		}
	}
	s->m->clock_us += 1000;

	/* --json: everything the step writes is gathered into one object
	 * (json_step); `source` is left alone, its statements are steps */
	struct out saved;
	bool gather = s->json && strcmp(argv[0], "source") != 0 && !(runner && runner->fn == cmd_repeat);
	/* The result starts zeroed (handlers count on it), but for the call's
	 * arguments when nothing will render it: only views read them, and
	 * only those step_arg() wrote (with -q, a third of the zeroing). */
	struct step_result res;
	if (showing || gather) {
		res = (struct step_result){ .fn = NULL, .value = { V_NONE, 0 }, .kind = RESULT_NONE };
	} else {
		zero_bytes(&res, offsetof(struct step_result, arg));
		zero_bytes(&res.value, sizeof res - offsetof(struct step_result, value));
		res.value.kind = V_NONE;
		res.kind = RESULT_NONE;
	}
	if (gather) {
		saved = s->out;
		out_init_buf(&s->out);
		s->out.json = true;
		/* `set color` reads and changes the session's setting (out_color()
		 * writes no colour into JSON) */
		s->out.color = saved.color;
	}
	int r = dispatch_found(s, cmd_table, runner, argc, argv, &res);
	/* kswapd, woken by the step's allocations, runs before the next one */
	vmscan_kswapd_pending(s->m);
	s->commands++;
	if (showing)
		show_step(s, &res, r == 0, before);
	if (snap_mine)
		s->snap_busy = false;
	if (gather) {
		struct out step = s->out;
		s->out = saved;
		/* what `set color` and `set json off` made of the settings holds
		 * from the next command on (they changed the step's buffer) */
		s->out.color = step.color;
		s->out.json = s->json;
		json_step(&s->out, argv[0], r == 0, &step);
		out_free(&step);
	}
	s->m->dmesg.seen = s->m->dmesg.n;
	if (r == 0 && res.value.kind != V_NONE) {
		s->last = res.value;
		int vr = assign ? var_set(s, assign, res.value) : 0;
		if (vr == -ENOSPC) {
			session_error(s, "too many variables (at most %d); reuse a name", SESSION_MAX_VARS);
			r = -1;
		} else if (vr) {
			session_error(s, "out of memory for variable");
			r = -1;
		}
	} else if (r == 0 && assign) {
		session_error(s, "'%s' gives no value to store in $%s", argv[0], assign);
		r = -1;
	}
	if (s->check_each && session_check_step(s, argv[0]))
		r = -1;
	return r;
}

/* `repeat`: argv run as one statement of its own (a copy: the runner
 * splits "x=cmd" in place).  Its changes are shown by that statement;
 * the log is emptied afterwards so the statement that ran it does not
 * show them again. */
int session_run_words(struct session *s, int argc, char *const *argv)
{
	size_t len = 0;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *buf = malloc(len ? len : 1);
	char **words = malloc(((size_t)argc + 1) * sizeof *words);
	if (!buf || !words) {
		free(buf);
		free(words);
		session_error(s, "out of memory");
		return -1;
	}
	size_t off = 0;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		memcpy(buf + off, argv[i], n);
		words[i] = buf + off;
		off += n;
	}
	words[argc] = NULL;
	struct lex_stmt st = { .first = 0, .argc = argc, .raw = argc, .open_quote = false };
	int rc = run_statement(s, words, &st);
	changelog_reset(s->m);
	free(words);
	free(buf);
	return rc;
}

/*
 * --check after a command: what the step touched (machine_check_step()),
 * and the whole model every CHECK_FULL_EVERY commands; session_check_end()
 * runs the full check after the last one.
 */
int session_check_step(struct session *s, const char *cmd)
{
	bool full = ++s->check_since_full >= CHECK_FULL_EVERY;
	if (full)
		s->check_since_full = 0;
	if (!(full ? machine_check(s->m) : machine_check_step(s->m)))
		return 0;
	s->cur_cmd = "check";
	if (full)
		session_error(s, "model inconsistent (the full check every %d commands, after '%s'): %s",
			      CHECK_FULL_EVERY, cmd, s->m->err);
	else
		session_error(s, "model inconsistent after '%s': %s", cmd, s->m->err);
	s->status = 1;
	return -1;
}

int session_check_end(struct session *s)
{
	if (!s->check_each || !s->check_since_full)
		return 0;
	s->check_since_full = 0;
	if (!machine_check(s->m))
		return 0;
	s->cur_cmd = "check";
	session_error(s, "model inconsistent (the full check at the end): %s", s->m->err);
	s->status = 1;
	return -1;
}

/*
 * Blocks: `irq { STATEMENTS }` and `softirq { STATEMENTS }` run their
 * statements in that context (context_block_enter(): nested as the kernel
 * nests them) and return to the context before at the '}', also when a
 * statement fails or the input stops.  A block fits on one line, or opens
 * with a '{' that ends its line and goes on over the lines that follow
 * until its '}'.  As a shell reads a compound command, the whole block is
 * read and its braces checked before any statement in it runs: an error
 * in its braces, an unclosed block at the end of the input or a Ctrl-C at
 * the continuation prompt run nothing of it.  Each statement then runs
 * with its own line's number, so errors name the right FILE:LINE.
 */
#define MAX_BLOCK_DEPTH 8
#define MAX_BLOCK_LINES 10000

static int block_kind(const char *w)
{
	return !strcmp(w, "irq") ? CTX_IRQ : !strcmp(w, "softirq") ? CTX_SOFTIRQ : -1;
}

/* A block read over several lines: the lines as typed, each with its
 * number, and the blocks open at the end of the last one. */
struct pending_block {
	char *text;                     /* the lines, each NUL-terminated */
	size_t len, cap;
	struct { size_t off; unsigned line; } *ln;
	unsigned n, capn;
	unsigned open_line;             /* where the outermost block opened */
	int depth;
	enum ctx_kind kinds[MAX_BLOCK_DEPTH];
	bool bad;                       /* an error was reported: read to its '}', run nothing */
};

/* the braces of a line, from *depth (the blocks open before it) and kinds[]
 * (their kinds); on return *depth is what is open after it */
static int check_blocks(struct session *s, const struct lexed *lx, int *depth, enum ctx_kind *kinds)
{
	s->cur_cmd = NULL;
	for (int i = 0; i < lx->nst; i++) {
		const struct lex_stmt *st = &lx->st[i];
		if (st->opens) {
			if (st->argc != 1 || block_kind(lx->words[st->first]) < 0) {
				session_error(s, "'{' opens a block only after irq or softirq (irq { CMD; CMD }); "
					      "nothing was run");
				return -1;
			}
			if (*depth >= MAX_BLOCK_DEPTH) {
				session_error(s, "blocks nested deeper than %d; nothing was run", MAX_BLOCK_DEPTH);
				return -1;
			}
			kinds[(*depth)++] = (enum ctx_kind)block_kind(lx->words[st->first]);
		} else if (st->closes && (*depth)-- == 0) {
			session_error(s, "'}' closes no block; nothing was run");
			return -1;
		}
	}
	return 0;
}

/* The blocks open while statements run, over one line or a block's lines.
 * skip > 0: inside a block whose context could not be entered. */
struct block_run {
	enum ctx_kind open[MAX_BLOCK_DEPTH];
	int depth, skip;
};

static bool stop_on_error(const struct session *s)
{
	return !s->keep_going && !s->interactive;
}

/* '}': leave a block's context.  Leaving can run what waited for process
 * context (irq_exit() lets the kworker run delayed_vfree_work(): PTEs
 * cleared, pages freed), so it is a step of its own: its changes and
 * kernel lines are shown, and --check looks at them. */
static int leave_block_step(struct session *s, enum ctx_kind k)
{
	bool showing = s->show && !s->quiet;
	struct nr_free_snapshot *before = showing ? malloc(sizeof *before) : NULL;
	s->m->log.enabled = showing || s->check_each;
	changelog_reset(s->m);
	if (before)
		view_snapshot(s->m, before);
	context_block_leave(s->m, k);
	s->ctx_blocks--;
	vmscan_kswapd_pending(s->m);
	bool happened = s->m->log.n || s->m->log.dropped || s->m->dmesg.seen < s->m->dmesg.n;
	if (before && happened) {
		struct step_result none = { .fn = NULL, .value = { V_NONE, 0 }, .kind = RESULT_NONE };
		if (s->json) {
			struct out saved = s->out;
			out_init_buf(&s->out);
			s->out.json = true;
			s->out.color = saved.color;
			show_step(s, &none, false, before);
			struct out step = s->out;
			s->out = saved;
			json_step(&s->out, "}", true, &step);
			out_free(&step);
		} else {
			show_step(s, &none, false, before);
		}
	}
	free(before);
	s->m->dmesg.seen = s->m->dmesg.n;
	int r = 0;
	if (s->check_each && s->m->log.n && session_check_step(s, "}"))
		r = -1;
	changelog_reset(s->m);
	return r;
}

static void leave_blocks(struct session *s, struct block_run *br)
{
	while (br->depth > 0)
		leave_block_step(s, br->open[--br->depth]);
}

HOT int run_statements(struct session *s, struct lexed *lx, struct block_run *br)
{
	int rc = 0;
	for (int i = 0; i < lx->nst && !s->quit; i++) {
		const struct lex_stmt *st = &lx->st[i];
		if (br->skip) {
			br->skip += st->opens ? 1 : st->closes ? -1 : 0;
			continue;
		}
		if (st->closes) {
			if (leave_block_step(s, br->open[--br->depth])) {
				s->status = 1;
				rc = -1;
				if (stop_on_error(s))
					break;
			}
			continue;
		}
		if (st->opens) {
			const char *w = lx->words[st->first];
			enum ctx_kind k = (enum ctx_kind)block_kind(w);
			if (context_block_enter(s->m, k)) {
				s->cur_cmd = w;
				session_error(s, "%s; the block was not run", s->m->err);
				s->status = 1;
				rc = -1;
				br->skip = 1;
				if (stop_on_error(s))
					break;
				continue;
			}
			br->open[br->depth++] = k;
			s->ctx_blocks++;
			continue;
		}
		if (run_statement(s, lx->words + st->first, st)) {
			s->status = 1;
			rc = -1;
			if (stop_on_error(s))
				break;
		}
	}
	return rc;
}

/* the session's lexer buffers (NULL: out of memory) */
static struct lexed *session_lexer(struct session *s)
{
	if (!s->lex)
		s->lex = calloc(1, sizeof *s->lex);     /* what lex_plain() reads past a line is set */
	return s->lex;
}

/* lex a line into the session's buffers; -1 after the error */
HOT struct lexed *lex_session_line(struct session *s, const char *line, size_t len)
{
	/* the limit counts characters, not the line's newline */
	size_t chars = len && line[len - 1] == '\n' ? len - 1 : len;
	s->cur_cmd = NULL;
	if (chars > MAX_LINE) {
		session_error(s, "line too long (%zu characters; the limit is %d)", chars, MAX_LINE);
		return NULL;
	}
	if (len && line[len - 1] == '\n')
		len--;
	struct lexed *lx = session_lexer(s);
	if (!lx) {
		session_error(s, "out of memory");
		return NULL;
	}
	if (lex_line(line, len, lx)) {
		session_error(s, "control character 0x%02x at column %zu", lx->bad_char, lx->bad_col);
		return NULL;
	}
	if (lx->too_many) {
		session_error(s, "too many statements on one line (at most %d); nothing was run", MAX_STMTS);
		return NULL;
	}
	return lx;
}

/* run a lexed line's statements; a statement may run `source`, which
 * lexes lines of its own: the buffers are handed back afterwards */
HOT int run_lexed(struct session *s, struct lexed *lx, struct block_run *br)
{
	s->lex = NULL;
	int rc = run_statements(s, lx, br);
	if (s->lex)
		free(s->lex);
	s->lex = lx;
	return rc;
}

static void pending_free(struct pending_block *pb)
{
	if (pb) {
		free(pb->text);
		free(pb->ln);
		free(pb);
	}
}

static int pending_add(struct pending_block *pb, const char *line, unsigned lineno)
{
	size_t n = strlen(line) + 1;
	if (pb->len + n > pb->cap) {
		size_t cap = pb->cap ? pb->cap : 256;
		while (cap < pb->len + n)
			cap *= 2;
		char *t = realloc(pb->text, cap);
		if (!t)
			return -1;
		pb->text = t;
		pb->cap = cap;
	}
	if (pb->n == pb->capn) {
		unsigned capn = pb->capn ? 2 * pb->capn : 16;
		void *l = realloc(pb->ln, capn * sizeof *pb->ln);
		if (!l)
			return -1;
		pb->ln = l;
		pb->capn = capn;
	}
	memcpy(pb->text + pb->len, line, n);
	pb->ln[pb->n].off = pb->len;
	pb->ln[pb->n++].line = lineno;
	pb->len += n;
	return 0;
}

/* the block is closed: run its lines, each under its own line number */
static int run_pending(struct session *s, struct pending_block *pb)
{
	struct block_run br = { .depth = 0 };
	unsigned last = s->src_line;
	int rc = 0;
	for (unsigned i = 0; i < pb->n && !s->quit; i++) {
		s->src_line = pb->ln[i].line;
		struct lexed *lx = lex_session_line(s, pb->text + pb->ln[i].off, strlen(pb->text + pb->ln[i].off));
		if (!lx || run_lexed(s, lx, &br)) {
			s->status = 1;
			rc = -1;
			if (!lx || stop_on_error(s))
				break;
		}
	}
	leave_blocks(s, &br);
	s->src_line = last;
	return rc;
}

/* a line while a block is open: kept, and the block run when it closes */
static int continue_block(struct session *s, const char *line)
{
	struct pending_block *pb = s->pending;
	struct lexed *lx = lex_session_line(s, line, strlen(line));
	int before = pb->depth;
	if (!lx || (!pb->bad && lx->braces && check_blocks(s, lx, &pb->depth, pb->kinds))) {
		s->status = 1;
		pb->bad = true;
		pb->depth = before;
	}
	if (lx && pb->bad) {
		/* only the braces count now: find the block's end */
		for (int i = 0; i < lx->nst && pb->depth > 0; i++)
			pb->depth += lx->st[i].opens ? 1 : lx->st[i].closes ? -1 : 0;
	}
	if (!pb->bad && pb->n >= MAX_BLOCK_LINES) {
		/* memory stays bounded whatever the input */
		session_error(s, "a block over more than %d lines; nothing of it was run", MAX_BLOCK_LINES);
		s->status = 1;
		pb->bad = true;
	}
	if (!pb->bad && pending_add(pb, line, s->src_line)) {
		session_error(s, "out of memory");
		s->status = 1;
		pb->bad = true;
	}
	if (pb->depth > 0)
		return pb->bad ? -1 : 0;
	s->pending = NULL;
	int rc = pb->bad ? -1 : run_pending(s, pb);
	pending_free(pb);
	if (s->interactive && s->out.f)
		out_flush(&s->out);
	return rc;
}

/*
 * Output is not flushed after each statement: session_error() flushes the
 * results before an error, an interactive line is flushed before the next
 * prompt, a script before it reads from anything but a regular file, and
 * the program at exit.
 */
static int run_line(struct session *s, const char *line, size_t len);

int session_run_line(struct session *s, const char *line)
{
	return run_line(s, line, strlen(line));
}

/* session_run_line() of line[0, len) (a script's reader knows the length) */
static int run_line(struct session *s, const char *line, size_t len)
{
	if (s->pending)
		return continue_block(s, line);
	struct lexed *lx = lex_session_line(s, line, len);
	struct block_run br = { .depth = 0 };
	if (!lx || (lx->braces && check_blocks(s, lx, &br.depth, br.open))) {
		s->status = 1;
		return -1;
	}
	if (br.depth) {
		if (!lx->st[lx->nst - 1].opens) {
			session_error(s, "'{' without its '}' (a block goes on over the next lines only when its "
				      "'{' ends the line); nothing was run");
			s->status = 1;
			return -1;
		}
		/* a block goes on: keep the line, run nothing yet */
		struct pending_block *pb = calloc(1, sizeof *pb);
		if (!pb || pending_add(pb, line, s->src_line)) {
			pending_free(pb);
			session_error(s, "out of memory");
			s->status = 1;
			return -1;
		}
		pb->open_line = s->src_line;
		pb->depth = br.depth;
		memcpy(pb->kinds, br.open, sizeof pb->kinds);
		s->pending = pb;
		return 0;
	}
	int rc = run_lexed(s, lx, &br);
	leave_blocks(s, &br);
	if (s->interactive && s->out.f)
		out_flush(&s->out);
	return rc;
}

const char *session_block_pending(const struct session *s, int *depth)
{
	if (!s->pending)
		return NULL;
	if (depth)
		*depth = s->pending->depth;
	return context_kind_name(s->pending->kinds[s->pending->depth - 1]);
}

void session_block_abandon(struct session *s)
{
	pending_free(s->pending);
	s->pending = NULL;
}

int session_end_input(struct session *s)
{
	struct pending_block *pb = s->pending;
	if (!pb)
		return 0;
	s->pending = NULL;
	bool reported = pb->bad;
	unsigned last = s->src_line;
	if (!reported) {
		s->cur_cmd = NULL;
		s->src_line = pb->open_line;
		session_error(s, "the block opened here has no '}' before the end of the input; nothing of it "
			      "was run");
		s->src_line = last;
	}
	s->status = 1;
	pending_free(pb);
	return -1;
}

/* ---- reading scripts -------------------------------------------------------- */

/*
 * Scripts, stdin and `source` are read by one bounded reader: at most
 * MAX_LINE characters of a line (the newline not counted) are kept; the
 * rest of a longer line is read and thrown away, so memory stays bounded
 * whatever the input (`source` of a file with no newline at all included).
 */
enum { LINE_EOF = -1, LINE_TOO_LONG = -2, LINE_HAS_NUL = -3 };

static long read_bounded_line(FILE *f, char *buf, size_t cap)
{
	size_t len = 0;
	bool nul = false, longer = false, any = false;
	int c;
	while ((c = getc_unlocked(f)) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (c == '\0')
			nul = true;
		if (len < cap)
			buf[len++] = (char)c;
		else
			longer = true;
	}
	if (!any)
		return LINE_EOF;
	if (longer)
		return LINE_TOO_LONG;
	buf[len] = '\0';
	if (nul)
		return LINE_HAS_NUL;
	return (long)len;
}

/*
 * The same reader for a regular file, a block at a time with the newline
 * found by memchr (a character at a time cost a tenth of a scripted page
 * step).  Only for regular files: on a pipe or a terminal a block read
 * would wait for input that a program on the other side has not sent yet.
 */
struct block_reader {
	FILE *f;
	size_t pos, len;
	bool eof;
	char buf[(1 << 16) + LEX_PAD];          /* LEX_PAD: lex_plain() reads past a line */
};

/* The next line, NUL-terminated, in *line: in the block itself when it is
 * there whole with its newline (the newline becomes its NUL), else
 * gathered into buf.  A NUL byte in it is the caller's to find. */
static long read_block_line(struct block_reader *r, char *buf, size_t cap, char **line)
{
	if (r->pos < r->len) {
		char *p = r->buf + r->pos;
		char *nl = memchr(p, '\n', r->len - r->pos);
		if (nl && (size_t)(nl - p) <= cap) {
			*nl = '\0';
			r->pos += (size_t)(nl - p) + 1;
			*line = p;
			return (long)(nl - p);
		}
	}
	*line = buf;
	size_t len = 0;
	bool longer = false, any = false;
	for (;;) {
		if (r->pos == r->len) {
			if (r->eof)
				break;
			r->pos = 0;
			r->len = fread(r->buf, 1, sizeof r->buf - LEX_PAD, r->f);
			memset(r->buf + r->len, 0, LEX_PAD);
			if (r->len < sizeof r->buf - LEX_PAD)
				r->eof = true;          /* end of file, or an error ferror() reports */
			if (!r->len)
				break;
		}
		any = true;
		const char *p = r->buf + r->pos;
		size_t avail = r->len - r->pos;
		const char *nl = memchr(p, '\n', avail);
		size_t n = nl ? (size_t)(nl - p) : avail, keep = n;
		if (keep > cap - len) {
			keep = cap - len;
			longer = true;
		}
		memcpy(buf + len, p, keep);
		len += keep;
		r->pos += nl ? n + 1 : n;
		if (nl)
			break;
	}
	if (!any)
		return LINE_EOF;
	if (longer)
		return LINE_TOO_LONG;
	buf[len] = '\0';
	return (long)len;
}

/* The bounded reader, after handing what was printed to whoever waits for
 * it.  *line: the line (buf, or in the block reader's block), with LEX_PAD
 * bytes after its NUL.  The block reader leaves a NUL byte in the line to
 * the caller to find (lex_plain() finds none in a plain line). */
static long next_line(struct session *s, FILE *f, struct block_reader *br, bool flush, char *buf, size_t cap,
		      char **line)
{
	if (br)
		return read_block_line(br, buf, cap, line);
	if (flush && s->out.f)
		out_flush(&s->out);
	*line = buf;
	return read_bounded_line(f, buf, cap);
}

/* A script's plain line, lexed in place where the reader left it: it opens
 * no block, so run_line() comes down to running its one statement (if it
 * has one) as run_lexed() does. */
static int run_plain_line(struct session *s, struct lexed *lx)
{
	s->cur_cmd = NULL;
	if (!lx->nst)
		return 0;
	s->lex = NULL;
	int rc = 0;
	if (run_statement(s, lx->words, &lx->st[0])) {
		s->status = 1;
		rc = -1;
	}
	if (s->lex)
		free(s->lex);
	s->lex = lx;
	return rc;
}

int session_run_stream(struct session *s, FILE *f, const char *name)
{
	const char *saved_name = s->src_name;
	unsigned saved_line = s->src_line;
	bool saved_inter = s->interactive;
	char linebuf[MAX_LINE + 1 + LEX_PAD], *line;
	long n;
	int rc = 0;

	if (s->depth >= MAX_DEPTH) {
		session_error(s, "source: nested too deeply (%d levels)", MAX_DEPTH);
		return -1;
	}
	s->depth++;
	memset(linebuf, 0, sizeof linebuf);     /* what lex_plain() reads past a line is set */
	s->interactive = false;
	s->src_name = name;
	s->src_line = 0;
	/* a pipe or terminal may be a program waiting for our answer: flush
	 * before each read; a file is read without flushing */
	struct stat st;
	bool flush_reads = fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode);
	struct block_reader *br = flush_reads ? NULL : malloc(sizeof *br);
	if (br) {
		br->f = f;
		br->pos = br->len = 0;
		br->eof = false;
	}
	struct pending_block *outer = s->pending;      /* `source` inside a block being read */
	s->pending = NULL;
	while (!s->quit &&
	       (n = next_line(s, f, br, flush_reads, linebuf, MAX_LINE, &line)) != LINE_EOF) {
		s->src_line++;
		struct lexed *lx = NULL;
		if (n >= 0 && !s->pending && (lx = session_lexer(s)) && !lex_plain(lx, line, (size_t)n))
			lx = NULL;
		if (n >= 0 && !lx && br && memchr(line, '\0', (size_t)n))
			n = LINE_HAS_NUL;
		if (n < 0) {
			s->cur_cmd = NULL;
			if (s->pending)
				s->pending->bad = true;
			if (n == LINE_TOO_LONG)
				session_error(s, "line too long (more than %d characters)", MAX_LINE);
			else
				session_error(s, "line contains a NUL byte");
			s->status = 1;
			rc = -1;
			if (!s->keep_going)
				break;
			continue;
		}
		if (lx ? run_plain_line(s, lx) : run_line(s, line, (size_t)n)) {
			rc = -1;
			if (!s->keep_going)
				break;
		}
	}
	if (ferror(f)) {
		/* a directory, /proc/self/mem, a failing disk: say so, never "succeed" */
		int e = errno;
		s->cur_cmd = NULL;
		if (!s->src_line)
			s->src_line = 1;
		session_error(s, "read error: %s", strerror(e));
		s->status = 1;
		rc = -1;
	}
	if (s->pending && session_end_input(s))
		rc = -1;
	s->pending = outer;
	free(br);
	s->depth--;
	s->src_name = saved_name;
	s->src_line = saved_line;
	s->interactive = saved_inter;
	return rc;
}

/* ---- life cycle ------------------------------------------------------------------ */

int session_init(struct session *s, const struct machine_config *cfg, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->cfg = *cfg;
	if (cfg->iomem_text) {
		s->iomem_text = strdup(cfg->iomem_text);
		s->cfg.iomem_text = s->iomem_text;
	}
	out_init_file(&s->out, stdout);
	out_init_file(&s->err, stderr);
	s->show = true;
	int r = machine_create(&s->cfg, &s->m, err, errlen);
	if (r)
		return r;
	s->m->clock_us = 5000000;   /* the prompt appears 5 s after boot */
	return 0;
}

void session_free(struct session *s)
{
	machine_destroy(s->m);
	pending_free(s->pending);
	free(s->lex);
	for (size_t i = 0; i < s->cap_vars; i++)
		free(s->vars[i].name);
	free(s->vars);
	free(s->snap);
	free(s->iomem_text);
	out_free(&s->out);
	out_free(&s->err);
}
