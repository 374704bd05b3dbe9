/* test_secret.c: src/secret.c, password hashing and tokens. */
#include <string.h>

#include <criterion/criterion.h>

#include "secret.h"

Test(password, round_trip_at_the_real_work_factor)
{
	char	h[PASSWORD_HASH_MAX];

	cr_assert_eq(secret_password_hash("correct horse", PASSWORD_ITERATIONS, h), 0);
	cr_assert(strncmp(h, "pbkdf2-sha256$600000$", 21) == 0);
	cr_assert(secret_password_verify("correct horse", h));
	cr_assert(!secret_password_verify("correct horsE", h));
	cr_assert(!secret_password_verify("", h));
}

Test(password, salted)
{
	char	a[PASSWORD_HASH_MAX], b[PASSWORD_HASH_MAX];

	cr_assert_eq(secret_password_hash("same", 1000, a), 0);
	cr_assert_eq(secret_password_hash("same", 1000, b), 0);
	cr_assert_str_neq(a, b);
	cr_assert(secret_password_verify("same", a) && secret_password_verify("same", b));
}

Test(password, malformed_stored_values_never_match)
{
	cr_assert(!secret_password_verify("x", NULL));
	cr_assert(!secret_password_verify("x", ""));
	cr_assert(!secret_password_verify("x", "plain"));
	cr_assert(!secret_password_verify("x", "pbkdf2-sha256$10$00$00"));
	cr_assert(!secret_password_verify("x", "pbkdf2-sha256$600000$zz$zz"));
	cr_assert(!secret_password_verify(NULL, "pbkdf2-sha256$600000$00$00"));
}

Test(token, fresh_tokens_differ_and_hash_is_sha256)
{
	char	a[TOKEN_HEX_LEN + 1], b[TOKEN_HEX_LEN + 1];
	char	h[TOKEN_HEX_LEN + 1];

	cr_assert_eq(secret_token_new(a), 0);
	cr_assert_eq(secret_token_new(b), 0);
	cr_assert_eq(strlen(a), TOKEN_HEX_LEN);
	cr_assert_str_neq(a, b);
	secret_token_hash("abc", h);
	cr_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
}

Test(secret, equal)
{
	cr_assert(secret_equal("abc", "abc"));
	cr_assert(!secret_equal("abc", "abd"));
	cr_assert(!secret_equal("abc", "abcd"));
	cr_assert(!secret_equal(NULL, "abc"));
	cr_assert(!secret_equal("abc", NULL));
}
