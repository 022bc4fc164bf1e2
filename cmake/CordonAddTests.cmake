# SPDX-License-Identifier: MIT
# CordonAddTests.cmake — the script half of cordon_discover_tests() (see
# CordonDiscoverTests.cmake): runs a cordon test binary with --list
# --verbose and writes a CTest file with one add_test() per listed id.
# Runs as `cmake -P` after a build (POST_BUILD, settings as -D variables)
# or is include()d by CTest (PRE_TEST, settings as variables), and reads
# the same variables either way:
#   TEST_TARGET TEST_EXECUTABLE TEST_EXECUTOR TEST_WORKING_DIR
#   TEST_EXTRA_ARGS TEST_PROPERTIES TEST_PREFIX TEST_LABELS
#   TEST_TIMEOUT_MARGIN TEST_LIST TEST_DISCOVERY_TIMEOUT CTEST_FILE
#   TEST_CMAKE

# cordon_bracket(OUT TEXT) quotes TEXT as a bracket argument with the
# fewest '=' that make its closing bracket unique, so any id (quotes,
# backslashes, "]]" included) reaches CTest byte for byte.
function(cordon_bracket out text)
  set(eq "=")
  string(LENGTH "${text}" length)
  foreach(unused RANGE ${length})
    string(FIND "${text}]" "]${eq}]" at)
    if(at EQUAL -1)
      break()
    endif()
    string(APPEND eq "=")
  endforeach()
  set(${out} "[${eq}[${text}]${eq}]" PARENT_SCOPE)
endfunction()

# cordon_timeout_ceil(OUT SECONDS) rounds a number printed with %g
# ("0.5", "10", "1e+06", "2.5e-05") up to whole seconds; OUT is empty when
# SECONDS is not such a number.
function(cordon_timeout_ceil out seconds)
  set(${out} "" PARENT_SCOPE)
  if(NOT seconds MATCHES "^([0-9]+)(\\.([0-9]*))?(e([-+])([0-9]+))?$")
    return()
  endif()
  set(digits "${CMAKE_MATCH_1}${CMAKE_MATCH_3}")
  string(LENGTH "${CMAKE_MATCH_1}" point)
  if(CMAKE_MATCH_5 STREQUAL "-")
    math(EXPR point "${point} - ${CMAKE_MATCH_6}")
  elseif(CMAKE_MATCH_6)
    math(EXPR point "${point} + ${CMAKE_MATCH_6}")
  endif()
  string(LENGTH "${digits}" ndigits)
  if(point LESS_EQUAL 0)
    set(whole 0)
    set(rest "${digits}")
  elseif(point GREATER_EQUAL ndigits)
    math(EXPR pad "${point} - ${ndigits}")
    string(REPEAT "0" ${pad} zeros)
    set(whole "${digits}${zeros}")
    set(rest "")
  else()
    string(SUBSTRING "${digits}" 0 ${point} whole)
    string(SUBSTRING "${digits}" ${point} -1 rest)
  endif()
  string(REGEX REPLACE "^0+(.)" "\\1" whole "${whole}")
  if(rest MATCHES "[1-9]")
    math(EXPR whole "${whole} + 1")
  endif()
  set(${out} "${whole}" PARENT_SCOPE)
endfunction()

# The CTest file computes each TIMEOUT when ctest reads it: the test's
# own timeout, rounded up, times CORDON_TIMEOUT_MULTIPLIER as cordon will
# apply it (a decimal number; up to 9 digits after the point count, the
# rest round up), plus the margin. A multiplier written otherwise (1e1)
# leaves the limit to cordon: no TIMEOUT at all.
set(timeout_function [==[
function(_cordon_ctest_timeout out seconds margin)
  set(m "$ENV{CORDON_TIMEOUT_MULTIPLIER}")
  if(m STREQUAL "")
    set(m 1)
  endif()
  if(NOT m MATCHES "^([0-9]*)([.]([0-9]*))?$" OR m STREQUAL "." OR m STREQUAL "")
    set(${out} "" PARENT_SCOPE)
    return()
  endif()
  set(whole "${CMAKE_MATCH_1}")
  set(frac "${CMAKE_MATCH_3}")
  string(REGEX REPLACE "^0+" "" whole "${whole}")
  if(whole STREQUAL "")
    set(whole 0)
  endif()
  set(rest "")
  string(LENGTH "${frac}" nfrac)
  if(nfrac GREATER 9)
    string(SUBSTRING "${frac}" 9 -1 rest)
    string(SUBSTRING "${frac}" 0 9 frac)
    set(nfrac 9)
  endif()
  string(REGEX REPLACE "^0+" "" digits "${frac}")
  if(digits STREQUAL "")
    set(digits 0)
  endif()
  if(rest MATCHES "[1-9]")
    math(EXPR digits "${digits} + 1")
  endif()
  string(REPEAT "0" ${nfrac} zeros)
  math(EXPR scale "1${zeros}")
  math(EXPR t "${seconds} * ${whole} + (${seconds} * ${digits} + ${scale} - 1) / ${scale} + ${margin}")
  set(${out} ${t} PARENT_SCOPE)
endfunction()
]==])

function(cordon_add_tests)
  foreach(var TEST_EXECUTABLE TEST_WORKING_DIR TEST_TIMEOUT_MARGIN CTEST_FILE)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
      message(FATAL_ERROR "CordonAddTests.cmake: ${var} is not set "
              "(run through cordon_discover_tests())")
    endif()
  endforeach()
  if(NOT EXISTS "${TEST_EXECUTABLE}")
    message(FATAL_ERROR "cordon_discover_tests(${TEST_TARGET}): the test "
            "binary '${TEST_EXECUTABLE}' does not exist (build it first)")
  endif()
  if(NOT TEST_DISCOVERY_TIMEOUT)
    set(TEST_DISCOVERY_TIMEOUT 10)
  endif()
  if(NOT TEST_CMAKE)
    set(TEST_CMAKE "${CMAKE_COMMAND}")
  endif()

  # The listing is every test of the binary: the variables that select a
  # subset at run time (cordon's own and the test engines') are unset. So
  # is the timeout multiplier: the CTest file applies it when ctest runs.
  set(unset)
  foreach(var CORDON_FILTER CORDON_SHARD CORDON_TIMEOUT_MULTIPLIER
              TESTBRIDGE_TEST_ONLY
              TEST_TOTAL_SHARDS TEST_SHARD_INDEX GTEST_TOTAL_SHARDS
              GTEST_SHARD_INDEX TEST_SHARD_STATUS_FILE
              TEST_PREMATURE_EXIT_FILE XML_OUTPUT_FILE)
    list(APPEND unset "--unset=${var}")
  endforeach()
  execute_process(
    COMMAND "${TEST_CMAKE}" -E env ${unset}
            ${TEST_EXECUTOR} "${TEST_EXECUTABLE}" ${TEST_EXTRA_ARGS}
            --list --verbose
    WORKING_DIRECTORY "${TEST_WORKING_DIR}"
    TIMEOUT ${TEST_DISCOVERY_TIMEOUT}
    OUTPUT_VARIABLE output
    ERROR_VARIABLE errors
    RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    string(REPLACE "\n" "\n    " indented "${output}${errors}")
    message(FATAL_ERROR
      "cordon_discover_tests(${TEST_TARGET}): listing the tests failed\n"
      "  Path: '${TEST_EXECUTABLE}'\n"
      "  Working directory: '${TEST_WORKING_DIR}'\n"
      "  Result: ${result}\n"
      "  Output:\n    ${indented}\n")
  endif()

  # Splitting into a CMake list would treat ';' as a separator, '\;' as
  # an escape and '[' ... ']' as grouping, so those characters are swapped
  # for control characters (never in an id line) first and back per line.
  string(ASCII 1 c_backslash)
  string(ASCII 2 c_open)
  string(ASCII 3 c_close)
  string(ASCII 4 c_semicolon)
  string(REPLACE "\\" "${c_backslash}" output "${output}")
  string(REPLACE "[" "${c_open}" output "${output}")
  string(REPLACE "]" "${c_close}" output "${output}")
  string(REPLACE ";" "${c_semicolon}" output "${output}")
  string(REPLACE "\n" ";" lines "${output}")

  cordon_bracket(exe "${TEST_EXECUTABLE}")
  cordon_bracket(workdir "${TEST_WORKING_DIR}")
  set(executor "")
  foreach(word IN LISTS TEST_EXECUTOR)
    cordon_bracket(word "${word}")
    string(APPEND executor " ${word}")
  endforeach()
  set(extra "")
  foreach(word IN LISTS TEST_EXTRA_ARGS)
    cordon_bracket(word "${word}")
    string(APPEND extra " ${word}")
  endforeach()
  set(props "")
  foreach(word IN LISTS TEST_PROPERTIES)
    cordon_bracket(word "${word}")
    string(APPEND props " ${word}")
  endforeach()

  set(script "# Generated by cordon_discover_tests(${TEST_TARGET}); do not edit.\n")
  string(APPEND script "${timeout_function}")
  set(names "")
  foreach(line IN LISTS lines)
    if(line STREQUAL "")
      continue()
    endif()
    string(REPLACE "${c_backslash}" "\\" line "${line}")
    string(REPLACE "${c_open}" "[" line "${line}")
    string(REPLACE "${c_close}" "]" line "${line}")
    string(REPLACE "${c_semicolon}" ";" line "${line}")
    string(FIND "${line}" "\t" tab REVERSE)
    if(tab EQUAL -1)
      message(FATAL_ERROR
        "cordon_discover_tests(${TEST_TARGET}): '${TEST_EXECUTABLE} --list "
        "--verbose' printed '${line}', not 'suite/name<TAB>seconds' (is it "
        "a cordon test binary?)")
    endif()
    string(SUBSTRING "${line}" 0 ${tab} id)
    math(EXPR tab "${tab} + 1")
    string(SUBSTRING "${line}" ${tab} -1 seconds)
    string(FIND "${id}" "/" slash)
    if(slash EQUAL -1)
      set(suite "${id}")
    else()
      string(SUBSTRING "${id}" 0 ${slash} suite)
    endif()
    cordon_timeout_ceil(timeout "${seconds}")
    if(timeout STREQUAL "")
      message(FATAL_ERROR "cordon_discover_tests(${TEST_TARGET}): '${id}' "
              "has timeout '${seconds}', which is not a number of seconds")
    endif()

    cordon_bracket(name "${TEST_PREFIX}${id}")
    cordon_bracket(quoted_id "${id}")
    set(labels "${suite}")
    if(TEST_LABELS)
      string(APPEND labels ";${TEST_LABELS}")
    endif()
    cordon_bracket(labels "${labels}")
    string(APPEND script
      "add_test(${name}${executor} ${exe} --test ${quoted_id}${extra})\n")
    if(NOT timeout EQUAL 0)
      string(APPEND script
        "_cordon_ctest_timeout(timeout ${timeout} ${TEST_TIMEOUT_MARGIN})\n"
        "if(timeout)\n"
        "  set_tests_properties(${name} PROPERTIES TIMEOUT \${timeout})\n"
        "endif()\n")
    endif()
    # CORDON_CTEST tells the binary that CTest runs it one test at a time.
    string(APPEND script
      "set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77"
      " LABELS ${labels} WORKING_DIRECTORY ${workdir}"
      " ENVIRONMENT_MODIFICATION CORDON_CTEST=set:1${props})\n")
    string(APPEND names " ${name}")
  endforeach()
  if(TEST_LIST)
    string(APPEND script "set(${TEST_LIST}${names})\n")
  endif()
  file(WRITE "${CTEST_FILE}" "${script}")
endfunction()

if(CMAKE_SCRIPT_MODE_FILE)
  cordon_add_tests()
endif()
