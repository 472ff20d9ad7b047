/*
 * cmdline.c - the kernel command line's words: lib/cmdline.c next_arg()
 * and the loop of kernel/params.c parse_args() around it, with init/main.c
 * repair_env_string() giving each word back whole.  See cmdline.h.
 */
#include <ctype.h>
#include <string.h>

#include "kmemsh/cmdline.h"

static char *skip_spaces(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

void cmdline_iter_init(struct cmdline_iter *it, const char *cmdline, bool v6)
{
	size_t n = cmdline ? strlen(cmdline) : 0;
	if (n > sizeof it->buf - 1)
		n = sizeof it->buf - 1;
	memcpy(it->buf, cmdline ? cmdline : "", n);
	it->buf[n] = '\0';
	it->next = skip_spaces(it->buf);        /* parse_args(): "Chew leading spaces" */
	it->dashes = false;
	it->v6 = v6;
}

/* lib/cmdline.c next_arg() (6.x); v6 false: 2.6.32 kernel/params.c's */
static char *next_arg(char *args, char **param, char **val, bool v6)
{
	size_t i, equals = 0;
	bool in_quote = false, quoted = false;
	if (*args == '"') {
		args++;
		in_quote = quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (isspace((unsigned char)args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	if (!equals) {
		*val = NULL;
	} else {
		args[equals] = '\0';
		*val = args + equals + 1;
		if (**val == '"') {             /* "Don't include quotes in value." */
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"' && (v6 || equals))
		args[i - 1] = '\0';
	char *next;
	if (args[i]) {
		args[i] = '\0';
		next = args + i + 1;
	} else {
		next = args + i;
	}
	return skip_spaces(next);               /* "Chew up trailing spaces." */
}

/* init/main.c repair_env_string(): param=val or param="val" made whole */
static void repair_env_string(char *param, char *val)
{
	size_t n = strlen(param);
	if (!val)
		return;
	if (val == param + n + 1) {
		val[-1] = '=';
	} else if (val == param + n + 2) {
		val[-2] = '=';
		memmove(val - 1, val, strlen(val) + 1);
	}
}

bool cmdline_next(struct cmdline_iter *it, char **param, size_t *namelen, char **val)
{
	it->dashes = false;
	if (!*it->next)
		return false;
	char *p, *v;
	it->next = next_arg(it->next, &p, &v, it->v6);
	if (!v && it->v6 && strcmp(p, "--") == 0) {       /* parse_args(): "Stop at --" */
		it->dashes = true;
		return false;
	}
	size_t n = strlen(p);
	repair_env_string(p, v);
	*param = p;
	*namelen = n;
	*val = v ? p + n + 1 : NULL;
	return true;
}
