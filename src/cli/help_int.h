/*
 * help_int.h - what `help` teaches beyond the command table's one line
 * (help_docs.c): per command the kernel prototype, the kernel function and
 * file it follows in each modelled kernel, an example and related
 * commands; and the kernel calls kmemsh does not model yet.
 */
#ifndef KMEMSH_HELP_INT_H
#define KMEMSH_HELP_INT_H

#include <stdbool.h>

enum help_group {
	HG_PAGES, HG_RECLAIM, HG_SLAB, HG_VMALLOC, HG_ADDR, HG_HIGHMEM, HG_IO, HG_CONTENTS, HG_CONTEXT, HG_VIEWS,
	HG_SESSION, HG_COUNT
};

struct help_group_name {
	const char *key;                /* help KEY (no command has the name) */
	const char *title;
};
extern const struct help_group_name help_groups[HG_COUNT];
/* where a group's effect shows: the kernel's /proc or debugfs view, kmemsh's show view (DUMP: the
 * machine's kernel's page-table dump path) */
extern const char *const help_group_views[HG_COUNT];

struct cmd_doc {
	const char *name;
	enum help_group group;
	const char *proto;              /* the kernel's prototype (6.13), or what the command plays */
	const char *proto_old;          /* 2.6.32's when it differs; "" when 2.6.32 has none */
	const char *src_new, *src_old;  /* the kernel function and file followed, per kernel; NULL: the shell's own */
	const char *example;            /* statements, run by the tests */
	const char *related;            /* command names, space-separated */
};

/* one per command of cmd_table, sorted the same way; NULL-name terminated */
extern const struct cmd_doc cmd_docs[];

struct not_modelled {
	const char *name;               /* what the learner types */
	const char *text;               /* one line: what it is and what to use */
};
extern const struct not_modelled not_modelled[];

const struct cmd_doc *help_doc(const char *name);
/* the one-line pointer for a kernel call kmemsh lacks, or NULL */
const char *help_not_modelled(const char *name);

/* help TOPIC: the opening text of a kmemsh.7 section (help_topics.c,
 * generated from the man page by tests/gen-topics.sh), a paragraph at a
 * time.  Each paragraph's text is a msgid: help prints its translation,
 * rewrapped at HELP_TOPIC_WIDTH columns with the spaces inside a line kept,
 * which for the English text gives back mandoc's lines exactly. */
#define HELP_TOPIC_WIDTH 75
struct help_para {
	const char *tag;                /* a tagged item's tag ("DMA"), not translated; or NULL */
	int indent;                     /* the column the item's text starts at */
	bool display;                   /* a table or a formula: printed line by line as it is */
	const char *text;               /* N_(): joined lines; NULL ends the list */
};
struct help_topic {
	const char *name;               /* help NAME */
	const char *section;            /* the kmemsh.7 section */
	const struct help_para *paras;
	const char *subsections;        /* "A; B": the rest of the section */
};
extern const struct help_topic help_topics[];

/* what one gfp_t bit asks for, by its name (__GFP_IO, GFP_IO or IO); NULL if unknown */
const char *help_gfp_bit(const char *name);

#endif
