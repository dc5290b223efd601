/*
 * unit.h — one place per test: UNIT_TEST defines a cmocka test and registers
 * it in the same line, so that a test cannot be written and then forgotten in
 * a list at the bottom of the file, and main() does not repeat every name.
 *
 *	UNIT_TEST(a_wrong_passphrase_is_refused, fixture_setup_dir, fixture_teardown)
 *	{
 *		struct fixture *f = *state;
 *		...
 *	}
 *
 *	int main(void)
 *	{
 *		return unit_run("store", NULL, NULL);
 *	}
 *
 * The tests run in the order they stand in the file (registration order is
 * whatever the constructors' order is; unit_run sorts by line). Setup and
 * teardown are cmocka's, per test (NULL for none), and unit_run's are the
 * group's. This is only a registry over cmocka, not a test framework: the
 * assertions, fixtures and reports are cmocka's.
 *
 * Include after <cmocka.h>, in one test file per binary (the registry is
 * static to that file).
 */
#ifndef TZ_TEST_UNIT_H
#define TZ_TEST_UNIT_H

#include <stdio.h>
#include <stdlib.h>

/* The most tests one file may register; unit_register aborts beyond it. */
#define UNIT_MAX_TESTS 128

/* Define the test function name (a cmocka test taking void **state, which
 * it may leave unused) with setup and teardown (NULL: none), registered to
 * run in file order. The function's body follows the macro. */
#define UNIT_TEST(name, setup, teardown)                                           \
	static void name(void **state);                                            \
	__attribute__((constructor)) static void unit_register_##name(void)        \
	{                                                                          \
		unit_register(__LINE__, #name, name, setup, teardown);            \
	}                                                                          \
	static void name(void **state __attribute__((unused)))

struct unit_entry {
	int line; /* where UNIT_TEST stands: the running order */
	struct CMUnitTest test;
};

static struct unit_entry unit_entries[UNIT_MAX_TESTS];
static size_t unit_nentries;

/* Add the test fn called name, defined at line, to this file's registry.
 * Called by UNIT_TEST before main; aborts when the registry is full. */
static inline void unit_register(int line, const char *name, CMUnitTestFunction fn,
				 CMFixtureFunction setup, CMFixtureFunction teardown)
{
	if (unit_nentries == UNIT_MAX_TESTS) {
		fprintf(stderr, "unit.h: more than %d tests in one file\n", UNIT_MAX_TESTS);
		abort();
	}
	struct unit_entry *e = &unit_entries[unit_nentries++];
	e->line = line;
	e->test = (struct CMUnitTest){ name, fn, setup, teardown, NULL };
}

static inline int unit_by_line(const void *a, const void *b)
{
	const struct unit_entry *x = a, *y = b;
	return (x->line > y->line) - (x->line < y->line);
}

/* Run every registered test in file order as the cmocka group group, with
 * group_setup and group_teardown (NULL: none) around them all. Returns what
 * cmocka returns: the number of tests that failed. */
static inline int unit_run(const char *group, CMFixtureFunction group_setup,
			   CMFixtureFunction group_teardown)
{
	struct CMUnitTest tests[UNIT_MAX_TESTS];
	qsort(unit_entries, unit_nentries, sizeof unit_entries[0], unit_by_line);
	for (size_t i = 0; i < unit_nentries; i++)
		tests[i] = unit_entries[i].test;
	return _cmocka_run_group_tests(group, tests, unit_nentries, group_setup, group_teardown);
}

#endif
