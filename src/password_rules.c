/*
 * password_rules.c: the rules of a new password (see password_rules.h).
 * Length follows NIST SP 800-63B (long passphrases welcome, no
 * composition rules); weakness is cracklib's judgement, against the
 * dictionary Debian's cracklib-runtime builds.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <crack.h>

#include "escape.h"
#include "password_rules.h"

/* cracklib's reasons, and what a person should do about each. */
static const struct {
	const char	*cracklib;	/* the start of cracklib's message */
	const char	*say;
} reasons[] = {
	{ "it is based on a dictionary word", "Your password is based on "
	    "a dictionary word. Use three or four words that do not go "
	    "together, or a longer phrase" },
	{ "it is based on a (reversed) dictionary word", "Your password is "
	    "a dictionary word written backwards. Use three or four words "
	    "that do not go together" },
	{ "it is based on your username", "Your password is based on your "
	    "name or email address. Choose one nobody could guess from them" },
	{ "it is based upon your password entry", "Your password is based on "
	    "your name or email address. Choose one nobody could guess from "
	    "them" },
	{ "it does not contain enough DIFFERENT characters", "Your password "
	    "repeats too few characters. Use more different letters, or "
	    "words" },
	{ "it is too simplistic/systematic", "Your password follows a simple "
	    "pattern (like 123456 or qwerty). Use words that do not go "
	    "together instead" },
	{ "it is all whitespace", "Your password is only spaces. Use words "
	    "or characters" },
	{ "it looks like a National Insurance number.", "Your password looks "
	    "like a National Insurance number. Choose something else" },
};

#define MSG_WEAK	"Your password is too easy to guess. Use three or " \
			"four words that do not go together, or a longer phrase"

/* Characters, not bytes: a long phrase in any script counts fairly. */
static size_t
chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

/* 1 when needle (n bytes) appears in hay, ignoring ASCII case. */
static int
contains_nocase(const char *hay, const char *needle, size_t n)
{
	size_t	i, h;

	h = strlen(hay);
	for (i = 0; n > 0 && i + n <= h; i++) {
		if (strncasecmp(hay + i, needle, n) == 0)
			return (1);
	}
	return (0);
}

const char *
password_problem(const char *pw, const char *email, const char *name)
{
	const char	*at, *why;
	char		 user[128];
	size_t		 n, i;

	if (pw == NULL || chars(pw) < PASSWORD_MIN_CHARS)
		return ("Your password must be at least 12 characters long");
	if (chars(pw) > PASSWORD_MAX_CHARS)
		return ("Your password must be 128 characters or fewer");
	if (!escape_utf8_valid(pw, strlen(pw)))
		return ("Your password contains characters that cannot be "
		    "typed. Use letters, numbers, spaces and punctuation");
	/* The local part, when it is long enough to be a real clue. */
	user[0] = '\0';
	if (email != NULL && (at = strrchr(email, '@')) != NULL) {
		n = (size_t)(at - email);
		if (n >= 3 && contains_nocase(pw, email, n))
			return ("Your password must not contain your email "
			    "address");
		if (n >= sizeof(user))
			n = sizeof(user) - 1;
		for (i = 0; i < n; i++)
			user[i] = (char)tolower((unsigned char)email[i]);
		user[n] = '\0';
	}
	why = FascistCheckUser(pw, GetDefaultCracklibDict(), user,
	    name != NULL ? name : "");
	if (why == NULL)
		return (NULL);
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		if (strncmp(why, reasons[i].cracklib,
		    strlen(reasons[i].cracklib)) == 0)
			return (reasons[i].say);
	}
	return (MSG_WEAK);
}
