/*
 * i18n.c - the locale and the text domain (see kmemsh/i18n.h).
 *
 * Only LC_CTYPE (the charset gettext converts to, and readline's notion of
 * a character) and LC_MESSAGES (which catalogue) follow the environment;
 * LC_NUMERIC and the rest stay "C", so every number kmemsh prints keeps the
 * kernel's format whatever LANG says.
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmemsh/i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void i18n_init(void)
{
	static char dir[PATH_MAX];
	const char *localedir = LOCALEDIR;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if ((size_t)snprintf(dir, sizeof dir, "%s/locale", exe) < sizeof dir && is_dir(dir))
				localedir = dir;
		}
	}
	bindtextdomain(KMEMSH_TEXTDOMAIN, localedir);
	textdomain(KMEMSH_TEXTDOMAIN);
}
