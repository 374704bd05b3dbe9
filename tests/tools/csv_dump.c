/*
 * csv_dump.c: reads CSV on stdin with src/csv.c and prints its records
 * as JSON, so that peer corpora (csv-spectrum) can be compared with their
 * expected output in node.  {"rows":[[...]],"errors":[{"line","code"}]}
 */
#include <stdio.h>
#include <stdlib.h>

#include "csv.h"
#include "json.h"

struct dump {
	struct json	rows;
	struct buf	rb;
	struct buf	eb;
	int		nerr;
};

static int
row(void *arg, const struct csv_row *r)
{
	struct dump	*d = arg;
	size_t		 i;

	if (r->err != CSV_OK) {
		buf_addf(&d->eb, "%s{\"line\":%zu,\"code\":\"%s\"}",
		    d->nerr++ ? "," : "", r->line, csv_err_code(r->err));
		return (0);
	}
	json_array_open(&d->rows, NULL);
	for (i = 0; i < r->nfields; i++)
		json_string(&d->rows, NULL, r->field[i]);
	json_array_close(&d->rows);
	return (0);
}

int
main(void)
{
	struct dump	d;
	struct csv	c;
	char		chunk[4096];
	size_t		n;

	buf_init(&d.rb);
	buf_init(&d.eb);
	d.nerr = 0;
	json_init(&d.rows, &d.rb);
	json_array_open(&d.rows, NULL);
	csv_init(&c, row, &d);
	/* Small odd chunks: records cross chunk boundaries. */
	while ((n = fread(chunk, 1, 7, stdin)) > 0)
		csv_feed(&c, chunk, n);
	csv_finish(&c);
	csv_free(&c);
	json_array_close(&d.rows);
	printf("{\"rows\":%s,\"errors\":[%s]}\n", d.rb.data, d.eb.data);
	buf_free(&d.rb);
	buf_free(&d.eb);
	return (0);
}
