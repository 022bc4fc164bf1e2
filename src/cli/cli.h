// SPDX-License-Identifier: MIT
// cli.h — the command line and the environment: options and their
// CORDON_* twins, the test engines' protocols, debuggers and valgrind.
#ifndef CORDON_CLI_H
#define CORDON_CLI_H

#include "common.h"

/* ---- config.c ---- */

/* cordon__config_parse fills cfg from argv and the CORDON_* environment.
 * Returns -1 after printing a usage error, 1 when the run is over (help,
 * version), 0 to go on. */
int cordon__config_parse(struct cordon__config *cfg, int argc, char **argv);
void cordon__config_free(struct cordon__config *cfg);

/* ---- debugger.c ---- */

/* cordon__debugger_attached says a debugger traces this process. */
bool cordon__debugger_attached(void);
/* cordon__debugger_adjust turns on --no-fork under a debugger, unless
 * --fork was given, and says so once on stderr. */
void cordon__debugger_adjust(struct cordon__config *cfg);

/* ---- testenv.c ---- */

/* cordon__testenv_apply folds the Bazel/GoogleTest test-protocol variables
 * into cfg (the command line wins); -1 after printing a usage error. */
int cordon__testenv_apply(struct cordon__config *cfg);
/* cordon__testenv_finish marks a clean finish for the protocol. */
void cordon__testenv_finish(const struct cordon__config *cfg);
/* cordon__testenv_scrub takes out of this process's environment, which
 * its tests see, every variable that steers a run (the CORDON_* twins of
 * the options, the test protocols' XML_OUTPUT_FILE, TEST_SHARD_INDEX,
 * ...): a cordon binary that
 * a test runs is a run of its own, and never writes the outer run's
 * reports. TEST_TMPDIR and TMPDIR stay. When keep, it returns what it
 * took (NULL for nothing), for cordon__testenv_unscrub to put back and
 * free: an in-process run gives the caller its environment back. */
char *cordon__testenv_scrub(bool keep);
void cordon__testenv_unscrub(char *kept);

#endif /* CORDON_CLI_H */
