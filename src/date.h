/*
 * date.h: calendar dates as untrusted input meets them.
 */
#ifndef IH_DATE_H
#define IH_DATE_H

#include <stddef.h>

struct ymd {
	int	y, m, d;
};

#define DATE_ISO	0x01	/* YYYY-MM-DD */
#define DATE_UK		0x02	/* dd/mm/yyyy (d and m may be one digit) */

/*
 * Parses s[0..n) as one of the formats in flags.  Returns 1 and fills out
 * for a real calendar date (no 31/02), 0 otherwise.  Years 1900-2999 only:
 * anything else in training records is a typo.
 */
int	date_parse(const char *s, size_t n, int flags, struct ymd *out);
int	date_valid(int y, int m, int d);
/* Days since 1970-01-01 (negative before), and back. */
long	date_days(const struct ymd *);
void	date_from_days(long, struct ymd *);
/*
 * The day n calendar months after day, as PostgreSQL's date + interval
 * 'n months' computes it: the same day of the month, or the month's last.
 */
long	date_add_months(long day, int n);
/* YYYY-MM-DD into out (11 bytes). */
void	date_format(const struct ymd *, char out[11]);
/* Today in the server's local time zone. */
void	date_today(struct ymd *);
int	date_cmp(const struct ymd *, const struct ymd *);

/* "Jan" to "Dec" for m 1 to 12 (English, as pages and mail headers). */
const char	*date_month_abbr(int m);
/* "30 Nov 2026" into out: how pages show a date (CSV and JSON keep ISO). */
#define DATE_WORDS_MAX	12
void	date_words(const struct ymd *, char out[DATE_WORDS_MAX]);
/* The same for an ISO date string; anything else is copied (cut short). */
void	date_words_iso(const char *, char out[DATE_WORDS_MAX]);
/*
 * The n quarter ends (31 Mar, 30 Jun, 30 Sep, 31 Dec) on or before day,
 * oldest first, into out[0..n).
 */
void	date_quarter_ends(const struct ymd *day, int n, struct ymd *out);

/*
 * A date typed as day, month and year (the design system's date input).
 * Parts are trimmed; the month may be a number or an English month name,
 * whole or its first three letters.  *bad gets the DATE_PART_* bits of
 * the parts to mark as wrong.
 */
#define DATE_PART_DAY	0x01
#define DATE_PART_MONTH	0x02
#define DATE_PART_YEAR	0x04
#define DATE_PARTS_ALL	0x07
enum date_parts {
	DATE_PARTS_OK,		/* *out is the date */
	DATE_PARTS_EMPTY,	/* nothing typed */
	DATE_PARTS_MISSING,	/* *bad: the parts left empty */
	DATE_PARTS_YEAR,	/* the year is not 4 digits */
	DATE_PARTS_NOT_REAL	/* *bad: the parts that make it no date */
};
enum date_parts	date_parts(const char *day, const char *month,
		    const char *year, struct ymd *out, int *bad);

#endif
