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
 * As exports write dates (ESR, e-learning platforms), the time of day
 * ignored and the date kept as written (no time-zone shift):
 * d-Mon-yyyy and dd-MON-yyyy (English month abbreviations, any case),
 * yyyy/mm/dd with an optional " HH:MM:SS", and ISO date-times
 * (YYYY-MM-DDTHH:MM[:SS[.frac]][Z|+hh:mm]).
 */
#define DATE_EXPORT	0x04
/* Every form an import takes. */
#define DATE_IMPORT	(DATE_ISO | DATE_UK | DATE_EXPORT)

/*
 * Parses s[0..n) as one of the formats in flags.  Returns 1 and fills out
 * for a real calendar date (no 31/02), 0 otherwise.  Years 1900-2999 only:
 * anything else in training records is a typo.
 */
int	date_parse(const char *s, size_t n, int flags, struct ymd *out);
int	date_valid(int y, int m, int d);
/*
 * A date typed as three fields, day, month and year (the NHS.UK date
 * input; spaces around each are allowed).  Returns 0 and fills out when
 * they make a real date; otherwise the DATE_PART_* bits of the fields
 * left empty, or DATE_NOT_REAL with the bits of the fields that are
 * wrong (not a number, no such month (a number or an English name, whole
 * or its first three letters), a year not of 4 digits, a day the
 * month does not have).
 */
#define DATE_PART_DAY	0x01
#define DATE_PART_MONTH	0x02
#define DATE_PART_YEAR	0x04
#define DATE_PARTS	(DATE_PART_DAY | DATE_PART_MONTH | DATE_PART_YEAR)
#define DATE_NOT_REAL	0x08
int	date_from_parts(const char *day, const char *month, const char *year,
	    struct ymd *out);
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


#endif
