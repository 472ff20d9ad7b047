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

#include "kmemsh/buddy.h"
#include "kmemsh/cli.h"
#include "kmemsh/gfp.h"
#include "cmd_int.h"

#define MAX_LINE 4096
#define MAX_ARGS 64
#define MAX_DEPTH 16

/* ---- errors ------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if the bytes there
 * are not one (overlong forms, surrogates and code points above U+10FFFF
 * included).  *cp gets the code point. */
static size_t utf8_seq(const unsigned char *p, uint32_t *cp)
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
		size_t n = utf8_seq(p, &cp);
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
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/* keep it on one line and printable */
	escape_for_terminal(raw, msg, sizeof msg);
	/* results printed so far come first */
	if (s->out.f)
		fflush(s->out.f);
	if (s->json) {
		out_puts(&s->err, "{\"error\":");
		out_json_str(&s->err, msg);
		if (s->src_name) {
			out_puts(&s->err, ",\"file\":");
			out_json_str(&s->err, s->src_name);
			out_printf(&s->err, ",\"line\":%u", s->src_line);
		}
		out_puts(&s->err, "}\n");
	} else if (s->src_name && !s->interactive) {
		out_printf(&s->err, "%s:%u: %s%s%s\n", s->src_name, s->src_line,
			   s->cur_cmd ? s->cur_cmd : "", s->cur_cmd ? ": " : "", msg);
	} else {
		out_color(&s->err, "1;31");
		out_puts(&s->err, "error: ");
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

static size_t hash_name(const char *s)
{
	size_t h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static struct var *var_slot(const struct session *s, const char *name)
{
	if (!s->cap_vars)
		return NULL;
	size_t i = hash_name(name) & (s->cap_vars - 1);
	for (;;) {
		struct var *v = &s->vars[i];
		if (!v->name || strcmp(v->name, name) == 0)
			return v;
		i = (i + 1) & (s->cap_vars - 1);
	}
}

const struct value *var_get(const struct session *s, const char *name)
{
	if (strcmp(name, "_") == 0)
		return &s->last;
	struct var *v = var_slot(s, name);
	return v && v->name ? &v->v : NULL;
}

int var_set(struct session *s, const char *name, struct value val)
{
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
				*var_slot(s, old[i].name) = old[i];
		free(old);
	}
	struct var *v = var_slot(s, name);
	if (!v->name) {
		v->name = strdup(name);
		if (!v->name)
			return -ENOMEM;
		s->nvars++;
	}
	v->v = val;
	return 0;
}

static bool valid_name(const char *n)
{
	if (!isalpha((unsigned char)*n) && *n != '_')
		return false;
	for (const char *p = n; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	return strlen(n) < 64;
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

/* "$name" -> value; plain text -> number.  0 ok, -1 error reported. */
static int resolve(struct session *s, int idx, const char *text, struct value *v)
{
	if (text[0] == '$' && strpbrk(text, "+-")) {
		/* $var+N, $var-N: an address or number and an offset */
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
	if (!isdigit((unsigned char)*p)) {
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
		if (isdigit((unsigned char)*q))
			d = *q - '0';
		else if (base == 16 && isxdigit((unsigned char)*q))
			d = tolower((unsigned char)*q) - 'a' + 10;
		else {
			session_error(s, "argument %d '%s': not a number", idx, text);
			return -1;
		}
		if (u > (~0ull - (unsigned)d) / (unsigned)base) {
			session_error(s, "argument %d '%s': number too large", idx, text);
			return -1;
		}
		u = u * (unsigned)base + (unsigned)d;
	}
	v->kind = V_NUM;
	v->u = u;
	return 0;
}

int arg_u64(struct session *s, int idx, const char *text, const char *what, uint64_t max, uint64_t *out)
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
	r = gfp_parse(kp, text, out, &off);
	if (r == 0)
		return 0;
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

/* SIZE: bytes, with K/M/G suffixes, or a $variable */
int arg_size(struct session *s, int idx, const char *text, uint64_t *out)
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

int arg_value(struct session *s, int idx, const char *text, struct value *v)
{
	return resolve(s, idx, text, v);
}

int arg_addr(struct session *s, int idx, const char *text, uint64_t *out)
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

int arg_page(struct session *s, int idx, const char *text, uint64_t *pfn)
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

/* Split one statement (no ';' inside) into words, in place.  Returns the
 * number of words or -1 on an unterminated quote. */
static int split_words(char *p, char **argv, int max)
{
	int argc = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			break;
		if (argc == max)
			return -2;
		char *w = p, *o = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r') {
			if (*p == '"' || *p == '\'') {
				char q = *p++;
				while (*p && *p != q)
					*o++ = *p++;
				if (*p != q)
					return -1;
				p++;
				continue;
			}
			*o++ = *p++;
		}
		if (*p)
			p++;
		*o = '\0';
		argv[argc++] = w;
	}
	/* join GFP expressions written with blanks around '|' */
	int j = 0;
	for (int i = 0; i < argc; i++) {
		size_t lw = j ? strlen(argv[j - 1]) : 0;
		bool join = j > 0 && (argv[i][0] == '|' || (lw && argv[j - 1][lw - 1] == '|'));
		if (join) {
			/* words live in one buffer: move this word next to the previous */
			char *dst = argv[j - 1] + lw;
			memmove(dst, argv[i], strlen(argv[i]) + 1);
		} else {
			argv[j++] = argv[i];
		}
	}
	return j;
}

/* Cut the line at a '#' comment and split it at ';' (outside quotes). */
static int split_statements(char *line, char **stmts, int max)
{
	int n = 0;
	char q = 0;
	char *start = line;
	for (char *p = line; ; p++) {
		if (q) {
			if (*p == q) {
				q = 0;
			} else if (!*p) {
				/* unterminated quote: the statement reports it */
				if (n < max)
					stmts[n++] = start;
				break;
			}
			continue;
		}
		if (*p == '"' || *p == '\'') {
			q = *p;
			continue;
		}
		if (*p == '#' || *p == ';' || !*p) {
			char c = *p;
			*p = '\0';
			if (n < max)
				stmts[n++] = start;
			if (c == ';') {
				start = p + 1;
				continue;
			}
			break;
		}
	}
	return n;
}

/* ---- running ------------------------------------------------------------------ */

const struct cmd *cmd_find(const struct cmd *table, const char *name, const struct cmd **amb)
{
	const struct cmd *prefix = NULL;
	int nprefix = 0;
	size_t len = strlen(name);
	if (amb)
		*amb = NULL;
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

static void report_unknown(struct session *s, const char *name, const struct cmd *table, const char *where)
{
	const struct cmd *amb;
	cmd_find(table, name, &amb);
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

/* Show what one step did: its result line (only when it succeeded), then
 * the changes and the new dmesg lines. */
static void show_step(struct session *s, const struct step_result *r, bool ok,
		      const struct nr_free_snapshot *before)
{
	if (ok)
		view_result(&s->out, s->m, r);
	if (s->m->log.n || s->m->log.dropped)
		view_changes(&s->out, s->m, before, s->explain);
	if (s->m->dmesg.seen < s->m->dmesg.n)
		view_dmesg(&s->out, s->m, s->m->dmesg.seen);
}

int cmd_dispatch(struct session *s, const struct cmd *table, int argc, char **argv, struct step_result *r)
{
	const struct cmd *c = cmd_find(table, argv[0], NULL);
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

/* ---- NAME = COMMAND: decided before the command runs -------------------------- */

/* Whether the command typed (argc words, argv[0] its name) gives a value to
 * store.  `x = kfree $p` is refused here, before kfree runs: afterwards $p
 * would be freed and the statement still failed.  An unknown command is
 * left to the dispatcher's own error. */
static bool assignment_refused(struct session *s, int argc, char **argv, const char *assign)
{
	const struct cmd *c = cmd_find(cmd_table, argv[0], NULL);
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

static int run_statement(struct session *s, char *stmt)
{
	char *words[MAX_ARGS + 3];           /* room for splitting "x=cmd" */
	char **argv = words;
	int argc = split_words(stmt, words, MAX_ARGS);
	s->cur_cmd = NULL;
	if (argc == -1) {
		session_error(s, "unterminated quote");
		return -1;
	}
	if (argc == -2) {
		session_error(s, "too many words (at most %d)", MAX_ARGS);
		return -1;
	}
	if (argc == 0)
		return 0;
	argv[argc] = NULL;

	/* Accept "x=cmd", "x= cmd" and "x =cmd" too: split the '=' into a word of its own. */
	char eq[] = "=";
	char *e0 = strchr(argv[0], '=');
	if (e0 && e0 != argv[0]) {
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

	const char *assign = NULL;
	if (argc >= 2 && strcmp(argv[1], "=") == 0) {
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
		if (assignment_refused(s, argc, argv, assign))
			return -1;
	}

	struct nr_free_snapshot before;
	bool showing = s->show && !s->quiet;
	s->m->log.enabled = showing;
	changelog_reset(s->m);
	if (showing)
		view_snapshot(s->m, &before);
	s->m->clock_us += 1000;

	struct step_result res = { .fn = NULL, .value = { V_NONE, 0 }, .kind = RESULT_NONE };
	int r = cmd_dispatch(s, cmd_table, argc, argv, &res);
	s->commands++;
	if (showing)
		show_step(s, &res, r == 0, &before);
	s->m->dmesg.seen = s->m->dmesg.n;
	if (r == 0 && res.value.kind != V_NONE) {
		s->last = res.value;
		if (assign && var_set(s, assign, res.value)) {
			session_error(s, "out of memory for variable");
			r = -1;
		}
	} else if (r == 0 && assign) {
		session_error(s, "'%s' gives no value to store in $%s", argv[0], assign);
		r = -1;
	}
	if (s->check_each && machine_check(s->m)) {
		s->cur_cmd = "check";
		session_error(s, "model inconsistent after '%s': %s", argv[0], s->m->err);
		r = -1;
	}
	if (s->out.f)
		fflush(s->out.f);
	return r;
}

int session_run_line(struct session *s, const char *line)
{
	size_t len = strlen(line);
	/* the limit counts characters, not the line's newline */
	size_t chars = len && line[len - 1] == '\n' ? len - 1 : len;
	if (chars > MAX_LINE) {
		s->cur_cmd = NULL;
		session_error(s, "line too long (%zu characters; the limit is %d)", chars, MAX_LINE);
		s->status = 1;
		return -1;
	}
	char buf[MAX_LINE + 2];
	memcpy(buf, line, len + 1);
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
			s->cur_cmd = NULL;
			session_error(s, "control character 0x%02x at column %zu", c, i + 1);
			s->status = 1;
			return -1;
		}
	}
	char *stmts[256];
	int n = split_statements(buf, stmts, 256);
	int rc = 0;
	for (int i = 0; i < n && !s->quit; i++) {
		if (run_statement(s, stmts[i])) {
			s->status = 1;
			rc = -1;
			if (!s->keep_going && !s->interactive)
				break;
		}
	}
	return rc;
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

int session_run_stream(struct session *s, FILE *f, const char *name)
{
	const char *saved_name = s->src_name;
	unsigned saved_line = s->src_line;
	bool saved_inter = s->interactive;
	char line[MAX_LINE + 1];
	long n;
	int rc = 0;

	if (s->depth >= MAX_DEPTH) {
		session_error(s, "source: nested too deeply (%d levels)", MAX_DEPTH);
		return -1;
	}
	s->depth++;
	s->interactive = false;
	s->src_name = name;
	s->src_line = 0;
	while (!s->quit && (n = read_bounded_line(f, line, MAX_LINE)) != LINE_EOF) {
		s->src_line++;
		if (n < 0) {
			s->cur_cmd = NULL;
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
		if (session_run_line(s, line)) {
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
	for (size_t i = 0; i < s->cap_vars; i++)
		free(s->vars[i].name);
	free(s->vars);
	free(s->iomem_text);
	out_free(&s->out);
	out_free(&s->err);
}
