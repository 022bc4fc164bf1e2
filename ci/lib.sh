# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# ci/lib.sh — shared by the ci/ scripts (sourced, not run): installing the
# Debian packages a script needs, once, and small reporting helpers.

# cordon_need PKG... installs the packages that are missing. apt-get update
# runs at most once per CI run (CORDON_APT_UPDATED is exported after it).
cordon_need() {
    local missing=() sudo=""
    for p in "$@"; do
        # A package installed for two architectures (libxml2-dev and
        # libxml2-dev:i386) is named with the machine's for its own.
        dpkg -s "$p" >/dev/null 2>&1 ||
            dpkg -s "$p:$(dpkg --print-architecture)" >/dev/null 2>&1 ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    # Another apt (unattended upgrades on a fresh machine) may hold the
    # dpkg lock for a while: wait for it rather than fail at once.
    if [ -z "${CORDON_APT_UPDATED:-}" ]; then
        $sudo apt-get -o DPkg::Lock::Timeout=600 update
        export CORDON_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 \
        install -y --no-install-recommends "${missing[@]}"
}

# cordon_foreign_arch ARCH lets cordon_need install packages of another
# architecture beside the machine's own (Debian multiarch: PKG:ARCH, e.g.
# libxml2-dev:i386). The package lists are fetched again on the next
# cordon_need, which then knows ARCH's packages.
cordon_foreign_arch() {
    local sudo=""
    [ "$1" = "$(dpkg --print-architecture)" ] && return 0
    dpkg --print-foreign-architectures | grep -qx "$1" && return 0
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo dpkg --add-architecture "$1"
    unset CORDON_APT_UPDATED
}

# The packages every build of cordon needs (used by the scripts that
# source this file).
# shellcheck disable=SC2034
CORDON_BUILD_PACKAGES=(cmake make gcc libc6-dev libxml2-dev libdw-dev pkg-config
                       libjansson-dev)

# The tools the selftest runs besides the fixtures: g++ for the C++
# header check, perl's prove and PyYAML to read TAP, python3-jsonschema
# to validate the JSON reports, valgrind, gdb, strace, util-linux's
# unshare and script, the locales and tmux of the console tests, and
# chromium, which loads the HTML report headless. Without one, a selftest
# skips and says why.
# shellcheck disable=SC2034
CORDON_SELFTEST_PACKAGES=(g++ perl python3-yaml python3-jsonschema valgrind gdb strace
                          util-linux locales tmux chromium)

# cordon_step NAME prints a visible step header.
cordon_step() {
    printf '\n==== %s ====\n' "$*"
}

# cordon_jobs is the build parallelism: the machine's cores.
cordon_jobs() {
    getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2
}

# cordon_skips_have_reasons LOG: every test that a cordon console log
# (LOG) shows skipped gives its reason ("SKIP    id  [seconds s  ]reason");
# prints the lines that do not and fails.
cordon_skips_have_reasons() {
    local bare
    # Colours off; a SKIP line with no text after its time, or with
    # nothing after its id.
    bare=$(sed 's/\x1b\[[0-9;]*m//g' "$1" |
           grep -E -e '^SKIP +.*  [0-9]+\.[0-9]+ s *$' -e '^SKIP +[^ ]+ *$' ||
           [ $? -eq 1 ])
    if [ -n "$bare" ]; then
        printf '%s\n' "$bare"
        echo "$1: a skip without its reason (above): say why the test skips" >&2
        return 1
    fi
}

# cordon_binfmt ARCH lets the kernel run ARCH's ELF binaries through
# qemu-user (Debian's qemu-user-binfmt, registered with binfmt-support's
# update-binfmts, which mounts binfmt_misc where it is not), so a program
# under qemu can start another of its own architecture. Fails, saying
# why, where the kernel will not (no binfmt_misc, no privileges).
cordon_binfmt() {
    local sudo="" entry=/proc/sys/fs/binfmt_misc/qemu-$1
    cordon_need qemu-user qemu-user-binfmt binfmt-support || return 1
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    grep -qx enabled "$entry" 2>/dev/null ||
        $sudo update-binfmts --enable "qemu-$1" || true
    grep -qx enabled "$entry" 2>/dev/null || {
        echo "cordon_binfmt: the kernel does not run $1 binaries through qemu ($entry): mount binfmt_misc and run update-binfmts --enable qemu-$1 as root" >&2
        return 1
    }
}

# cordon_sysroot ARCH DIR PKG... unpacks Debian's ARCH builds of the
# packages into DIR (apt-get download and dpkg-deb -x, nothing installed):
# a tree for a cross build and for qemu's -L, where Debian multiarch cannot
# install them beside the machine's own (an architecture the archive's
# security updates do not build, whose Multi-Arch: same libraries then
# lag the machine's versions).
cordon_sysroot() {
    local arch=$1 dir=$2 sudo="" p
    shift 2
    cordon_foreign_arch "$arch" || return 1
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    if [ -z "${CORDON_APT_UPDATED:-}" ]; then
        $sudo apt-get -o DPkg::Lock::Timeout=600 update || return 1
        export CORDON_APT_UPDATED=1
    fi
    mkdir -p "$dir/debs" || return 1
    for p in "$@"; do
        if ! compgen -G "$dir/debs/${p}_*_$arch.deb" >/dev/null; then
            (cd "$dir/debs" && apt-get download "$p:$arch") || return 1
        fi
        dpkg-deb -x "$(compgen -G "$dir/debs/${p}_*_$arch.deb" | tail -n 1)" "$dir" ||
            return 1
    done
}
