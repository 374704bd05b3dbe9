/* test_pq.c: src/pq.c, the connection settings each kind of session gets. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "pq.h"

Test(pq, conninfo_adds_settings_to_keyword_strings)
{
	char	*s;

	s = pq_conninfo("host=/tmp/x dbname=ihtrack user=ihtrack_app",
	    "-c lock_timeout=5s");
	cr_assert_not_null(s);
	cr_assert(strstr(s, "host='/tmp/x'") != NULL, "%s", s);
	cr_assert(strstr(s, "dbname='ihtrack'") != NULL, "%s", s);
	cr_assert(strstr(s, "options='-c lock_timeout=5s'") != NULL, "%s", s);
	free(s);
}

Test(pq, conninfo_reads_uris_and_keeps_the_operators_options)
{
	char	*s;

	s = pq_conninfo("postgresql://u:p%27w@db.example:5433/ihtrack"
	    "?options=-c%20search_path%3Dx&sslmode=require",
	    PQ_SESSION_REQUEST);
	cr_assert_not_null(s);
	cr_assert(strstr(s, "host='db.example'") != NULL, "%s", s);
	cr_assert(strstr(s, "port='5433'") != NULL, "%s", s);
	cr_assert(strstr(s, "password='p\\'w'") != NULL, "quoted: %s", s);
	cr_assert(strstr(s, "sslmode='require'") != NULL, "%s", s);
	cr_assert(strstr(s, "options='-c search_path=x " PQ_SESSION_REQUEST
	    "'") != NULL, "%s", s);
	free(s);
	cr_assert_null(pq_conninfo("host='unterminated", "-c x=1"));
}
