/* check: a tiny assert header for Litfass's test programs. Failures print file,
 * line and both values; the program ends with "N passed, N failed" and exits
 * non-zero when anything failed. */
#ifndef LITFASS_CHECK_H
#define LITFASS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;
static const char *check_current = "";

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (cond) {                                                                        \
            check_passed++;                                                                \
        } else {                                                                           \
            check_failed++;                                                                \
            fprintf(stderr, "%s:%d: [%s] CHECK(%s) failed\n", __FILE__, __LINE__,          \
                    check_current, #cond);                                                 \
        }                                                                                  \
    } while (0)

#define CHECK_INT(a, b)                                                                    \
    do {                                                                                   \
        long long va_ = (long long)(a), vb_ = (long long)(b);                              \
        if (va_ == vb_) {                                                                  \
            check_passed++;                                                                \
        } else {                                                                           \
            check_failed++;                                                                \
            fprintf(stderr, "%s:%d: [%s] %s == %s failed: %lld != %lld\n", __FILE__,       \
                    __LINE__, check_current, #a, #b, va_, vb_);                            \
        }                                                                                  \
    } while (0)

#define CHECK_STR(a, b)                                                                    \
    do {                                                                                   \
        const char *sa_ = (a), *sb_ = (b);                                                 \
        if (sa_ && sb_ && strcmp(sa_, sb_) == 0) {                                         \
            check_passed++;                                                                \
        } else {                                                                           \
            check_failed++;                                                                \
            fprintf(stderr, "%s:%d: [%s] %s == %s failed: \"%s\" != \"%s\"\n", __FILE__,   \
                    __LINE__, check_current, #a, #b, sa_ ? sa_ : "(null)",                 \
                    sb_ ? sb_ : "(null)");                                                 \
        }                                                                                  \
    } while (0)

/* haystack contains needle */
#define CHECK_HAS(hay, needle)                                                             \
    do {                                                                                   \
        const char *ha_ = (hay), *ne_ = (needle);                                          \
        if (ha_ && ne_ && strstr(ha_, ne_)) {                                              \
            check_passed++;                                                                \
        } else {                                                                           \
            check_failed++;                                                                \
            fprintf(stderr, "%s:%d: [%s] \"%s\" does not contain \"%s\"\n", __FILE__,      \
                    __LINE__, check_current, ha_ ? ha_ : "(null)", ne_ ? ne_ : "(null)");  \
        }                                                                                  \
    } while (0)

#define TEST(name) static void name(void)
#define RUN(name)                                                                          \
    do {                                                                                   \
        check_current = #name;                                                             \
        int before_ = check_failed;                                                        \
        name();                                                                            \
        printf("%s %s\n", check_failed == before_ ? "ok  " : "FAIL", #name);               \
    } while (0)

static int check_report(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
