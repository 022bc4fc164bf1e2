// SPDX-License-Identifier: MIT
// cxx_test.c — cordon.h from C++: a C++ main() runs C tests through
// cordon_main() and gets the same run as cordon::main gives.
#include <cordon.h>
#include <stdlib.h>

#include "support.h"

TEST(cxx, main_in_cpp_runs_the_c_tests)
{
#ifdef CORDON_HAVE_CXX
    struct st_run r;
    char *last;

    ASSERT_EQ(st_run_fixture(&r, "cxx_main", NULL, NULL), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 3 passed, 0 failed, 0 skipped");
    free(last);
    st_free(&r);
#else
    SKIP("no C++ compiler was found when cordon was configured");
#endif
}
