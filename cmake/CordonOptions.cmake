# SPDX-License-Identifier: MIT
# Build options of cordon, one comment each. The selftest, the examples and
# -Werror are on when cordon is the top-level project and off when it is
# pulled in with add_subdirectory().

# Build cordon's own tests (selftest/).
option(CORDON_BUILD_SELFTEST "Build cordon's selftest" ${CORDON_IS_TOP_LEVEL})
# Build the examples (examples/).
option(CORDON_BUILD_EXAMPLES "Build the examples" ${CORDON_IS_TOP_LEVEL})
# Treat warnings as errors in cordon's own targets.
option(CORDON_WERROR "Build cordon's own targets with -Werror" ${CORDON_IS_TOP_LEVEL})
# Build with AddressSanitizer and UndefinedBehaviorSanitizer.
option(CORDON_SANITIZE "Build with -fsanitize=address,undefined" OFF)

# cordon_warnings(target) puts cordon's warning set on one of its own targets.
function(cordon_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                         $<$<BOOL:${CORDON_WERROR}>:-Werror>)
  if(CORDON_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined
                           -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
