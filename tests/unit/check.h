/*
 * A tiny host unit-test framework. Each test file defines cases with TEST(name)
 * and lists them in main() with RUN(name). Every case prints one line that
 * tests/run.sh counts:
 *   PASS: unit/<file>/<case>
 *   FAIL: unit/<file>/<case>: <file>:<line>: <what failed>
 * Built with AddressSanitizer and UBSan (see the Makefile), which abort on error.
 */
#ifndef TESSERA_TESTS_UNIT_CHECK_H
#define TESSERA_TESTS_UNIT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdbool.h>

extern int check_failed_cases;
extern const char *check_suite;
extern bool check_case_failed;

#define TEST(name) static void test_##name(void)

#define RUN(name)                                                         \
	do {                                                              \
		check_case_failed = false;                                \
		test_##name();                                            \
		if (!check_case_failed)                                   \
			printf("PASS: unit/%s/%s\n", check_suite, #name); \
		else                                                      \
			check_failed_cases++;                             \
		fflush(stdout);                                           \
	} while (0)

/* Records a failure of the current case and returns from it. */
#define CHECK(cond)                                                                               \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			printf("FAIL: unit/%s/%s: %s:%d: CHECK(%s)\n", check_suite, __func__ + 5, \
			       __FILE__, __LINE__, #cond);                                        \
			check_case_failed = true;                                                 \
			return;                                                                   \
		}                                                                                 \
	} while (0)

#define CHECK_EQ(a, b)                                                                          \
	do {                                                                                    \
		unsigned long long check_a_ = (unsigned long long)(a);                          \
		unsigned long long check_b_ = (unsigned long long)(b);                          \
		if (check_a_ != check_b_) {                                                     \
			printf("FAIL: unit/%s/%s: %s:%d: %s == %s (%#llx != %#llx)\n",          \
			       check_suite, __func__ + 5, __FILE__, __LINE__, #a, #b, check_a_, \
			       check_b_);                                                       \
			check_case_failed = true;                                               \
			return;                                                                 \
		}                                                                               \
	} while (0)

#define CHECK_STR(a, b)                                                                    \
	do {                                                                               \
		if (strcmp((a), (b)) != 0) {                                               \
			printf("FAIL: unit/%s/%s: %s:%d: \"%s\" == \"%s\"\n", check_suite, \
			       __func__ + 5, __FILE__, __LINE__, (a), (b));                \
			check_case_failed = true;                                          \
			return;                                                            \
		}                                                                          \
	} while (0)

/* In main(): CHECK_MAIN("suite") ... RUN(x); ... return CHECK_END(); */
#define CHECK_MAIN(suite) (check_suite = (suite))
#define CHECK_END()	  (check_failed_cases ? 1 : 0)

/* Text the code under test logged (via log_printf/panic), for checking error messages. */
extern char check_log[8192];
void check_log_clear(void);

#endif
