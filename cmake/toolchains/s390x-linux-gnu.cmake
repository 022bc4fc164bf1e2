# SPDX-License-Identifier: MIT
# s390x-linux-gnu.cmake — cross-builds cordon for IBM Z (s390x, 64-bit
# big-endian) on an x86_64 Debian or Ubuntu machine with Debian's cross
# compiler (gcc-s390x-linux-gnu). libxml2's and libdw's headers, and the
# s390x C library and libraries the binaries run with, come from a tree of
# Debian's s390x packages unpacked into CORDON_S390X_SYSROOT (ci/platforms
# makes one with ci/lib.sh's cordon_sysroot): Debian multiarch cannot
# install them where the archive's security updates do not cover s390x.
# The binaries run under qemu-user (qemu-s390x -L CORDON_S390X_SYSROOT),
# which CTest runs them with; the selftest's fixtures and the tools it
# starts need the kernel to run an s390x binary by itself (binfmt_misc,
# Debian's qemu-user-binfmt) and QEMU_LD_PREFIX set to the same tree,
# which this file reads when CORDON_S390X_SYSROOT is not given.
#
#   export QEMU_LD_PREFIX=/path/to/tree    # or -DCORDON_S390X_SYSROOT=
#   cmake -S . -B build-s390x \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/s390x-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_C_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER s390x-linux-gnu-g++)
if(NOT CORDON_S390X_SYSROOT)
  # The tree qemu runs the binaries with (QEMU_LD_PREFIX), so a build
  # started from a test (the selftest's package consumer) finds it too.
  set(CORDON_S390X_SYSROOT "$ENV{QEMU_LD_PREFIX}")
endif()
if(NOT IS_DIRECTORY "${CORDON_S390X_SYSROOT}/usr/include/libxml2")
  message(FATAL_ERROR "s390x-linux-gnu.cmake: CORDON_S390X_SYSROOT "
          "('${CORDON_S390X_SYSROOT}') is not a tree of Debian's s390x "
          "libc6, libxml2-dev and libdw-dev: make one with ci/lib.sh's "
          "cordon_sysroot (see ci/platforms) and pass its path")
endif()
# Try-compiles see the same variable.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES CORDON_S390X_SYSROOT)
# The compiler keeps its own C library (/usr/s390x-linux-gnu); the tree
# adds the libraries' headers (libxml2, elfutils, ICU, which libxml2's
# include) and their .so files.
set(CMAKE_C_FLAGS_INIT "-isystem ${CORDON_S390X_SYSROOT}/usr/include")
set(CMAKE_CXX_FLAGS_INIT "-isystem ${CORDON_S390X_SYSROOT}/usr/include")
# libxml2.so's own libraries (ICU, liblzma, zlib) are found at link time
# in the tree too.
set(rpath_link "-Wl,-rpath-link,${CORDON_S390X_SYSROOT}/usr/lib/s390x-linux-gnu:${CORDON_S390X_SYSROOT}/lib/s390x-linux-gnu")
set(CMAKE_EXE_LINKER_FLAGS_INIT ${rpath_link})
set(CMAKE_SHARED_LINKER_FLAGS_INIT ${rpath_link})
set(CMAKE_MODULE_LINKER_FLAGS_INIT ${rpath_link})
set(CMAKE_FIND_ROOT_PATH ${CORDON_S390X_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_LIBRARY_ARCHITECTURE s390x-linux-gnu)
set(ENV{PKG_CONFIG_SYSROOT_DIR} ${CORDON_S390X_SYSROOT})
set(ENV{PKG_CONFIG_LIBDIR}
    "${CORDON_S390X_SYSROOT}/usr/lib/s390x-linux-gnu/pkgconfig")
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-s390x -L ${CORDON_S390X_SYSROOT})
