// SPDX-License-Identifier: MIT
// param.c — parameterized tests: TEST_P registers one template per
// definition, with its array of cases; at start each case becomes a test
// of its own here, "suite/name[i]" or "suite/name[label]", that is then
// listed, filtered, sharded, run, retried and reported like any other.
// The cases of a template keep its file and line, so they sort together,
// in index order. They live as long as the process, in the run's tables
// (tables.c), with their ids: the registry's list keeps them reachable.
#include "run/run.h"

#include <stdlib.h>
#include <string.h>

/* label_of is case k's label, or NULL when the cases have none (or its
 * label member is NULL). */
static const char *
label_of(const struct cordon_impl_test *tpl, size_t k)
{
    const char *base = (const char *)tpl->params_ + k * tpl->param_size_;
    const char *label;

    if (tpl->label_offset_ == 0)
        return NULL;
    memcpy(&label, base + tpl->label_offset_ - 1, sizeof label);
    return label;
}

struct cordon_impl_test *
cordon__param_cases(const struct cordon_impl_test *tpl)
{
    struct cordon_impl_test *cases = cordon__tables_keep(
        tpl->nparams_ * sizeof *cases, _Alignof(struct cordon_impl_test));
    struct cordon__buf name = {0};

    for (size_t k = 0; k < tpl->nparams_; k++) {
        const char *label = label_of(tpl, k);

        name.len = 0;
        if (label != NULL)
            cordon__buf_printf(&name, "%s[%s]", tpl->name, label);
        else
            cordon__buf_printf(&name, "%s[%zu]", tpl->name, k);
        cases[k] = *tpl;
        cases[k].name = cordon__tables_id(name.data);
        cases[k].next_ = NULL;
        cases[k].param_ = (const char *)tpl->params_ + k * tpl->param_size_;
    }
    cordon__buf_release(&name);
    return cases;
}
