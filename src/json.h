/*
 * json.h: the one JSON writer.  Keys are NULL inside arrays.
 */
#ifndef IH_JSON_H
#define IH_JSON_H

#include "buf.h"

#define JSON_DEPTH_MAX	16

struct json {
	struct buf	*b;
	int		 depth;
	int		 count[JSON_DEPTH_MAX];
};

void	json_init(struct json *, struct buf *);
void	json_object_open(struct json *, const char *key);
void	json_object_close(struct json *);
void	json_array_open(struct json *, const char *key);
void	json_array_close(struct json *);
/* A NULL value writes null. */
void	json_string(struct json *, const char *key, const char *val);
void	json_int(struct json *, const char *key, long long val);
void	json_bool(struct json *, const char *key, int val);
void	json_null(struct json *, const char *key);
/* Appends s as a JSON string literal (quoted, escaped) to b. */
void	json_quote(struct buf *b, const char *s);

#endif
