# SPDX-License-Identifier: MIT
# Build options of cordon, one comment each. The selftest, the examples,
# -Werror and the install rules are on when cordon is the top-level project
# and off when it is pulled in with add_subdirectory(), so a vendored copy
# builds only the two libraries its parent links.
include(CMakeDependentOption)

# Build cordon's own tests (selftest/); needs BUILD_TESTING (from CTest).
cmake_dependent_option(CORDON_BUILD_SELFTEST "Build cordon's selftest" ON
                       "CORDON_IS_TOP_LEVEL;BUILD_TESTING" OFF)
# Build the examples (examples/) and register them with CTest.
option(CORDON_BUILD_EXAMPLES "Build the examples" ${CORDON_IS_TOP_LEVEL})
# Treat warnings as errors in cordon's own targets.
option(CORDON_WERROR "Build cordon's own targets with -Werror" ${CORDON_IS_TOP_LEVEL})
# Build with AddressSanitizer and UndefinedBehaviorSanitizer.
option(CORDON_SANITIZE
       "Build with -fsanitize=address,undefined,float-cast-overflow" OFF)
# Build with gcov instrumentation (--coverage) for lcov; test processes then
# flush their counters before _exit() and from the timeout and crash
# signals, which a plain build leaves alone.
option(CORDON_COVERAGE "Build with --coverage for lcov/gcov" OFF)
# Compile libcordon, libcordon_main and cordon-junit-merge (the targets of
# src/) with GCC's static analyzer, -fanalyzer; with CORDON_WERROR each of
# its findings fails the build. Slow: ci/test builds only those targets.
option(CORDON_ANALYZER "Compile src/ with GCC's -fanalyzer" OFF)
# Generate install rules: libraries, header, CMake package, pkg-config
# files, CTest module and man page.
option(CORDON_INSTALL "Generate cordon's install rules" ${CORDON_IS_TOP_LEVEL})

# Which supervise/platform_*.c is built:
#   auto   linux where prctl() exists, else posix
#   linux  the worker a child subreaper that dies with the coordinator, the
#          test a process that dies with its worker, pidfds, MADV_DONTFORK
#   posix  the portable stand-in (macOS, the BSDs): group kill only; on
#          Linux it builds and runs what those systems get, to test it
set(CORDON_PLATFORM auto CACHE STRING
    "The supervision a worker gets from its system: auto, linux or posix")
set_property(CACHE CORDON_PLATFORM PROPERTY STRINGS auto linux posix)
if(NOT CORDON_PLATFORM MATCHES "^(auto|linux|posix)$")
  message(FATAL_ERROR "CORDON_PLATFORM is '${CORDON_PLATFORM}' (use auto, "
          "linux or posix)")
endif()

# How libcordon reaches libxml2, which writes the JUnit report:
#   dlopen  loads it by SONAME (CORDON_LIBXML2_SONAME) when a JUnit report
#           is written, after the tests ran; test binaries do not link it,
#           so no worker or test process forked from them maps libxml2,
#           ICU, libstdc++, lzma and zlib. The default where dlopen() exists.
#   link    links it like any library, for fully static test binaries and
#           systems without dlopen().
# dlopen() is in libc from glibc 2.34 on, in CMAKE_DL_LIBS (-ldl) before.
include(CheckSymbolExists)
check_symbol_exists(dlopen "dlfcn.h" CORDON_HAVE_DLOPEN_IN_LIBC)
set(CORDON_DL_LIBS "")
if(NOT CORDON_HAVE_DLOPEN_IN_LIBC AND CMAKE_DL_LIBS)
  set(CMAKE_REQUIRED_LIBRARIES ${CMAKE_DL_LIBS})
  check_symbol_exists(dlopen "dlfcn.h" CORDON_HAVE_DLOPEN_IN_LIBDL)
  unset(CMAKE_REQUIRED_LIBRARIES)
  if(CORDON_HAVE_DLOPEN_IN_LIBDL)
    set(CORDON_DL_LIBS ${CMAKE_DL_LIBS})
  endif()
endif()
if(CORDON_HAVE_DLOPEN_IN_LIBC OR CORDON_HAVE_DLOPEN_IN_LIBDL)
  set(cordon_libxml2_default dlopen)
else()
  set(cordon_libxml2_default link)
endif()
set(CORDON_LIBXML2 ${cordon_libxml2_default} CACHE STRING
    "How libcordon reaches libxml2: dlopen (at report time) or link")
set_property(CACHE CORDON_LIBXML2 PROPERTY STRINGS dlopen link)
if(NOT CORDON_LIBXML2 MATCHES "^(dlopen|link)$")
  message(FATAL_ERROR "CORDON_LIBXML2 is '${CORDON_LIBXML2}' (use dlopen or "
          "link)")
endif()
if(CORDON_LIBXML2 STREQUAL "dlopen" AND cordon_libxml2_default STREQUAL "link")
  message(FATAL_ERROR "CORDON_LIBXML2=dlopen: this system has no dlopen() "
          "(use -DCORDON_LIBXML2=link)")
endif()

if(CORDON_ANALYZER AND NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
  message(FATAL_ERROR "CORDON_ANALYZER needs GCC; the C compiler is "
          "${CMAKE_C_COMPILER_ID} (configure with CC=gcc)")
endif()

if(CORDON_COVERAGE AND CORDON_SANITIZE)
  message(FATAL_ERROR "CORDON_COVERAGE and CORDON_SANITIZE cannot be combined "
          "(configure two build directories, one with each)")
endif()

# cordon_warnings(target) puts cordon's warning set, and the sanitizer or
# coverage instrumentation when one is on, on one of cordon's own targets.
function(cordon_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                         $<$<BOOL:${CORDON_WERROR}>:-Werror>)
  get_target_property(dir ${target} SOURCE_DIR)
  if(CORDON_ANALYZER AND dir STREQUAL "${PROJECT_SOURCE_DIR}/src")
    target_compile_options(${target} PRIVATE -fanalyzer)
  endif()
  if(CORDON_SANITIZE)
    # GCC's "undefined" leaves float-cast-overflow out; a timeout too large
    # for its conversion is exactly that kind of bug.
    target_compile_options(${target} PRIVATE
                           -fsanitize=address,undefined,float-cast-overflow
                           -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(CORDON_COVERAGE)
    # -O0 keeps one line one counter, so lcov's line numbers mean what the
    # source says; atomic updates, because tests start threads and racing
    # increments leave lcov with negative counts. CORDON_COVERAGE_BUILD
    # switches on the flush hooks in src/testproc/coverage.c and the coverage
    # selftest.
    target_compile_options(${target} PRIVATE --coverage -O0
                           -fprofile-update=atomic)
    target_compile_definitions(${target} PRIVATE CORDON_COVERAGE_BUILD)
    target_link_options(${target} PRIVATE --coverage)
  endif()
endfunction()
