# SPDX-License-Identifier: MIT
#[=======================================================================[.rst:
CordonDiscoverTests
-------------------

Registers each test of a cordon test binary as its own CTest test, by
asking the binary which tests it has. Included by the cordon package
config (``find_package(cordon)``) and by cordon's own top-level
``CMakeLists.txt`` (``add_subdirectory``), so the command is available
after either.

.. command:: cordon_discover_tests

  ::

    cordon_discover_tests(<target>
                          [TIMEOUT_MARGIN <seconds>]
                          [LABELS <label>...]
                          [DISCOVERY_MODE POST_BUILD|PRE_TEST]
                          [WORKING_DIRECTORY <dir>]
                          [TEST_PREFIX <prefix>]
                          [EXTRA_ARGS <arg>...]
                          [PROPERTIES <name> <value>...]
                          [TEST_LIST <variable>]
                          [DISCOVERY_TIMEOUT <seconds>])

  Runs ``<target> --list --verbose``, which prints one ``suite/name``, a
  tab and the test's timeout in seconds per line, and adds one CTest test
  per line:

  * named ``<prefix>suite/name``, running ``<target> --test suite/name
    <extra args>``; ids with spaces, brackets, quotes or backslashes
    round-trip exactly (each is written as a bracket argument with as many
    ``=`` as it needs);
  * ``SKIP_RETURN_CODE 77``: cordon's exit code when the selected test
    skipped, so CTest reports it as not run instead of passed;
  * ``TIMEOUT`` the test's own timeout (rounded up) times
    ``CORDON_TIMEOUT_MULTIPLIER`` as set when ``ctest`` runs, plus
    ``TIMEOUT_MARGIN`` (default 5 s), so cordon's watchdog, which names the
    test and keeps its output, fires before CTest's; a test with no timeout
    (0) gets no ``TIMEOUT``, and CTest's default applies, as does a
    multiplier that is not a plain decimal number;
  * ``CORDON_CTEST=1`` in its environment (``ENVIRONMENT_MODIFICATION``):
    the binary then refuses a report file, which every test would replace
    (use ``ctest --output-junit``);
  * ``LABELS`` the suite, then the ``LABELS`` given here;
  * ``WORKING_DIRECTORY`` the given one, default the current binary dir;
  * then the ``PROPERTIES`` given here.

  Every discovered test runs one cordon test in one process, so the
  parallelism comes from ``ctest -j N``, not from cordon's ``--jobs``.

  ``DISCOVERY_MODE``
    ``POST_BUILD`` (the default, or ``CMAKE_CORDON_DISCOVER_TESTS_DISCOVERY_MODE``)
    lists the tests right after the target links. ``PRE_TEST`` lists
    them when ``ctest`` starts, again only when the binary is newer than
    the list; use it when the binary cannot run on the build machine
    (cross-compiling with an emulator is supported either way, through
    the target's ``CROSSCOMPILING_EMULATOR``).
  ``EXTRA_ARGS``
    appended to every test's command line and to the listing (so
    ``--timeout 30`` is reflected in each ``TIMEOUT``).
  ``TEST_LIST``
    names a variable, default ``<target>_TESTS``, that CTest sets to the
    discovered names (unreliable for ids containing ``;`` or unbalanced
    brackets, as any CMake list is).
  ``DISCOVERY_TIMEOUT``
    seconds the listing may take, default 10.

  Until the binary exists, a placeholder test ``<target>_NOT_BUILT``
  stands for it and fails, so an unbuilt binary never passes silently.
  Listing failures stop the build (or ``ctest``) with the path, working
  directory, exit status and indented output of the binary. The binary
  is listed without the selection variables of cordon and the test
  engines it speaks to (``CORDON_FILTER``, ``CORDON_SHARD``,
  ``TESTBRIDGE_TEST_ONLY``, ``TEST_TOTAL_SHARDS`` ...), so the listing is
  every test the binary has.
#]=======================================================================]
include_guard(GLOBAL)

# The script goes by path into a build rule or a CTest file; a global
# property (not a variable) keeps the path right when this file was
# included in another directory, as after add_subdirectory(cordon).
set_property(GLOBAL PROPERTY CORDON_ADD_TESTS_SCRIPT
             "${CMAKE_CURRENT_LIST_DIR}/CordonAddTests.cmake")

function(cordon_discover_tests target)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "TIMEOUT_MARGIN;DISCOVERY_MODE;WORKING_DIRECTORY;TEST_PREFIX;TEST_LIST;DISCOVERY_TIMEOUT"
    "LABELS;EXTRA_ARGS;PROPERTIES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "cordon_discover_tests(${target}): unknown arguments "
            "'${arg_UNPARSED_ARGUMENTS}' (see CordonDiscoverTests.cmake)")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "cordon_discover_tests: '${target}' is not a target "
            "(call it after add_executable(${target} ...))")
  endif()
  if(NOT DEFINED arg_TIMEOUT_MARGIN)
    set(arg_TIMEOUT_MARGIN 5)
  endif()
  if(NOT arg_TIMEOUT_MARGIN MATCHES "^[0-9]+$")
    message(FATAL_ERROR "cordon_discover_tests(${target}): TIMEOUT_MARGIN "
            "'${arg_TIMEOUT_MARGIN}' is not a whole number of seconds")
  endif()
  if(NOT arg_DISCOVERY_MODE)
    if(CMAKE_CORDON_DISCOVER_TESTS_DISCOVERY_MODE)
      set(arg_DISCOVERY_MODE ${CMAKE_CORDON_DISCOVER_TESTS_DISCOVERY_MODE})
    else()
      set(arg_DISCOVERY_MODE POST_BUILD)
    endif()
  endif()
  if(NOT arg_DISCOVERY_MODE MATCHES "^(POST_BUILD|PRE_TEST)$")
    message(FATAL_ERROR "cordon_discover_tests(${target}): DISCOVERY_MODE "
            "'${arg_DISCOVERY_MODE}' is not POST_BUILD or PRE_TEST")
  endif()
  if(NOT arg_WORKING_DIRECTORY)
    set(arg_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  if(NOT arg_TEST_LIST)
    set(arg_TEST_LIST ${target}_TESTS)
  endif()
  if(NOT arg_DISCOVERY_TIMEOUT)
    set(arg_DISCOVERY_TIMEOUT 10)
  endif()
  get_property(script GLOBAL PROPERTY CORDON_ADD_TESTS_SCRIPT)
  get_property(emulator TARGET ${target} PROPERTY CROSSCOMPILING_EMULATOR)

  # One pair of files per call, so a target may be discovered twice (with
  # different EXTRA_ARGS, say).
  get_property(count TARGET ${target} PROPERTY CORDON_DISCOVER_COUNT)
  if(NOT count)
    set(count 0)
  endif()
  math(EXPR count "${count} + 1")
  set_property(TARGET ${target} PROPERTY CORDON_DISCOVER_COUNT ${count})
  set(base "${CMAKE_CURRENT_BINARY_DIR}/${target}-cordon-${count}")
  set(include_file "${base}_include.cmake")
  set(tests_file "${base}_tests.cmake")

  if(arg_DISCOVERY_MODE STREQUAL "POST_BUILD")
    add_custom_command(TARGET ${target} POST_BUILD
      BYPRODUCTS "${tests_file}"
      COMMAND "${CMAKE_COMMAND}"
        -D "TEST_TARGET=${target}"
        -D "TEST_EXECUTABLE=$<TARGET_FILE:${target}>"
        -D "TEST_EXECUTOR=${emulator}"
        -D "TEST_WORKING_DIR=${arg_WORKING_DIRECTORY}"
        -D "TEST_EXTRA_ARGS=${arg_EXTRA_ARGS}"
        -D "TEST_PROPERTIES=${arg_PROPERTIES}"
        -D "TEST_PREFIX=${arg_TEST_PREFIX}"
        -D "TEST_LABELS=${arg_LABELS}"
        -D "TEST_TIMEOUT_MARGIN=${arg_TIMEOUT_MARGIN}"
        -D "TEST_LIST=${arg_TEST_LIST}"
        -D "TEST_DISCOVERY_TIMEOUT=${arg_DISCOVERY_TIMEOUT}"
        -D "CTEST_FILE=${tests_file}"
        -D "TEST_CMAKE=${CMAKE_COMMAND}"
        -P "${script}"
      VERBATIM)
    file(WRITE "${include_file}"
      "if(EXISTS \"${tests_file}\")\n"
      "  include(\"${tests_file}\")\n"
      "else()\n"
      "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
      "endif()\n")
  else()
    get_property(multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
    if(multi_config)
      set(tests_file "${base}_tests-$<CONFIG>.cmake")
    endif()
    # Each value is a bracket argument: the content is generated here, and
    # a path with a quote or a semicolon must reach the script unchanged.
    string(CONCAT content
      "if(EXISTS [==[$<TARGET_FILE:${target}>]==])\n"
      "  if(NOT EXISTS [==[${tests_file}]==] OR\n"
      "     NOT [==[${tests_file}]==] IS_NEWER_THAN [==[$<TARGET_FILE:${target}>]==] OR\n"
      "     NOT [==[${tests_file}]==] IS_NEWER_THAN \"\${CMAKE_CURRENT_LIST_FILE}\")\n"
      "    set(TEST_TARGET [==[${target}]==])\n"
      "    set(TEST_EXECUTABLE [==[$<TARGET_FILE:${target}>]==])\n"
      "    set(TEST_EXECUTOR [==[${emulator}]==])\n"
      "    set(TEST_WORKING_DIR [==[${arg_WORKING_DIRECTORY}]==])\n"
      "    set(TEST_EXTRA_ARGS [==[${arg_EXTRA_ARGS}]==])\n"
      "    set(TEST_PROPERTIES [==[${arg_PROPERTIES}]==])\n"
      "    set(TEST_PREFIX [==[${arg_TEST_PREFIX}]==])\n"
      "    set(TEST_LABELS [==[${arg_LABELS}]==])\n"
      "    set(TEST_TIMEOUT_MARGIN [==[${arg_TIMEOUT_MARGIN}]==])\n"
      "    set(TEST_LIST [==[${arg_TEST_LIST}]==])\n"
      "    set(TEST_DISCOVERY_TIMEOUT [==[${arg_DISCOVERY_TIMEOUT}]==])\n"
      "    set(CTEST_FILE [==[${tests_file}]==])\n"
      "    set(TEST_CMAKE [==[${CMAKE_COMMAND}]==])\n"
      "    include([==[${script}]==])\n"
      "    cordon_add_tests()\n"
      "  endif()\n"
      "  include([==[${tests_file}]==])\n"
      "else()\n"
      "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
      "endif()\n")
    if(multi_config)
      foreach(config ${CMAKE_CONFIGURATION_TYPES})
        file(GENERATE OUTPUT "${base}_include-${config}.cmake"
             CONTENT "${content}" CONDITION $<CONFIG:${config}>)
      endforeach()
      file(WRITE "${include_file}"
           "include(\"${base}_include-\${CTEST_CONFIGURATION_TYPE}.cmake\")\n")
    else()
      file(GENERATE OUTPUT "${include_file}" CONTENT "${content}")
    endif()
  endif()

  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
