/*
 * form_builtin.c — the copies of forms/NAME.form the binary carries.
 *
 * scripts/embed.sh forms turns forms/NAME.form into build/<variant>/gen/
 * forms_builtin.inc (a static array form_builtin[] of struct form_source and
 * its count form_builtin_count), which is included here when the build made
 * it. The include path has build/<variant>/gen (CPPFLAGS -I$(O)/gen). A build
 * without it (the Makefile rule not yet there, or a tool built on its own)
 * simply has no built-in forms, and form_load_default then needs a forms folder.
 */
#include "form_internal.h"

#if defined(__has_include)
#if __has_include("forms_builtin.inc")
#include "forms_builtin.inc"
#define HAVE_BUILTIN_FORMS 1
#endif
#endif

const struct form_source *form_builtin_sources(size_t *n)
{
#ifdef HAVE_BUILTIN_FORMS
	*n = form_builtin_count;
	return form_builtin;
#else
	*n = 0;
	return NULL;
#endif
}
