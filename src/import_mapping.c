/*
 * import_mapping.c: a saved column mapping applied to a file's header
 * line (see import_mapping.h).  A header line has at most 64 fields and
 * a mapping at most 64 pairs: a linear search is all it needs.
 */
#include <string.h>
#include <strings.h>

#include "import_mapping.h"
#include "import_rules.h"

void
import_mapping_init(struct import_mapping *m)
{
	m->n = 0;
	buf_init(&m->text);
}

void
import_mapping_free(struct import_mapping *m)
{
	buf_free(&m->text);
	m->n = 0;
}

int
import_mapping_add(struct import_mapping *m, const char *their,
    size_t their_len, const char *ours, size_t ours_len)
{
	struct import_mapping_pair	*p;

	import_rules_trim(&their, &their_len);
	if (m->n == IMPORT_MAPPING_MAX ||
	    their_len > IMPORT_MAPPING_HEADER_MAX)
		return (0);
	p = &m->pair[m->n++];
	p->from = m->text.len;
	p->from_len = their_len;
	buf_add(&m->text, their, their_len);
	buf_addc(&m->text, '\0');
	p->to = m->text.len;
	p->to_len = ours_len;
	buf_add(&m->text, ours, ours_len);
	buf_addc(&m->text, '\0');
	return (1);
}

void
import_mapping_apply(const struct import_mapping *m,
    const struct csv_row *in, struct csv_row *out, const char **field,
    size_t *len)
{
	const struct import_mapping_pair	*p;
	const char				*s;
	size_t					 i, k, n;

	*out = *in;
	for (i = 0; i < in->nfields; i++) {
		field[i] = in->field[i];
		len[i] = in->len[i];
		s = in->field[i];
		n = in->len[i];
		import_rules_trim(&s, &n);
		for (k = 0; k < m->n; k++) {
			p = &m->pair[k];
			if (p->from_len == n && strncasecmp(m->text.data +
			    p->from, s, n) == 0) {
				field[i] = m->text.data + p->to;
				len[i] = p->to_len;
				break;
			}
		}
	}
	out->field = field;
	out->len = len;
}

int
import_mapping_column(int kind, const char *header, size_t n)
{
	const struct import_column	*c;
	size_t				 nc, i;

	import_rules_trim(&header, &n);
	c = import_columns(kind, &nc);
	for (i = 0; i < nc; i++) {
		if (strlen(c[i].name) == n &&
		    strncasecmp(c[i].name, header, n) == 0)
			return ((int)i);
	}
	return (-1);
}

void
import_mapping_columns_sql(struct buf *b, int kind)
{
	const struct import_column	*c;
	size_t				 nc, i;

	c = import_columns(kind, &nc);
	buf_addc(b, '{');
	for (i = 0; i < nc; i++) {
		if (i > 0)
			buf_addc(b, ',');
		buf_adds(b, c[i].name);
	}
	buf_addc(b, '}');
}
