/*
 * cmd_help.c - help that teaches, and `gfp MASK`.
 *
 * `help` lists the commands by subsystem; `help CMD` adds what help_docs.c
 * knows: the kernel prototype, the kernel function and file followed in
 * each modelled kernel, an example, related commands.  `help GFP_KERNEL`
 * and `gfp MASK` decode a gfp_t for the machine's kernel: each bit with
 * what it asks for, whether the call may sleep, the zone gfp_zone() picks
 * and the zonelist, the migratetype, the reserves the slow path may use,
 * and what the other modelled kernel makes of the same flags.  `help set`
 * describes every setting.  These are the shell's words, so they are
 * written here, wrapped to fit 80 columns.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd_int.h"
#include "help_int.h"
#include "kmemsh/gfp.h"
#include "kmemsh/i18n.h"

#define HELP_WIDTH 79

/* The columns of the UTF-8 text p[0..n): a CJK character (three or four
 * bytes) takes two, any other character one (translations, see i18n.h). */
static int text_cols(const char *p, size_t n)
{
	int cols = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c & 0xc0) != 0x80)
			cols += c >= 0xe0 ? 2 : 1;
	}
	return cols;
}

/* The next unbreakable piece of p: up to a space, and a wide (CJK)
 * character is a piece of its own, so Chinese wraps between characters. */
static size_t utf8_len(const char *p)
{
	size_t n = 1;
	while ((p[n] & 0xc0) == 0x80)
		n++;
	return n;
}

/* Chinese line-breaking rules: a closing mark (，。、；：）) stays on the
 * line of what it follows, an opening one (（) on the line of what it opens */
static bool is_closing(const char *p)
{
	static const char *const marks[] = { "\xef\xbc\x8c", "\xe3\x80\x82", "\xe3\x80\x81", "\xef\xbc\x9b",
		"\xef\xbc\x9a", "\xef\xbc\x89", "\xef\xbc\x81", "\xef\xbc\x9f" };
	for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
		if (!strncmp(p, marks[k], 3))
			return true;
	return false;
}

static size_t piece_len(const char *p)
{
	unsigned char c = (unsigned char)*p;
	if (c >= 0xe0) {
		size_t n = utf8_len(p);
		if (!strncmp(p, "\xef\xbc\x88", 3) && p[n] && p[n] != ' ')
			n += piece_len(p + n);
		while ((unsigned char)p[n] >= 0xe0 && is_closing(p + n))
			n += utf8_len(p + n);
		return n;
	}
	size_t n = 0;
	while (p[n] && p[n] != ' ' && (unsigned char)p[n] < 0xe0)
		n++;
	while ((unsigned char)p[n] >= 0xe0 && is_closing(p + n))
		n += utf8_len(p + n);
	return n;
}

/* "label" then text wrapped at width, continuation lines indented to the
 * text's column; words longer than a line stay whole.  Spaces between words
 * become one, or with keep_spaces stay as they are within a line (a man
 * page's two after a sentence). */
static void wrap_at(struct out *o, const char *label, int col, int width, bool keep_spaces, const char *text)
{
	int lw = text_cols(label, strlen(label));
	out_printf(o, "%s%*s", label, lw < col ? col - lw : 0, "");
	int pos = lw > col ? lw : col;
	const char *p = text;
	bool first = true;
	while (*p) {
		int spaces = 0;
		while (*p == ' ') {
			p++;
			spaces++;
		}
		if (!*p)
			break;
		if (!keep_spaces && spaces > 1)
			spaces = 1;
		size_t n = piece_len(p);
		int w = text_cols(p, n);
		if (!first && pos + spaces + w > width) {
			out_printf(o, "\n%*s", col, "");
			pos = col;
			first = true;
		}
		if (!first && spaces) {
			out_printf(o, "%*s", spaces, "");
			pos += spaces;
		}
		out_write(o, p, n);
		pos += w;
		p += n;
		first = false;
	}
	out_puts(o, "\n");
}

static void put_wrapped(struct out *o, const char *label, int col, const char *text)
{
	wrap_at(o, label, col, HELP_WIDTH, false, text);
}

/* Where `man kmemsh` finds the page: installed next to the program
 * (PREFIX/bin/kmemsh and PREFIX/share/man/man1/kmemsh.1), or only in the
 * source tree, where man reads it by path. */
static const char *man_hint(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 40);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			strcpy(slash, "/../share/man/man1/kmemsh.1");
			if (access(exe, R_OK) == 0)
				return _("man kmemsh (the program), man 7 kmemsh (the model)");
		}
	}
	return _("man ./man/kmemsh.1 (the program) and man ./man/kmemsh.7 (the model) in the source tree "
	       "(they are not installed: make install)");
}

/* one group's commands, a line each (wrapped) */
static void help_group(struct session *s, int g)
{
	out_printf(&s->out, "%s: %s\n", help_groups[g].key, _(help_groups[g].title));
	for (const struct cmd_doc *d = cmd_docs; d->name; d++) {
		if (d->group != (enum help_group)g)
			continue;
		const struct cmd *c = cmd_find(cmd_table, d->name, NULL);
		if (!c || strcmp(c->name, d->name))
			continue;
		char syn[128];
		snprintf(syn, sizeof syn, "  %s%s%s", c->name, *c->args ? " " : "", c->args);
		if (strlen(syn) > 30) {
			out_printf(&s->out, "%s\n", syn);
			put_wrapped(&s->out, "", 32, _(c->summary));
		} else {
			put_wrapped(&s->out, syn, 32, _(c->summary));
		}
	}
}

/* `help`: the groups, each with its commands' names */
static void help_list(struct session *s)
{
	out_puts(&s->out, _("Kernel calls at a prompt, arguments in the kernel's order.  Commands by subsystem:\n"));
	for (int g = 0; g < HG_COUNT; g++) {
		char line[2048];
		size_t len = (size_t)snprintf(line, sizeof line, "%s:", _(help_groups[g].title));
		for (const struct cmd_doc *d = cmd_docs; d->name && len < sizeof line - 64; d++)
			if (d->group == (enum help_group)g)
				len += (size_t)snprintf(line + len, sizeof line - len, " %s", d->name);
		char lab[16];
		snprintf(lab, sizeof lab, "  %s", help_groups[g].key);
		put_wrapped(&s->out, lab, 12, line);
	}
	char topics[512];
	size_t tl = (size_t)snprintf(topics, sizeof topics, _("Topics (the model, from kmemsh(7)):"));
	for (const struct help_topic *t = help_topics; t->name && tl < sizeof topics - 32; t++)
		tl += (size_t)snprintf(topics + tl, sizeof topics - tl, " %s", t->name);
	put_wrapped(&s->out, "", 0, topics);
	put_wrapped(&s->out, "", 0, _("help GROUP (pages, slab, vm ...) lists a group with a line each, help all every "
		    "command.  help COMMAND: its kernel prototype, where the kernel does it, an example.  help "
		    "GFP_KERNEL or gfp MASK: what GFP flags mean.  help set, help show: the settings and the views.  "
		    "Results can be named: p = alloc_pages GFP_KERNEL 2; __free_pages $p 2 ($_ is the last result)."));
	put_wrapped(&s->out, _("Manual: "), 8, man_hint());
}

static void help_command(struct session *s, const struct cmd *c)
{
	const struct cmd_doc *d = help_doc(c->name);
	bool old = s->m->kp->kv == KV_2_6_32;
	out_printf(&s->out, "%s%s%s\n", c->name, *c->args ? " " : "", c->args);
	put_wrapped(&s->out, "  ", 2, _(c->summary));
	if (!d)
		return;
	put_wrapped(&s->out, _("kernel:"), 10, d->proto);
	if (d->proto_old && *d->proto_old)
		put_wrapped(&s->out, "2.6.32:", 10, d->proto_old);
	else if (d->proto_old)
		put_wrapped(&s->out, "2.6.32:", 10, _("not in 2.6.32"));
	if (d->src_new) {
		/* the machine's own kernel first */
		out_puts(&s->out, _("follows:\n"));
		put_wrapped(&s->out, old ? "  2.6.32" : "  6.13", 10, old ? d->src_old : d->src_new);
		put_wrapped(&s->out, old ? "  6.13" : "  2.6.32", 10, old ? d->src_new : d->src_old);
	}
	if (d->example && *d->example)
		put_wrapped(&s->out, _("example:"), 10, d->example);
	if (*help_group_views[d->group]) {
		char views[256];
		const char *v = help_group_views[d->group], *dump = strstr(v, "DUMP");
		if (dump)       /* the page-table dump under the machine's kernel's name */
			snprintf(views, sizeof views, "%.*s%s%s", (int)(dump - v), v, old ?
				 "/sys/kernel/debug/kernel_page_tables" : "/sys/kernel/debug/page_tables/kernel", dump + 4);
		else
			snprintf(views, sizeof views, "%s", v);
		put_wrapped(&s->out, _("watch:"), 10, views);
	}
	if (d->related && *d->related)
		put_wrapped(&s->out, _("see also:"), 10, d->related);
	if (c->sub) {
		out_puts(&s->out, _("subcommands:\n"));
		for (const struct cmd *sc = c->sub; sc->name; sc++) {
			char syn[96];
			snprintf(syn, sizeof syn, "  %s%s%s", sc->name, *sc->args ? " " : "", sc->args);
			put_wrapped(&s->out, syn, 26, _(sc->summary));
		}
	}
}

/* `help set`: every setting, with its value now */
static const struct { const char *name, *text; } settings[] = {
	{ "show", N_("what a command prints after it runs: brief (the default at a terminal) its result, a line per "
	  "zone whose free lists changed and new dmesg lines; full (on; the default in scripts) also every step of "
	  "the change log (blocks split and merged, slabs, page tables); off only what a command is for (views, "
	  "echo)") },
	{ "explain", N_("narrate each step in sentences: why this zone, why the block was split, which buddies merged") },
	{ "check", N_("run the invariant checker after every command (as --check); a broken invariant fails the "
	  "command") },
	{ "keep_going", N_("in a script, go on after a failed command (as --keep-going); the exit status still says "
	  "one failed") },
	{ "json", N_("JSON Lines (as --json): one object per command, with its result, changes, dmesg lines and "
	  "views nested in it") },
	{ "color", N_("colour for meaning: errors and NULL results red, changed counts bold, kernel messages "
	  "yellow (NO_COLOR and pipes stay plain)") },
	{ "width", N_("the columns the brief form wraps at, continuation lines indented (the terminal's width at the "
	  "prompt; 0, never, in scripts); the kernel's log lines are never wrapped") },
	{ "slub_debug", N_("SLUB's boot-time debug letters F Z P U (as --slub-debug=F...); changing it reboots a "
	  "fresh machine") },
	{ "pcp", N_("the per-CPU page lists (as --pcp; on by default, as the kernel has them); off drains them and "
	  "sends every allocation and free straight to the buddy lists, so frees merge at once") },
};

static void help_set(struct session *s)
{
	out_puts(&s->out, _("set [SETTING [on|off|brief|full]]: show or change a setting\n"));
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		put_wrapped(&s->out, settings[i].name, 12, _(settings[i].text));
}

/* ---- GFP ------------------------------------------------------------------ */

/* the single-bit name the kernel defines for bit b (__GFP_IO ...), or NULL */
static const char *bit_name(const struct kernel_profile *kp, uint32_t b)
{
	for (const struct gfp_name *g = kp->gfp_names; g->name; g++)
		if (g->value == b && strncmp(g->name, "__GFP_", 6) == 0)
			return g->name;
	return NULL;
}

static const char *mt_name(const struct kernel_profile *kp, int mt)
{
	return mt >= 0 && mt < kp->nr_migratetypes ? kp->mt_names[mt] : "?";
}

static void gfp_explain(struct session *s, const char *text, gfp_t gfp)
{
	const struct machine *m = s->m;
	const struct kernel_profile *kp = m->kp;
	char buf[256], line[512];
	gfp_format(kp, gfp, buf, sizeof buf);
	bool other_name = *buf && strcmp(text, buf);     /* how the kernel prints it, when it differs */
	out_printf(&s->out, "%s = %#x in %s%s%s\n", text, gfp, kp->version, other_name ? ": " : "",
		   other_name ? buf : "");
	for (uint32_t b = 1; b && b <= gfp; b <<= 1) {
		if (!(gfp & b))
			continue;
		const char *n = bit_name(kp, b);
		const char *what = n ? help_gfp_bit(n) : NULL;
		char lab[48];
		snprintf(lab, sizeof lab, "  %#-8x %s", b, n ? n : "(no name)");
		put_wrapped(&s->out, lab, 33, what ? what : _("not a flag of this kernel"));
	}
	if (!gfp)
		out_puts(&s->out, _("  (no bits set)\n"));

	struct gfp_reserves r;
	gfp_reserves(kp, gfp, &r);
	put_wrapped(&s->out, _("may sleep:"), 13, r.may_sleep ? _("yes: not in interrupt or atomic context") :
		    _("no: safe in interrupt and atomic context"));

	unsigned bits = ((gfp & kp->gfp_dma) ? 1u : 0u) | ((gfp & kp->gfp_highmem) ? 2u : 0u) |
			((gfp & kp->gfp_dma32) ? 4u : 0u) | ((gfp & kp->gfp_movable) ? 8u : 0u);
	int zk = gfp_zone(kp, gfp, m->zone_of_kind[ZK_DMA32] >= 0, m->zone_of_kind[ZK_HIGHMEM] >= 0);
	if (zk < 0 || m->zl_highest[bits] == -2) {
		put_wrapped(&s->out, _("zone:"), 13, _("none: GFP_ZONE_BAD, these zone modifiers do not go together "
			    "(gfp_zone() BUGs)"));
	} else {
		/* the zonelist holds populated zones only: build_zonerefs_node()
		 * skips the others (2.6.32 populated_zone(), 6.13 managed_zone()),
		 * so an empty Movable zone is not in it, though gfp_zone() names it */
		int len = snprintf(line, sizeof line, "gfp_zone() = %s; zonelist:", zone_kind_name((enum zone_kind)zk));
		bool any = false;
		/* with NUMA nodes, the current CPU's node's zonelist: each node
		 * in its fallback order (build_zonelists()), zones from the
		 * highest allowed type down */
		unsigned here = machine_numa_node_id(m);
		for (unsigned k = 0; k < m->nr_nodes; k++) {
			int nid = m->nr_nodes > 1 ? m->node[here].node_order[k] : 0;
			if (nid < 0)
				break;
			int base = nid * m->nr_node_zones;
			for (int i = base + m->zl_highest[bits]; i >= base && len < (int)sizeof line - 20; i--) {
				if (!(kp->kv == KV_2_6_32 ? m->zones[i].present : m->zones[i].managed))
					continue;
				len += snprintf(line + len, sizeof line - (size_t)len, "%s %s", any ? "," : "",
						m->zones[i].label);
				any = true;
			}
		}
		if (!any)
			snprintf(line + len, sizeof line - (size_t)len, _(" (no zone on this machine)"));
		put_wrapped(&s->out, _("zone:"), 13, line);
	}
	if ((gfp & kp->gfp_movable) && (gfp & kp->gfp_reclaimable))
		put_wrapped(&s->out, _("migratetype:"), 13, _("none: __GFP_MOVABLE and __GFP_RECLAIMABLE together "
			    "(the kernel warns)"));
	else
		put_wrapped(&s->out, _("migratetype:"), 13, mt_name(kp, gfp_migratetype(kp, gfp)));

	if (r.no_watermarks)
		snprintf(line, sizeof line, _("all: __GFP_MEMALLOC ignores the watermarks"));
	else if (r.min_num == 1 && r.min_den == 1)
		snprintf(line, sizeof line, _("none: the slow path stops at the min watermark"));
	else
		snprintf(line, sizeof line, _("the slow path may go down to %u/%u of the min watermark (%s)"),
			 r.min_num, r.min_den, r.min_den == 2 ? "__GFP_HIGH" : r.min_den == 4 ?
			 _("ALLOC_HARDER: may not sleep") : kp->kv == KV_2_6_32 ? _("__GFP_HIGH, and ALLOC_HARDER: may not sleep") :
			 _("__GFP_HIGH, and ALLOC_NON_BLOCK: may not sleep"));
	if (r.highatomic)
		snprintf(line + strlen(line), sizeof line - strlen(line), _("; orders above 0 may use the "
			 "MIGRATE_HIGHATOMIC reserve"));
	put_wrapped(&s->out, _("reserves:"), 13, line);
	if (kp->kv == KV_2_6_32)
		put_wrapped(&s->out, _("kswapd:"), 13, _("woken by every slow-path allocation in 2.6.32"));
	else
		put_wrapped(&s->out, _("kswapd:"), 13, r.wakes_kswapd ? _("woken below the low watermark "
			    "(__GFP_KSWAPD_RECLAIM)") : _("not woken (no __GFP_KSWAPD_RECLAIM)"));

	/* the other modelled kernel */
	const struct kernel_profile *other = kernel_find(kp->kv == KV_2_6_32 ? "6.13" : "2.6.32");
	if (!other)
		return;
	gfp_t og;
	char obuf[256];
	size_t bad;
	char lab[24];
	snprintf(lab, sizeof lab, _("in %s:"), other->version);
	if (text[0] >= '0' && text[0] <= '9') {
		/* og is set only when the mask parses in the other kernel */
		int rc = gfp_parse(other, text, &og, &bad);
		if (!rc)
			gfp_format(other, og, obuf, sizeof obuf);
		if (rc)
			snprintf(line, sizeof line, _("%s is not a valid mask (bits above __GFP_BITS_MASK)"), text);
		else if (!og)
			snprintf(line, sizeof line, _("no bits either%s%s%s"), *obuf ? " (printed " : "", obuf,
				 *obuf ? ")" : "");
		else
			snprintf(line, sizeof line, _("the same number means %s: GFP bit values changed between the "
				 "kernels, write names"), obuf);
	} else if (gfp_parse(other, text, &og, &bad) == 0) {
		gfp_format(other, og, obuf, sizeof obuf);
		snprintf(line, sizeof line, strcmp(text, obuf) ? "%s = %#x (%s)" : "%s = %#x", text, og, obuf);
	} else {
		char word[64];
		size_t n = strcspn(text + bad, "| \t");
		snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), text + bad);
		const char *hint = gfp_other_kernel_hint(other, word);
		snprintf(line, sizeof line, "%s", hint ? hint : _("no such flag"));
	}
	put_wrapped(&s->out, lab, 13, line);
}

int cmd_gfp(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	(void)argc;
	uint32_t gfp;
	if (arg_gfp(s, 1, argv[1], &gfp))
		return -1;
	gfp_explain(s, argv[1], gfp);
	return 0;
}

/* help TOPIC: its paragraphs in the user's language, each rewrapped, a
 * display line by line as it is */
static void help_topic(struct session *s, const struct help_topic *t)
{
	out_printf(&s->out, "%s (kmemsh(7))\n\n", t->section);
	for (const struct help_para *p = t->paras; p->text; p++) {
		if (p->display)
			out_printf(&s->out, "%s\n", _(p->text));
		else
			wrap_at(&s->out, p->tag ? p->tag : "", p->indent, HELP_TOPIC_WIDTH, true, _(p->text));
		out_puts(&s->out, "\n");
	}
}

int cmd_help(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	if (argc == 1) {
		help_list(s);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "all") == 0) {
		for (int g = 0; g < HG_COUNT; g++)
			help_group(s, g);
		return 0;
	}
	bool topic = false;
	for (const struct help_topic *t = help_topics; argc == 2 && t->name; t++)
		if (strcmp(argv[1], t->name) == 0) {
			help_topic(s, t);
			char more[512];
			snprintf(more, sizeof more, _("More in kmemsh(7), %s%s%s."), t->section,
				 *t->subsections ? ": " : "", t->subsections);
			put_wrapped(&s->out, "", 0, more);
			topic = true;
		}
	for (int g = 0; argc == 2 && g < HG_COUNT; g++)
		if (strcmp(argv[1], help_groups[g].key) == 0) {
			if (topic)
				out_puts(&s->out, "\n");
			help_group(s, g);
			return 0;
		}
	if (topic)
		return 0;
	const struct cmd *c = cmd_find(cmd_table, argv[1], NULL);
	if (!c) {
		gfp_t gfp;
		size_t bad;
		const char *text = argv[1];
		if (gfp_parse(s->m->kp, text, &gfp, &bad) == 0 && (text[0] == '_' || text[0] == 'G')) {
			gfp_explain(s, text, gfp);
			return 0;
		}
		for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
			if (strcmp(argv[1], settings[i].name) == 0) {
				char lab[32];
				snprintf(lab, sizeof lab, "set %s", settings[i].name);
				out_printf(&s->out, _("%s (a setting; set alone lists them)\n"), lab);
				put_wrapped(&s->out, "  ", 2, _(settings[i].text));
				return 0;
			}
		const char *nm = help_not_modelled(argv[1]);
		if (nm) {
			session_error(s, "%s", nm);
			return -1;
		}
		const char *hint = gfp_other_kernel_hint(s->m->kp, argv[1]);
		if (hint) {
			session_error(s, "%s", hint);
			return -1;
		}
		session_error(s, "no command, topic, setting or GFP flag '%s' (type help for the list)", argv[1]);
		return -1;
	}
	if (argc > 2 && !c->sub) {
		session_error(s, "'%s' has no subcommands (usage: help %s)", c->name, c->name);
		return -1;
	}
	if (c->sub && argc > 2) {
		const struct cmd *sc = cmd_find(c->sub, argv[2], NULL);
		if (!sc) {
			session_error(s, "no '%s %s' (try help %s)", c->name, argv[2], c->name);
			return -1;
		}
		out_printf(&s->out, "%s %s%s%s\n", c->name, sc->name, *sc->args ? " " : "", sc->args);
		put_wrapped(&s->out, "  ", 2, _(sc->summary));
		return 0;
	}
	help_command(s, c);
	if (strcmp(c->name, "set") == 0)
		help_set(s);
	return 0;
}
