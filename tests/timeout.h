/*
 * Test time limits (included in every test by tests/CMakeLists.txt): LS_TIMEOUT(s) is s seconds in a
 * plain build and LS_TIMEOUT_SCALE times that under the sanitizers (LANESIM_SANITIZE: AddressSanitizer
 * and UBSan run the Monte Carlo loops 3-5x slower, more on a loaded 2-core machine).
 */
#ifndef LS_TESTS_TIMEOUT_H
#define LS_TESTS_TIMEOUT_H
#ifdef LS_TEST_SANITIZED
#define LS_TIMEOUT_SCALE 4
#else
#define LS_TIMEOUT_SCALE 1
#endif
#define LS_TIMEOUT(s) ((s) * LS_TIMEOUT_SCALE)
#endif
