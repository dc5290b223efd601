/*
 * notice_internal.h — what notice.c (the notices and their text) and
 * notice_xlsx.c (the Excel sheet and the files) share.
 */
#ifndef TAIZHANG_NOTICE_INTERNAL_H
#define TAIZHANG_NOTICE_INTERNAL_H

#include "taizhang/notice.h"

/* A stage of the procedure that is a notice. */
struct notice_stage_def {
	const char *step;         /* its procedure_step code */
	const char *prior;        /* the step it follows */
	const char *name;         /* 村内公示, 乡镇公示, 公告 */
	const char *prior_header; /* the column of the prior step's date */
	const char *lead;         /* the preamble's "经……" */
	int objection;            /* 1: a 公示 with an objection period */
};

const struct notice_stage_def *notice_stage_def(enum notice_stage stage);
/* "识别（纳入）" or "退出（脱贫）". */
const char *notice_procedure_label(const struct notice *n);
/* The header of the basis column: 致贫原因 or 人均纯收入. */
const char *notice_basis_header(const struct notice *n);
/* YYYY-MM-DD as 2019年5月16日 (the text itself when not a date). */
void notice_chinese_date(const char *iso, char out[32]);
/* The paragraph above the table (households, persons, period, where to
 * object), malloc'd; its lines separated by '\n'. */
char *notice_preamble(const struct notice *n);

#endif
