/*
 * i18n.h - GNU gettext for kmemsh's explanatory layer only.
 *
 * What is translated: the one-line error messages, `set explain on`
 * narration and the help texts.  What is never translated: anything that
 * imitates the kernel (/proc and /sys files, dmesg, BUG/WARN reports, the
 * result lines such as `kmalloc(64, GFP_KERNEL) = 0x...`): those stay the
 * kernel's bytes in every locale.  In the C locale gettext() returns its
 * argument, so the English output is the msgid itself.
 *
 * _(s) translates now; N_(s) only marks s for xgettext (tables), the
 * reader calls _() on it.  Functions whose format argument is a msgid
 * (session_error, story.c's step, the model's model_err for the one-line
 * error of a refused call, ...) call _() themselves and are named as
 * xgettext keywords in the Makefile's pot target.  The model translates
 * only its errors (m->err) and hints: looking a format up in the catalogue
 * is not printing, and the kernel's own text (dmesg) never goes through _().
 * The help topics (help_topics.c, from kmemsh.7) are a msgid per paragraph.
 */
#ifndef KMEMSH_I18N_H
#define KMEMSH_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* The text domain; the catalogue is LOCALEDIR/LANG/LC_MESSAGES/kmemsh.mo. */
#define KMEMSH_TEXTDOMAIN "kmemsh"

/* setlocale(LC_CTYPE and LC_MESSAGES only: numbers, dates and collation
 * stay C so the kernel's formats never change) and bind the domain: to
 * DIR/locale next to the program when it is a directory (a build tree:
 * build/locale), else to the installed LOCALEDIR. */
void i18n_init(void);

#endif
