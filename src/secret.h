/*
 * secret.h: passwords and bearer/session tokens (OpenSSL).
 */
#ifndef IH_SECRET_H
#define IH_SECRET_H

#include <stddef.h>

/* OWASP Password Storage Cheat Sheet (2023+): PBKDF2-HMAC-SHA256. */
#define PASSWORD_ITERATIONS	600000
#define PASSWORD_HASH_MAX	128
#define TOKEN_HEX_LEN		64

/*
 * Hashes pw with a fresh random salt into out as
 * "pbkdf2-sha256$ITER$SALTHEX$HASHHEX".  Returns 0 on success.
 */
int	secret_password_hash(const char *pw, int iterations,
	    char out[PASSWORD_HASH_MAX]);
/* 1 when pw matches stored; 0 on mismatch or a malformed stored value. */
int	secret_password_verify(const char *pw, const char *stored);
/* A fresh random token: 32 bytes from RAND_bytes as 64 hex digits. */
int	secret_token_new(char out[TOKEN_HEX_LEN + 1]);
/* SHA-256 of s as 64 hex digits: what the database stores of a token. */
void	secret_token_hash(const char *s, char out[TOKEN_HEX_LEN + 1]);
/* Constant-time string equality; 0 when either is NULL. */
int	secret_equal(const char *a, const char *b);

#endif
