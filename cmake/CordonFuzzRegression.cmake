# SPDX-License-Identifier: MIT
#[=======================================================================[.rst:
CordonFuzzRegression
--------------------

Runs a fuzz target's corpus as a regression test under CTest. Included by
the cordon package config (``find_package(cordon)``) and by cordon's own
top-level ``CMakeLists.txt`` (``add_subdirectory``).

.. command:: cordon_add_fuzz_regression

  ::

    cordon_add_fuzz_regression(<target> <input>...
                               [NAME <name>]
                               [WORKING_DIRECTORY <dir>]
                               [EXTRA_ARGS <arg>...]
                               [LABELS <label>...]
                               [DISCOVER])

  ``<target>`` is an executable defining ``LLVMFuzzerTestOneInput`` and
  linked with ``cordon::fuzz``; each ``<input>`` is a corpus directory or
  a single input file (a relative one is taken from the current source
  directory). By default one CTest test, ``<name>`` (default
  ``<target>.regression``), runs ``<target> <input>... <extra args>``:
  every input a cordon test of its own, ``fuzz/<path>``, run in parallel
  by cordon's ``--jobs``, with ``SKIP_RETURN_CODE 77`` and the labels
  ``fuzz`` and ``LABELS``. The crashing inputs are named in its output;
  ``EXTRA_ARGS`` such as ``--junit-dir`` or ``--timeout 5`` go to cordon.

  ``DISCOVER``
    registers one CTest test per input instead, through
    ``cordon_discover_tests`` (named ``<name>:fuzz/<path>``): each is then
    scheduled by ``ctest -j``, and shows in CTest's own reports.
#]=======================================================================]
include_guard(GLOBAL)

function(cordon_add_fuzz_regression target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "DISCOVER"
                        "NAME;WORKING_DIRECTORY" "EXTRA_ARGS;LABELS")
  if(NOT arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "cordon_add_fuzz_regression(${target}): no inputs "
            "(give a corpus directory or input files after the target)")
  endif()
  if(NOT arg_NAME)
    set(arg_NAME "${target}.regression")
  endif()
  if(NOT arg_WORKING_DIRECTORY)
    set(arg_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  set(inputs "")
  foreach(input IN LISTS arg_UNPARSED_ARGUMENTS)
    get_filename_component(input "${input}" ABSOLUTE
                           BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND inputs "${input}")
  endforeach()
  if(arg_DISCOVER)
    cordon_discover_tests(${target} TEST_PREFIX "${arg_NAME}:"
                          LABELS fuzz ${arg_LABELS}
                          WORKING_DIRECTORY "${arg_WORKING_DIRECTORY}"
                          EXTRA_ARGS ${inputs} ${arg_EXTRA_ARGS})
    return()
  endif()
  add_test(NAME "${arg_NAME}"
           COMMAND ${target} ${inputs} ${arg_EXTRA_ARGS}
           WORKING_DIRECTORY "${arg_WORKING_DIRECTORY}")
  set_tests_properties("${arg_NAME}" PROPERTIES SKIP_RETURN_CODE 77
                       LABELS "fuzz;${arg_LABELS}")
endfunction()
