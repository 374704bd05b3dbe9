/* test_json.c: src/json.c, the one JSON writer. */
#include <criterion/criterion.h>

#include "json.h"

Test(json, nested_objects_and_arrays)
{
	struct buf	b;
	struct json	j;

	buf_init(&b);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	json_string(&j, "as_of", "2026-03-31");
	json_array_open(&j, "organisations");
	json_object_open(&j, NULL);
	json_string(&j, "code", "RR8");
	json_int(&j, "people", 3);
	json_object_close(&j);
	json_object_open(&j, NULL);
	json_null(&j, "code");
	json_bool(&j, "ok", 0);
	json_object_close(&j);
	json_array_close(&j);
	json_bool(&j, "dry_run", 1);
	json_object_close(&j);
	cr_assert_str_eq(b.data, "{\"as_of\":\"2026-03-31\",\"organisations\":"
	    "[{\"code\":\"RR8\",\"people\":3},{\"code\":null,\"ok\":false}],"
	    "\"dry_run\":true}");
	buf_free(&b);
}

Test(json, strings_are_escaped)
{
	struct buf	b;

	buf_init(&b);
	json_quote(&b, "a\"b\\c\nd\x01</script>");
	cr_assert_str_eq(b.data,
	    "\"a\\\"b\\\\c\\nd\\u0001\\u003c/script>\"");
	buf_free(&b);
}

Test(json, null_string_value)
{
	struct buf	b;
	struct json	j;

	buf_init(&b);
	json_init(&j, &b);
	json_array_open(&j, NULL);
	json_string(&j, NULL, NULL);
	json_int(&j, NULL, -5);
	json_array_close(&j);
	cr_assert_str_eq(b.data, "[null,-5]");
	buf_free(&b);
}
