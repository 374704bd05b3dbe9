/* test_password_rules.c: src/password_rules.c, what a new password must be. */
#include <criterion/criterion.h>
#include <string.h>

#include "password_rules.h"

Test(password_rules, length_in_characters)
{
	char	long_pw[200];

	cr_assert_str_eq(password_problem("short one", "a@b.org", NULL),
	    "Your password must be at least 12 characters long");
	/* Twelve characters of two bytes each: long enough. */
	cr_assert_null(password_problem("\xc3\xa9t\xc3\xa9 \xc3\xa0 "
	    "l\xc3\xa0-bas zz", "a@b.org", NULL));
	memset(long_pw, 'k', 129);
	long_pw[129] = '\0';
	cr_assert_str_eq(password_problem(long_pw, "a@b.org", NULL),
	    "Your password must be 128 characters or fewer");
	cr_assert_str_eq(password_problem(NULL, "a@b.org", NULL),
	    "Your password must be at least 12 characters long");
}

Test(password_rules, not_the_email)
{
	cr_assert_str_eq(password_problem("my Asha.Begum password",
	    "asha.begum@nhs.net", NULL),
	    "Your password must not contain your email address");
	/* A local part of one or two letters is no clue. */
	cr_assert_null(password_problem("lantern orchid hedgehog",
	    "an@nhs.net", NULL));
}

Test(password_rules, weak_ones_say_why)
{
	cr_assert(strstr(password_problem("password123456", "x@y.org", NULL),
	    "simple pattern") != NULL);
	cr_assert(strstr(password_problem("aaaaaaaaaaaaaa", "x@y.org", NULL),
	    "too few characters") != NULL);
	cr_assert_null(password_problem("correct horse battery staple",
	    "x@y.org", NULL));
	cr_assert_null(password_problem("inclusion-health-demo", "x@y.org",
	    NULL), "the demo password is allowed");
}

Test(password_rules, not_text)
{
	cr_assert_str_eq(password_problem("abcdefghijkl\xff", "x@y.org", NULL),
	    "Your password contains characters that cannot be typed. Use "
	    "letters, numbers, spaces and punctuation");
}
