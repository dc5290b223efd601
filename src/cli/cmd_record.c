/*
 * cmd_record.c — `taizhang record`: the command-line face of the model. Any ledger
 * row can be entered, changed and shown here, through the same validation as the
 * screens and the imports (model.h); fields are named by column or by their
 * Chinese label.
 *
 *   record tables                     every table an officer enters
 *   record fields TABLE               its fields, types and allowed values
 *   record add TABLE FIELD=VALUE ...  a new row; prints its id
 *   record edit TABLE ID FIELD=VALUE  change some fields of a row
 *   record show TABLE ID              one row, field by field
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/browse.h"
#include "taizhang/cli.h"
#include "taizhang/form.h"
#include "taizhang/model.h"
#include "taizhang/utf8.h"

static const char usage[] =
	"用法：taizhang record tables\n"
	"       taizhang record fields 表名\n"
	"       taizhang record add 表名 字段=值 ...\n"
	"       taizhang record edit 表名 编号 字段=值 ...\n"
	"       taizhang record show 表名 编号\n"
	"按台账录入、修改、查看一条记录，校验规则与界面和导入相同。\n"
	"表名用英文名（如 households、visits），字段可写列名或中文名（如 姓名=张三）。\n"
	"金额以元为单位（如 1234.50），日期写成 2019-05-01，是否项写“是”或“否”。\n";

static const char *const type_names[] = {
	[FIELD_TEXT] = "文字", [FIELD_NOTE] = "多行文字", [FIELD_INT] = "整数",
	[FIELD_MONEY] = "金额（元）", [FIELD_DATE] = "日期", [FIELD_ENUM] = "单选",
	[FIELD_CODES] = "多选", [FIELD_IDCARD] = "身份证号", [FIELD_PHONE] = "电话",
	[FIELD_BOOL] = "是/否", [FIELD_REF] = "关联记录",
};

static const struct table_def *table_or_usage(const char *name)
{
	const struct table_def *def = model_table(name);
	if (def == NULL)
		cli_usage_error("record", "没有“%s”这个表；运行 taizhang record tables 查看", name);
	return def;
}

/* The field named by column or Chinese label. */
static const struct field_def *field_named(const struct table_def *def, const char *name)
{
	const struct field_def *f = model_field(def, name);
	for (size_t i = 0; f == NULL && i < def->nfields; i++)
		if (strcmp(def->fields[i].label, name) == 0)
			f = &def->fields[i];
	return f;
}

static int list_tables(void)
{
	size_t n;
	const struct table_def *const *all = model_tables(&n);
	for (size_t i = 0; i < n; i++) {
		char name[40];
		printf("%s %s\n", utf8_pad(name, sizeof name, all[i]->table, 26), all[i]->label);
	}
	return TZ_OK;
}

static void print_codes(struct store *s, const char *list)
{
	struct browse_row *rows;
	size_t n;
	struct tz_error err;
	if (browse_codes(s, list, &rows, &n, &err) != TZ_OK)
		return;
	printf("      可选：");
	for (size_t i = 0; i < n; i++)
		printf("%s%s（%s）", i ? "、" : "", rows[i].cells[0], rows[i].id);
	printf("\n");
	browse_rows_free(rows, n);
}

static int list_fields(struct store *s, const struct table_def *def)
{
	printf("%s（%s）\n", def->label, def->table);
	for (size_t i = 0; i < def->nfields; i++) {
		const struct field_def *f = &def->fields[i];
		char col[40], label[40];
		printf("  %s %s %s%s\n", utf8_pad(col, sizeof col, f->column, 24),
		       utf8_pad(label, sizeof label, f->label, 22), type_names[f->type],
		       (f->flags & FIELD_REQUIRED) ? "，必填" : "");
		if (f->code_list != NULL)
			print_codes(s, f->code_list);
	}
	return TZ_OK;
}

/* Set FIELD=VALUE arguments on r. */
static int set_pairs(struct record *r, int argc, char **argv, struct tz_error *err)
{
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq == NULL || eq == argv[i])
			return tz_error_set(err, TZ_EUSAGE, "“%s”应写成 字段=值", argv[i]);
		*eq = '\0';
		const struct field_def *f = field_named(r->def, argv[i]);
		if (f == NULL)
			return tz_error_set(err, TZ_EUSAGE,
					    "%s没有“%s”这一项；运行 taizhang record fields %s 查看",
					    r->def->label, argv[i], r->def->table);
		int rc = record_set(r, f->column, eq + 1, err);
		if (rc != TZ_OK)
			return rc;
	}
	return TZ_OK;
}

static int show_row(struct store *s, const struct table_def *def, const char *id,
		    struct tz_error *err)
{
	struct record r;
	int rc = record_load(s, def, id, &r, err);
	if (rc != TZ_OK)
		return rc;
	/* Values as the screens show them: codes by their labels, 是/否,
	 * references by name (form_field_label, through the table's form). */
	struct form_set forms = { 0 };
	const struct form *f = form_load_default(&forms, err) == TZ_OK
				       ? form_set_for_table(&forms, def->table) : NULL;
	printf("%s %s\n", def->label, r.id);
	for (size_t i = 0; i < def->nfields; i++) {
		char label[40], shown[512];
		const char *v = r.values[i] ? r.values[i] : "";
		size_t k = FORM_NONE;
		for (size_t j = 0; f != NULL && j < f->nfields && k == FORM_NONE; j++)
			if (f->fields[j].column && strcmp(f->fields[j].column, def->fields[i].column) == 0)
				k = j;
		if (k != FORM_NONE && form_field_label(s, f, k, v, shown, sizeof shown, err) == TZ_OK)
			v = shown;
		printf("  %s %s\n", utf8_pad(label, sizeof label, def->fields[i].label, 22), v);
	}
	form_set_free(&forms);
	record_free(&r);
	return TZ_OK;
}

static int write_row(struct store *s, const struct table_def *def, const char *id,
		     int argc, char **argv, struct tz_error *err)
{
	struct record r;
	int rc = id ? record_load(s, def, id, &r, err) : (record_init(&r, def), TZ_OK);
	if (rc == TZ_OK)
		rc = set_pairs(&r, argc, argv, err);
	/* The screens' save, with the table's form's rules too (its lengths),
	 * as the officer's screen applies them. */
	struct form_set forms = { 0 };
	if (rc == TZ_OK)
		rc = form_load_default(&forms, err);
	if (rc == TZ_OK) {
		struct form_error refusal;
		rc = form_save_record(s, form_set_for_table(&forms, def->table), &r, NULL, &refusal);
		if (rc != TZ_OK)
			*err = refusal.err;
	}
	form_set_free(&forms);
	if (rc == TZ_OK)
		printf(id ? "已修改%s %s。\n" : "已保存%s %s。\n", def->label, r.id);
	record_free(&r);
	return rc;
}

/* The verbs after `tables`, each given the store, its table and the
 * arguments after the table's name. */
static int do_fields(struct store *s, const struct table_def *def, int argc, char **argv,
		     struct tz_error *err)
{
	(void)argc;
	(void)argv;
	(void)err;
	return list_fields(s, def);
}

static int do_show(struct store *s, const struct table_def *def, int argc, char **argv,
		   struct tz_error *err)
{
	(void)argc;
	return show_row(s, def, argv[0], err);
}

static int do_add(struct store *s, const struct table_def *def, int argc, char **argv,
		  struct tz_error *err)
{
	return write_row(s, def, NULL, argc, argv, err);
}

static int do_edit(struct store *s, const struct table_def *def, int argc, char **argv,
		   struct tz_error *err)
{
	return write_row(s, def, argv[0], argc - 1, argv + 1, err);
}

/* The verbs: how many arguments each takes after its name (the table's name
 * first), and what runs with the store open; tables lists the tables, with no
 * store and no arguments. */
static const struct record_verb {
	const char *name;
	int min, max;
	int (*run)(struct store *s, const struct table_def *def, int argc, char **argv,
		   struct tz_error *err);
} verbs[] = {
	{ "tables", 0, 0, NULL },
	{ "fields", 1, 1, do_fields },
	{ "add", 2, 1000, do_add },
	{ "edit", 3, 1000, do_edit },
	{ "show", 2, 2, do_show },
};

static int run(const struct cli_args *a)
{
	struct tz_error err;
	const struct record_verb *v =
		CLI_VERB_PICK(a, verbs, "请给出子命令：tables、fields、add、edit 或 show",
			      "没有“%s”这个子命令（可用：tables、fields、add、edit、show）");
	if (v == NULL)
		return TZ_EUSAGE;
	int nargs = a->argc - 1;
	char **args = a->argv + 1;
	if (v->run == NULL)
		return nargs == 0 ? list_tables() : cli_usage_error("record", "record tables 不带参数");
	if (nargs < v->min || nargs > v->max)
		return cli_usage_error("record", "record %s 的参数不对", v->name);
	const struct table_def *def = table_or_usage(args[0]);
	if (def == NULL)
		return TZ_EUSAGE;
	struct store *s;
	int rc = cli_open(a, 0, &s);
	if (rc != TZ_OK)
		return rc;
	rc = v->run(s, def, nargs - 1, args + 1, &err);
	store_close(s);
	return cli_status(a, rc, &err);
}

CLI_COMMAND(record, "按台账录入、修改、查看记录（与界面同一套校验）",
	    usage, NULL, NULL, CLI_STORE, CLI_ARGS_ANY, run);
