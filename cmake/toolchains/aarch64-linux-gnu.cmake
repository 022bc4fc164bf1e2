# SPDX-License-Identifier: MIT
# aarch64-linux-gnu.cmake — cross-builds cordon for 64-bit Arm (arm64) on
# an x86_64 Debian or Ubuntu machine with Debian's cross compiler
# (gcc-aarch64-linux-gnu), against the arm64 libraries of Debian multiarch
# (dpkg --add-architecture arm64; libxml2-dev:arm64, libdw-dev:arm64:
# ci/platforms installs them). The binaries run under qemu-user
# (qemu-aarch64, Debian's qemu-user), which CTest runs them with; the
# selftest's fixtures and the tools it starts need the kernel to run an
# arm64 binary by itself (binfmt_misc, Debian's qemu-user-binfmt).
#
#   cmake -S . -B build-arm64 \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# The binaries run with Debian multiarch's arm64 loader and C library
# (/lib/ld-linux-aarch64.so.1 and /lib/aarch64-linux-gnu, libc6:arm64,
# which libxml2-dev:arm64 brings), as binfmt_misc runs them: qemu's
# default prefix. Not "-L /usr/aarch64-linux-gnu": that takes the loader
# from the cross compiler's libc6-arm64-cross while the loader still finds
# libc.so.6 in /lib/aarch64-linux-gnu, two builds of glibc whose private
# _rtld_global differ (_dl_stack_used at 0x1158 in 2.36-8, 0x1160 in
# 2.36-9+deb12u14), and every fork()'s child then loops forever in
# glibc's reclaim_stacks.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
