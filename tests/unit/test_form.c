/*
 * test_form.c — forms are data: every shipped form loads against the model, a
 * malformed form is refused whole with its file, line and reason, visible_if
 * and computed values evaluate as documented, a field added to a form
 * enters records through the model with no C change, and a save (form_save)
 * validates once, writes in one transaction and names a refused field by its
 * index and column, writing nothing.
 *
 * Runs from the repository root (the Makefile's tests do): forms/ is read by
 * its relative path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/form/form_internal.h"
#include "taizhang/date.h"
#include "taizhang/form.h"
#include "taizhang/idcard.h"
#include "taizhang/model.h"
#include "taizhang/utf8.h"

#include "fixture.h"
#include "unit.h"

#define TODAY "2019-05-20"

/* ---- helpers ---- */

static struct form *load_ok(const char *name, const char *text)
{
	struct form *f = NULL;
	struct tz_error err = { 0 };
	if (form_load_string(name, text, &f, &err) != TZ_OK)
		fail_msg("%s refused: %s", name, err.msg);
	assert_non_null(f);
	return f;
}

static struct form *load_shipped(const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "forms/%s.form", name);
	struct form *f = NULL;
	struct tz_error err = { 0 };
	if (form_load_file(path, &f, &err) != TZ_OK)
		fail_msg("%s refused: %s", path, err.msg);
	return f;
}

/* The form text must be refused, the message naming "bad.form 第 line 行："
 * and saying must_say. */
static void refused(const char *text, int line, const char *must_say)
{
	struct form *f = (struct form *)1;
	struct tz_error err = { 0 };
	if (form_load_string("forms/bad.form", text, &f, &err) == TZ_OK)
		fail_msg("accepted a form that should say “%s”", must_say);
	assert_null(f);
	char where[64];
	snprintf(where, sizeof where, "forms/bad.form 第 %d 行：", line);
	if (strncmp(err.msg, where, strlen(where)) != 0)
		fail_msg("“%s” does not start with “%s”", err.msg, where);
	if (strstr(err.msg, must_say) == NULL)
		fail_msg("“%s” does not say “%s”", err.msg, must_say);
}

/* A small valid form for villager_groups; cases below change one thing. */
#define FORM_HEAD "[form]\ntitle = 村民小组\ntable = villager_groups\nhelp = 本村的村民小组\n\n"
#define NAME_FIELD "[field.name]\nlabel = 小组名称\ncolumn = name\nhelp = 小组的名字\n"
/* A members form's first fields, up to the relation (the fields a test adds follow). */
#define MEMBERS_HEAD                                                                   \
	"[form]\ntitle = 成员\ntable = members\nhelp = 说明\n\n"                          \
	"[field.household_id]\nlabel = 户\ncolumn = household_id\nhelp = 户\n\n"         \
	"[field.name]\nlabel = 姓名\ncolumn = name\nhelp = 姓名\n\n"                     \
	"[field.idcard]\nlabel = 身份证号\ncolumn = idcard\nhelp = 号码\n\n"             \
	"[field.relation]\nlabel = 关系\ncolumn = relation\nhelp = 关系\n\n"

/* ---- every shipped form ---- */

UNIT_TEST(every_model_table_has_a_shipped_form_that_loads, NULL, NULL)
{
	struct form_set set;
	struct tz_error err = { 0 };
	if (form_load_dir("forms", &set, &err) != TZ_OK)
		fail_msg("forms/: %s", err.msg);
	size_t ntables;
	const struct table_def *const *tables = model_tables(&ntables);
	for (size_t i = 0; i < ntables; i++)
		if (form_set_for_table(&set, tables[i]->table) == NULL)
			fail_msg("no form in forms/ for table %s (%s)", tables[i]->table, tables[i]->label);
	for (size_t i = 0; i < set.nforms; i++) {
		const struct form *f = set.forms[i];
		/* Sorted by name, named after the file, and not empty. */
		if (i > 0)
			assert_true(strcmp(set.forms[i - 1]->name, f->name) < 0);
		assert_true(f->nfields > 0);
		assert_true(f->key < f->nfields);
		assert_non_null(f->fields[f->key].column);
		assert_true(f->nlist > 0);
		for (size_t j = 0; j < f->nfields; j++) {
			const struct form_field *ff = &f->fields[j];
			assert_true(utf8_ncols(ff->label) <= FORM_LABEL_MAX_NCOLS);
			assert_true(utf8_ncols(ff->help) <= FORM_HELP_MAX_NCOLS);
			assert_true(ff->width_ncols >= FORM_WIDTH_MIN_NCOLS &&
				    ff->width_ncols <= FORM_WIDTH_MAX_NCOLS);
			/* Every field maps to the model's field of its column. */
			if (ff->column != NULL)
				assert_ptr_equal(form_field_model(f, j), model_field(f->table, ff->column));
		}
	}
	form_set_free(&set);
	assert_null(set.forms);
}

/* The visibility rules the screens promise, as shipped. */
UNIT_TEST(shipped_forms_show_dependent_fields_only_when_they_apply, NULL, NULL)
{
	static const struct {
		const char *form, *field, *on, *op;
		const char *codes[3];
	} rules[] = {
		{ "schooling", "dropout_reason", "state", "=", { "dropped_out" } },
		{ "housing", "renovated_on", "renovation", "=", { "done" } },
		{ "complaints", "result", "state", "=", { "concluded" } },
		{ "complaints", "closed_on", "state", "=", { "concluded" } },
		{ "households", "exited_on", "status", "in", { "exited", "monitored" } },
		{ "procedure_steps", "end_date", "step", "in", { "village_notice", "town_notice" } },
		{ "loans", "repaid_on", "state", "=", { "repaid" } },
	};
	for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
		struct form *f = load_shipped(rules[r].form);
		size_t i = form_field_index(f, rules[r].field);
		assert_int_not_equal(i, FORM_NONE);
		const struct form_cond *c = &f->fields[i].visible_if;
		assert_int_equal(c->field, form_field_index(f, rules[r].on));
		assert_int_equal(c->op, strcmp(rules[r].op, "=") == 0 ? FORM_COND_EQ : FORM_COND_IN);
		for (size_t k = 0; k < 3 && rules[r].codes[k]; k++)
			assert_string_equal(c->codes[k], rules[r].codes[k]);
		/* Shown when the condition holds, and then required. */
		const char *values[FORM_MAX_FIELDS] = { 0 };
		assert_false(form_field_visible(f, i, values));
		values[c->field] = rules[r].codes[0];
		assert_true(form_field_visible(f, i, values));
		assert_true(f->fields[i].required);
		form_free(f);
	}

	struct form *m = load_shipped("members");
	static const struct {
		const char *field;
		enum form_compute compute;
	} computed[] = {
		{ "age", FORM_COMPUTE_AGE }, { "sex", FORM_COMPUTE_SEX }, { "birth_date", FORM_COMPUTE_BIRTH },
	};
	for (size_t k = 0; k < sizeof computed / sizeof computed[0]; k++) {
		size_t i = form_field_index(m, computed[k].field);
		assert_int_not_equal(i, FORM_NONE);
		assert_int_equal(m->fields[i].compute, computed[k].compute);
		assert_int_equal(m->fields[i].compute_from, form_field_index(m, "idcard"));
		assert_true(m->fields[i].readonly);
	}
	assert_null(m->fields[form_field_index(m, "age")].column);
	form_free(m);
}

/* The built-in copies, when this build embeds them, are the files of forms/. */
UNIT_TEST(builtin_copies_are_the_forms_folder, NULL, NULL)
{
	struct form_set builtin, dir;
	struct tz_error err = { 0 };
	if (form_load_builtin(&builtin, &err) != TZ_OK)
		fail_msg("built-in: %s", err.msg);
	if (builtin.nforms == 0)
		skip(); /* this build has no embedded forms (scripts/embed-forms.sh not wired) */
	assert_int_equal(form_load_dir("forms", &dir, &err), TZ_OK);
	assert_int_equal(builtin.nforms, dir.nforms);
	for (size_t i = 0; i < dir.nforms; i++) {
		const struct form *a = dir.forms[i], *b = form_set_find(&builtin, a->name);
		if (b == NULL)
			fail_msg("forms/%s.form is not built in: rebuild", a->name);
		assert_string_equal(a->title, b->title);
		assert_int_equal(a->nfields, b->nfields);
		for (size_t j = 0; j < a->nfields; j++)
			assert_string_equal(a->fields[j].help, b->fields[j].help);
	}
	form_set_free(&builtin);
	form_set_free(&dir);
}

/* ---- malformed forms ---- */

UNIT_TEST(a_form_file_with_a_mistake_is_refused_with_its_line_and_reason, NULL, NULL)
{
	/* Syntax and structure. */
	refused("", 1, "文件是空的");
	refused("; 只有注释\n# 也是注释\n\n", 1, "文件是空的");
	refused(NAME_FIELD FORM_HEAD, 1, "[field.name] 写在了 [form] 之前");
	refused("title = 村民小组\n" FORM_HEAD NAME_FIELD, 1, "写在了所有节之前");
	refused(FORM_HEAD "[fields.name]\nlabel = 小组名称\n", 6, "未知的节“[fields.name]”");
	refused(FORM_HEAD "[field.Name]\nlabel = 小组名称\n", 6, "字段名“Name”不对");
	refused(FORM_HEAD NAME_FIELD "[field.name]\nlabel = 又一个\ncolumn = name\nhelp = 重复\n", 10,
		"字段“name”重复：第 6 行已有 [field.name]");
	refused(FORM_HEAD NAME_FIELD "[field.extra]\n", 10, "节 [field.extra] 是空的");
	refused(FORM_HEAD "[field.name]\nlabel = 小组名称\nlabel = 组名\n", 8, "“label”写了两次（第 7 行已写过）");
	refused(FORM_HEAD "[field.name]\nlable = 小组名称\n", 7, "字段中没有“lable”这个设置（可用：label、help、column");
	refused("[form]\ntitle = 村民小组\ntables = villager_groups\n", 3, "[form] 中没有“tables”这个设置");
	refused(FORM_HEAD "[field.name]\nlabel = 小组名称\n  column = name\n", 8, "行首不能有空格");
	refused(FORM_HEAD "[field.name]\nlabel 小组名称\n", 7, "这一行看不懂");
	refused(FORM_HEAD "[field.name]\nlabel =\n", 7, "“label”没有写值");
	refused(FORM_HEAD "[form]\ntitle = 再来\n", 6, "[form] 写了两次（第 1 行已有）");
	refused(FORM_HEAD, 1, "表单没有任何字段");

	/* Bytes. */
	char longline[400];
	snprintf(longline, sizeof longline, FORM_HEAD NAME_FIELD "; %0200d\n", 0);
	refused(longline, 10, "这一行太长：202 字节，最多 198 字节");
	refused(FORM_HEAD "[field.name]\nlabel = \xd0\xa1\xd7\xe9\n", 7, "不是 UTF-8 编码");

	/* Text that would misalign the screen or not fit. */
	refused(FORM_HEAD "[field.name]\nlabel = ※小组名称\ncolumn = name\nhelp = 小组的名字\n", 7,
		"label中的“※”（U+203B）在有的终端上占一列");
	refused(FORM_HEAD "[field.name]\nlabel = 小组名称\ncolumn = name\nhelp = 写上“张庄组”\n", 9,
		"help中的““”（U+201C）");
	refused(FORM_HEAD "[field.name]\nlabel = 这个标签实在是写得太长了一些\ncolumn = name\nhelp = 名字\n", 7,
		"label太长：占 28 列，最多 20 列");

	/* [form] keys. */
	refused("[form]\ntitle = 村民小组\nhelp = 说明\n\n" NAME_FIELD, 1, "[form] 缺少 table");
	refused("[form]\ntitle = 村民小组\ntable = villagers\nhelp = 说明\n\n" NAME_FIELD, 3, "表“villagers”不在模型中");
	refused("[form]\ntable = villager_groups\nhelp = 说明\n\n" NAME_FIELD, 1, "[form] 缺少 title");
	refused(FORM_HEAD NAME_FIELD "[field.age]\nlabel = 年龄\ncomputed = age_from = name\nhelp = 年龄\n", 12,
		"computed 只能从身份证号（idcard）字段算出");
	refused("[form]\ntitle = 村民小组\ntable = villager_groups\nhelp = 说明\nlist = name, nobody\n\n" NAME_FIELD, 5,
		"list 中的字段“nobody”不在这个表单里");

	/* Fields against the model. */
	refused(FORM_HEAD "[field.name]\ncolumn = name\nhelp = 小组的名字\n", 6, "[field.name] 缺少 label");
	refused(FORM_HEAD "[field.name]\nlabel = 小组名称\ncolumn = name\n", 6, "[field.name] 缺少 help");
	refused(FORM_HEAD "[field.name]\nlabel = 小组名称\nhelp = 名字\n", 6, "[field.name] 缺少 column");
	refused(FORM_HEAD NAME_FIELD "type = money2\n", 10,
		"未知的字段类型“money2”（可用：text、note、int、money、date、enum、codes、idcard、phone、bool、ref）");
	refused(FORM_HEAD "[field.name]\nlabel = 小组名称\ncolumn = nmae\nhelp = 名字\n", 8,
		"表 villager_groups（村民小组）没有“nmae”这一列（可录入的列：name）");
	refused(FORM_HEAD NAME_FIELD "[field.village]\nlabel = 村\ncolumn = village_code\nhelp = 村代码\n", 12,
		"该列不能在表单中录入");
	refused(FORM_HEAD NAME_FIELD "[field.id]\nlabel = 编号\ncolumn = id\nhelp = 编号\n", 12, "该列不能在表单中录入");
	refused(FORM_HEAD NAME_FIELD "[field.again]\nlabel = 又是名称\ncolumn = name\nhelp = 名字\n", 12,
		"列 name 已由字段“name”（第 6 行）录入");
	refused(FORM_HEAD NAME_FIELD "required = no\n", 10, "“required = no”比模型宽松");
	refused(FORM_HEAD NAME_FIELD "max = 21\n", 10, "“max = 21”比模型宽松：列 name 在模型中最大是 20 个字");
	refused(FORM_HEAD NAME_FIELD "min = 2\n", 10, "文字字段只能设 max");
	refused(FORM_HEAD NAME_FIELD "width = 100\n", 10, "width 应为 2 到 60 之间的整数");
	refused(FORM_HEAD NAME_FIELD "readonly = maybe\n", 10, "“readonly”只能写 yes 或 no");

	/* Type and code list may not change: the model's rule set is the one. */
	static const char members_head[] =
		"[form]\ntitle = 家庭成员\ntable = members\nhelp = 说明\n\n"                       /* 1-5 */
		"[field.household_id]\nlabel = 所属户\ncolumn = household_id\nhelp = 哪一户\n\n" /* 6-10 */
		"[field.name]\nlabel = 姓名\ncolumn = name\nhelp = 姓名\n\n"                      /* 11-15 */
		"[field.relation]\nlabel = 关系\ncolumn = relation\nhelp = 关系\n\n"              /* 16-20 */
		"[field.status]\nlabel = 状态\ncolumn = status\nhelp = 状态\n\n";                 /* 21-25 */
	char text[2048];
	snprintf(text, sizeof text, "%s[field.idcard]\nlabel = 身份证号\ncolumn = idcard\ntype = text\nhelp = 号码\n",
		 members_head);
	refused(text, 29, "类型“text”比模型宽松：列 idcard（身份证号）在模型中是 idcard");
	snprintf(text, sizeof text, "%s[field.idcard]\nlabel = 身份证号\ncolumn = idcard\ntype = date\nhelp = 号码\n",
		 members_head);
	refused(text, 29, "类型“date”与模型不符：列 idcard（身份证号）在模型中是 idcard");
	snprintf(text, sizeof text,
		 "%s[field.idcard]\nlabel = 身份证号\ncolumn = idcard\nhelp = 号码\n\n"
		 "[field.health]\nlabel = 健康\ncolumn = health\ncode_list = sex\nhelp = 健康\n",
		 members_head);
	refused(text, 34, "代码表“sex”与模型不符：列 health（健康状况）在模型中用代码表 health");
	/* Without idcard (required by the model) the form could never save. */
	refused(members_head, 1, "表单缺少列 idcard（身份证号）：它在模型中必填");

	/* visible_if: its tiny grammar, its field, its codes; set on the phone
	 * field, line 35. */
	static const struct {
		const char *condition, *says;
	} bad_conditions[] = {
		{ "status == exited", "visible_if 看不懂" },
		{ "status", "visible_if 看不懂" },
		{ "status = ", "visible_if 看不懂" },
		{ "status in", "visible_if 看不懂" },
		{ "status = a, b", "visible_if 看不懂" },
		{ "= exited", "visible_if 看不懂" },
		{ "status like exited", "visible_if 看不懂" },
		{ "status = 已脱贫", "visible_if 看不懂" },
		{ "status = gone",
		  "“gone”不是状态的代码（代码表 member_status：present、deceased、moved_out、married_out）" },
		{ "state = present", "visible_if 中的字段“state”不在这个表单里" },
		{ "name = present", "visible_if 只能依据 enum（代码选择）或 bool（是否）字段" },
	};
	for (size_t i = 0; i < sizeof bad_conditions / sizeof bad_conditions[0]; i++) {
		snprintf(text, sizeof text,
			 "%s[field.idcard]\nlabel = 身份证号\ncolumn = idcard\nhelp = 号码\n\n"
			 "[field.phone]\nlabel = 电话\ncolumn = phone\nhelp = 电话\nvisible_if = %s\n",
			 members_head, bad_conditions[i].condition);
		refused(text, 35, bad_conditions[i].says);
	}
	snprintf(text, sizeof text,
		 "%s[field.idcard]\nlabel = 身份证号\ncolumn = idcard\nhelp = 号码\nvisible_if = status = present\n",
		 members_head);
	refused(text, 30, "列 idcard（身份证号）在模型中必填，必须一直显示，不能设 visible_if");
	snprintf(text, sizeof text,
		 "%s[field.idcard]\nlabel = 身份证号\ncolumn = idcard\nhelp = 号码\n\n"
		 "[field.health]\nlabel = 健康\ncolumn = health\nhelp = 健康\nvisible_if = schooling = primary\n\n"
		 "[field.schooling]\nlabel = 文化\ncolumn = schooling\nhelp = 文化\nvisible_if = health = healthy\n",
		 members_head);
	refused(text, 35, "visible_if 绕成了圈");
}

UNIT_TEST(a_problem_is_reported_with_how_many_more_there_are, NULL, NULL)
{
	struct form *f = NULL;
	struct tz_error err = { 0 };
	assert_int_equal(form_load_string("x.form",
					  FORM_HEAD "[field.name]\nlabel = ※\ncolumn = nmae\nhelp = “名字”\nwidth = 0\n",
					  &f, &err),
			 TZ_EFAIL);
	assert_null(f);
	assert_non_null(strstr(err.msg, "x.form 第 7 行："));
	assert_non_null(strstr(err.msg, "（另有 3 处问题）"));
}

UNIT_TEST(windows_line_ends_and_a_byte_order_mark_are_fine, NULL, NULL)
{
	struct form *f = load_ok("groups.form", "\xEF\xBB\xBF[form]\r\ntitle = 村民小组\r\ntable = villager_groups\r\n"
						"help = 本村的村民小组 ; 注释\r\n\r\n[field.name]\r\nlabel = 小组名称\r\n"
						"column = name\r\nhelp = 小组的名字；最多 20 个字\r\n");
	assert_string_equal(f->name, "groups");
	assert_string_equal(f->help, "本村的村民小组");
	assert_string_equal(f->fields[0].help, "小组的名字；最多 20 个字");
	assert_int_equal(f->fields[0].line, 6);
	form_free(f);
}

/* Write text to the file name in the folder dir. */
static void write_text(const char *dir, const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	fixture_write_file(path, text, strlen(text));
}

UNIT_TEST(a_bad_file_fails_the_whole_folder_and_names_itself, NULL, NULL)
{
	char dir[] = "/tmp/tz-forms-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	write_text(dir, "a_good.form", FORM_HEAD NAME_FIELD);
	write_text(dir, "b_bad.form", FORM_HEAD NAME_FIELD "colour = red\n");
	write_text(dir, ".hidden.form", "not a form at all");

	struct form_set set;
	struct tz_error err = { 0 };
	assert_int_equal(form_load_dir(dir, &set, &err), TZ_EFAIL);
	assert_int_equal(set.nforms, 0);
	char where[128];
	snprintf(where, sizeof where, "%s/b_bad.form 第 10 行：字段中没有“colour”这个设置", dir);
	assert_non_null(strstr(err.msg, where));

	snprintf(path, sizeof path, "%s/b_bad.form", dir);
	unlink(path);
	assert_int_equal(form_load_dir(dir, &set, &err), TZ_OK);
	assert_int_equal(set.nforms, 1); /* the hidden file is not read */
	assert_non_null(form_set_find(&set, "a_good"));
	assert_null(form_set_find(&set, "b_bad"));
	form_set_free(&set);

	snprintf(path, sizeof path, "%s/a_good.form", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/.hidden.form", dir);
	unlink(path);
	rmdir(dir);
}

UNIT_TEST(the_default_search_takes_each_form_from_the_first_place_that_has_it, NULL, NULL)
{
	char dir[] = "/tmp/tz-forms-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/villager_groups.form", dir);
	write_text(dir, "villager_groups.form",
		   "[form]\ntitle = 我们村的小组\ntable = villager_groups\nhelp = 改过的表单\n\n" NAME_FIELD);

	struct form_set set;
	struct tz_error err = { 0 };
	setenv("TAIZHANG_FORMS", dir, 1);
	if (form_load_default(&set, &err) != TZ_OK)
		fail_msg("%s", err.msg);
	/* The override from $TAIZHANG_FORMS, the rest from ./forms. */
	assert_string_equal(form_set_find(&set, "villager_groups")->title, "我们村的小组");
	assert_string_equal(form_set_find(&set, "members")->title, "家庭成员");
	size_t ntables;
	model_tables(&ntables);
	assert_true(set.nforms >= ntables);
	form_set_free(&set);

	/* A misspelt setting is reported, not ignored. */
	setenv("TAIZHANG_FORMS", "/nonexistent/forms", 1);
	assert_int_equal(form_load_default(&set, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "TAIZHANG_FORMS"));
	assert_non_null(strstr(err.msg, "/nonexistent/forms：文件或文件夹不存在"));
	assert_int_equal(set.nforms, 0);
	unsetenv("TAIZHANG_FORMS");

	unlink(path);
	rmdir(dir);
}

UNIT_TEST(with_no_forms_folder_the_built_in_copies_are_used, NULL, NULL)
{
	char cwd[4096], dir[] = "/tmp/tz-forms-XXXXXX";
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chdir(dir), 0);
	unsetenv("TAIZHANG_FORMS");
	struct form_set builtin, set;
	struct tz_error err = { 0 };
	assert_int_equal(form_load_builtin(&builtin, &err), TZ_OK);
	int rc = form_load_default(&set, &err);
	assert_int_equal(chdir(cwd), 0);
	rmdir(dir);
	if (builtin.nforms == 0) {
		assert_int_equal(rc, TZ_EFAIL);
		assert_non_null(strstr(err.msg, "找不到任何表单"));
	} else {
		assert_int_equal(rc, TZ_OK);
		assert_int_equal(set.nforms, builtin.nforms);
		assert_non_null(form_set_for_table(&set, "members"));
		form_set_free(&set);
	}
	form_set_free(&builtin);
}

/* Cut a shipped form short at every line and inside a Chinese character:
 * each prefix loads whole or is refused with a line inside it, never half. */
UNIT_TEST(a_form_cut_short_is_loaded_whole_or_refused, NULL, NULL)
{
	FILE *fp = fopen("forms/members.form", "rb");
	assert_non_null(fp);
	static char text[FORM_MAX_FILE_NBYTES + 1];
	size_t n = fread(text, 1, sizeof text - 1, fp);
	fclose(fp);
	char *cut = malloc(n + 1);
	int lines = 0, loaded = 0;
	/* form_load_string's own steps, with the reference schema built once for
	 * the hundred-odd cuts rather than once each. */
	struct form_schema *sc = form_schema_open();
	assert_non_null(sc);
	for (size_t at = 0; at <= n; at++) {
		int inside_char = at < n && ((unsigned char)text[at] & 0xC0) == 0x80;
		if (at < n && text[at] != '\n' && !(inside_char && lines <= 2))
			continue;
		memcpy(cut, text, at);
		cut[at] = '\0';
		struct form *f = NULL;
		struct tz_error err = { 0 };
		if (form_load_text(sc, "forms/cut.form", cut, strlen(cut), &f, &err) == TZ_OK) {
			loaded++;
			assert_true(f->nfields > 0);
			form_free(f);
		} else {
			int line = 0;
			if (sscanf(err.msg, "forms/cut.form 第 %d 行：", &line) != 1)
				fail_msg("cut at %zu: “%s”", at, err.msg);
			assert_true(line >= 1 && line <= lines + 1);
		}
		if (at < n && text[at] == '\n')
			lines++;
	}
	assert_true(loaded >= 1); /* the whole file, at least */
	form_schema_close(sc);
	free(cut);
}

/* The format example at the top of src/form/form.c is forms/schooling.form,
 * byte for byte, so the documentation cannot drift from what ships. */
UNIT_TEST(the_documented_example_is_the_shipped_schooling_form, NULL, NULL)
{
	static char src[256 * 1024], form[FORM_MAX_FILE_NBYTES + 1], example[FORM_MAX_FILE_NBYTES + 1];
	FILE *fp = fopen("src/form/form.c", "rb");
	if (fp == NULL)
		skip(); /* not run from the repository root */
	src[fread(src, 1, sizeof src - 1, fp)] = '\0';
	fclose(fp);
	fp = fopen("forms/schooling.form", "rb");
	assert_non_null(fp);
	form[fread(form, 1, sizeof form - 1, fp)] = '\0';
	fclose(fp);
	const char *p = strstr(src, " *   ; 就学情况");
	const char *end = strstr(src, " */\n#include");
	assert_non_null(p);
	assert_non_null(end);
	size_t used = 0;
	while (p < end) {
		const char *nl = strchr(p, '\n');
		if (strncmp(p, " *   ", 5) == 0) {
			memcpy(example + used, p + 5, (size_t)(nl + 1 - p - 5));
			used += (size_t)(nl + 1 - p - 5);
		} else {
			example[used++] = '\n'; /* " *" alone: a blank line */
		}
		p = nl + 1;
	}
	while (used > 0 && example[used - 1] == '\n' && example[used - 2] == '\n')
		used--;
	example[used] = '\0';
	assert_string_equal(example, form);
}

/* ---- evaluating ---- */

UNIT_TEST(visible_if_follows_its_condition_and_the_field_it_tests, NULL, NULL)
{
	struct form *f = load_shipped("schooling");
	size_t state_i = form_field_index(f, "state"), reason = form_field_index(f, "dropout_reason");
	const char *values[FORM_MAX_FIELDS] = { 0 };
	assert_false(form_field_visible(f, reason, values));
	values[state_i] = "in_school";
	assert_false(form_field_visible(f, reason, values));
	values[state_i] = "dropped_out";
	assert_true(form_field_visible(f, reason, values));
	values[state_i] = "辍学"; /* the label, as an officer may type it */
	assert_true(form_field_visible(f, reason, values));
	values[state_i] = "  dropped_out ";
	assert_true(form_field_visible(f, reason, values));
	assert_true(form_field_visible(f, state_i, values)); /* no condition: always */
	assert_false(form_field_visible(f, FORM_NONE, values));
	form_free(f);

	f = load_shipped("households");
	size_t status = form_field_index(f, "status"), exited = form_field_index(f, "exited_on");
	memset(values, 0, sizeof values);
	static const struct {
		const char *status;
		int shown;
	} cases[] = { { "identified", 0 }, { "helped", 0 }, { "exited", 1 }, { "monitored", 1 },
		      { "脱贫监测", 1 }, { "fell_back", 0 }, { "", 0 } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		values[status] = cases[i].status;
		assert_int_equal(form_field_visible(f, exited, values), cases[i].shown);
	}
	form_free(f);

	/* "!=", "in", and a chain: a field testing a hidden field sees it empty. */
	f = load_ok("members.form",
		    MEMBERS_HEAD
		    "[field.status]\nlabel = 状态\ncolumn = status\nhelp = 状态\n\n"
		    "[field.health]\nlabel = 健康\ncolumn = health\nhelp = 健康\nvisible_if = status = present\n\n"
		    "[field.work]\nlabel = 劳动能力\ncolumn = work_ability\nhelp = 劳力\nvisible_if = health != disabled\n\n"
		    "[field.school]\nlabel = 文化\ncolumn = schooling\nhelp = 文化\nvisible_if = health in healthy,chronic\n");
	size_t st = form_field_index(f, "status"), health = form_field_index(f, "health");
	size_t work = form_field_index(f, "work"), school = form_field_index(f, "school");
	memset(values, 0, sizeof values);
	values[st] = "在户";
	values[health] = "disabled";
	assert_true(form_field_visible(f, health, values));
	assert_false(form_field_visible(f, work, values));
	assert_false(form_field_visible(f, school, values));
	values[health] = "长期慢性病";
	assert_true(form_field_visible(f, work, values));
	assert_true(form_field_visible(f, school, values));
	values[st] = "deceased"; /* health hidden: "!=" holds, "in" does not, whatever it says */
	values[health] = "disabled";
	assert_false(form_field_visible(f, health, values));
	assert_true(form_field_visible(f, work, values));
	assert_false(form_field_visible(f, school, values));
	form_free(f);

	/* A computed sex can be tested like the code list sex it comes from. */
	setenv("TAIZHANG_TODAY", TODAY, 1);
	f = load_ok("members.form",
		    MEMBERS_HEAD
		    "[field.shown_sex]\nlabel = 性别\ncomputed = sex_from = idcard\nhelp = 自动\n\n"
		    "[field.disability]\nlabel = 残疾\ncolumn = disability\nhelp = 残疾\nvisible_if = shown_sex = F\n");
	char woman[IDCARD_NCHARS + 1], man[IDCARD_NCHARS + 1];
	idcard_make(woman, "341522", 1990, 1, 2, 8);
	idcard_make(man, "341522", 1990, 1, 2, 9);
	size_t id = form_field_index(f, "idcard"), dis = form_field_index(f, "disability");
	memset(values, 0, sizeof values);
	values[form_field_index(f, "shown_sex")] = "F"; /* what the screen holds is ignored */
	assert_false(form_field_visible(f, dis, values));
	values[id] = man;
	assert_false(form_field_visible(f, dis, values));
	values[id] = woman;
	assert_true(form_field_visible(f, dis, values));
	form_free(f);

	/* bool: read as the model reads it. */
	f = load_ok("leaders.form",
		    "[form]\ntitle = 带头人\ntable = business_leaders\nhelp = 说明\n\n"
		    "[field.name]\nlabel = 姓名\ncolumn = name\nhelp = 姓名\n\n"
		    "[field.idcard]\nlabel = 身份证号\ncolumn = idcard\nhelp = 号码\n\n"
		    "[field.industry]\nlabel = 产业\ncolumn = industry\nhelp = 产业\n\n"
		    "[field.trained]\nlabel = 培训\ncolumn = trained\nhelp = 培训\n\n"
		    "[field.system]\nlabel = 录入系统\ncolumn = in_national_system\nhelp = 录入\nvisible_if = trained = yes\n");
	size_t trained = form_field_index(f, "trained"), sys = form_field_index(f, "system");
	memset(values, 0, sizeof values);
	static const struct {
		const char *trained;
		int shown;
	} bools[] = { { "是", 1 }, { "1", 1 }, { "y", 1 }, { "yes", 1 }, { "否", 0 }, { "0", 0 },
		      { "也许", 0 }, { NULL, 0 } };
	for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
		values[trained] = bools[i].trained;
		assert_int_equal(form_field_visible(f, sys, values), bools[i].shown);
	}
	form_free(f);
}

UNIT_TEST(age_sex_and_birth_date_are_computed_from_the_id_number, NULL, NULL)
{
	setenv("TAIZHANG_TODAY", TODAY, 1);
	struct form *f = load_shipped("members");
	size_t id = form_field_index(f, "idcard"), age = form_field_index(f, "age");
	size_t sex = form_field_index(f, "sex"), birth = form_field_index(f, "birth_date");
	const char *values[FORM_MAX_FIELDS] = { 0 };
	char out[32];

	char man[IDCARD_NCHARS + 1], woman[IDCARD_NCHARS + 1];
	idcard_make(man, "341522", 1984, 5, 21, 17);  /* 35 on 2019-05-21, 34 the day before */
	idcard_make(woman, "341522", 2010, 5, 20, 8); /* 9 today */
	values[id] = man;
	assert_int_equal(form_field_computed(f, age, values, out, sizeof out), 1);
	assert_string_equal(out, "34");
	assert_int_equal(form_field_computed(f, sex, values, out, sizeof out), 1);
	assert_string_equal(out, "男");
	assert_int_equal(form_field_computed(f, birth, values, out, sizeof out), 1);
	assert_string_equal(out, "1984-05-21");
	setenv("TAIZHANG_TODAY", "2019-05-21", 1);
	assert_int_equal(form_field_computed(f, age, values, out, sizeof out), 1);
	assert_string_equal(out, "35");
	setenv("TAIZHANG_TODAY", TODAY, 1);

	values[id] = woman;
	assert_int_equal(form_field_computed(f, age, values, out, sizeof out), 1);
	assert_string_equal(out, "9");
	assert_int_equal(form_field_computed(f, sex, values, out, sizeof out), 1);
	assert_string_equal(out, "女");

	/* Full-width digits and a lower-case x, as input methods produce. */
	values[id] = "１１０１０５１９４９１２３１００２ｘ";
	assert_int_equal(form_field_computed(f, age, values, out, sizeof out), 1);
	assert_string_equal(out, "69");

	/* Nothing to show for an empty, unfinished or wrong number. */
	static const char *const nothing[] = { NULL, "", "3415221984", "110105194912310021" };
	for (size_t i = 0; i < sizeof nothing / sizeof nothing[0]; i++) {
		values[id] = nothing[i];
		assert_int_equal(form_field_computed(f, age, values, out, sizeof out), 0);
		assert_string_equal(out, "");
	}
	/* Not a computed field; no room. */
	values[id] = man;
	assert_int_equal(form_field_computed(f, id, values, out, sizeof out), 0);
	assert_int_equal(form_field_computed(f, birth, values, out, 5), 0);
	form_free(f);
}

/* ---- saving through the model ---- */

/* What the store's transaction hooks saw (the sync module's change capture
 * hangs on the same hooks). */
struct tx_count {
	int begun, committed, rolled_back;
};

static int count_begin(void *ctx, sqlite3 *db, struct tz_error *err)
{
	(void)db, (void)err;
	((struct tx_count *)ctx)->begun++;
	return TZ_OK;
}

static void count_end(void *ctx, sqlite3 *db, int committed)
{
	(void)db;
	struct tx_count *n = ctx;
	if (committed)
		n->committed++;
	else
		n->rolled_back++;
}

static const struct store_tx_hooks counting = { .begin = count_begin, .end = count_end };

struct form_fixture {
	struct fixture fx;
	char group[IDS_NCHARS + 1];
	struct form *households, *members; /* the shipped forms */
	struct tx_count tx;                /* transactions since setup */
};

static int setup(void **state)
{
	struct form_fixture *f = fixture_new_village(sizeof *f, TODAY);
	if (f == NULL)
		return -1;
	fixture_add_group(f->fx.s, f->group);
	f->households = load_shipped("households");
	f->members = load_shipped("members");
	store_set_tx_hooks(f->fx.s, &counting, &f->tx);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct form_fixture *f = *state;
	form_free(f->households);
	form_free(f->members);
	return fixture_teardown(state);
}

/* Save values through form: form_to_record, then the model's record_insert. */
static int save(struct form_fixture *fx, const struct form *f, const char *const *values, char *id_out,
		struct tz_error *err)
{
	struct record r;
	int rc = form_to_record(fx->fx.s, f, values, &r, err);
	if (rc != TZ_OK)
		return rc;
	rc = store_tx_begin(fx->fx.s, err);
	if (rc == TZ_OK) {
		rc = record_insert(fx->fx.s, &r, err);
		if (rc == TZ_OK)
			rc = store_tx_commit(fx->fx.s, err);
		else
			store_tx_rollback(fx->fx.s);
	}
	if (rc == TZ_OK && id_out)
		memcpy(id_out, r.id, IDS_NCHARS + 1);
	record_free(&r);
	return rc;
}

/* The row id of table as stored has, for each column and value of pairs
 * (column, value, ..., NULL), that value; a NULL value: the column empty. */
static void row_has(struct form_fixture *fx, const char *table, const char *id,
		    const char *const *pairs)
{
	struct record r;
	struct tz_error e;
	if (record_load(fx->fx.s, model_table(table), id, &r, &e) != TZ_OK)
		fail_msg("%s %s: %s", table, id, e.msg);
	for (size_t i = 0; pairs[i] != NULL; i += 2) {
		const char *got = record_get(&r, pairs[i]), *want = pairs[i + 1];
		if (want == NULL ? got != NULL : got == NULL || strcmp(got, want) != 0)
			fail_msg("%s is “%s”, not “%s”", pairs[i], got ? got : "(empty)",
				 want ? want : "(empty)");
	}
	record_free(&r);
}

/* save, which must succeed (else the test fails with the message). */
static void save_ok(struct form_fixture *fx, const struct form *f, const char *const *values,
		    char *id_out)
{
	struct tz_error err;
	if (save(fx, f, values, id_out, &err) != TZ_OK)
		fail_msg("%s", err.msg);
}

/* households.note is in the model; no C in form/ or tui/ names it. A form
 * that adds it (more strictly than the model: at most 10 characters) enters it
 * through the model as it is. */
UNIT_TEST(a_field_added_to_a_form_is_entered_with_no_c_change, setup, teardown)
{
	struct form_fixture *fx = *state;
	struct form *f = load_ok("forms/households_with_note.form",
				 "[form]\ntitle = 建档立卡户\ntable = households\nhelp = 一户一条\n\n"
				 "[field.group_id]\nlabel = 村民小组\ncolumn = group_id\nhelp = 选小组\n\n"
				 "[field.status]\nlabel = 户状态\ncolumn = status\nhelp = 现在的状态\n\n"
				 "[field.remark]\nlabel = 备注\ncolumn = note\nmax = 10\nhelp = 其他情况，最多 10 个字\n");
	size_t remark = form_field_index(f, "remark");
	assert_ptr_equal(form_field_model(f, remark), model_field(model_table("households"), "note"));
	assert_int_equal(f->fields[remark].check.type, FIELD_NOTE);

	const char *values[FORM_MAX_FIELDS] = { 0 };
	values[form_field_index(f, "group_id")] = fx->group;
	values[form_field_index(f, "status")] = "帮扶中";
	values[remark] = "家中老人需要照顾，待核实";
	struct tz_error err = { 0 };
	/* The form's stricter limit, in the form's words. */
	assert_int_equal(save(fx, f, values, NULL, &err), TZ_EFAIL);
	assert_string_equal(err.msg, "备注最多 10 个字，现在有 12 个，请删减");
	char *norm = NULL;
	assert_int_equal(form_field_check(fx->fx.s, f, remark, values[remark], &norm, &err), TZ_EFAIL);
	assert_null(norm);

	values[remark] = "老人需要照顾";
	char id[IDS_NCHARS + 1];
	save_ok(fx, f, values, id);
	struct record r;
	assert_int_equal(record_load(fx->fx.s, model_table("households"), id, &r, &err), TZ_OK);
	assert_string_equal(record_get(&r, "note"), "老人需要照顾");
	assert_string_equal(record_get(&r, "status"), "helped");
	const char *loaded[FORM_MAX_FIELDS] = { 0 };
	form_values_from_record(f, &r, loaded);
	assert_string_equal(loaded[remark], "老人需要照顾");
	record_free(&r);
	form_free(f);
}

/* What a shipped screen saves: hidden fields are left empty, computed columns
 * are completed by the model, stricter form limits hold. */
UNIT_TEST(shipped_forms_save_through_the_model, setup, teardown)
{
	struct form_fixture *fx = *state;
	struct tz_error err = { 0 };
	const char *values[FORM_MAX_FIELDS] = { 0 };

	struct form *h = load_shipped("households");
	values[form_field_index(h, "group_id")] = fx->group;
	values[form_field_index(h, "status")] = "exited";
	values[form_field_index(h, "identified_on")] = "2016-03-01";
	assert_int_equal(save(fx, h, values, NULL, &err), TZ_EFAIL);
	assert_string_equal(err.msg, "请填写脱贫日期"); /* the form says so before the model does */
	values[form_field_index(h, "exited_on")] = "2018年12月20日";
	char household[IDS_NCHARS + 1];
	save_ok(fx, h, values, household);
	form_free(h);

	struct form *m = load_shipped("members");
	memset(values, 0, sizeof values);
	char idcard[IDCARD_NCHARS + 1];
	idcard_make(idcard, "341522", 1984, 5, 1, 17);
	values[form_field_index(m, "household_id")] = household;
	values[form_field_index(m, "name")] = "张建国";
	values[form_field_index(m, "idcard")] = idcard;
	values[form_field_index(m, "relation")] = "户主";
	values[form_field_index(m, "sex")] = "女"; /* computed: never taken from the screen */
	char member[IDS_NCHARS + 1];
	save_ok(fx, m, values, member);
	row_has(fx, "members", member, (const char *[]){
		"sex", "M",
		"birth_date", "1984-05-01",
		NULL });
	form_free(m);

	struct form *s = load_shipped("schooling");
	memset(values, 0, sizeof values);
	values[form_field_index(s, "member_id")] = member;
	values[form_field_index(s, "stage")] = "senior";
	values[form_field_index(s, "state")] = "in_school";
	values[form_field_index(s, "dropout_reason")] = "left over from an earlier choice";
	values[form_field_index(s, "as_of")] = "2019-05-01";
	struct record sr;
	assert_int_equal(form_to_record(fx->fx.s, s, values, &sr, &err), TZ_OK);
	assert_null(record_get(&sr, "dropout_reason"));
	assert_string_equal(record_get(&sr, "state"), "in_school");
	record_free(&sr);
	values[form_field_index(s, "state")] = "dropped_out";
	values[form_field_index(s, "dropout_reason")] = "";
	assert_int_equal(form_to_record(fx->fx.s, s, values, &sr, &err), TZ_EFAIL);
	assert_string_equal(err.msg, "请填写辍学原因");
	form_free(s);

	struct form *l = load_shipped("loans");
	size_t amount = form_field_index(l, "amount_cents");
	char *norm = NULL;
	assert_int_equal(form_field_check(fx->fx.s, l, amount, "50000", &norm, &err), TZ_OK);
	assert_string_equal(norm, "5000000");
	free(norm);
	assert_int_equal(form_field_check(fx->fx.s, l, amount, "50000.01", &norm, &err), TZ_EFAIL);
	assert_string_equal(err.msg, "贷款金额不能大于 50000.00 元，请核对");
	form_free(l);
}

/* ---- saving a row in one go: form_save, form_save_record ---- */

static long long count_rows(struct form_fixture *fx, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(fx->fx.s), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Every row a save can write: the ledgers, their history and the audit log. */
static long long rows_written(struct form_fixture *fx)
{
	return count_rows(fx, "SELECT (SELECT count(*) FROM households) + (SELECT count(*) FROM members)"
			      " + (SELECT count(*) FROM household_status_history)"
			      " + (SELECT count(*) FROM audit_log)");
}

static size_t field_of(const struct form *f, const char *name)
{
	size_t i = form_field_index(f, name);
	if (i == FORM_NONE)
		fail_msg("form %s has no field %s", f->name, name);
	return i;
}

/* Household id as stored, into r (caller record_free()s it). */
static void load_household(struct form_fixture *fx, const char *id, struct record *r)
{
	struct tz_error e;
	if (record_load(fx->fx.s, model_table("households"), id, r, &e) != TZ_OK)
		fail_msg("household %s: %s", id, e.msg);
}

/* The values of a household being helped, as an officer types them. */
static void household_values(struct form_fixture *fx, const char **values)
{
	const struct form *f = fx->households;
	memset(values, 0, FORM_MAX_FIELDS * sizeof *values);
	values[field_of(f, "group_id")] = fx->group;
	values[field_of(f, "status")] = "帮扶中";
	values[field_of(f, "phone")] = "13912345678";
	values[field_of(f, "income_cents")] = "3,250.5";
	values[field_of(f, "identified_on")] = "2016年3月1日";
}

/* The running test's fixture, values filled by household_values. */
static struct form_fixture *with_household_values(void **state, const char **values)
{
	struct form_fixture *fx = *state;
	household_values(fx, values);
	return fx;
}

/* A new household saved through the form; its id into id. */
static void save_household(struct form_fixture *fx, char id[IDS_NCHARS + 1])
{
	const char *values[FORM_MAX_FIELDS];
	household_values(fx, values);
	struct form_error err;
	if (form_save(fx->fx.s, fx->households, values, NULL, id, &err) != TZ_OK)
		fail_msg("household: %s", err.err.msg);
}

/* ---- a valid save ---- */

UNIT_TEST(a_valid_new_row_is_written_in_one_transaction_and_reads_back, setup, teardown)
{
	const char *values[FORM_MAX_FIELDS];
	struct form_fixture *fx = with_household_values(state, values);
	char id[IDS_NCHARS + 1];
	struct form_error err;
	if (form_save(fx->fx.s, fx->households, values, NULL, id, &err) != TZ_OK)
		fail_msg("%s", err.err.msg);
	assert_int_equal(err.err.code, TZ_OK);
	assert_int_equal(fx->tx.begun, 1);
	assert_int_equal(fx->tx.committed, 1);
	assert_int_equal(fx->tx.rolled_back, 0);

	row_has(fx, "households", id, (const char *[]){
		"status", "helped",
		"income_cents", "3250.50", /* stored 325050 分 */
		"identified_on", "2016-03-01",
		"phone", "13912345678",
		"exited_on", NULL, /* hidden while helped */
		NULL });
	/* The same transaction wrote the history and the audit row. */
	assert_int_equal(count_rows(fx, "SELECT count(*) FROM household_status_history"), 1);
	assert_int_equal(count_rows(fx, "SELECT count(*) FROM audit_log WHERE action = 'insert'"
					" AND subject LIKE 'households:%'"), 1);
}

UNIT_TEST(a_valid_change_is_written_in_one_transaction_and_reads_back, setup, teardown)
{
	struct form_fixture *fx = *state;
	char id[IDS_NCHARS + 1], again[IDS_NCHARS + 1];
	save_household(fx, id);
	struct record r;
	load_household(fx, id, &r);
	const char *values[FORM_MAX_FIELDS];
	form_values_from_record(fx->households, &r, values); /* what the screen shows */
	values[field_of(fx->households, "status")] = "已脱贫";
	values[field_of(fx->households, "exited_on")] = "2018-12-20";
	values[field_of(fx->households, "address")] = "张庄 12 号";
	struct form_target to = { .id = id };
	struct form_error err;
	fx->tx = (struct tx_count){ 0 };
	if (form_save(fx->fx.s, fx->households, values, &to, again, &err) != TZ_OK)
		fail_msg("%s", err.err.msg);
	record_free(&r);
	assert_string_equal(again, id);
	assert_int_equal(fx->tx.begun, 1);
	assert_int_equal(fx->tx.committed, 1);

	row_has(fx, "households", id, (const char *[]){
		"status", "exited",
		"exited_on", "2018-12-20",
		"address", "张庄 12 号",
		"income_cents", "3250.50", /* not counted twice */
		NULL });
	assert_int_equal(count_rows(fx, "SELECT count(*) FROM household_status_history"), 2);
	assert_int_equal(count_rows(fx, "SELECT count(*) FROM households"), 1);
}

/* ---- a refusal names its field ---- */

/* The refusal must name field name of f (its index, its column, its label in
 * the message), and nothing may have been written. */
static void refused_at(struct form_fixture *fx, const struct form *f, const struct form_error *err,
		       const char *name, const char *column, long long rows_before)
{
	assert_int_equal(err->err.code, TZ_EFAIL);
	assert_int_equal(err->field, field_of(f, name));
	assert_non_null(err->column);
	assert_string_equal(err->column, column);
	const char *label = f->fields[err->field].label;
	if (strstr(err->err.msg, label) == NULL)
		fail_msg("“%s” does not name “%s”", err->err.msg, label);
	assert_int_equal(fx->tx.committed, 0);
	assert_int_equal(rows_written(fx), rows_before);
}

/* The household values, saved as a new row, are refused at the field name
 * (column) as refused_at says; id and err are form_save's. */
static void new_household_refused_at(struct form_fixture *fx, const char **values, char *id,
				     struct form_error *err, const char *name, const char *column)
{
	long long before = rows_written(fx);
	assert_int_equal(form_save(fx->fx.s, fx->households, values, NULL, id, err), TZ_EFAIL);
	refused_at(fx, fx->households, err, name, column, before);
}

UNIT_TEST(a_bad_value_in_a_new_row_names_its_field_and_writes_nothing, setup, teardown)
{
	const char *values[FORM_MAX_FIELDS];
	struct form_fixture *fx = with_household_values(state, values);
	values[field_of(fx->households, "phone")] = "12345";
	char id[IDS_NCHARS + 1];
	struct form_error err;
	new_household_refused_at(fx, values, id, &err, "phone", "phone");
	assert_int_equal(fx->tx.begun, 0); /* refused before any transaction */
	assert_string_equal(id, "");
	/* The values typed are the caller's and are left as they were. */
	assert_string_equal(values[field_of(fx->households, "phone")], "12345");
	assert_string_equal(values[field_of(fx->households, "income_cents")], "3,250.5");
}

UNIT_TEST(a_bad_value_in_a_change_names_its_field_and_leaves_the_row, setup, teardown)
{
	struct form_fixture *fx = *state;
	char id[IDS_NCHARS + 1], again[IDS_NCHARS + 1];
	save_household(fx, id);
	const char *values[FORM_MAX_FIELDS];
	household_values(fx, values);
	values[field_of(fx->households, "income_cents")] = "三千";
	values[field_of(fx->households, "address")] = "张庄 12 号";
	struct form_target to = { .id = id };
	struct form_error err;
	long long before = rows_written(fx);
	fx->tx = (struct tx_count){ 0 };
	assert_int_equal(form_save(fx->fx.s, fx->households, values, &to, again, &err), TZ_EFAIL);
	refused_at(fx, fx->households, &err, "income_cents", "income_cents", before);
	row_has(fx, "households", id, (const char *[]){
		"address", NULL,
		"income_cents", "3250.50",
		NULL });
}

/* A rule across fields (the model's table check) names the field to correct
 * too: the exit date, when it is before the identification. */
UNIT_TEST(a_rule_across_fields_names_the_field_to_correct, setup, teardown)
{
	const char *values[FORM_MAX_FIELDS];
	struct form_fixture *fx = with_household_values(state, values);
	values[field_of(fx->households, "status")] = "已脱贫";
	values[field_of(fx->households, "exited_on")] = "2015-12-20";
	char id[IDS_NCHARS + 1];
	struct form_error err;
	new_household_refused_at(fx, values, id, &err, "exited_on", "exited_on");
	assert_string_equal(err.err.msg, "脱贫日期不能早于识别日期");
}

/* A computed column the model refuses (sex, from the ID number) sends the
 * officer to the field it is computed from; a duplicate ID number names it. */
UNIT_TEST(a_refused_computed_value_names_the_field_it_comes_from, setup, teardown)
{
	struct form_fixture *fx = *state;
	char household[IDS_NCHARS + 1], member[IDS_NCHARS + 1], other[IDS_NCHARS + 1];
	save_household(fx, household);
	const struct form *m = fx->members;
	char man[IDCARD_NCHARS + 1], woman[IDCARD_NCHARS + 1];
	idcard_make(man, "341522", 1984, 5, 1, 17);
	idcard_make(woman, "341522", 1984, 5, 1, 18);
	const char *values[FORM_MAX_FIELDS] = { 0 };
	values[field_of(m, "name")] = "张建国";
	values[field_of(m, "idcard")] = man;
	values[field_of(m, "relation")] = "户主";
	struct form_target to = { .preset_column = "household_id", .preset_value = household };
	struct form_error err;
	if (form_save(fx->fx.s, m, values, &to, member, &err) != TZ_OK)
		fail_msg("%s", err.err.msg);

	/* A change of the ID number to a woman's: the stored sex no longer agrees. */
	struct form_target change = { .id = member, .preset_column = "household_id",
				      .preset_value = household };
	values[field_of(m, "idcard")] = woman;
	long long before = rows_written(fx);
	fx->tx = (struct tx_count){ 0 };
	assert_int_equal(form_save(fx->fx.s, m, values, &change, other, &err), TZ_EFAIL);
	assert_string_equal(err.column, "sex");
	assert_int_equal(err.field, field_of(m, "idcard"));
	assert_non_null(strstr(err.err.msg, "身份证号"));
	assert_int_equal(rows_written(fx), before);

	/* The same person registered twice. */
	values[field_of(m, "idcard")] = man;
	values[field_of(m, "name")] = "张建设";
	values[field_of(m, "relation")] = "子女";
	assert_int_equal(form_save(fx->fx.s, m, values, &to, other, &err), TZ_EFAIL);
	refused_at(fx, m, &err, "idcard", "idcard", before);
}

/* ---- a failed write ---- */

/* From now on a household's history row cannot be written: a save gets as far
 * as writing the household row itself, then fails. */
static void fail_history_writes(struct form_fixture *fx)
{
	struct tz_error e;
	assert_int_equal(store_exec(fx->fx.s,
				    "CREATE TEMP TRIGGER no_history BEFORE INSERT ON household_status_history"
				    " BEGIN SELECT RAISE(ABORT, 'disk full'); END",
				    &e),
			 TZ_OK);
}

UNIT_TEST(a_write_that_fails_half_way_is_rolled_back_whole, setup, teardown)
{
	struct form_fixture *fx = *state;
	struct tz_error e;
	/* The household row goes in, then its history row fails. */
	fail_history_writes(fx);
	const char *values[FORM_MAX_FIELDS];
	household_values(fx, values);
	long long before = rows_written(fx);
	char id[IDS_NCHARS + 1];
	struct form_error err;
	fx->tx = (struct tx_count){ 0 };
	assert_int_equal(form_save(fx->fx.s, fx->households, values, NULL, id, &err), TZ_EFAIL);
	assert_int_equal(fx->tx.begun, 1);
	assert_int_equal(fx->tx.committed, 0);
	assert_int_equal(fx->tx.rolled_back, 1);
	assert_null(err.column); /* no field to blame */
	assert_int_equal(err.field, FORM_NONE);
	assert_int_equal(rows_written(fx), before);
	assert_false(store_tx_active(fx->fx.s));

	/* The same for a change. */
	assert_int_equal(store_exec(fx->fx.s, "DROP TRIGGER no_history", &e), TZ_OK);
	save_household(fx, id);
	fail_history_writes(fx);
	values[field_of(fx->households, "status")] = "已脱贫";
	values[field_of(fx->households, "exited_on")] = "2018-12-20";
	struct form_target to = { .id = id };
	char again[IDS_NCHARS + 1];
	before = rows_written(fx);
	assert_int_equal(form_save(fx->fx.s, fx->households, values, &to, again, &err), TZ_EFAIL);
	assert_int_equal(rows_written(fx), before);
	row_has(fx, "households", id, (const char *[]){
		"status", "helped",
		"exited_on", NULL,
		NULL });
}

/* ---- the command's save: a record, no form ---- */

UNIT_TEST(a_record_without_a_form_is_checked_by_the_model_and_named_by_column, setup, teardown)
{
	struct form_fixture *fx = *state;
	struct tz_error e;
	struct record r;
	record_init(&r, model_table("households"));
	record_set(&r, "group_id", fx->group, &e);
	record_set(&r, "status", "helped", &e);
	record_set(&r, "identified_on", "2016-03-01", &e);
	record_set(&r, "exited_on", "2031-01-01", &e); /* in the future */
	long long before = rows_written(fx);
	struct form_error err;
	assert_int_equal(form_save_record(fx->fx.s, NULL, &r, NULL, &err), TZ_EFAIL);
	assert_string_equal(err.column, "exited_on");
	assert_int_equal(err.field, FORM_NONE);
	assert_non_null(strstr(err.err.msg, "脱贫日期"));
	assert_int_equal(rows_written(fx), before);
	record_free(&r);

	record_init(&r, model_table("households"));
	record_set(&r, "group_id", fx->group, &e);
	record_set(&r, "status", "帮扶中", &e);
	record_set(&r, "income_cents", "1,000", &e);
	fx->tx = (struct tx_count){ 0 };
	if (form_save_record(fx->fx.s, NULL, &r, NULL, &err) != TZ_OK)
		fail_msg("%s", err.err.msg);
	assert_int_equal(fx->tx.committed, 1);
	assert_true(ids_valid(r.id));
	char id[IDS_NCHARS + 1];
	memcpy(id, r.id, sizeof id);
	record_free(&r);

	/* A change of that row, as record edit makes it: loaded, one field set. */
	load_household(fx, id, &r);
	record_set(&r, "address", "张庄 3 号", &e);
	if (form_save_record(fx->fx.s, NULL, &r, NULL, &err) != TZ_OK)
		fail_msg("%s", err.err.msg);
	record_free(&r);
	row_has(fx, "households", id, (const char *[]){
		"address", "张庄 3 号",
		"income_cents", "1000.00",
		NULL });
}

/* A save inside a transaction already open would not be one transaction of
 * its own: refused, and the open one is left to its owner. */
UNIT_TEST(a_save_inside_an_open_transaction_is_refused, setup, teardown)
{
	const char *values[FORM_MAX_FIELDS];
	struct form_fixture *fx = with_household_values(state, values);
	struct tz_error e;
	assert_int_equal(store_tx_begin(fx->fx.s, &e), TZ_OK);
	char id[IDS_NCHARS + 1];
	struct form_error err;
	assert_int_equal(form_save(fx->fx.s, fx->households, values, NULL, id, &err), TZ_EFAIL);
	assert_true(store_tx_active(fx->fx.s));
	store_tx_rollback(fx->fx.s);
	assert_int_equal(count_rows(fx, "SELECT count(*) FROM households"), 0);
}

int main(void)
{
	return unit_run("form", NULL, NULL);
}
