// SPDX-License-Identifier: MIT
// cxx_test.c — cordon.h from C++: a C++ main() runs C tests through
// cordon_main() and gets the same run as cordon::main gives.
#include <cordon.h>
#include <stdlib.h>

#include "outcomes.h"

TEST(cxx, main_in_cpp_runs_the_c_tests)
{
#ifdef CORDON_HAVE_CXX
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "cxx_main", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "stderr: %s", o.run.err);
    EXPECT_EQ(o.n, (size_t)3);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)3, "%s", o.tap);
    st_outcomes_free(&o);
#else
    SKIP("no C++ compiler was found when cordon was configured");
#endif
}
