/*
 * html.c: the page frame, in the NHS.UK design system's markup
 * (nhsuk-frontend, served from /assets/).  Pages write their content
 * between html_page_begin() and html_page_end().
 */
#include <string.h>

#include "date.h"
#include "escape.h"
#include "ihtrack.h"

void
html_csrf_field(struct buf *b, const struct who *w)
{
	buf_adds(b, "<input type=\"hidden\" name=\"csrf_token\" value=\"");
	escape_html(b, w->csrf);
	buf_adds(b, "\">");
}

static void
nav_item(struct buf *b, const char *href, const char *code, const char *text)
{
	buf_adds(b, "<li class=\"nhsuk-header__navigation-item\">"
	    "<a class=\"nhsuk-header__navigation-link\" href=\"");
	escape_html(b, href);
	if (code != NULL)
		escape_html(b, code);
	buf_adds(b, "\">");
	escape_html(b, text);
	buf_adds(b, "</a></li>");
}

/*
 * The pages a signed-in person may open, as the header's menu: leads
 * would otherwise have to know the addresses of their reports and
 * imports.  acl.c decides, as it does for the pages themselves.
 */
static void
navigation(struct buf *b, const struct who *w)
{
	struct buf	items;

	buf_init(&items);
	if (acl_allows(w, ACT_OWN_TRAINING, 0))
		nav_item(&items, "/my-training", NULL, "My training");
	if (acl_allows(w, ACT_COVERAGE_BOARD, 0))
		nav_item(&items, "/reports/coverage", NULL, "Coverage");
	else if (acl_allows(w, ACT_COVERAGE_ORG, w->org_id))
		nav_item(&items, "/reports/coverage/", w->org_code,
		    "Coverage");
	if (acl_allows(w, ACT_PERSON_READ, w->org_id))
		nav_item(&items, "/people", NULL, "People");
	if (acl_allows(w, ACT_ORG_WRITE, w->org_id) ||
	    acl_allows(w, ACT_SYSTEM_READ, 0))
		nav_item(&items, "/imports", NULL, "Imports");
	if (acl_allows(w, ACT_ORG_WRITE, w->org_id) ||
	    acl_allows(w, ACT_SHARED_IMPORT, 0))
		nav_item(&items, "/imports/mappings", NULL, "Column mappings");
	/* An organisation lead's own rules; org 0: the system-wide ones. */
	if (acl_allows(w, ACT_LEVEL_RULES, w->org_id))
		nav_item(&items, "/level-rules", NULL, "Level rules");
	if (acl_allows(w, ACT_SHARED_IMPORT, 0))
		nav_item(&items, "/module-aliases", NULL, "Module aliases");
	if (acl_allows(w, ACT_ACCOUNTS, 0))
		nav_item(&items, "/admin/users", NULL, "Accounts");
	if (acl_allows(w, ACT_SERVICE, 0)) {
		nav_item(&items, "/admin/tokens", NULL, "API tokens");
		nav_item(&items, "/admin/mail", NULL, "Email");
		nav_item(&items, "/admin/reminders", NULL, "Reminders");
	}
	if (acl_allows(w, ACT_AUDIT_READ, 0))
		nav_item(&items, "/admin/audit", NULL, "Audit trail");
	if (items.len > 0) {
		buf_adds(b, "<nav class=\"nhsuk-header__navigation\" "
		    "aria-label=\"Menu\"><div class=\""
		    "nhsuk-header__navigation-container nhsuk-width-container"
		    "\"><ul class=\"nhsuk-header__navigation-list\">");
		buf_add(b, items.data, items.len);
		buf_adds(b, "</ul></div></nav>\n");
	}
	buf_free(&items);
}

void
html_page_begin(struct buf *b, const char *title, const struct who *w)
{
	html_page_begin_print(b, title, w, NULL);
}

/*
 * html_page_begin() for a page with a print stylesheet of its own (print_css,
 * a path with its query, or NULL): what each printed page repeats in its
 * margins depends on the page, and the Content-Security-Policy allows
 * no inline style.
 */
void
html_page_begin_print(struct buf *b, const char *title, const struct who *w,
    const char *print_css)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	escape_html(b, title);
	buf_adds(b, " - ihtrack</title>\n"
	    "<link rel=\"stylesheet\" href=\"/assets/nhsuk/nhsuk-frontend.min.css\">\n"
	    "<link rel=\"stylesheet\" href=\"/assets/ihtrack.css\">\n");
	if (print_css != NULL) {
		buf_adds(b, "<link rel=\"stylesheet\" media=\"print\" href=\"");
		escape_html(b, print_css);
		buf_adds(b, "\">\n");
	}
	buf_adds(b, "<link rel=\"icon\" href=\"/assets/images/favicon.ico\" sizes=\"48x48\">\n"
	    "<script src=\"/assets/ihtrack.js\" defer></script>\n"
	    "</head>\n<body>\n"
	    "<a class=\"nhsuk-skip-link\" data-module=\"nhsuk-skip-link\" "
	    "href=\"#maincontent\">Skip to main content</a>\n"
	    "<header class=\"nhsuk-header\" data-module=\"nhsuk-header\" "
	    "role=\"banner\">\n"
	    "<div class=\"nhsuk-header__container nhsuk-width-container\">\n"
	    "<div class=\"nhsuk-header__service\">"
	    "<a class=\"nhsuk-header__service-logo\" href=\"/\" "
	    "aria-label=\"ihtrack: inclusion health training homepage\">"
	    "<span class=\"nhsuk-header__service-name\">ihtrack: inclusion "
	    "health training</span></a></div>\n");
	if (w != NULL && w->role != ROLE_NONE) {
		buf_adds(b, "<nav class=\"nhsuk-header__account\" "
		    "aria-label=\"Account\"><ul class=\""
		    "nhsuk-header__account-list\"><li class=\""
		    "nhsuk-header__account-item\">");
		escape_html(b, w->email);
		buf_adds(b, "</li><li class=\"nhsuk-header__account-item\">"
		    "<form class=\"nhsuk-header__account-form\" method=\"post\" "
		    "action=\"/sign-out\">");
		html_csrf_field(b, w);
		buf_adds(b, "<button class=\"nhsuk-header__account-button\">"
		    "Sign out</button></form></li></ul></nav>\n");
	}
	buf_adds(b, "</div>\n");
	if (w != NULL && w->user_id > 0)
		navigation(b, w);
	buf_adds(b, "</header>\n"
	    "<div class=\"nhsuk-width-container\">\n"
	    "<main class=\"nhsuk-main-wrapper\" id=\"maincontent\">\n");
}

void
html_page_end(struct buf *b)
{
	buf_adds(b, "</main>\n</div>\n"
	    "<footer role=\"contentinfo\"><div class=\"nhsuk-footer\">"
	    "<div class=\"nhsuk-width-container\">"
	    "<p class=\"nhsuk-body-s\">West Yorkshire Inclusion Health "
	    "Workforce Training Framework</p></div></div></footer>\n"
	    "</body>\n</html>\n");
}

/* The summary links each message to its field, as the design system asks. */
void
html_error_summary(struct buf *b, const struct form_errors *fe)
{
	int	i;

	if (fe->n == 0)
		return;
	buf_adds(b, "<div class=\"nhsuk-error-summary\" "
	    "aria-labelledby=\"error-summary-title\" role=\"alert\" "
	    "tabindex=\"-1\">\n<h2 class=\"nhsuk-error-summary__title\" "
	    "id=\"error-summary-title\">There is a problem</h2>\n"
	    "<div class=\"nhsuk-error-summary__body\">"
	    "<ul class=\"nhsuk-list nhsuk-error-summary__list\">\n");
	for (i = 0; i < fe->n; i++) {
		buf_adds(b, "<li><a href=\"#");
		escape_html(b, fe->e[i].field);
		buf_adds(b, "\">");
		escape_html(b, fe->e[i].msg);
		buf_adds(b, "</a></li>\n");
	}
	buf_adds(b, "</ul></div></div>\n");
}

/* A field's error message (nothing when msg is NULL), id NAME-error. */
void
html_error_message(struct buf *b, const char *name, const char *msg)
{
	if (msg == NULL)
		return;
	buf_addf(b, "<span class=\"nhsuk-error-message\" id=\"%s-error\">"
	    "<span class=\"nhsuk-u-visually-hidden\">Error:</span> ", name);
	escape_html(b, msg);
	buf_adds(b, "</span>\n");
}

/*
 * A labelled text input with its hint and error, keeping what was typed.
 * type "new-password" is a password input for a password being chosen
 * (autocomplete="new-password"); passwords are never written back.
 * type "file" chooses a CSV file: the only files we take.
 */
void
html_text_input(struct buf *b, const struct form_errors *fe, const char *name,
    const char *label, const char *hint, const char *type, const char *value)
{
	html_input_as(b, fe, name, name, label, hint, type, value);
}

/*
 * The same with an id other than its name, for a page with two forms
 * that post a field of the same name; fe's errors are keyed by the id.
 */
void
html_input_as(struct buf *b, const struct form_errors *fe, const char *id,
    const char *name, const char *label, const char *hint, const char *type,
    const char *value)
{
	const char	*err;

	err = form_error_for(fe, id);
	buf_addf(b, "<div class=\"nhsuk-form-group%s\">\n",
	    err != NULL ? " nhsuk-form-group--error" : "");
	buf_addf(b, "<label class=\"nhsuk-label\" for=\"%s\">", id);
	escape_html(b, label);
	buf_adds(b, "</label>\n");
	if (hint != NULL) {
		buf_addf(b, "<div class=\"nhsuk-hint\" id=\"%s-hint\">", id);
		escape_html(b, hint);
		buf_adds(b, "</div>\n");
	}
	html_error_message(b, id, err);
	if (strcmp(type, "file") == 0)
		buf_addf(b, "<input class=\"nhsuk-file-upload\" id=\"%s\" "
		    "name=\"%s\" type=\"file\" accept=\".csv,text/csv\"", id,
		    name);
	else
		buf_addf(b, "<input class=\"nhsuk-input%s\" id=\"%s\" "
		    "name=\"%s\" type=\"%s\"", err != NULL ?
		    " nhsuk-input--error" : "", id, name,
		    strcmp(type, "new-password") == 0 ? "password" : type);
	if (hint != NULL || err != NULL) {
		buf_adds(b, " aria-describedby=\"");
		if (hint != NULL)
			buf_addf(b, "%s-hint", id);
		if (err != NULL)
			buf_addf(b, "%s%s-error", hint != NULL ? " " : "", id);
		buf_adds(b, "\"");
	}
	if (strcmp(type, "email") == 0)
		buf_adds(b, " autocomplete=\"email\" spellcheck=\"false\"");
	else if (strcmp(type, "password") == 0)
		buf_adds(b, " autocomplete=\"current-password\"");
	else if (strcmp(type, "new-password") == 0)
		buf_adds(b, " autocomplete=\"new-password\"");
	if (value != NULL && strstr(type, "password") == NULL) {
		buf_adds(b, " value=\"");
		escape_html(b, value);
		buf_adds(b, "\"");
	}
	buf_adds(b, ">\n</div>\n");
}

/* One row of an NHS.UK summary list (<dl class="nhsuk-summary-list">). */
void
html_summary_row(struct buf *b, const char *key, const char *value)
{
	buf_adds(b, "<div class=\"nhsuk-summary-list__row\"><dt class=\""
	    "nhsuk-summary-list__key\">");
	escape_html(b, key);
	buf_adds(b, "</dt><dd class=\"nhsuk-summary-list__value\">");
	escape_html(b, value);
	buf_adds(b, "</dd></div>\n");
}

/* The design system's back link, first in the main content. */
void
html_back_link(struct buf *b, const char *href, const char *text)
{
	buf_adds(b, "<a class=\"nhsuk-back-link\" href=\"");
	escape_html(b, href);
	buf_adds(b, "\">");
	escape_html(b, text);
	buf_adds(b, "</a>\n");
}

/*
 * Where an account of role (of organisation org_code) lands after
 * signing in: its own training, its organisation's report, the board's
 * report, or the accounts it looks after.
 */
void
html_home(enum role role, const char *org_code, char *out, size_t len)
{
	switch (role) {
	case ROLE_ORG_LEAD:
		snprintf(out, len, "/reports/coverage/%s", org_code);
		break;
	case ROLE_ACADEMY_LEAD:
		snprintf(out, len, "/reports/coverage");
		break;
	case ROLE_ADMIN:
		snprintf(out, len, "/admin/users");
		break;
	default:
		snprintf(out, len, "/");
		break;
	}
}

/*
 * A labelled select: n options of values and labels, selected chosen
 * (NULL: the first), with the field's error from fe.
 */
void
html_select(struct buf *b, const struct form_errors *fe, const char *name,
    const char *label, const char *const *values, const char *const *labels,
    int n, const char *selected)
{
	html_select_as(b, fe, name, name, label, values, labels, n, selected);
}

/*
 * The same with an id other than its name, for a form that sends a
 * field of one name several times; fe's errors are keyed by the id.
 */
void
html_select_as(struct buf *b, const struct form_errors *fe, const char *id,
    const char *name, const char *label, const char *const *values,
    const char *const *labels, int n, const char *selected)
{
	const char	*err;
	int		 i;

	err = form_error_for(fe, id);
	buf_addf(b, "<div class=\"nhsuk-form-group%s\">\n<label class=\""
	    "nhsuk-label\" for=\"%s\">", err != NULL ?
	    " nhsuk-form-group--error" : "", id);
	escape_html(b, label);
	buf_adds(b, "</label>\n");
	html_error_message(b, id, err);
	buf_addf(b, "<select class=\"nhsuk-select%s\" id=\"%s\" name=\"%s\"",
	    err != NULL ? " nhsuk-select--error" : "", id, name);
	if (err != NULL)
		buf_addf(b, " aria-describedby=\"%s-error\"", id);
	buf_addc(b, '>');
	for (i = 0; i < n; i++) {
		buf_adds(b, "<option value=\"");
		escape_html(b, values[i]);
		buf_addf(b, "\"%s>", selected != NULL &&
		    strcmp(selected, values[i]) == 0 ? " selected" : "");
		escape_html(b, labels[i]);
		buf_adds(b, "</option>");
	}
	buf_adds(b, "</select>\n</div>\n");
}

/*
 * A page of one narrow column, as the design system lays out forms: the
 * title gets "Error: " when fe (may be NULL) holds errors, whose summary
 * opens the column; back, when not NULL, is a back link above it.
 * html_narrow_end() closes what this opened.
 */
void
html_narrow_begin(struct buf *b, const char *title, const struct who *w,
    const struct form_errors *fe, const char *back, const char *back_text)
{
	struct buf	t;

	buf_init(&t);
	buf_addf(&t, "%s%s", fe != NULL && fe->n > 0 ? "Error: " : "", title);
	html_page_begin(b, t.data, w);
	buf_free(&t);
	if (back != NULL)
		html_back_link(b, back, back_text);
	buf_adds(b, "<div class=\"nhsuk-grid-row\"><div class=\""
	    "nhsuk-grid-column-two-thirds\">\n");
	if (fe != NULL)
		html_error_summary(b, fe);
}

void
html_narrow_end(struct buf *b)
{
	buf_adds(b, "</div></div>\n");
	html_page_end(b);
}

/*
 * The design system's date input: day, month and year as three fields
 * NAME-day, NAME-month, NAME-year under legend, with hint, showing df
 * (form_date()) and its error.
 */
void
html_date_input(struct buf *b, const char *name, const char *legend,
    const char *hint, const struct form_date *df)
{
	static const struct {
		const char	*part, *label;
		int		 bit, width;
	} parts[] = {
		{ "day", "Day", DATE_PART_DAY, 2 },
		{ "month", "Month", DATE_PART_MONTH, 2 },
		{ "year", "Year", DATE_PART_YEAR, 4 },
	};
	const char	*value[3];
	size_t		 i;
	int		 err;

	err = df->msg[0] != '\0';
	value[0] = df->day;
	value[1] = df->month;
	value[2] = df->year;
	buf_addf(b, "<div class=\"nhsuk-form-group%s\">\n<fieldset class=\""
	    "nhsuk-fieldset\" role=\"group\" aria-describedby=\"%s-hint",
	    err ? " nhsuk-form-group--error" : "", name);
	if (err)
		buf_addf(b, " %s-error", name);
	buf_adds(b, "\">\n<legend class=\"nhsuk-fieldset__legend "
	    "nhsuk-fieldset__legend--s\">");
	escape_html(b, legend);
	buf_addf(b, "</legend>\n<div class=\"nhsuk-hint\" id=\"%s-hint\">",
	    name);
	escape_html(b, hint);
	buf_adds(b, "</div>\n");
	html_error_message(b, name, err ? df->msg : NULL);
	buf_addf(b, "<div class=\"nhsuk-date-input\" id=\"%s\">\n", name);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		err = (df->bad & parts[i].bit) != 0;
		buf_addf(b, "<div class=\"nhsuk-date-input__item\"><div class=\""
		    "nhsuk-form-group%s\"><label class=\"nhsuk-label "
		    "nhsuk-date-input__label\" for=\"%s-%s\">%s</label>"
		    "<input class=\"nhsuk-input%s nhsuk-input--width-%d "
		    "nhsuk-date-input__input\" id=\"%s-%s\" name=\"%s-%s\" "
		    "type=\"text\" inputmode=\"numeric\" value=\"",
		    err ? " nhsuk-form-group--error" : "", name, parts[i].part,
		    parts[i].label, err ? " nhsuk-input--error" : "",
		    parts[i].width, name, parts[i].part, name, parts[i].part);
		escape_html(b, value[i]);
		buf_adds(b, "\"></div></div>\n");
	}
	buf_adds(b, "</div>\n</fieldset>\n</div>\n");
}

/*
 * Radios NAME under legend: n values and labels, the one chosen checked
 * (NULL: none), with the field's error from fe, keyed NAME-0: the first
 * radio's id, where the error summary's link leads.
 */
void
html_radios(struct buf *b, const struct form_errors *fe, const char *name,
    const char *legend, const char *const *values, const char *const *labels,
    int n, const char *chosen)
{
	char		 first[64];
	const char	*err;
	int		 i;

	snprintf(first, sizeof(first), "%s-0", name);
	err = form_error_for(fe, first);
	buf_addf(b, "<div class=\"nhsuk-form-group%s\">\n<fieldset class=\""
	    "nhsuk-fieldset\"", err != NULL ? " nhsuk-form-group--error" : "");
	if (err != NULL)
		buf_addf(b, " aria-describedby=\"%s-error\"", name);
	buf_adds(b, ">\n<legend class=\"nhsuk-fieldset__legend "
	    "nhsuk-fieldset__legend--s\">");
	escape_html(b, legend);
	buf_adds(b, "</legend>\n");
	html_error_message(b, name, err);
	buf_adds(b, "<div class=\"nhsuk-radios\">\n");
	for (i = 0; i < n; i++) {
		buf_addf(b, "<div class=\"nhsuk-radios__item\"><input class=\""
		    "nhsuk-radios__input\" id=\"%s-%d\" name=\"%s\" type=\""
		    "radio\" value=\"", name, i, name);
		escape_html(b, values[i]);
		buf_addf(b, "\"%s><label class=\"nhsuk-label "
		    "nhsuk-radios__label\" for=\"%s-%d\">", chosen != NULL &&
		    strcmp(chosen, values[i]) == 0 ? " checked" : "", name, i);
		escape_html(b, labels[i]);
		buf_adds(b, "</label></div>\n");
	}
	buf_adds(b, "</div>\n</fieldset>\n</div>\n");
}

/*
 * What a form has just done, as the redirect after it says in its query:
 * the first of the n params present names the thing (lead, then the
 * param's value), words[i] what became of it: "Mapping esr is saved."
 */
void
html_done(struct http_request *req, struct buf *b, const char *lead,
    const char *const *params, const char *const *words, int n)
{
	const char	*v;
	int		 i;

	for (i = 0; i < n; i++) {
		if ((v = form_get(req, params[i])) == NULL)
			continue;
		buf_adds(b, "<div class=\"nhsuk-inset-text\" role=\"status\">"
		    "<p>");
		escape_html(b, lead);
		buf_adds(b, " <strong>");
		escape_html(b, v);
		buf_adds(b, "</strong> ");
		escape_html(b, words[i]);
		buf_adds(b, ".</p></div>\n");
		return;
	}
}

/* One checkbox NAME, value 1, in the design system's markup. */
void
html_checkbox(struct buf *b, const char *name, const char *label,
    int checked)
{
	buf_addf(b, "<div class=\"nhsuk-form-group\"><div class=\""
	    "nhsuk-checkboxes\"><div class=\"nhsuk-checkboxes__item\">"
	    "<input class=\"nhsuk-checkboxes__input\" id=\"%s\" name=\"%s\" "
	    "type=\"checkbox\" value=\"1\"%s><label class=\"nhsuk-label "
	    "nhsuk-checkboxes__label\" for=\"%s\">", name, name,
	    checked ? " checked" : "", name);
	escape_html(b, label);
	buf_adds(b, "</label></div></div></div>\n");
}

/*
 * A table of n columns headed heads, in a region of its own that
 * scrolls sideways when the table is wider than the page (.ih-wide in
 * assets/ihtrack.css, whose shadows show there is more), so the page
 * never does; label names the region and the table.  Rows follow, each
 * cell by html_cell() or the like; html_wide_end() closes what this
 * opened.
 */
void
html_wide_begin(struct buf *b, const char *label, const char *const *heads,
    int n)
{
	int	i;

	buf_adds(b, "<div class=\"ih-wide\" role=\"region\" tabindex=\"0\" "
	    "aria-label=\"");
	escape_html(b, label);
	buf_adds(b, " (scrolls sideways)\"><table class=\"nhsuk-table\">\n"
	    "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">");
	escape_html(b, label);
	buf_adds(b, "</caption>\n<thead class=\"nhsuk-table__head\"><tr class="
	    "\"nhsuk-table__row\">");
	for (i = 0; i < n; i++) {
		buf_adds(b, "<th class=\"nhsuk-table__header\" scope=\"col\">");
		escape_html(b, heads[i]);
		buf_adds(b, "</th>");
	}
	buf_adds(b, "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
}

void
html_wide_end(struct buf *b)
{
	buf_adds(b, "</tbody></table></div>\n");
}

/* A table cell of text. */
void
html_cell(struct buf *b, const char *text)
{
	buf_adds(b, "<td class=\"nhsuk-table__cell\">");
	escape_html(b, text);
	buf_adds(b, "</td>");
}

/*
 * html_select() with the rows of r for options (column 0 the value,
 * column 1 the label), after an option "" saying placeholder unless it
 * is NULL.
 */
void
html_select_rows(struct buf *b, const struct form_errors *fe,
    const char *name, const char *label, const char *placeholder,
    PGresult *r, const char *selected)
{
	const char	**values, **labels;
	int		  i, n;

	n = 0;
	values = kore_calloc(PQntuples(r) + 1, sizeof(*values));
	labels = kore_calloc(PQntuples(r) + 1, sizeof(*labels));
	if (placeholder != NULL) {
		values[n] = "";
		labels[n++] = placeholder;
	}
	for (i = 0; i < PQntuples(r); i++, n++) {
		values[n] = db_value(r, i, 0);
		labels[n] = db_value(r, i, 1);
	}
	html_select(b, fe, name, label, values, labels, n, selected);
	kore_free(values);
	kore_free(labels);
}

/* A labelled textarea of rows lines with its hint and error, as typed. */
void
html_textarea(struct buf *b, const struct form_errors *fe, const char *name,
    const char *label, const char *hint, int rows, const char *value)
{
	const char	*err;

	err = form_error_for(fe, name);
	buf_addf(b, "<div class=\"nhsuk-form-group%s\">\n<label class=\""
	    "nhsuk-label\" for=\"%s\">", err != NULL ?
	    " nhsuk-form-group--error" : "", name);
	escape_html(b, label);
	buf_addf(b, "</label>\n<div class=\"nhsuk-hint\" id=\"%s-hint\">",
	    name);
	escape_html(b, hint);
	buf_adds(b, "</div>\n");
	html_error_message(b, name, err);
	buf_addf(b, "<textarea class=\"nhsuk-textarea%s\" id=\"%s\" "
	    "name=\"%s\" rows=\"%d\" spellcheck=\"false\" "
	    "aria-describedby=\"%s-hint", err != NULL ?
	    " nhsuk-textarea--error" : "", name, name, rows, name);
	if (err != NULL)
		buf_addf(b, " %s-error", name);
	buf_adds(b, "\">");
	/* The first newline after the tag is not the value's (HTML). */
	buf_addc(b, '\n');
	if (value != NULL)
		escape_html(b, value);
	buf_adds(b, "</textarea>\n</div>\n");
}

/* A message that says what just happened, read out when it appears. */
void
html_banner(struct buf *b, const char *msg)
{
	buf_adds(b, "<div class=\"nhsuk-inset-text\" role=\"status\"><p>");
	escape_html(b, msg);
	buf_adds(b, "</p></div>\n");
}
