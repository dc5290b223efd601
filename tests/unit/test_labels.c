/*
 * test_labels.c — labels, never codes (src/form/form_label.c), as a
 * specification: on a demo village, every field of every form in forms/ that
 * is picked or coded (enum, codes, bool, a reference, 问题方面, 对应任务) offers
 * its choices by Chinese labels, shows each stored value as that label (never a
 * lowercase ASCII identifier such as poor, exited or male), and reads the label
 * back as the stored value; type-to-find by Chinese, pinyin initials and
 * number; a form's lengths in characters and columns refuse long pastes,
 * naming the field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taizhang/browse.h"
#include "taizhang/demo.h"
#include "taizhang/form.h"
#include "taizhang/pinyin.h"

#include "fixture.h"

/* The built-in forms, loaded once for the group (they are only read). */
static struct form_set forms;

static int group_setup(void **state)
{
	(void)state;
	struct tz_error err;
	if (form_load_builtin(&forms, &err) == TZ_OK)
		return 0;
	fprintf(stderr, "forms: %s\n", err.msg);
	return -1;
}

static int group_teardown(void **state)
{
	(void)state;
	form_set_free(&forms);
	return 0;
}

/* A village store with the demo's rows (every ledger has some). */
static int setup(void **state)
{
	if (fixture_setup_village(state) != 0)
		return -1;
	struct demo_options o = { .households = 12, .seed = 3 };
	struct tz_error err;
	if (demo_populate(fixture_store(state), &o, &err) != TZ_OK) {
		fprintf(stderr, "demo: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* Whether text reads like a code: only lower-case ASCII letters, digits and
 * '_', with at least one letter. */
static int looks_like_code(const char *text)
{
	int letters = 0;
	for (const char *p = text; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			letters++;
		else if (!(*p >= '0' && *p <= '9') && *p != '_')
			return 0;
	}
	return letters > 0;
}

static int is_chosen(const struct form *f, size_t i)
{
	const struct form_field *ff = &f->fields[i];
	enum field_type t = ff->check.type;
	return ff->column != NULL && ff->compute == FORM_COMPUTE_NONE &&
	       (t == FIELD_ENUM || t == FIELD_CODES || t == FIELD_BOOL || form_field_picked(f, i));
}

static void every_coded_field_of_every_form_shows_labels(void **state)
{
	struct store *s = fixture_store(state);
	struct tz_error err;
	assert_true(forms.nforms >= 33);
	size_t fields = 0, values = 0;
	for (size_t k = 0; k < forms.nforms; k++) {
		const struct form *f = forms.forms[k];
		for (size_t i = 0; i < f->nfields; i++) {
			if (!is_chosen(f, i))
				continue;
			struct browse_row *rows;
			size_t n;
			assert_int_equal(form_field_choices(s, f, i, NULL, &rows, &n, &err), TZ_OK);
			if (n == 0)
				fail_msg("%s: %s has nothing to choose from", f->origin, f->fields[i].label);
			fields++;
			for (size_t c = 0; c < n; c++) {
				char label[512];
				assert_int_equal(form_field_label(s, f, i, rows[c].id, label, sizeof label, &err), TZ_OK);
				if (label[0] == '\0' || looks_like_code(label) || strcmp(label, rows[c].cells[0]) != 0)
					fail_msg("%s: %s value %s shows as “%s”, its choice as “%s”", f->origin,
						 f->fields[i].label, rows[c].id, label, rows[c].cells[0]);
				/* The label typed back is the stored value (a picked
				 * field keeps its id: never typed). */
				if (!form_field_picked(f, i)) {
					char *norm = NULL;
					if (form_field_check(s, f, i, label, &norm, &err) != TZ_OK)
						fail_msg("%s: %s “%s” refused: %s", f->origin, f->fields[i].label,
							 label, err.msg);
					assert_string_equal(norm, rows[c].id);
					free(norm);
				}
				values++;
			}
			browse_rows_free(rows, n);
		}
	}
	assert_true(fields > 60);
	assert_true(values > fields);
}

static void area_and_task_are_picked_by_name_and_shown_by_name(void **state)
{
	struct store *s = fixture_store(state);
	struct tz_error err;
	const struct form *f = form_set_find(&forms, "problems");
	assert_non_null(f);
	size_t area = form_field_index(f, "area"), task = form_field_index(f, "task");
	assert_true(form_field_picked(f, area));
	assert_true(form_field_picked(f, task));
	char label[256];
	assert_int_equal(form_field_label(s, f, area, "10", label, sizeof label, &err), TZ_OK);
	assert_string_equal(label, "（十）扶贫领域工作作风不实、精神状态不佳");
	assert_int_equal(form_field_label(s, f, task, "5", label, sizeof label, &err), TZ_OK);
	assert_string_equal(label, "5. 狠抓健康脱贫政策落实");
	/* Typed to find: the number first, then by words. */
	struct browse_row *rows;
	size_t n, found[32];
	assert_int_equal(form_field_choices(s, f, task, NULL, &rows, &n, &err), TZ_OK);
	assert_int_equal(n, 19);
	size_t k = form_choices_find(rows, n, "5", found);
	assert_true(k >= 2); /* 5 and 15 */
	assert_string_equal(rows[found[0]].id, "5");
	k = form_choices_find(rows, n, "健康", found);
	assert_int_equal(k, 1);
	assert_string_equal(rows[found[0]].id, "5");
	browse_rows_free(rows, n);
	assert_int_equal(form_field_choices(s, f, area, NULL, &rows, &n, &err), TZ_OK);
	k = form_choices_find(rows, n, "1", found);
	assert_true(k >= 1);
	assert_string_equal(rows[found[0]].id, "1");
	browse_rows_free(rows, n);
	/* A unit is one of the town's units (code list 'unit'), chosen by name. */
	size_t unit = form_field_index(f, "responsible_unit");
	assert_false(form_field_picked(f, unit));
	assert_int_equal(f->fields[unit].check.type, FIELD_ENUM);
	assert_string_equal(f->fields[unit].check.code_list, "unit");
	assert_int_equal(form_field_choices(s, f, unit, NULL, &rows, &n, &err), TZ_OK);
	k = form_choices_find(rows, n, "wsy", found); /* 镇卫生院 by its initials */
	assert_int_equal(k, 1);
	assert_string_equal(rows[found[0]].cells[0], "镇卫生院");
	browse_rows_free(rows, n);
}

static void several_codes_read_as_labels_and_back(void **state)
{
	struct store *s = fixture_store(state);
	struct tz_error err;
	int seen = 0;
	for (size_t k = 0; k < forms.nforms; k++) {
		const struct form *f = forms.forms[k];
		for (size_t i = 0; i < f->nfields; i++) {
			if (f->fields[i].check.type != FIELD_CODES || f->fields[i].compute != FORM_COMPUTE_NONE)
				continue;
			struct browse_row *rows;
			size_t n;
			assert_int_equal(form_field_choices(s, f, i, NULL, &rows, &n, &err), TZ_OK);
			assert_true(n >= 2);
			char stored[256], label[512], want[512];
			snprintf(stored, sizeof stored, "%s,%s", rows[0].id, rows[1].id);
			snprintf(want, sizeof want, "%s、%s", rows[0].cells[0], rows[1].cells[0]);
			assert_int_equal(form_field_label(s, f, i, stored, label, sizeof label, &err), TZ_OK);
			assert_string_equal(label, want);
			char *norm = NULL;
			assert_int_equal(form_field_check(s, f, i, label, &norm, &err), TZ_OK);
			assert_string_equal(norm, stored);
			free(norm);
			browse_rows_free(rows, n);
			seen++;
		}
	}
	assert_true(seen >= 1);
}

static void pinyin_initials_find_names(void **state)
{
	(void)state;
	char out[32];
	pinyin_initials("王芳", out, sizeof out);
	assert_string_equal(out, "wf");
	pinyin_initials("欧阳秀兰 A1", out, sizeof out);
	assert_string_equal(out, "oyxl?a1");
	assert_true(pinyin_matches("王芳  341522198001011234", "WF"));
	assert_true(pinyin_matches("张大山", "大山"));
	assert_true(pinyin_matches("张大山", "zds"));
	assert_false(pinyin_matches("张大山", "wf"));
	assert_true(pinyin_matches("张大山", ""));
}

static void a_name_too_long_is_refused_naming_the_field(void **state)
{
	struct store *s = fixture_store(state);
	struct tz_error err;
	const struct form *f = form_set_find(&forms, "members");
	size_t name = form_field_index(f, "name");
	char *norm = NULL;
	/* A paste of 30 and of 200 characters. */
	char paste[1024] = "";
	for (int i = 0; i < 30; i++)
		strcat(paste, "张");
	assert_int_equal(form_field_check(s, f, name, paste, &norm, &err), TZ_EFAIL);
	assert_null(norm);
	assert_non_null(strstr(err.msg, "姓名"));
	paste[0] = '\0';
	for (int i = 0; i < 200; i++)
		strcat(paste, "a");
	assert_int_equal(form_field_check(s, f, name, paste, &norm, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "姓名"));
	assert_int_equal(form_field_check(s, f, name, "欧阳秀兰", &norm, &err), TZ_OK);
	free(norm);

	/* Columns as well as characters: max_ncols. */
	static const char text[] = "[form]\ntitle = 小组\ntable = villager_groups\nhelp = 小组\n\n"
				   "[field.name]\nlabel = 小组名称\ncolumn = name\nmax = 10\nmax_ncols = 10\n"
				   "help = 名称\n";
	struct form *g;
	assert_int_equal(form_load_string("forms/g.form", text, &g, &err), TZ_OK);
	assert_int_equal(g->fields[0].max_ncols, 10);
	assert_int_equal(form_field_check(s, g, 0, "abcdefghij", &norm, &err), TZ_OK);
	free(norm);
	assert_int_equal(form_field_check(s, g, 0, "张庄李庄王庄组", &norm, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "小组名称太长"));
	assert_non_null(strstr(err.msg, "14 列"));
	form_free(g);
	static const char bad[] = "[form]\ntitle = 小组\ntable = villager_groups\nhelp = 小组\n\n"
				  "[field.name]\nlabel = 小组名称\ncolumn = name\nmax_ncols = 0\nhelp = 名称\n";
	assert_int_equal(form_load_string("forms/g.form", bad, &g, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "max_ncols"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_coded_field_of_every_form_shows_labels, setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(area_and_task_are_picked_by_name_and_shown_by_name, setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(several_codes_read_as_labels_and_back, setup, fixture_teardown),
		cmocka_unit_test(pinyin_initials_find_names),
		cmocka_unit_test_setup_teardown(a_name_too_long_is_refused_naming_the_field, setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
