/*
 * password_rules.h: what a new password must be, said in words a person
 * can act on.  Pure (cracklib, no Kore), so the rules are unit-tested.
 */
#ifndef IH_PASSWORD_RULES_H
#define IH_PASSWORD_RULES_H

#define PASSWORD_MIN_CHARS	12
#define PASSWORD_MAX_CHARS	128

/*
 * NULL when pw may be used by the account with this email (and person's
 * name, or NULL); otherwise why not, as a sentence for the form: too
 * short or long (counted in characters, not bytes), containing the
 * email's local part, or found weak by Debian's cracklib (a dictionary
 * word, too simple, too few different characters, ...).
 */
const char	*password_problem(const char *pw, const char *email,
		    const char *name);

#endif
