# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# self_check.sh — `ci/integration --self-check` (sourced by it, after its
# checks are defined): runs every check on inputs broken on purpose, which
# it must FAIL, and on good fakes of the same inputs, which it must PASS
# (so that a failure comes from what was broken, not from the fake).
# Nothing here needs a build of cordon: fake_test stands in for a test
# binary, fake_cordon.c for the libraries of an install prefix, consumer/
# for a CMake project using cordon, and small fake bazel commands for
# bazel.

# expect WANT NAME COMMAND...: runs a check (COMMAND) on an input made for
# it to give WANT (PASS, FAIL or SKIP) and prints PASS if it does.
expect() {
    local want=$1 name=$2 log
    shift 2
    checks=$((checks + 1))
    log=$work/check$checks.log
    run_check "$log" "$@"
    local -A said=([PASS]=passed [FAIL]=failed [SKIP]=skipped)
    if [ "$result" = "$want" ]; then
        printf 'PASS  %s: %s as it must' "$name" "${said[$want]}"
        [ "$want" = PASS ] || printf ' (%s)' "$reason"
        printf '\n'
    else
        printf 'FAIL  %s: %s, but it must have %s\n' "$name" "${said[$result]}" \
            "${said[$want]}"
        sed 's/^/      | /' "$log" | tail -n 40
        failed=$((failed + 1))
    fi
}

# shellcheck disable=SC2317  # the self-check's checks, called through expect()
fails_midway() { false; echo "a later step succeeds"; }
# shellcheck disable=SC2317
fails_in_a_pipe() { false | cat; true; }
# shellcheck disable=SC2317
fails_in_a_substitution() { local x; x=$(false; echo "a later step"); echo "$x"; }
# shellcheck disable=SC2317
skips_silently() { echo "some output"; echo; return 77; }
# shellcheck disable=SC2317
skips_saying_why() { echo "no widget here"; return 77; }
# shellcheck disable=SC2317
passes() { true; }
# shellcheck disable=SC2317
skip_scan() {
    printf '%b' "$1" >"$work/selftest.log"
    cordon_skips_have_reasons "$work/selftest.log"
}

# fake_prefix DIR FAULT: an install prefix like cordon's, its libraries
# built from cmake/test/selfcheck/fake_cordon.c, with FAULT: none,
# missing (no man page), soname (SONAME libcordon.so.1), export (one more
# symbol), static-only (no libcordon.so) or xml2 (--static names -lxml2).
fake_prefix() {
    local p=$1 fault=$2 lib=$1/lib obj=$work/fake/obj soname=$soname_wanted so
    mkdir -p "$lib/cmake/cordon" "$lib/pkgconfig" "$p/include" "$p/share/man/man1" \
        "$p/bin"
    cp include/cordon.h "$p/include"
    cp docs/cordon.1 docs/cordon-junit-merge.1 "$p/share/man/man1"
    printf '%s\n' '#!/bin/sh' 'echo "cordon-junit-merge 0.1.0"' >"$p/bin/cordon-junit-merge"
    chmod +x "$p/bin/cordon-junit-merge"
    cp cmake/CordonDiscoverTests.cmake cmake/CordonAddTests.cmake "$lib/cmake/cordon"
    # shellcheck disable=SC2016  # CMake's variable
    echo 'include("${CMAKE_CURRENT_LIST_DIR}/CordonDiscoverTests.cmake")' \
        >"$lib/cmake/cordon/cordonConfig.cmake"
    echo 'set(PACKAGE_VERSION 0.1.0)' >"$lib/cmake/cordon/cordonConfigVersion.cmake"
    : >"$lib/cmake/cordon/cordon-targets.cmake"
    so=$obj/cordon.o
    [ "$fault" != export ] || so=$obj/cordon-extra.o
    [ "$fault" != soname ] || soname=libcordon.so.1
    ar rcs "$lib/libcordon.a" "$obj/cordon.o"
    ar rcs "$lib/libcordon_main.a" "$obj/main.o"
    if [ "$fault" != static-only ]; then
        cc -shared -Wl,-soname,"$soname" -o "$lib/$soname_wanted.0" "$so"
        ln -s "$soname_wanted.0" "$lib/$soname_wanted"
        ln -s "$soname_wanted" "$lib/libcordon.so"
    fi
    printf '%s\n' "prefix=$p" "libdir=$lib" "includedir=$p/include" \
        "Name: cordon" "Description: fake" "Version: 0.1.0" \
        "Cflags: -I$p/include" "Libs: -L$lib -lcordon" \
        "Libs.private: -lm$([ "$fault" != xml2 ] || echo ' -lxml2')" \
        >"$lib/pkgconfig/cordon.pc"
    printf '%s\n' "Name: cordon-main" "Description: fake" "Version: 0.1.0" \
        "Requires: cordon = 0.1.0" "Libs: -L$lib -lcordon_main" \
        >"$lib/pkgconfig/cordon-main.pc"
    [ "$fault" != missing ] || rm "$p/share/man/man1/cordon.1"
}

# self_check: every check, on inputs made to fail it and on good ones
# (which show that a failure comes from what was broken). Fakes stand in
# for cordon (cmake/test/selfcheck/): nothing needs a build of it.
self_check() {
    local fakes=$src/cmake/test/selfcheck f fault mode want
    libdir=lib libxml2_mode=dlopen
    mkdir -p "$work/fake/obj" "$work/fake/bin"

    # check() itself.
    expect FAIL "check(): a failing step in the middle" fails_midway
    expect FAIL "check(): a failing step in a pipe" fails_in_a_pipe
    expect FAIL "check(): a failing step in a command substitution" fails_in_a_substitution
    expect FAIL "check(): a skip that does not say why" skips_silently
    expect SKIP "check(): a skip that says why" skips_saying_why
    expect PASS "check(): nothing fails" passes

    # ci/test's scan of a selftest log: every SKIP line gives a reason.
    expect PASS "skip scan: skips with reasons" skip_scan \
        'PASS    a/b  0.001 s\nSKIP    a/c  0.002 s  needs 3 widgets\nSKIP    a/d  not run\n'\
'SKIP    a b/c  d  0.010 s  why\ncordon: 1 skip\n'
    expect FAIL "skip scan: a SKIP with a time but no reason" skip_scan \
        'PASS    a/b  0.001 s\nSKIP    a/c  0.002 s\n'
    expect FAIL "skip scan: a SKIP with a time and blanks" skip_scan 'SKIP    a/c  0.002 s  \n'
    expect FAIL "skip scan: a SKIP with nothing but its id" skip_scan 'SKIP    a/c\n'
    expect FAIL "skip scan: a coloured SKIP without a reason" skip_scan \
        '\033[33mSKIP   \033[0m a/c  1.250 s\n'

    # Install prefixes.
    cc -std=c11 -c -fPIC -o "$work/fake/obj/cordon.o" "$fakes/fake_cordon.c"
    cc -std=c11 -c -fPIC -DFAKE_EXTRA_EXPORT -o "$work/fake/obj/cordon-extra.o" \
        "$fakes/fake_cordon.c"
    cc -std=c11 -c -DFAKE_CORDON_MAIN -o "$work/fake/obj/main.o" "$fakes/fake_cordon.c"
    for fault in none missing soname export static-only xml2; do
        fake_prefix "$work/fake/prefix-$fault" "$fault"
    done
    expect PASS "install: a fake prefix with everything" install_tree "$work/fake/prefix-none"
    expect FAIL "install: no man page" install_tree "$work/fake/prefix-missing"
    expect FAIL "install: SONAME libcordon.so.1" install_tree "$work/fake/prefix-soname"
    expect FAIL "install: one export beyond the API" install_tree "$work/fake/prefix-export"

    # CMake consumers and the build tree's ctest.
    expect PASS "consumer: a fake consumer whose six tests pass" \
        consumer "$fakes/consumer" consumer-none
    for fault in fails five noskip; do
        expect FAIL "consumer: fake consumer, $fault" \
            consumer "$fakes/consumer" "consumer-$fault" -DFAKE_FAULT=$fault
    done
    cmake -S "$fakes/consumer" -B "$work/consumer-nolabel" -DFAKE_FAULT=nolabel \
        >"$work/fake/nolabel.log" 2>&1 || { cat "$work/fake/nolabel.log"; exit 1; }
    expect PASS "build tree ctest: the fake consumer's" in_tree_ctest "$work/consumer-none"
    expect FAIL "build tree ctest: an example test fails" in_tree_ctest "$work/consumer-fails"
    expect FAIL "build tree ctest: no test labelled example" in_tree_ctest "$work/consumer-nolabel"

    # cordon_discover_tests (the real module, from the fake prefix).
    expect PASS "cordon_discover_tests: cmake/test/discover" \
        discovery cmake/test/discover "$work/fake/prefix-none" discover-good
    cp -r cmake/test/discover "$work/fake/discover-margin"
    sed -i 's/TIMEOUT_MARGIN 3/TIMEOUT_MARGIN 4/' "$work/fake/discover-margin/CMakeLists.txt"
    expect FAIL "cordon_discover_tests: TIMEOUT one more than check.cmake wants" \
        discovery "$work/fake/discover-margin" "$work/fake/prefix-none" discover-margin

    # pkg-config.
    mkdir -p "$work/fake/example" "$work/fake/example-dynamic"
    cp examples/pkg-config/Makefile "$fakes/stack_test.c" "$work/fake/example"
    sed '/LDFLAGS += -static/d' examples/pkg-config/Makefile \
        >"$work/fake/example-dynamic/Makefile"
    cp "$fakes/stack_test.c" "$work/fake/example-dynamic"
    expect PASS "pkg-config: dynamic, on the fake prefix" \
        pkgconfig_dynamic "$work/fake/prefix-none" "$work/fake/example" "$work/fake/pc-none"
    expect FAIL "pkg-config: dynamic, without libcordon.so" \
        pkgconfig_dynamic "$work/fake/prefix-static-only" "$work/fake/example" \
        "$work/fake/pc-static-only"
    expect PASS "pkg-config --static: on the fake prefix" \
        pkgconfig_static "$work/fake/prefix-none" "$work/fake/example" "$work/fake/pcs-none"
    expect FAIL "pkg-config --static: a Makefile that links dynamically" \
        pkgconfig_static "$work/fake/prefix-none" "$work/fake/example-dynamic" \
        "$work/fake/pcs-dynamic"
    expect FAIL "pkg-config --static: a .pc naming -lxml2 (dlopen build)" \
        pkgconfig_static "$work/fake/prefix-xml2" "$work/fake/example" "$work/fake/pcs-xml2"

    # libxml2.
    echo 'int main(void) { return 0; }' >"$work/fake/xml.c"
    cc -o "$work/fake/needs-xml2" "$work/fake/xml.c" -Wl,--no-as-needed -lxml2
    expect PASS "libxml2 not linked: the fake library and binary" libxml2_not_linked \
        "$work/fake/prefix-none/lib/libcordon.so" "$work/fake/pc-none/stack_test"
    expect FAIL "libxml2 not linked: a binary that needs libxml2" libxml2_not_linked \
        "$work/fake/pc-none/stack_test" "$work/fake/needs-xml2"
    expect FAIL "libxml2 not linked: a binary that is not there" libxml2_not_linked \
        "$work/fake/no-such-binary" "$work/fake/pc-none/stack_test"

    # Test engines, with fake_test as the test binary.
    for fault in good same miss exit status premature lax bridge; do
        ln -s "$fakes/fake_test" "$work/fake/bin/fake-$fault"
    done
    for fault in good same miss exit status premature; do
        for mode in bazel gtest flag; do
            want=FAIL
            case $fault in
            good) want=PASS ;;
            status | premature) [ "$mode" = bazel ] || continue ;;
            esac
            expect $want "$mode sharding: fake-$fault" \
                shards $mode "$work/fake/bin/fake-$fault" 3
        done
    done
    expect PASS "bazel sharding: fake-good, more shards than tests" \
        shards bazel "$work/fake/bin/fake-good" 9
    expect PASS "bad sharding: fake-good refuses each" \
        bad_combinations "$work/fake/bin/fake-good"
    expect FAIL "bad sharding: fake-lax accepts them" \
        bad_combinations "$work/fake/bin/fake-lax"
    expect PASS "TESTBRIDGE_TEST_ONLY: fake-good" \
        testbridge "$work/fake/bin/fake-good" 'alpha/*'
    expect FAIL "TESTBRIDGE_TEST_ONLY: fake-bridge ignores it" \
        testbridge "$work/fake/bin/fake-bridge" 'alpha/*'
    expect FAIL "TESTBRIDGE_TEST_ONLY: a pattern matching every test" \
        testbridge "$work/fake/bin/fake-good" '*'

    # Real Bazel's version gate, with fake bazel commands.
    for f in 4.2.1:0 7.0.2:0 7.1.0:3 8.0.0:0 10.2.0:0 dev:0; do
        # shellcheck disable=SC2016  # $1 is the fake's
        printf '#!/bin/sh\ncase $1 in --version) echo "bazel %s";; test) exit %s;; esac\n' \
            "${f%:*}" "${f#*:}" >"$work/fake/bin/bazel-${f%:*}"
        chmod +x "$work/fake/bin/bazel-${f%:*}"
    done
    expect SKIP "real bazel: not installed" bazel_real "$work/fake/bin/no-such-bazel"
    expect SKIP "real bazel: 4.2.1 (Debian's bazel-bootstrap)" \
        bazel_real "$work/fake/bin/bazel-4.2.1"
    expect SKIP "real bazel: 7.0.2" bazel_real "$work/fake/bin/bazel-7.0.2"
    expect SKIP "real bazel: a version it cannot read" bazel_real "$work/fake/bin/bazel-dev"
    expect FAIL "real bazel: 7.1.0, whose bazel test fails" \
        bazel_real "$work/fake/bin/bazel-7.1.0"
    expect PASS "real bazel: 8.0.0" bazel_real "$work/fake/bin/bazel-8.0.0"
    expect PASS "real bazel: 10.2.0" bazel_real "$work/fake/bin/bazel-10.2.0"

    echo "ci/integration --self-check: $checks checks on made inputs, $failed not as they must," \
         "in $((SECONDS - started)) s"
    [ "$failed" -eq 0 ]
}
