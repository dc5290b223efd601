/*
 * threads.c — cores available and threads that leave signals to the caller
 * (see include/taizhang/threads.h).
 */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "taizhang/threads.h"

int tz_cores_available(void)
{
	const char *given = getenv("TAIZHANG_CORES");
	if (given != NULL && given[0] != '\0') {
		char *end;
		long n = strtol(given, &end, 10);
		if (*end == '\0' && n >= 1 && n <= TZ_CORES_MAX)
			return (int)n;
	}
	cpu_set_t set;
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof set, &set) == 0) {
		int n = CPU_COUNT(&set);
		if (n > 0)
			return n;
	}
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	return online > 1 ? (int)online : 1;
}

int tz_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
