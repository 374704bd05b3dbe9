/*
 * reply.c: every response leaves through reply(), which adds the headers
 * every response carries; errors have one page and one JSON shape.
 */
#include <string.h>

#include "escape.h"
#include "ihtrack.h"
#include "json.h"

static void
common_headers(struct http_request *req)
{
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy", "same-origin");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "content-security-policy",
	    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
	    "script-src 'self'; form-action 'self'; frame-ancestors 'none'; "
	    "base-uri 'none'; object-src 'none'");
	if (client_tls(req))
		http_response_header(req, "strict-transport-security",
		    "max-age=31536000; includeSubDomains");
}

static int
reply_send(struct http_request *req, int status, const char *type,
    struct buf *body, const char *cache)
{
	common_headers(req);
	if (type != NULL)
		http_response_header(req, "content-type", type);
	http_response_header(req, "cache-control", cache);
	if (body != NULL) {
		http_response(req, status, body->data, body->len);
		buf_free(body);
	} else
		http_response(req, status, NULL, 0);
	return (KORE_RESULT_OK);
}

/*
 * Sends body (may be NULL) with status and content type; frees body.
 * Nothing we generate may be cached: pages hold personal data.
 */
int
reply(struct http_request *req, int status, const char *type,
    struct buf *body)
{
	return (reply_send(req, status, type, body, "no-store"));
}

/*
 * Sends the headers of a body that follows in chunks of unknown total
 * length (src/download.c queues them on the connection).
 */
int
reply_chunked(struct http_request *req, int status, const char *type)
{
	req->flags |= HTTP_REQUEST_NO_CONTENT_LENGTH;
	http_response_header(req, "transfer-encoding", "chunked");
	return (reply_send(req, status, type, NULL, "no-store"));
}

/* For static files: the same headers, but cacheable. */
int
reply_asset(struct http_request *req, const char *type, struct buf *body)
{
	return (reply_send(req, 200, type, body, "public, max-age=3600"));
}

int
reply_wants_json(struct http_request *req)
{
	return (strncmp(req->path, "/api/", 5) == 0 ||
	    strcmp(req->path, "/healthz") == 0);
}

/* Kore 4.1 names no status 422; every other we send it does. */
static const char *
status_text(int status)
{
	return (status == 422 ? "Unprocessable Content" :
	    http_status_text(status));
}

int
reply_json_error(struct http_request *req, int status, const char *msg)
{
	struct buf	b;
	struct json	j;

	buf_init(&b);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	json_string(&j, "error", status_text(status));
	json_string(&j, "message", msg);
	json_object_close(&j);
	if (status == 401)
		http_response_header(req, "www-authenticate",
		    "Bearer realm=\"ihtrack\"");
	return (reply(req, status, "application/json", &b));
}

int
reply_error(struct http_request *req, int status, const char *msg)
{
	struct buf	b;

	if (reply_wants_json(req))
		return (reply_json_error(req, status, msg));

	buf_init(&b);
	html_page_begin(&b, status_text(status), NULL);
	buf_adds(&b, "<h1>");
	escape_html(&b, status_text(status));
	buf_adds(&b, "</h1><p>");
	escape_html(&b, msg);
	buf_adds(&b, "</p><p><a href=\"/\">Go to your home page</a></p>");
	html_page_end(&b);
	return (reply(req, status, "text/html; charset=utf-8", &b));
}

/* 303 See Other: after a POST the browser GETs the target. */
int
reply_redirect(struct http_request *req, const char *to)
{
	http_response_header(req, "location", to);
	return (reply(req, 303, NULL, NULL));
}

/* 303 to base followed by value, URL-encoded: "/x?saved=" and a name. */
int
reply_redirect_with(struct http_request *req, const char *base,
    const char *value)
{
	struct buf	to;
	int		rc;

	buf_init(&to);
	buf_adds(&to, base);
	escape_url(&to, value);
	rc = reply_redirect(req, to.data);
	buf_free(&to);
	return (rc);
}

/*
 * Kore's cookies carry no SameSite, so write the header ourselves.
 * max_age 0 deletes the cookie.
 */
void
reply_set_cookie(struct http_request *req, const char *name, const char *value,
    int max_age)
{
	struct buf	b;
	const char	*secure;

	secure = getenv("IHTRACK_SECURE_COOKIES") != NULL ||
	    client_tls(req) ? "; Secure" : "";
	buf_init(&b);
	buf_addf(&b, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s",
	    name, value, max_age, secure);
	http_response_header(req, "set-cookie", b.data);
	buf_free(&b);
}

/* The last route: anything no other route matched. */
int
reply_not_found(struct http_request *req)
{
	return (reply_error(req, 404, "There is no page at this address. "
	    "Check it, or go to your home page."));
}

/*
 * 1 when req's method is among methods (HTTP_METHOD_* bits); otherwise
 * replies 405 with Allow, and our headers, and returns 0.  Routes carry
 * no `restrict` line because Kore's own 405 has none of our headers.
 */
int
reply_method_or_405(struct http_request *req, int methods)
{
	static const struct {
		int		 bit;
		const char	*name;
	} names[] = {
		{ HTTP_METHOD_GET, "GET" },
		{ HTTP_METHOD_HEAD, "HEAD" },
		{ HTTP_METHOD_POST, "POST" },
		{ HTTP_METHOD_PUT, "PUT" },
		{ HTTP_METHOD_DELETE, "DELETE" },
	};
	struct buf	allow;
	size_t		i;

	if (req->method & methods)
		return (1);
	buf_init(&allow);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (methods & names[i].bit)
			buf_addf(&allow, "%s%s", allow.len ? ", " : "",
			    names[i].name);
	}
	http_response_header(req, "allow", allow.data);
	buf_free(&allow);
	reply_error(req, 405, "This address does not accept that method.");
	return (0);
}
