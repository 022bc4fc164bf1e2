# SPDX-License-Identifier: MIT
# CTest tests of the package as its users consume it, run against this
# build tree (G21; fmt's find-package and add-subdirectory tests): the
# consumer project through find_package() with cordon_DIR set here and
# through add_subdirectory() of these sources, and the discovery test
# project with its odd ids. The selftest (packaging_install_test.c) does
# the same against a real install, and pkg-config too.
# They are built as cordon was: its compiler, C flags and toolchain file
# (-m32 for i386: cmake/toolchains/).
set(cordon_bat_options
  --build-generator "${CMAKE_GENERATOR}"
  --build-options -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
    "-DCMAKE_C_FLAGS=${CMAKE_C_FLAGS}")
if(CMAKE_TOOLCHAIN_FILE)
  list(APPEND cordon_bat_options -DCMAKE_TOOLCHAIN_FILE=${CMAKE_TOOLCHAIN_FILE})
endif()

add_test(NAME cordon.package.find_package
  COMMAND ${CMAKE_CTEST_COMMAND} --build-and-test
    ${PROJECT_SOURCE_DIR}/examples/consumer-cmake
    ${PROJECT_BINARY_DIR}/package-tests/find_package
    ${cordon_bat_options} -Dcordon_DIR=${PROJECT_BINARY_DIR}
    --test-command ${CMAKE_CTEST_COMMAND} --output-on-failure)
add_test(NAME cordon.package.add_subdirectory
  COMMAND ${CMAKE_CTEST_COMMAND} --build-and-test
    ${PROJECT_SOURCE_DIR}/examples/consumer-cmake
    ${PROJECT_BINARY_DIR}/package-tests/add_subdirectory
    ${cordon_bat_options} -DCORDON_SOURCE_DIR=${PROJECT_SOURCE_DIR}
    --test-command ${CMAKE_CTEST_COMMAND} --output-on-failure)
add_test(NAME cordon.package.discover_odd_ids
  COMMAND ${CMAKE_CTEST_COMMAND} --build-and-test
    ${PROJECT_SOURCE_DIR}/cmake/test/discover
    ${PROJECT_BINARY_DIR}/package-tests/discover
    ${cordon_bat_options} -Dcordon_DIR=${PROJECT_BINARY_DIR}
    --test-command ${CMAKE_COMMAND}
      -D BUILD=${PROJECT_BINARY_DIR}/package-tests/discover
      -P ${PROJECT_SOURCE_DIR}/cmake/test/discover/check.cmake)
set_tests_properties(cordon.package.find_package
  cordon.package.add_subdirectory cordon.package.discover_odd_ids
  PROPERTIES TIMEOUT 300 LABELS package)
