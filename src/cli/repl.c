/*
 * repl.c - the interactive prompt: GNU readline with history kept across
 * sessions and tab completion from the command table, GFP names, zone
 * names, sysctl names and variables.  Used only when stdin is a terminal
 * (or -i); pipes and files go through session_run_stream().
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "kmemsh/buddy.h"
#include "kmemsh/cli.h"
#include "kmemsh/context.h"
#include "kmemsh/gfp.h"
#include "kmemsh/slab.h"

static struct session *cur;             /* readline's callbacks take no context */
static volatile sig_atomic_t got_sigint;
static volatile sig_atomic_t in_readline; /* Ctrl-C redraws the prompt only while one is read */
static volatile sig_atomic_t in_block;  /* the prompt is a block's continuation prompt */
static volatile sig_atomic_t block_abandoned;
static char main_prompt[128];           /* the prompt a Ctrl-C in a block goes back to */

/* ---- history file -------------------------------------------------------- */

static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char dir[4096];
	if (state && *state)
		snprintf(dir, sizeof dir, "%s/kmemsh", state);
	else if (home && *home)
		snprintf(dir, sizeof dir, "%s/.local/state/kmemsh", home);
	else
		return NULL;
	/* mkdir -p, mode 0700 */
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
	mkdir(dir, 0700);
	size_t n = strlen(dir) + sizeof "/history";
	char *path = malloc(n);
	if (path)
		snprintf(path, n, "%s/history", dir);
	return path;
}

/* ---- completion ------------------------------------------------------------ */

/* the candidates for the word being completed */
static const char **cands;
static size_t ncands, capcands;

static void cand_add(const char *w)
{
	if (ncands == capcands) {
		size_t nc = capcands ? capcands * 2 : 64;
		const char **nv = realloc(cands, nc * sizeof *nv);
		if (!nv)
			return;
		cands = nv;
		capcands = nc;
	}
	cands[ncands++] = w;
}

static char *generator(const char *text, int state)
{
	static size_t idx, len;
	if (!state) {
		idx = 0;
		len = strlen(text);
	}
	while (idx < ncands) {
		const char *w = cands[idx++];
		if (strncmp(w, text, len) == 0)
			return strdup(w);
	}
	return NULL;
}

/* GFP words complete after the last '|' */
static char *gfp_generator(const char *text, int state)
{
	static size_t idx;
	static const char *prefix_end;
	static size_t plen, wlen;
	if (!state) {
		idx = 0;
		prefix_end = strrchr(text, '|');
		plen = prefix_end ? (size_t)(prefix_end - text + 1) : 0;
		wlen = strlen(text) - plen;
	}
	const char *word = text + plen;
	const char *name;
	while ((name = gfp_name_at(cur->m->kp, idx++))) {
		if (strncmp(name, word, wlen) == 0) {
			char *r = malloc(plen + strlen(name) + 1);
			if (!r)
				return NULL;
			memcpy(r, text, plen);
			strcpy(r + plen, name);
			return r;
		}
	}
	return NULL;
}

/* cli_complete_words() hands words over one by one; they are copied here */
struct word_pool {
	char (*w)[24];
	size_t *n, cap;
};

static void pool_add(void *arg, const char *word)
{
	struct word_pool *p = arg;
	if (*p->n < p->cap)
		snprintf(p->w[(*p->n)++], sizeof p->w[0], "%s", word);
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1;
	rl_completion_append_character = ' ';
	ncands = 0;
	/* which word of the current statement is this? */
	int stmt = start;
	while (stmt > 0 && rl_line_buffer[stmt - 1] != ';')
		stmt--;
	char buf[1024];
	size_t n = (size_t)(start - stmt);
	if (n >= sizeof buf)
		return NULL;
	memcpy(buf, rl_line_buffer + stmt, n);
	buf[n] = '\0';
	char *words[32];
	int nw = 0;
	for (char *tok = strtok(buf, " \t"); tok && nw < 32; tok = strtok(NULL, " \t"))
		words[nw++] = tok;
	/* skip "NAME =" */
	int base = 0;
	if (nw >= 2 && strcmp(words[1], "=") == 0)
		base = 2;
	int argi = nw - base;          /* 0 = the command word */

	if (text[0] == '$') {
		static char names[256][72];
		size_t k = 0;
		for (size_t i = 0; i < cur->cap_vars && k < 255; i++)
			if (cur->vars[i].name)
				snprintf(names[k++], sizeof names[0], "$%s", cur->vars[i].name);
		snprintf(names[k++], sizeof names[0], "$_");
		for (size_t i = 0; i < k; i++)
			cand_add(names[i]);
		return rl_completion_matches(text, generator);
	}
	if (argi == 0) {
		for (const struct cmd *c = cmd_table; c->name; c++)
			cand_add(c->name);
		return rl_completion_matches(text, generator);
	}
	const struct cmd *c = cmd_find(cmd_table, words[base], NULL);
	if (!c || !c->complete)
		return NULL;
	size_t cl = strlen(c->complete);
	char kind = c->complete[(size_t)(argi - 1) < cl ? (size_t)(argi - 1) : cl - 1];
	if (c->sub && argi >= 2) {
		const struct cmd *sc = cmd_find(c->sub, words[base + 1], NULL);
		if (!sc || !sc->complete)
			return NULL;
		size_t sl = strlen(sc->complete);
		kind = sc->complete[(size_t)(argi - 2) < sl ? (size_t)(argi - 2) : sl - 1];
	}
	switch (kind) {
	case 'a': case 'm': {
		static char live[512][24];
		size_t k = 0;
		struct word_pool pool = { live, &k, 512 };
		cli_complete_words(cur, c->name, kind, pool_add, &pool);
		for (size_t i = 0; i < k; i++)
			cand_add(live[i]);
		break;
	}
	case 'g':
		/* no space after a flag: the user may go on with '|' */
		rl_completion_append_character = '\0';
		return rl_completion_matches(text, gfp_generator);
	case 's':
		for (const struct cmd *sc = show_table; sc->name; sc++)
			cand_add(sc->name);
		break;
	case 'c':
		for (const struct cmd *cc = cmd_table; cc->name; cc++)
			cand_add(cc->name);
		break;
	case 'z':
		for (int i = 0; i < cur->m->nr_zones; i++)
			if (cur->m->zones[i].present)
				cand_add(cur->m->zones[i].label);
		break;
	case 'k':
		if (cur->m->slab)
			for (uint32_t i = 0; i < cur->m->slab->nr_caches; i++)
				if (cur->m->slab->caches[i].live)
					cand_add(cur->m->slab->caches[i].name);
		break;
	case 'y':
		for (size_t i = 0; machine_sysctl_name_at(cur->m, i); i++)
			cand_add(machine_sysctl_name_at(cur->m, i));
		break;
	case 't': {
		static const char *const settings[] = { "show", "explain", "check", "keep_going", "json", "color", "slub_debug",
							 "width", "on", "off", "brief", "full" };
		for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
			cand_add(settings[i]);
		break;
	}
	case 'o': {
		static const char *const orders[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10" };
		for (size_t i = 0; i < 11; i++)
			cand_add(orders[i]);
		break;
	}
	case 'f':
		if (strcmp(c->name, "cat") == 0) {
			const char *f;
			for (size_t i = 0; (f = cli_cat_file_at(cur->m, i)); i++)
				cand_add(f);
			break;
		}
		rl_attempted_completion_over = 0;   /* readline's file names */
		return NULL;
	default:
		return NULL;
	}
	return rl_completion_matches(text, generator);
}

/* ---- the loop ------------------------------------------------------------------ */

int repl_interrupted(void)
{
	return got_sigint != 0;
}

void repl_set_interrupted(int on)
{
	got_sigint = on;
}

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
	if (!in_readline)
		return; /* a command runs: it looks at got_sigint between steps */
	/* abandon the line (and a block being typed: the loop forgets it
	 * before the next line) and draw a fresh prompt */
	rl_crlf();
	rl_replace_line("", 0);
	if (in_block) {
		block_abandoned = 1;
		in_block = 0;
		rl_set_prompt(main_prompt);
	}
	rl_on_new_line();
	rl_redisplay();
}

int session_repl(struct session *s)
{
	cur = s;
	rl_readline_name = "kmemsh";
	rl_attempted_completion_function = complete;
	rl_basic_word_break_characters = " \t;";
	rl_catch_signals = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);

	char *hist = history_path();
	using_history();
	stifle_history(1000);
	if (hist)
		read_history(hist);

	char prompt[160];
	if (!s->quiet)
		printf("kmemsh %s: %s, Linux %s, %llu MiB RAM. Type help, or help CMD.\n", KMEMSH_VERSION,
		       s->m->arch->name, s->m->kp->version, (unsigned long long)(s->m->mem_bytes >> 20));
	while (!s->quit) {
		/* the context, when it is not process context (kmemsh(i386 irq)>),
		 * or "atomic" in process context that may not sleep (a spinlock,
		 * preempt_disable(), irqs off, rcu_read_lock() on 6.13) */
		const char *ctx = s->m->ctx.kind != CTX_PROCESS ? context_kind_name(s->m->ctx.kind) :
				  !context_may_sleep(s->m) ? "atomic" : NULL;
		if (s->out.color)
			snprintf(main_prompt, sizeof main_prompt, "\001\033[1;34m\002kmemsh(%s%s%s)>\001\033[0m\002 ",
				 s->m->arch->name, ctx ? " " : "", ctx ? ctx : "");
		else
			snprintf(main_prompt, sizeof main_prompt, "kmemsh(%s%s%s)> ", s->m->arch->name, ctx ? " " : "",
				 ctx ? ctx : "");
		/* in a block read over several lines: the innermost block's name,
		 * indented by its depth ("  irq> ", "    softirq> "), like a
		 * shell's PS2 */
		int depth = 0;
		const char *block = session_block_pending(s, &depth);
		if (block)
			snprintf(prompt, sizeof prompt, "%*s%s%s%s> ", 2 * depth, "", s->out.color ? "\001\033[1;34m\002" : "",
				 block, s->out.color ? "\001\033[0m\002" : "");
		else
			snprintf(prompt, sizeof prompt, "%s", main_prompt);
		got_sigint = 0;
		block_abandoned = 0;
		in_block = block != NULL;
		out_flush(&s->out);
		in_readline = 1;
		char *line = readline(prompt);
		in_readline = 0;
		in_block = 0;
		got_sigint = 0; /* a Ctrl-C while typing abandoned that line, not this one */
		if (block_abandoned)
			session_block_abandon(s);
		if (!line) {
			putchar('\n');
			session_end_input(s);
			break;
		}
		if (*line) {
			HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
			if (!last || strcmp(last->line, line) != 0)
				add_history(line);
			s->src_line++;
			session_run_line(s, line);
		}
		free(line);
	}
	if (hist) {
		/* the history file is private: mode 0600 */
		mode_t old = umask(077);
		write_history(hist);
		umask(old);
		chmod(hist, 0600);
		free(hist);
	}
	free(cands);
	cands = NULL;
	ncands = capcands = 0;
	return 0;
}
