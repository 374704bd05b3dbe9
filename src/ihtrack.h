/*
 * ihtrack.h: what the Kore-side files share: the per-request database
 * runner, replies, pages, forms and the identity of the caller.
 */
#ifndef IH_IHTRACK_H
#define IH_IHTRACK_H

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "acl.h"
#include "buf.h"

#define DB_NAME		"ihtrack"
#define RQ_QUERIES_MAX	16

/* What db_query() says. */
#define RQ_READY	1	/* result in *out (NULL for a command) */
#define RQ_WAIT		2	/* return KORE_RESULT_RETRY from the handler */
#define RQ_FAIL		3	/* the query failed: see rq->sqlstate */
#define RQ_REPLIED	4	/* a reply was sent already */

/*
 * A request's database work.  Kore re-enters a handler after every wake-up;
 * each pass asks for the same queries in the same order and db_query()
 * hands back the results it already holds, so a handler reads as straight
 * code (each pass starts with request_begin()).  Work that must not be
 * repeated (hashing, fresh tokens) goes in state, which the handler
 * allocates once and the request frees.
 */
struct request {
	struct kore_pgsql	 sql;
	int			 sql_live;	/* sql is bound and set up */
	int			 sent;		/* query nres is in flight */
	int			 ncall;		/* queries asked for this pass */
	int			 nres;
	PGresult		*res[RQ_QUERIES_MAX];
	char			 sqlstate[6];
	char			*errmsg;	/* kore_malloc'd */
	int			 populated;	/* form/query read */
	int			 multipart;	/* multipart form read */
	struct who		 who;
	void			*state;		/* handler's, kore_free'd */
	void			(*state_free)(void *);
};

/* request.c */
struct request	*request_get(struct http_request *);
struct request	*request_begin(struct http_request *);
void		*request_state(struct http_request *, size_t);

/* db.c */
int		 db_query(struct http_request *, PGresult **, const char *,
		    int, const char *const *);
int		 db_fail(struct http_request *);
int		 db_stop(struct http_request *, int);
const char	*db_url(void);
const char	*db_value(PGresult *, int, int);
int		 db_null(PGresult *, int, int);

/* verify.c: a password check off the worker (see verify_start). */
struct verify;
struct verify	*verify_start(struct http_request *, const char *,
		    const char *);
struct verify	*verify_hash_start(struct http_request *, const char *);
const char	*verify_hashed(struct verify *);
int		 verify_result(struct verify *);
void		 verify_release(struct verify *);

/* completions.c */
void		 completions_done_banner(struct buf *, const char *);

/* training.c */
int		 training_page(struct http_request *, struct who *);

/* reminder_pages.c */
void		 reminder_stage_words(struct buf *, const char *, int);

/* password_pages.c */
int		 password_send_link(struct http_request *, const char *,
		    long long, PGresult **);

/*
 * level_rules_save.c: a change of an organisation's (or the system's)
 * level rules, or its preview (issue 15, migration 0710), run on a task
 * thread: the caller keeps *job in its rq state and releases it there.
 */
struct level_rules_job;
struct level_rules_save_change {
	struct level_rules_job	**job;		/* the caller's: NULL at first */
	long long	 org_id;		/* 0: the system's rules */
	const char	*effective_from;	/* YYYY-MM-DD; NULL: today */
	size_t		 from_line;		/* its line in a file; 0: none */
	const char	*rules;			/* level_rules_json_add()'s */
	int		 dry;			/* a preview: nothing kept */
	int		 check_only;		/* errors found already */
	PGresult	*errors;		/* LEVEL_RULES_E_* columns */
	PGresult	*result;		/* LEVEL_RULES_R_* columns */
};
enum { LEVEL_RULES_E_LINE, LEVEL_RULES_E_COLUMN, LEVEL_RULES_E_CODE,
    LEVEL_RULES_E_MESSAGE, LEVEL_RULES_E_OTHER_LINE };
/* One row for each move; one with the levels NULL when nobody moves. */
enum { LEVEL_RULES_R_SET, LEVEL_RULES_R_FIRST, LEVEL_RULES_R_RULES,
    LEVEL_RULES_R_MOVED_ON, LEVEL_RULES_R_FROM_CODE, LEVEL_RULES_R_FROM,
    LEVEL_RULES_R_TO_CODE, LEVEL_RULES_R_TO, LEVEL_RULES_R_PEOPLE };
extern const char level_rules_summary[];
int		 level_rules_save_change(struct http_request *, const struct who *,
		    struct level_rules_save_change *);
void		 level_rules_save_release(struct level_rules_job *);

/* download.c: CSV downloads, streamed a page at a time. */
int		 download_csv(struct http_request *, const char *, const char *,
		    const char *, int, const char *const *, int, long long);

/* reply.c */
int		 reply_chunked(struct http_request *, int, const char *);
int		 reply(struct http_request *, int, const char *,
		    struct buf *);
int		 reply_asset(struct http_request *, const char *,
		    struct buf *);
int		 reply_json_error(struct http_request *, int, const char *);
int		 reply_error(struct http_request *, int, const char *);
int		 reply_redirect(struct http_request *, const char *);
int		 reply_wants_json(struct http_request *);
int		 reply_not_found(struct http_request *);
void		 reply_set_cookie(struct http_request *, const char *,
		    const char *, int);
int		 reply_redirect_with(struct http_request *, const char *,
		    const char *);

/* Errors found in a submitted form, shown as an NHS.UK error summary. */
#define FORM_ERRORS_MAX	8
struct form_errors {
	int	n;
	struct {
		const char	*field;		/* the input's id */
		const char	*msg;
	} e[FORM_ERRORS_MAX];
};

/*
 * A date from an NHS.UK date input NAME (fields NAME-day, NAME-month,
 * NAME-year; html_date_input() shows it), or from the one field NAME as
 * YYYY-MM-DD, as links and scripts send it.  form_date() fills it.
 */
struct form_date {
	const char	*day, *month, *year;	/* as typed, to show again */
	char		 iso[11];	/* YYYY-MM-DD; "" when none or wrong */
	int		 bad;		/* the DATE_PART_* fields in error */
	char		 field[32];	/* the first of them: its id */
	char		 msg[160];	/* the error; "" when none */
	char		 split[11];	/* NAME's parts, when it came whole */
};

/* html.c */
void		 html_page_begin(struct buf *, const char *, const struct who *);
void		 html_page_begin_print(struct buf *, const char *,
		    const struct who *, const char *);
void		 html_page_end(struct buf *);
void		 html_csrf_field(struct buf *, const struct who *);
void		 html_error_summary(struct buf *, const struct form_errors *);
void		 html_error_message(struct buf *, const char *, const char *);
void		 html_summary_row(struct buf *, const char *, const char *);
void		 html_back_link(struct buf *, const char *, const char *);
void		 html_narrow_begin(struct buf *, const char *,
		    const struct who *, const struct form_errors *,
		    const char *, const char *);
void		 html_narrow_end(struct buf *);
void		 html_home(enum role, const char *, char *, size_t);
void		 html_select(struct buf *, const struct form_errors *,
		    const char *, const char *, const char *const *,
		    const char *const *, int, const char *);
void		 html_select_as(struct buf *, const struct form_errors *,
		    const char *, const char *, const char *,
		    const char *const *, const char *const *, int,
		    const char *);
void		 html_text_input(struct buf *, const struct form_errors *,
		    const char *, const char *, const char *, const char *,
		    const char *);
void		 html_input_as(struct buf *, const struct form_errors *,
		    const char *, const char *, const char *, const char *,
		    const char *, const char *);
void		 html_date_input(struct buf *, const char *, const char *,
		    const char *, const struct form_date *);
void		 html_checkbox(struct buf *, const char *, const char *,
		    int);
void		 html_done(struct http_request *, struct buf *, const char *,
		    const char *const *, const char *const *, int);
void		 html_radios(struct buf *, const struct form_errors *,
		    const char *, const char *, const char *const *,
		    const char *const *, int, const char *);
void		 html_wide_begin(struct buf *, const char *,
		    const char *const *, int);
void		 html_wide_end(struct buf *);
void		 html_cell(struct buf *, const char *);
void		 html_select_rows(struct buf *, const struct form_errors *,
		    const char *, const char *, const char *, PGresult *,
		    const char *);
void		 html_textarea(struct buf *, const struct form_errors *,
		    const char *, const char *, const char *, int,
		    const char *);
void		 html_banner(struct buf *, const char *);

/* form.c */
const char	*form_get(struct http_request *, const char *);
int		 form_csrf_ok(struct http_request *, const char *);
int		 form_csrf_or_403(struct http_request *, const char *);
int		 form_multipart_csrf_or_403(struct http_request *,
		    const char *);
int		 form_presign(struct http_request *, struct who *);
int		 form_presign_ok(struct http_request *);
int		 form_v_text(struct http_request *, char *);
int		 form_v_list(struct http_request *, char *);
void		 form_join(struct http_request *, const char *,
		    struct buf *);
const char	*form_path_id(struct http_request *, const char *, char *, size_t);
void		 form_error_add(struct form_errors *, const char *,
		    const char *);
const char	*form_error_for(const struct form_errors *, const char *);
const char	*form_path_part(const char *, char *, size_t);
int		 form_get_all(struct http_request *, const char *,
		    const char **, int);
int		 form_type_is(struct http_request *, const char *);
int		 form_is_csv(struct http_request *);
int		 form_body(struct http_request *, struct buf *, size_t);
int		 form_flag(struct http_request *, const char *);
void		 form_populate_rows(struct http_request *);
int		 form_date(struct http_request *, struct form_errors *,
		    const char *, const char *, struct form_date *);
void		 form_date_error(struct form_errors *, const char *,
		    struct form_date *, const char *);
int		 form_date_done(struct http_request *, struct form_errors *,
		    const char *, const char *, const char *, const char *,
		    struct form_date *);
void		 form_date_shown(struct http_request *, const char *,
		    const char *, struct form_date *);

/* people_form.c: the parts the forms that change people share. */
extern const char people_form_levels[];
int		 people_form_start(struct http_request *, struct who **,
		    const char *);
void		 people_form_role(struct http_request *, struct buf *,
		    const struct form_errors *, PGresult *, int, const char *,
		    const char *, const char *);
void		 people_form_role_check(struct http_request *,
		    struct form_errors *);
int		 people_form_refused(PGresult *, int, struct form_errors *,
		    const char *, struct form_date *);

/* auth.c: RQ_READY with *who set (auth_who: role may be ROLE_NONE). */
int		 auth_who(struct http_request *, struct who **);
int		 auth_page(struct http_request *, struct who **);
int		 auth_api(struct http_request *, struct who **);
int		 auth_token(struct http_request *, struct who **);
int		 auth_start(struct http_request *, int,
		    int (*)(struct http_request *, struct who **), struct who **);
int		 auth_org_api(struct http_request *, const struct who *,
		    const char *, long long *);
const char	*auth_session_cookie(struct http_request *);

/* Security (issue 5): allowed methods, and who the client is. */
int		 reply_method_or_405(struct http_request *, int);
int		 client_init(void);
const char	*init_public_url(void);
void		 client_addr(struct http_request *, char *);	/* ADDR_MAX */
int		 client_tls(struct http_request *);

#define SESSION_COOKIE	"ihtrack_session"
#define PRESIGN_COOKIE	"ihtrack_presign"

#endif
