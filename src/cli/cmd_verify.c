/*
 * cmd_verify.c — `taizhang verify`: authenticate every page and check integrity,
 * the header's generation and the audit log's hash chain (store_verify). Prints
 * OK (exit 0), or names the damaged header copies, pages, audit row (exit 4).
 */
#include <stdio.h>

#include "taizhang/cli.h"
#include "cli_help.h"

static void print_report(const struct store_verify_report *r)
{
	for (int c = 0; c < 2; c++)
		if (r->header_copy_damaged[c])
			printf("文件头副本 %c：已损坏或被篡改\n", c == 0 ? 'A' : 'B');
	if (r->header_copies_differ)
		printf("文件头：两个副本版本不同（上次写入可能被中断）\n");
	for (uint32_t i = 0; i < r->nbad && i < STORE_VERIFY_MAX_LISTED; i++)
		printf("第 %u 页：校验不通过（已损坏或被篡改）\n", r->bad[i]);
	if (r->nbad > STORE_VERIFY_MAX_LISTED)
		printf("……另有 %u 页校验不通过\n", r->nbad - STORE_VERIFY_MAX_LISTED);
	if (r->partial_tail)
		printf("文件末尾：有不完整的页（文件被截断或多出数据）\n");
	if (r->nbad == 0 && !r->partial_tail && !r->integrity_ok)
		printf("完整性检查：%s\n", r->integrity);
	if (r->keyring_stale)
		printf("文件头：比数据库旧（文件头第 %llu 版，数据库记录第 %llu 版），"
		       "有人把旧的文件头拼回了台账文件\n",
		       (unsigned long long)r->keyring_generation,
		       (unsigned long long)r->recorded_generation);
	if (r->audit.broken)
		printf("审计记录第 %lld 条：%s\n", (long long)r->audit.bad_seq, r->audit.why);
}

static int run(const struct cli_args *a)
{
	struct tz_error err;
	struct store *s;
	int rc = cli_open(a, STORE_OPEN_NO_SQL, &s);
	if (rc != TZ_OK)
		return rc;
	struct store_verify_report r;
	rc = store_verify(s, &r, &err);
	store_close(s);
	if (rc == TZ_OK) {
		printf("OK：%u 页全部校验通过，数据库完整，审计记录 %llu 条环环相扣。\n", r.npages,
		       (unsigned long long)r.audit.nrows);
		return TZ_OK;
	}
	if (rc != TZ_EDAMAGED)
		return cli_fail(&err);
	print_report(&r);
	tz_error_set(&err, TZ_EDAMAGED, "台账文件已损坏或被篡改（见上）。请用备份恢复，或联系镇扶贫办。");
	return cli_fail(&err);
}

CLI_COMMAND(verify, "校验台账文件：逐页解密认证并检查完整性",
	    CLI_HELP_verify, NULL, NULL, CLI_STORE, 0, run);
