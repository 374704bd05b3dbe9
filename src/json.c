/*
 * json.c: a streaming JSON writer into a struct buf.  It tracks commas per
 * nesting level so callers only say what they write, never punctuation.
 */
#include <stdio.h>
#include <stdlib.h>

#include "json.h"

void
json_init(struct json *j, struct buf *b)
{
	j->b = b;
	j->depth = 0;
	j->count[0] = 0;
}

void
json_quote(struct buf *b, const char *s)
{
	const unsigned char	*p;

	buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			/* '<' too, so JSON can never close a script element. */
			if (*p < 0x20 || *p == '<')
				buf_addf(b, "\\u%04x", *p);
			else
				buf_addc(b, (char)*p);
		}
	}
	buf_addc(b, '"');
}

static void
json_key(struct json *j, const char *key)
{
	if (j->count[j->depth]++ > 0)
		buf_addc(j->b, ',');
	if (key != NULL) {
		json_quote(j->b, key);
		buf_addc(j->b, ':');
	}
}

static void
json_push(struct json *j, const char *key, char open)
{
	json_key(j, key);
	buf_addc(j->b, open);
	if (++j->depth >= JSON_DEPTH_MAX)
		abort();
	j->count[j->depth] = 0;
}

void
json_object_open(struct json *j, const char *key)
{
	json_push(j, key, '{');
}

void
json_object_close(struct json *j)
{
	j->depth--;
	buf_addc(j->b, '}');
}

void
json_array_open(struct json *j, const char *key)
{
	json_push(j, key, '[');
}

void
json_array_close(struct json *j)
{
	j->depth--;
	buf_addc(j->b, ']');
}

void
json_string(struct json *j, const char *key, const char *val)
{
	json_key(j, key);
	if (val == NULL)
		buf_adds(j->b, "null");
	else
		json_quote(j->b, val);
}

void
json_int(struct json *j, const char *key, long long val)
{
	json_key(j, key);
	buf_addf(j->b, "%lld", val);
}

void
json_bool(struct json *j, const char *key, int val)
{
	json_key(j, key);
	buf_adds(j->b, val ? "true" : "false");
}

void
json_null(struct json *j, const char *key)
{
	json_key(j, key);
	buf_adds(j->b, "null");
}
