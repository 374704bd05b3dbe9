/*
 * buf.h: a growable byte buffer, the one output type of every writer
 * (HTML, JSON, CSV) so that pure code can be tested without Kore.
 */
#ifndef IH_BUF_H
#define IH_BUF_H

#include <stddef.h>

struct buf {
	char	*data;		/* NUL-terminated; owned by the buf */
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
/* A number in decimal: what buf_addf("%lld") writes, a row at a time. */
void	 buf_addll(struct buf *, long long);
void	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Hands the data to the caller, who free()s it; the buf is left empty. */
char	*buf_release(struct buf *, size_t *);

#endif
