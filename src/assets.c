/*
 * assets.c: GET /assets/..., files under the assets directory (our CSS and
 * the nhsuk-frontend files the build copies there).  Served by us rather
 * than Kore's filemap so they carry the same headers as every response.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "ihtrack.h"

#define ASSET_MAX	(1024 * 1024)

int	assets_serve(struct http_request *);

static const struct {
	const char	*ext;
	const char	*type;
} types[] = {
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".json", "application/json" },
};

static const char *
asset_type(const char *path)
{
	const char	*dot;
	size_t		 i;

	if ((dot = strrchr(path, '.')) == NULL)
		return (NULL);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(dot, types[i].ext) == 0)
			return (types[i].type);
	}
	return (NULL);
}

/* Only plain names: no "..", no hidden files, nothing to escape the root. */
static int
asset_name_ok(const char *p)
{
	if (*p == '\0' || strstr(p, "..") != NULL || strstr(p, "/.") != NULL ||
	    *p == '.')
		return (0);
	return (strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-/") == strlen(p));
}

int
assets_serve(struct http_request *req)
{
	struct buf	 b;
	struct stat	 st;
	const char	*name, *type, *root;
	char		 path[PATH_MAX], chunk[8192];
	ssize_t		 n;
	int		 fd;

	if (!reply_method_or_405(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD))
		return (KORE_RESULT_OK);
	name = req->path + strlen("/assets/");
	type = asset_type(name);
	if (!asset_name_ok(name) || type == NULL)
		return (reply_error(req, 404, "There is no such file."));
	if ((root = getenv("IHTRACK_ASSETS")) == NULL)
		root = "assets";
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, name) >=
	    sizeof(path))
		return (reply_error(req, 404, "There is no such file."));

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) == -1)
		return (reply_error(req, 404, "There is no such file."));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > ASSET_MAX) {
		close(fd);
		return (reply_error(req, 404, "There is no such file."));
	}
	buf_init(&b);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	if (n == -1) {
		buf_free(&b);
		return (reply_error(req, 500, "The file could not be read."));
	}
	return (reply_asset(req, type, &b));
}
