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
#       last, each test finished once, no test started after it finished.
#       Prints "events N", then "finished ID OUTCOME [flaky]" per
#       test-finished in the order they came, "started ID ATTEMPT" per
#       test-started, "once SUITE PHASE [OUTCOME]" and
#       "run-finished TESTS PASSED FAILED SKIPPED FLAKY EXIT INTERRUPTED_BY".
#   json_reports.py ctrf SCHEMA FILE
#       validates a --ctrf report against the CTRF schema; prints
#       "test ID STATUS RAWSTATUS [flaky]" per test and
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
            print("started %s %d" % (ev["id"], ev["attempt"]))
        elif kind == "test-finished":
            if ev["id"] in finished:
                fail("line %d: %s finished twice" % (n, ev["id"]))
            finished.add(ev["id"])
            print("finished %s %s%s" % (ev["id"], ev["outcome"],
                                        " flaky" if ev["flaky"] else ""))
            for key in ("stdout", "stderr"):
                if ev[key]["text"]:
                    print("%s %s %s" % (key, ev["id"],
                                        json.dumps(ev[key]["text"])))
            if ev["failures"]:
                print("failures %s %s" % (ev["id"],
                                          json.dumps(ev["failures"])))
        elif kind == "suite-once":
            print("once %s %s%s" % (ev["suite"], ev["phase"],
                                    " " + ev["outcome"]
                                    if ev["outcome"] else ""))
        elif kind == "run-finished":
            print("run-finished %d %d %d %d %d %d %s" % (
                ev["tests"], ev["passed"], ev["failed"], ev["skipped"],
                ev["flaky"], ev["exit_code"], ev["interrupted_by"]))
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
