/*
 * secret.c: password hashing and tokens.  Only hashes of tokens are
 * stored, so a copy of the database grants no sign-in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "secret.h"

#define SALT_LEN	16
#define KEY_LEN		32

static void
hex(const unsigned char *p, size_t n, char *out)
{
	static const char	digits[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

static int
unhex(const char *s, size_t slen, unsigned char *out, size_t n)
{
	size_t	i;
	int	hi, lo;

	if (slen != 2 * n)
		return (0);
	for (i = 0; i < n; i++) {
		hi = OPENSSL_hexchar2int((unsigned char)s[2 * i]);
		lo = OPENSSL_hexchar2int((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return (0);
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return (1);
}

static int
derive(const char *pw, const unsigned char *salt, int iter,
    unsigned char key[KEY_LEN])
{
	return (PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), salt, SALT_LEN, iter,
	    EVP_sha256(), KEY_LEN, key) == 1);
}

int
secret_password_hash(const char *pw, int iter, char out[PASSWORD_HASH_MAX])
{
	unsigned char	salt[SALT_LEN], key[KEY_LEN];
	char		salthex[2 * SALT_LEN + 1], keyhex[2 * KEY_LEN + 1];

	if (RAND_bytes(salt, sizeof(salt)) != 1 || !derive(pw, salt, iter, key))
		return (-1);
	hex(salt, sizeof(salt), salthex);
	hex(key, sizeof(key), keyhex);
	OPENSSL_cleanse(key, sizeof(key));
	snprintf(out, PASSWORD_HASH_MAX, "pbkdf2-sha256$%d$%s$%s", iter,
	    salthex, keyhex);
	return (0);
}

int
secret_password_verify(const char *pw, const char *stored)
{
	unsigned char	 salt[SALT_LEN], want[KEY_LEN], got[KEY_LEN];
	const char	*p, *s, *h;
	char		*end;
	long		 iter;
	int		 ok;

	if (pw == NULL || stored == NULL ||
	    strncmp(stored, "pbkdf2-sha256$", 14) != 0)
		return (0);
	p = stored + 14;
	iter = strtol(p, &end, 10);
	if (end == p || *end != '$' || iter < 1000 || iter > 10000000)
		return (0);
	s = end + 1;
	if ((h = strchr(s, '$')) == NULL)
		return (0);
	if (!unhex(s, (size_t)(h - s), salt, SALT_LEN) ||
	    !unhex(h + 1, strlen(h + 1), want, KEY_LEN))
		return (0);
	if (!derive(pw, salt, (int)iter, got))
		return (0);
	ok = CRYPTO_memcmp(want, got, KEY_LEN) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return (ok);
}

int
secret_token_new(char out[TOKEN_HEX_LEN + 1])
{
	unsigned char	raw[TOKEN_HEX_LEN / 2];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return (-1);
	hex(raw, sizeof(raw), out);
	return (0);
}

void
secret_token_hash(const char *s, char out[TOKEN_HEX_LEN + 1])
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen;

	if (EVP_Digest(s, strlen(s), md, &mdlen, EVP_sha256(), NULL) != 1)
		abort();
	hex(md, mdlen, out);
}

int
secret_equal(const char *a, const char *b)
{
	size_t	n;

	if (a == NULL || b == NULL)
		return (0);
	n = strlen(a);
	if (n != strlen(b))
		return (0);
	return (CRYPTO_memcmp(a, b, n) == 0);
}
