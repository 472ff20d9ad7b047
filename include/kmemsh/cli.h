/*
 * cli.h - the command line: sessions, the command table, the REPL and the
 * script runner.
 *
 * One table describes every command (name, argument synopsis, summary,
 * arity, handler, completion); dispatch, arity checks, `help`, tab
 * completion, `--list-commands` and the man page's command list all follow
 * from it (src/cli/commands.c).  Handlers, one file per subsystem
 * (src/cli/cmd_*.c, sharing src/cli/cmd_int.h), parse typed arguments with
 * the arg_* helpers, call one model function and describe what it did as
 * values (struct step_result, view.h); the runner has view/ render them,
 * and the step's change log, only when they will be printed.
 */
#ifndef KMEMSH_CLI_H
#define KMEMSH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kmemsh/machine.h"
#include "kmemsh/view.h"

#define KMEMSH_VERSION "0.1.0"

/* struct value (what a step returns, what $NAME holds) is in view.h */
struct var {
	char *name;             /* NULL = empty slot */
	size_t hash;            /* of the name (session.c's hash_name) */
	struct value v;
};

struct session {
	struct machine *m;
	struct machine_config cfg;      /* to rebuild on `reset` */
	char *iomem_text;
	char slub_debug[16];            /* set slub_debug: the letters, kept for `reset` */

	struct out out;                 /* results and views (stdout) */
	struct out err;                 /* errors (stderr) */

	bool interactive;               /* prompt + readline */
	bool quiet;                     /* -q: no results or changes */
	bool show;                      /* set show brief|full|off: results + changes */
	bool brief;                     /* set show brief: the result, a line per zone, dmesg */
	unsigned width;                 /* set width: brief lines wrap at it (0: never) */
	bool explain;                   /* set explain on|off */
	bool check_each;                /* --check: invariant checker after every command */
	unsigned check_since_full;      /* --check: commands since the last full check */
	bool keep_going;                /* --keep-going */
	bool json;

	struct var *vars;               /* open-addressing hash table */
	size_t nvars, cap_vars;
	size_t var_hint;                /* the slot var_set() last wrote (checked before use) */

	/* the free counts at the start of the last step shown, kept to be
	 * brought up to date zone by zone (view_snapshot_update()); valid for
	 * snap_m only, and not while a step is using it (snap_busy) */
	struct nr_free_snapshot *snap;
	const struct machine *snap_m;
	bool snap_valid, snap_busy;
	struct value last;              /* $_ */

	const char *src_name;           /* for "FILE:LINE: message" */
	unsigned src_line;
	bool from_argv;                 /* the command is kmemsh's own arguments (kmemsh replay
					 * TRACE): "kmemsh: CMD: message", as main.c's errors */
	int depth;                      /* `source` nesting */
	bool repeating;                 /* a `repeat` is running (one inside it, even by way of source, is refused) */
	const char *source_dir;         /* set (the fuzzer): `source` reads only plain names in it */
	struct lexed *lex;              /* the lexer's buffers (session.c), kept between lines */
	struct gfp_memo {               /* arg_gfp: the last GFP strings parsed, per profile */
		const void *kp;
		uint32_t mask;
		char text[40];
	} gfp_memo[4];
	unsigned gfp_memo_next;

	bool quit;
	unsigned ctx_blocks;            /* irq { } / softirq { } blocks open around the statement */
	struct pending_block *pending;  /* a block being read over several lines (session.c) */
	int status;                     /* 0 = all succeeded, 1 = a command failed */
	unsigned commands;              /* commands run */

	/* the statement being run, for error messages */
	const char *cur_cmd;
};

struct cmd;

/* What a command gives `NAME = COMMAND`: the runner refuses the assignment
 * before running a command that gives no value (it would run, then fail). */
enum cmd_yield {
	CMD_NO_VALUE,           /* kfree, sysctl, show ...: nothing to store */
	CMD_VALUE,              /* an address, a page, a number (perhaps NULL) */
	CMD_VALUE_NO_ARGS,      /* a value only without arguments (cpu; cpu N switches) */
};

/* argv[0] is the command's full name, also when it was typed as a prefix;
 * r arrives empty: no result line, value V_NONE */
typedef int (*cmd_fn)(struct session *s, int argc, char **argv, struct step_result *r);

/* completion kinds for arguments, one letter per argument position
 * (the last letter repeats): g GFP, o order, z zone, v variable/value,
 * a a live address the command takes back, m a km_type slot name (2.6.32),
 * s `show` subcommand, c command, f file, y sysctl, t setting, - none */
struct cmd {
	const char *name;
	const char *args;               /* synopsis, e.g. "GFP ORDER" */
	const char *summary;
	int min_args, max_args;         /* max -1: any */
	cmd_fn fn;
	const char *complete;
	const struct cmd *sub;          /* sub-table (show); NULL-name terminated */
	enum cmd_yield yields;          /* whether `NAME = COMMAND` may store its result */
};

extern const struct cmd cmd_table[];

/* Completion words of kind 'a' or 'm' for command cmd (its full name) from
 * the model's state, each passed to add() (complete.c). */
typedef void (*cli_word_fn)(void *arg, const char *word);
void cli_complete_words(const struct session *s, const char *cmd, char kind, cli_word_fn add, void *arg);
extern const struct cmd show_table[];
const struct cmd *cmd_find(const struct cmd *table, const char *name, const struct cmd **ambiguous2);

/* session life cycle */
int session_init(struct session *s, const struct machine_config *cfg, char *err, size_t errlen);
void session_free(struct session *s);

/* Run one line (statements separated by ';', '#' comments).  Returns 0 if
 * every statement succeeded, -1 otherwise (s->status is set to 1). */
int session_run_line(struct session *s, const char *line);
/* A line that ends with a block's '{' (irq {) opens a block that goes on
 * over the following lines: session_run_line() keeps them and runs the
 * whole block when its '}' comes.  session_block_pending(): the innermost
 * open block's name ("irq", "softirq") and *depth, or NULL when no block
 * is being read; session_block_abandon(): forget it, nothing run (Ctrl-C
 * at the continuation prompt); session_end_input(): the input ended: an
 * open block is an error naming the line where it opened, nothing of it
 * run (-1), else 0. */
const char *session_block_pending(const struct session *s, int *depth);
void session_block_abandon(struct session *s);
int session_end_input(struct session *s);
/* --check: after each command what it touched, every CHECK_FULL_EVERY
 * commands the whole model (session_check_step(), called by the
 * statement runner); session_check_end() checks the whole model once
 * more if commands ran since.  0, or -1 after the error (status 1). */
#define CHECK_FULL_EVERY 1000
int session_check_step(struct session *s, const char *cmd);
int session_check_end(struct session *s);

/* Run a stream as a script (no prompt); stops at the first failure unless
 * keep_going.  Returns 0 / -1. */
int session_run_stream(struct session *s, FILE *f, const char *name);

/* Interactive loop with readline; returns when the user quits or sends EOF. */
int session_repl(struct session *s);
/* Ctrl-C at the prompt sets this until the next prompt; long commands
 * (repeat) stop between two runs when it is set */
int repl_interrupted(void);
void repl_set_interrupted(int on);

/* errors: "FILE:LINE: cmd: message" (scripts) or "cmd: message" */
void session_error(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* variables: at most SESSION_MAX_VARS names (var_set: -ENOSPC beyond) */
#define SESSION_MAX_VARS 1048576
const struct value *var_get(const struct session *s, const char *name);
int var_set(struct session *s, const char *name, struct value v);

/* typed arguments: each reports its own error (naming the argument) and
 * returns -1 on failure */
int arg_u64(struct session *s, int idx, const char *text, const char *what, uint64_t max, uint64_t *out);
int arg_order(struct session *s, int idx, const char *text, unsigned *out);
int arg_gfp(struct session *s, int idx, const char *text, uint32_t *out);
/* SIZE: bytes with a K, M or G suffix (parse_size), or a $variable */
int arg_size(struct session *s, int idx, const char *text, uint64_t *out);
int arg_addr(struct session *s, int idx, const char *text, uint64_t *out);
/* any value: a number, an address, a page pointer or a pfn, with its kind */
int arg_value(struct session *s, int idx, const char *text, struct value *v);
int arg_page(struct session *s, int idx, const char *text, uint64_t *pfn);
int arg_pfn(struct session *s, int idx, const char *text, uint64_t *out);

/* the i-th file `cat` serves on this machine (/proc views, the kernel's
 * page-table dump, /proc/sys/vm/NAME), NULL past the end; the strings
 * stay valid (static) */
const char *cli_cat_file_at(const struct machine *m, size_t i);

/* print the list for --list-commands: "name args  summary" */
void cli_list_commands(FILE *f);

/* edit distance suggestion: the closest of names[] to word, or NULL */
const char *cli_suggest(const char *word, const char *const *names, size_t n);

#endif
