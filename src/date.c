/*
 * date.c: parsing and checking dates from forms, query strings and CSV.
 * Arithmetic on validity periods stays in PostgreSQL so that reports use
 * one definition of "N months later".
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "date.h"

static const char *const	month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static int
digits(const char *s, size_t n, int *out)
{
	size_t	i;
	int	v;

	if (n == 0)
		return (0);
	for (v = 0, i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return (1);
}

int
date_valid(int y, int m, int d)
{
	static const int	mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			leap, max;

	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return (0);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	max = mdays[m - 1] + (m == 2 && leap);
	return (d <= max);
}

static int
parse_iso(const char *s, size_t n, struct ymd *out)
{
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	return (digits(s, 4, &out->y) && digits(s + 5, 2, &out->m) &&
	    digits(s + 8, 2, &out->d));
}

static int
parse_uk(const char *s, size_t n, struct ymd *out)
{
	size_t	a, b;

	for (a = 0; a < n && s[a] != '/'; a++)
		;
	for (b = a + 1; b < n && s[b] != '/'; b++)
		;
	if (a == 0 || a > 2 || b >= n || b - a - 1 == 0 || b - a - 1 > 2)
		return (0);
	if (n - b - 1 != 4)
		return (0);
	return (digits(s, a, &out->d) && digits(s + a + 1, b - a - 1,
	    &out->m) && digits(s + b + 1, 4, &out->y));
}

/* A month as a number or a name: 1 to 12, 0 when it is neither. */
static int
month_of(const char *s, size_t n)
{
	int	i, m;

	if (n <= 2 && digits(s, n, &m))
		return (m >= 1 && m <= 12 ? m : 0);
	for (i = 0; i < 12; i++) {
		if ((n == 3 || n == strlen(month_names[i])) &&
		    strncasecmp(s, month_names[i], n) == 0)
			return (i + 1);
	}
	return (0);
}

/* d-Mon-yyyy or dd-MON-yyyy: 01-Apr-2023, 15-JAN-2024, 3-sep-2025. */
static int
parse_mon(const char *s, size_t n, struct ymd *out)
{
	size_t	a;

	for (a = 0; a < n && s[a] != '-'; a++)
		;
	if (a == 0 || a > 2 || n != a + 9 || s[a + 4] != '-')
		return (0);
	/* Letters only: month_of() takes 1 to 12 as digits too. */
	if (s[a + 1] >= '0' && s[a + 1] <= '9')
		return (0);
	if ((out->m = month_of(s + a + 1, 3)) == 0)
		return (0);
	return (digits(s, a, &out->d) && digits(s + a + 5, 4, &out->y));
}

/* A time of day after the date, which is ignored: HH:MM[:SS[.frac]]. */
static int
clock_time(const char *s, size_t n)
{
	size_t	i;
	int	v;

	if (n < 5 || !digits(s, 2, &v) || v > 23 || s[2] != ':' ||
	    !digits(s + 3, 2, &v) || v > 59)
		return (0);
	if (n == 5)
		return (1);
	if (s[5] != ':' || n < 8 || !digits(s + 6, 2, &v) || v > 60)
		return (0);
	if (n == 8)
		return (1);
	if (s[8] != '.' || n == 9)
		return (0);
	for (i = 9; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	return (1);
}

/* yyyy/mm/dd, optionally with " HH:MM:SS": 2025/12/02 00:00:00. */
static int
parse_slash_ymd(const char *s, size_t n, struct ymd *out)
{
	if (n < 10 || s[4] != '/' || s[7] != '/' || (n > 10 &&
	    (s[10] != ' ' || !clock_time(s + 11, n - 11))))
		return (0);
	return (digits(s, 4, &out->y) && digits(s + 5, 2, &out->m) &&
	    digits(s + 8, 2, &out->d));
}

/* An ISO date-time: 2025-03-05T10:00:00Z, 2025-03-05T10:00+01:00. */
static int
parse_iso_time(const char *s, size_t n, struct ymd *out)
{
	size_t	end = n;
	int	v;

	if (n < 16 || (s[10] != 'T' && s[10] != 't') ||
	    !parse_iso(s, 10, out))
		return (0);
	if (s[n - 1] == 'Z' || s[n - 1] == 'z')
		end = n - 1;
	else if (n >= 22 && (s[n - 6] == '+' || s[n - 6] == '-') &&
	    s[n - 3] == ':' && digits(s + n - 5, 2, &v) && v <= 14 &&
	    digits(s + n - 2, 2, &v) && v <= 59)
		end = n - 6;
	return (clock_time(s + 11, end - 11));
}

int
date_parse(const char *s, size_t n, int flags, struct ymd *out)
{
	struct ymd	t;

	if ((flags & DATE_ISO) && parse_iso(s, n, &t))
		;
	else if ((flags & DATE_UK) && parse_uk(s, n, &t))
		;
	else if ((flags & DATE_EXPORT) && (parse_mon(s, n, &t) ||
	    parse_slash_ymd(s, n, &t) || parse_iso_time(s, n, &t)))
		;
	else
		return (0);

	if (!date_valid(t.y, t.m, t.d))
		return (0);
	*out = t;
	return (1);
}

/* s without the spaces around it, as [*start, *start + *n). */
static void
trim(const char *s, const char **start, size_t *n)
{
	size_t	len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*start = s;
	*n = len;
}

int
date_from_parts(const char *day, const char *month, const char *year,
    struct ymd *out)
{
	const char	*s[3];
	size_t		 n[3];
	struct ymd	 t;
	int		 empty, wrong;

	trim(day, &s[0], &n[0]);
	trim(month, &s[1], &n[1]);
	trim(year, &s[2], &n[2]);
	empty = (n[0] == 0 ? DATE_PART_DAY : 0) |
	    (n[1] == 0 ? DATE_PART_MONTH : 0) | (n[2] == 0 ? DATE_PART_YEAR : 0);
	if (empty != 0)
		return (empty);
	wrong = 0;
	if (n[0] > 2 || !digits(s[0], n[0], &t.d) || t.d < 1 || t.d > 31)
		wrong |= DATE_PART_DAY;
	if ((t.m = month_of(s[1], n[1])) == 0)
		wrong |= DATE_PART_MONTH;
	if (n[2] != 4 || !digits(s[2], n[2], &t.y) || t.y < 1900 ||
	    t.y > 2999)
		wrong |= DATE_PART_YEAR;
	if (wrong == 0 && !date_valid(t.y, t.m, t.d))
		wrong = DATE_PART_DAY;
	if (wrong != 0)
		return (DATE_NOT_REAL | wrong);
	*out = t;
	return (0);
}

/* Howard Hinnant's days_from_civil. */
long
date_days(const struct ymd *t)
{
	long		y, era, yoe, doy, doe;
	unsigned	m, d;

	y = t->y - (t->m <= 2);
	m = (unsigned)t->m;
	d = (unsigned)t->d;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

void
date_from_days(long z, struct ymd *out)
{
	long		era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->m = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->y = (int)(yoe + era * 400 + (out->m <= 2));
}

long
date_add_months(long day, int n)
{
	struct ymd	t;
	int		months;

	date_from_days(day, &t);
	months = t.y * 12 + (t.m - 1) + n;
	t.y = months / 12;
	t.m = months % 12 + 1;
	while (t.d > 28 && !date_valid(t.y, t.m, t.d))
		t.d--;
	return (date_days(&t));
}

void
date_format(const struct ymd *t, char out[11])
{
	unsigned	y = (unsigned)t->y % 10000u, m = (unsigned)t->m % 100u;
	unsigned	d = (unsigned)t->d % 100u;

	/* What "%04u-%02u-%02u" writes; imports format a million. */
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

void
date_today(struct ymd *out)
{
	time_t		now;
	struct tm	tm;

	now = time(NULL);
	localtime_r(&now, &tm);
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
}

int
date_cmp(const struct ymd *a, const struct ymd *b)
{
	long	x, y;

	x = date_days(a);
	y = date_days(b);
	return ((x > y) - (x < y));
}

const char *
date_month_abbr(int m)
{
	static const char *const	abbr[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};

	return (m >= 1 && m <= 12 ? abbr[m - 1] : "?");
}

void
date_words(const struct ymd *t, char out[DATE_WORDS_MAX])
{
	snprintf(out, DATE_WORDS_MAX, "%d %s %04d", t->d % 100,
	    date_month_abbr(t->m), t->y % 10000);
}

void
date_words_iso(const char *s, char out[DATE_WORDS_MAX])
{
	struct ymd	t;

	if (date_parse(s, strlen(s), DATE_ISO, &t))
		date_words(&t, out);
	else
		snprintf(out, DATE_WORDS_MAX, "%s", s);
}

static int
month_last_day(int y, int m)
{
	int	d;

	for (d = 31; !date_valid(y, m, d); d--)
		;
	return (d);
}

void
date_quarter_ends(const struct ymd *day, int n, struct ymd *out)
{
	struct ymd	q;
	int		i;

	/* The end of day's quarter, or of the one before when still to come. */
	q.y = day->y;
	q.m = (day->m + 2) / 3 * 3;
	if (q.m != day->m || day->d != month_last_day(day->y, day->m)) {
		q.m -= 3;
		if (q.m == 0) {
			q.m = 12;
			q.y--;
		}
	}
	for (i = n - 1; i >= 0; i--) {
		q.d = month_last_day(q.y, q.m);
		out[i] = q;
		q.m -= 3;
		if (q.m == 0) {
			q.m = 12;
			q.y--;
		}
	}
}
