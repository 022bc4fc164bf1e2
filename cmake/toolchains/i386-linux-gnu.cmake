# SPDX-License-Identifier: MIT
# i386-linux-gnu.cmake — builds cordon for 32-bit x86 on an x86_64 Debian
# or Ubuntu machine, with the host's gcc or clang and -m32, against the
# i386 libraries of Debian multiarch (dpkg --add-architecture i386;
# gcc-multilib, libxml2-dev:i386, libdw-dev:i386: ci/platforms installs
# them). The binaries run natively on the x86_64 kernel, so this is not a
# cross build: CMAKE_SYSTEM_NAME is left alone and tests run as usual.
#
#   cmake -S . -B build-i386 \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/i386-linux-gnu.cmake
set(CMAKE_C_FLAGS_INIT -m32)
set(CMAKE_CXX_FLAGS_INIT -m32)
set(CMAKE_EXE_LINKER_FLAGS_INIT -m32)
set(CMAKE_SHARED_LINKER_FLAGS_INIT -m32)
set(CMAKE_MODULE_LINKER_FLAGS_INIT -m32)
# find_library() and find_path() look in the multiarch directory first
# (/usr/lib/i386-linux-gnu), and pkg-config reads the i386 .pc files
# rather than the host's.
set(CMAKE_LIBRARY_ARCHITECTURE i386-linux-gnu)
set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/i386-linux-gnu/pkgconfig:/usr/share/pkgconfig")
