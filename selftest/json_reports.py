#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# json_reports.py — reads cordon's JSON reports for the selftest
# (report_json_test.c) with a real JSON Schema validator (Debian:
# python3-jsonschema) and prints what they say, one fact a line, for the
# C side to assert on.
#
#   json_reports.py events SCHEMA FILE
#       validates every line of a --json stream against
#       docs/cordon-events.schema.json and checks its shape: every line
#       whole and ending in a newline, run-started first, run-finished
#       last, each test finished once, no test started after it finished,
#       a test that ran finished with the attempt, repetition and worker
#       of one of its test-started lines (or attempt 1 when it has none:
#       its suite's once failed), every suite-once that started finished.
#       Prints "events N", then "finished ID OUTCOME [flaky]" per
#       test-finished in the order they came, "started ID ATTEMPT" per
#       test-started, "once SUITE PHASE [OUTCOME]", "bytes ID STREAM
#       BYTES OMITTED KEPT" per stream of each test-finished (KEPT: the
#       length of its text), "attempt ID ATTEMPT/ATTEMPTS
#       REPETITION/REPETITIONS WORKER" per test that ran, "counted ID
#       FAILURES DROPPED" per test with failures and
#       "run-finished TESTS PASSED FAILED SKIPPED FLAKY EXIT INTERRUPTED_BY".
#   json_reports.py ctrf SCHEMA FILE
#       validates a --ctrf report against the CTRF schema; prints
#       "test ID STATUS RAWSTATUS [flaky]" per test and
#       "extra ID ATTEMPT/ATTEMPTS REPETITION/REPETITIONS THREAD
#       STDOUT_BYTES STDOUT_LINES" per test (THREAD "-" when it has no
#       threadId) and
#       "summary TESTS PASSED FAILED SKIPPED PENDING OTHER FLAKY".
# Exits 1 with "invalid: ..." when something does not hold.
import json
import sys

import jsonschema


def fail(why):
    print("invalid: " + why)
    sys.exit(1)


def validator(schema_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def events(schema_path, path):
    v = validator(schema_path)
    with open(path, "rb") as f:
        data = f.read()
    if not data.endswith(b"\n"):
        fail("the stream does not end with a whole line")
    lines = data.split(b"\n")[:-1]
    finished = set()
    started_ids = {}
    starts = {}
    onces = {}
    for n, raw in enumerate(lines, 1):
        try:
            ev = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            fail("line %d is not JSON in UTF-8: %s" % (n, e))
        errors = sorted(v.iter_errors(ev), key=lambda e: list(e.path))
        if errors:
            fail("line %d: %s" % (n, errors[0].message))
        kind = ev["event"]
        if (n == 1) != (kind == "run-started"):
            fail("line %d: run-started must be first, and only first" % n)
        if (n == len(lines)) != (kind == "run-finished"):
            fail("line %d: run-finished must be last, and only last" % n)
        if kind == "test-started":
            if ev["id"] in finished:
                fail("line %d: %s started after it finished" % (n, ev["id"]))
            started_ids[ev["id"]] = True
            starts[(ev["id"], ev["attempt"], ev["repetition"])] = ev["worker"]
            print("started %s %d" % (ev["id"], ev["attempt"]))
        elif kind == "test-finished":
            if ev["id"] in finished:
                fail("line %d: %s finished twice" % (n, ev["id"]))
            finished.add(ev["id"])
            print("finished %s %s%s" % (ev["id"], ev["outcome"],
                                        " flaky" if ev["flaky"] else ""))
            if ev["ran"]:
                place = (ev["id"], ev["attempt"], ev["repetition"])
                if ev["attempt"] < 1 or ev["repetition"] < 1 or \
                        ev["attempt"] > ev["attempts"] or \
                        ev["repetition"] > ev["repetitions"]:
                    fail("line %d: %s ran as attempt %d of %d, repetition "
                         "%d of %d" % (n, ev["id"], ev["attempt"],
                                       ev["attempts"], ev["repetition"],
                                       ev["repetitions"]))
                if ev["id"] in started_ids and place not in starts:
                    fail("line %d: %s finished as attempt %d repetition %d, "
                         "which never started" % ((n,) + place))
                if place in starts and starts[place] != ev["worker"]:
                    fail("line %d: %s finished on worker %s, started on %s"
                         % (n, ev["id"], ev["worker"], starts[place]))
                print("attempt %s %d/%d %d/%d %d" % (
                    ev["id"], ev["attempt"], ev["attempts"],
                    ev["repetition"], ev["repetitions"], ev["worker"]))
            for key in ("stdout", "stderr"):
                print("bytes %s %s %d %d %d" % (
                    ev["id"], key, ev[key]["bytes"], ev[key]["omitted"],
                    len(ev[key]["text"].encode("utf-8"))))
                if ev[key]["text"]:
                    print("%s %s %s" % (key, ev["id"],
                                        json.dumps(ev[key]["text"])))
            if ev["failures"] or ev["failures_dropped"]:
                print("counted %s %d %d" % (ev["id"], len(ev["failures"]),
                                            ev["failures_dropped"]))
            if ev["failures"]:
                print("failures %s %s" % (ev["id"],
                                          json.dumps(ev["failures"])))
        elif kind == "suite-once":
            key = (ev["suite"], ev["worker"])
            if (ev["phase"] == "started") == (key in onces):
                fail("line %d: suite-once %s %s twice on worker %d" % (
                    n, ev["suite"], ev["phase"], ev["worker"]))
            if ev["phase"] == "started":
                onces[key] = n
            else:
                del onces[key]
            print("once %s %s%s" % (ev["suite"], ev["phase"],
                                    " " + ev["outcome"]
                                    if ev["outcome"] else ""))
        elif kind == "run-finished":
            print("run-finished %d %d %d %d %d %d %s" % (
                ev["tests"], ev["passed"], ev["failed"], ev["skipped"],
                ev["flaky"], ev["exit_code"], ev["interrupted_by"]))
    for (suite, worker), n in sorted(onces.items()):
        fail("line %d: suite-once %s started on worker %d and never "
             "finished" % (n, suite, worker))
    print("events %d" % len(lines))


def ctrf(schema_path, path):
    v = validator(schema_path)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        fail("%s: %s" % (list(errors[0].path), errors[0].message))
    for t in doc["results"]["tests"]:
        print("test %s %s %s%s" % (t["name"], t["status"], t["rawStatus"],
                                  " flaky" if t.get("flaky") else ""))
        x = t["extra"]
        print("extra %s %d/%d %d/%d %s %d %d" % (
            t["name"], x["attempt"], x["attempts"], x["repetition"],
            x["repetitions"], t.get("threadId", "-"), x["stdout_bytes"],
            len(t.get("stdout", []))))
    s = doc["results"]["summary"]
    print("summary %d %d %d %d %d %d %d" % (
        s["tests"], s["passed"], s["failed"], s["skipped"], s["pending"],
        s["other"], s.get("flaky", 0)))


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("events", "ctrf"):
        print("usage: json_reports.py events|ctrf SCHEMA FILE",
              file=sys.stderr)
        return 2
    (events if sys.argv[1] == "events" else ctrf)(sys.argv[2], sys.argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main())
