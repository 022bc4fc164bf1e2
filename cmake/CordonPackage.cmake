# SPDX-License-Identifier: MIT
# The cordon package: what `cmake --install` puts under a prefix and the
# build-tree twin of the CMake package, so a consumer can use cordon
#   installed:   find_package(cordon) with CMAKE_PREFIX_PATH=<prefix>,
#                or pkg-config cordon / cordon-main;
#   built only:  find_package(cordon) with cordon_DIR=<this build dir>.
# Both CMake forms define cordon::cordon, cordon::cordon_static,
# cordon::cordon_shared, cordon::main, cordon::fuzz and cordon::junit_merge
# (the cordon-junit-merge program), cordon_discover_tests() and
# cordon_add_fuzz_regression().
# Nothing here runs when cordon is a subproject without CORDON_INSTALL:
# its parent then has the real targets and the function already.
include(CMakePackageConfigHelpers)

if(NOT CORDON_INSTALL)
  return()
endif()

set(cordon_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/cordon)
set(cordon_modules
  ${PROJECT_SOURCE_DIR}/cmake/CordonDiscoverTests.cmake
  ${PROJECT_SOURCE_DIR}/cmake/CordonAddTests.cmake
  ${PROJECT_SOURCE_DIR}/cmake/CordonFuzzRegression.cmake)

install(TARGETS cordon cordon_static cordon_shared cordon_main
  cordon_fuzz cordon_junit_merge
  EXPORT cordon-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/cordon.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT cordon-targets NAMESPACE cordon:: FILE cordon-targets.cmake
  DESTINATION ${cordon_cmake_dir})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cordon-config.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/cordonConfig.cmake
  INSTALL_DESTINATION ${cordon_cmake_dir})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cordonConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/cordonConfig.cmake
  ${PROJECT_BINARY_DIR}/cordonConfigVersion.cmake ${cordon_modules}
  DESTINATION ${cordon_cmake_dir})

# The build tree as a package: the same config, next to a targets file
# that points into the build tree and copies of the two modules.
export(EXPORT cordon-targets NAMESPACE cordon::
  FILE ${PROJECT_BINARY_DIR}/cordon-targets.cmake)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cordon-config.cmake.in
  ${PROJECT_BINARY_DIR}/cordonConfig.cmake
  INSTALL_DESTINATION ${PROJECT_BINARY_DIR}
  INSTALL_PREFIX ${PROJECT_BINARY_DIR})
foreach(module ${cordon_modules})
  configure_file(${module} ${PROJECT_BINARY_DIR} COPYONLY)
endforeach()

# pkg-config files. Their prefix is only known at install time
# (`cmake --install --prefix P` overrides the configured one), so the
# templates are filled in twice: now with everything but the prefix, and
# by the install script with the prefix it installs to.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(CORDON_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(CORDON_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(CORDON_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(CORDON_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
# An instrumented libcordon needs its runtime wherever it is linked.
set(CORDON_PC_EXTRA_LIBS "")
if(CORDON_COVERAGE)
  set(CORDON_PC_EXTRA_LIBS " --coverage")
elseif(CORDON_SANITIZE)
  set(CORDON_PC_EXTRA_LIBS " -fsanitize=address,undefined")
endif()
# libxml2 is the static library's to link only when it calls libxml2
# directly (CORDON_LIBXML2=link); by default it dlopen()s the shared one
# and needs only dlopen() itself, which glibc 2.34 and later keep in libc.
# jansson (the JSON reports, --shard-by's reading) is always linked.
if(CORDON_LIBXML2 STREQUAL "link")
  set(CORDON_PC_REQUIRES_PRIVATE "Requires.private: libxml-2.0 jansson")
else()
  set(CORDON_PC_REQUIRES_PRIVATE
      "# libxml2 (${CORDON_LIBXML2_SONAME}) is loaded with dlopen() when a JUnit report is written\nRequires.private: jansson")
endif()
set(CORDON_PC_DL_LIBS "")
foreach(lib ${CORDON_DL_LIBS})
  string(APPEND CORDON_PC_DL_LIBS " -l${lib}")
endforeach()
set(CORDON_PC_PREFIX "@CORDON_PC_PREFIX@")
foreach(pc cordon cordon-main cordon-fuzz)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in
    ${PROJECT_BINARY_DIR}/cmake/${pc}.pc.in @ONLY)
  # Staged per prefix: two installs of one build tree may run at once.
  install(CODE "
    # A relative --prefix is taken from where the install runs: the file
    # must name the same place from anywhere.
    get_filename_component(CORDON_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\"
                           ABSOLUTE BASE_DIR \"\${CMAKE_CURRENT_BINARY_DIR}\")
    string(MD5 stage \"\${CMAKE_INSTALL_PREFIX}\")
    set(stage \"${PROJECT_BINARY_DIR}/cmake/pkgconfig-\${stage}\")
    configure_file(\"${PROJECT_BINARY_DIR}/cmake/${pc}.pc.in\"
                   \"\${stage}/${pc}.pc\" @ONLY)
    file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\"
         TYPE FILE FILES \"\${stage}/${pc}.pc\")")
endforeach()

# The JSON Schema of the --json event stream, for readers to validate
# against (docs/reports.md).
install(FILES ${PROJECT_SOURCE_DIR}/docs/cordon-events.schema.json
  DESTINATION ${CMAKE_INSTALL_DATADIR}/cordon)
install(FILES ${PROJECT_SOURCE_DIR}/docs/cordon.1
  ${PROJECT_SOURCE_DIR}/docs/cordon-junit-merge.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
