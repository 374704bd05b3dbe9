/*
 * csv.c: a streaming RFC 4180 reader: quoted fields with commas, quotes
 * and line breaks, CRLF or LF, a UTF-8 byte-order mark, blank lines.
 * It holds one record at a time, so a file of any size reads in bounded
 * memory, and it counts physical lines so errors can say where they are.
 */
#include <string.h>

#include "csv.h"
#include "escape.h"

enum {
	S_START,	/* at the start of a field */
	S_PLAIN,	/* inside an unquoted field */
	S_QUOTED,	/* inside quotes */
	S_QQ,		/* a quote inside quotes: closing, or the first of "" */
	S_CR		/* a CR outside quotes: the end of a record */
};

static const unsigned char	bom[3] = { 0xef, 0xbb, 0xbf };

void
csv_init(struct csv *c, csv_row_fn fn, void *arg)
{
	memset(c, 0, sizeof(*c));
	c->fn = fn;
	c->arg = arg;
	c->line = 1;
	c->start = 1;
	c->state = S_START;
	buf_init(&c->rec);
}

void
csv_free(struct csv *c)
{
	buf_free(&c->rec);
}

const char *
csv_err_code(enum csv_err e)
{
	switch (e) {
	case CSV_OK:
		return ("ok");
	case CSV_BAD_QUOTE:
		return ("bad_quote");
	case CSV_UNTERMINATED:
		return ("unterminated_quote");
	case CSV_TOO_LONG:
		return ("row_too_long");
	case CSV_TOO_MANY:
		return ("too_many_fields");
	case CSV_BAD_UTF8:
		return ("invalid_utf8");
	}
	return ("malformed");
}

static void
fail(struct csv *c, enum csv_err e)
{
	if (c->err == CSV_OK)
		c->err = e;
}

static void
add(struct csv *c, char ch)
{
	if (c->rec.len >= CSV_RECORD_MAX) {
		fail(c, CSV_TOO_LONG);
		return;
	}
	buf_addc(&c->rec, ch);
}

/* Ends the current field; the next one starts at the current offset. */
static void
field_end(struct csv *c)
{
	if (c->nfields >= CSV_FIELDS_MAX) {
		fail(c, CSV_TOO_MANY);
		c->rec.len = c->off[c->nfields];
		c->rec.data[c->rec.len] = '\0';
	} else {
		c->len[c->nfields] = c->rec.len - c->off[c->nfields];
		c->nfields++;
		/* The NUL is the field's terminator: it may exceed the cap. */
		buf_addc(&c->rec, '\0');
	}
	c->off[c->nfields] = c->rec.len;
	c->quoted = 0;
}

/* Ends the record: delivers it unless the line was blank. */
static void
record_end(struct csv *c)
{
	struct csv_row	row;
	size_t		i;
	int		blank;

	blank = c->nfields == 0 && c->rec.len == 0 && !c->quoted &&
	    c->err == CSV_OK;
	field_end(c);
	if (!blank && c->stop == 0) {
		memset(&row, 0, sizeof(row));
		for (i = 0; i < c->nfields; i++)
			c->ptr[i] = c->rec.data + c->off[i];
		row.line = c->start;
		row.nfields = c->nfields;
		row.field = c->ptr;
		row.len = c->len;
		row.err = c->err;
		for (i = 0; row.err == CSV_OK && i < c->nfields; i++) {
			if (!escape_utf8_valid(c->ptr[i], c->len[i])) {
				row.err = CSV_BAD_UTF8;
				row.bad_field = i;
			}
		}
		c->stop = c->fn(c->arg, &row);
	}
	c->rec.len = 0;
	c->rec.data[0] = '\0';
	c->nfields = 0;
	c->off[0] = 0;
	c->err = CSV_OK;
	c->quoted = 0;
	c->start = c->line;
	c->state = S_START;
}

/* A byte outside quotes that may end a field or a record. */
static int
separator(struct csv *c, char ch)
{
	switch (ch) {
	case ',':
		field_end(c);
		c->state = S_START;
		return (1);
	case '\n':
		c->line++;
		record_end(c);
		return (1);
	case '\r':
		c->state = S_CR;
		return (1);
	}
	return (0);
}

static void
step(struct csv *c, char ch)
{
	switch (c->state) {
	case S_CR:
		/* CRLF is one line end; a lone CR ends the record too. */
		c->line++;
		record_end(c);
		if (ch == '\n')
			return;
		step(c, ch);
		return;
	case S_START:
		if (ch == '"') {
			c->quoted = 1;
			c->state = S_QUOTED;
			return;
		}
		if (separator(c, ch))
			return;
		add(c, ch);
		c->state = S_PLAIN;
		return;
	case S_PLAIN:
		if (!separator(c, ch))
			add(c, ch);
		return;
	case S_QUOTED:
		if (ch == '"') {
			c->state = S_QQ;
			return;
		}
		if (ch == '\n')
			c->line++;
		add(c, ch);
		return;
	case S_QQ:
		if (ch == '"') {
			add(c, ch);
			c->state = S_QUOTED;
			return;
		}
		if (separator(c, ch))
			return;
		/* "ab"c: keep the text, but the row is malformed. */
		fail(c, CSV_BAD_QUOTE);
		add(c, ch);
		c->state = S_PLAIN;
		return;
	}
}

int
csv_feed(struct csv *c, const char *p, size_t n)
{
	size_t	i;
	int	k;

	for (i = 0; i < n && c->stop == 0; i++) {
		if (c->bom < 3) {
			if ((unsigned char)p[i] == bom[c->bom]) {
				c->bom++;
				continue;
			}
			/* Not a BOM after all: the bytes seen were data. */
			for (k = 0; k < c->bom; k++)
				step(c, (char)bom[k]);
			c->bom = 3;
		}
		step(c, p[i]);
	}
	return (c->stop);
}

int
csv_finish(struct csv *c)
{
	int	k;

	if (c->bom < 3) {
		for (k = 0; k < c->bom && c->stop == 0; k++)
			step(c, (char)bom[k]);
		c->bom = 3;
	}
	if (c->stop != 0)
		return (c->stop);
	switch (c->state) {
	case S_CR:
		c->line++;
		record_end(c);
		break;
	case S_QUOTED:
		fail(c, CSV_UNTERMINATED);
		record_end(c);
		break;
	case S_START:
		/* Nothing after the last line end is not a record. */
		if (c->nfields == 0 && c->rec.len == 0)
			break;
		record_end(c);
		break;
	default:
		record_end(c);
		break;
	}
	return (c->stop);
}

void
csv_field(struct buf *b, const char *s)
{
	const char	*p;
	int		 formula;

	if (s == NULL || *s == '\0')
		return;
	formula = strchr("=+-@\t\r", *s) != NULL;
	if (!formula && s[strcspn(s, ",\"\r\n")] == '\0') {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '"');
	if (formula)
		buf_addc(b, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}
