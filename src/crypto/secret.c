/*
 * secret.c — guarded memory, Argon2id and the no-core-dump guard
 * (see include/taizhang/secret.h). All cryptography is libsodium's.
 */
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <sodium.h>

#include "taizhang/names.h"
#include "taizhang/secret.h"
#include "taizhang/xalloc.h"

int secret_init(struct tz_error *err)
{
	if (sodium_init() < 0)
		return tz_error_set(err, TZ_EFAIL, "无法初始化加密库 libsodium");
	return TZ_OK;
}

void *secret_alloc(size_t nbytes)
{
	void *p = sodium_malloc(nbytes);
	if (p == NULL)
		xalloc_die(nbytes);
	return p;
}

void secret_free(void *p)
{
	if (p != NULL)
		sodium_free(p);
}

static int no_dump_holds;
static struct rlimit saved_core_limit;
static int saved_dumpable;

void secret_hold_no_dumps(void)
{
	if (no_dump_holds++ > 0)
		return;
	getrlimit(RLIMIT_CORE, &saved_core_limit);
	struct rlimit none = { 0, 0 };
	none.rlim_max = saved_core_limit.rlim_max;
	setrlimit(RLIMIT_CORE, &none);
	saved_dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

void secret_release_no_dumps(void)
{
	if (no_dump_holds == 0 || --no_dump_holds > 0)
		return;
	setrlimit(RLIMIT_CORE, &saved_core_limit);
	if (saved_dumpable > 0)
		prctl(PR_SET_DUMPABLE, saved_dumpable, 0, 0, 0);
}

static const struct name_value cost_names[] = {
	{ "min", KDF_COST_MIN },
	{ "interactive", KDF_COST_INTERACTIVE },
	{ "moderate", KDF_COST_MODERATE },
	{ "sensitive", KDF_COST_SENSITIVE },
};

int kdf_cost_parse(const char *name, enum kdf_cost *out, struct tz_error *err)
{
	int cost;
	if (names_find(cost_names, NAMES_COUNT(cost_names), name, strlen(name), &cost)) {
		*out = (enum kdf_cost)cost;
		return TZ_OK;
	}
	return tz_error_set(err, TZ_EUSAGE,
			    "--kdf-cost 只能是 min、interactive、moderate 或 sensitive，不能是“%s”",
			    name);
}

void kdf_cost_limits(enum kdf_cost cost, uint64_t *opslimit, uint64_t *memlimit)
{
	switch (cost) {
	case KDF_COST_MIN:
		*opslimit = crypto_pwhash_OPSLIMIT_MIN;
		*memlimit = crypto_pwhash_MEMLIMIT_MIN;
		break;
	case KDF_COST_INTERACTIVE:
		*opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		*memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		break;
	case KDF_COST_SENSITIVE:
		*opslimit = crypto_pwhash_OPSLIMIT_SENSITIVE;
		*memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;
		break;
	case KDF_COST_MODERATE:
	default:
		*opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
		*memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
		break;
	}
}

int kdf_limits_acceptable(uint64_t opslimit, uint64_t memlimit)
{
	return opslimit >= crypto_pwhash_OPSLIMIT_MIN &&
	       opslimit <= crypto_pwhash_OPSLIMIT_SENSITIVE &&
	       memlimit >= crypto_pwhash_MEMLIMIT_MIN &&
	       memlimit <= crypto_pwhash_MEMLIMIT_SENSITIVE;
}

int kdf_derive(unsigned char out[SECRET_KEY_NBYTES], const char *pass,
	       size_t pass_nbytes, const unsigned char salt[SECRET_SALT_NBYTES],
	       uint64_t opslimit, uint64_t memlimit, struct tz_error *err)
{
	if (crypto_pwhash(out, SECRET_KEY_NBYTES, pass, pass_nbytes, salt,
			  (unsigned long long)opslimit, (size_t)memlimit,
			  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return tz_error_set(err, TZ_EFAIL,
				    "内存不足，无法由口令计算密钥（需要约 %llu MiB 内存）",
				    (unsigned long long)(memlimit >> 20));
	return TZ_OK;
}
