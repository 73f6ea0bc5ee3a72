/* test_pictures_absent: a litfassctl built without libvips (the displays' arm64 and armhf
 * packages) refuses content with pictures with a line that says where to build it, and
 * still builds content without pictures. Registered only for such builds. */
#include "testutil.h"

#include "content/build.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *tmp;

TEST(pictures_are_refused_with_where_to_build_them_the_rest_builds)
{
    char err[4000];
    char *src = test_fmt("%s/content", tmp), *out = test_fmt("%s/c.litfass", tmp);
    char *cmd = test_fmt("cp -r '" LITFASS_CONTENT_DIR "' '%s'", src);
    char o[512];
    CHECK_INT(test_run(cmd, o, sizeof o), 0);
    free(cmd);
    CHECK_INT(build_content(src, out, 1, 0, NULL, err, sizeof err), 0);
    cmd = test_fmt("mkdir -p '%s/posters' && printf x > '%s/posters/plakat.png'", src, src);
    CHECK_INT(test_run(cmd, o, sizeof o), 0);
    free(cmd);
    CHECK(build_content(src, out, 2, 0, NULL, err, sizeof err) != 0);
    CHECK_HAS(err, "posters/plakat.png");
    CHECK_HAS(err, "libvips");
    free(src);
    free(out);
}

int main(void)
{
    tmp = test_tmpdir();
    RUN(pictures_are_refused_with_where_to_build_them_the_rest_builds);
    return check_report();
}
