# SPDX-License-Identifier: MIT
# tap_yaml.py — reads a TAP report as a YAML 1.1 parser would and prints
# what it found, for report_tap_yaml_test.c: every test line, and under
# each the data of its YAML block loaded with PyYAML (Debian:
# python3-yaml), as one JSON object per line:
#   {"test": 3, "ok": false, "yaml": {...}}
# Each block is loaded twice, by PyYAML's own parser and by libyaml's
# (CSafeLoader, when PyYAML was built with it), which must agree. A block
# that does not load, or does not end, is an error on stderr and exit
# status 1. Lines are split at "\n" only: NEL, LINE SEPARATOR and
# PARAGRAPH SEPARATOR end no TAP line, while YAML would end a line at
# them, so they must reach the parser only if the report escaped them.
import json
import re
import sys

import yaml

LIBYAML = getattr(yaml, "CSafeLoader", None)
TEST_LINE = re.compile(r"^(not ok|ok) (\d+)")


def main(path):
    text = open(path, "rb").read().decode("utf-8")  # must be UTF-8
    lines = text.split("\n")
    errors = 0
    i = 0
    while i < len(lines):
        m = TEST_LINE.match(lines[i])
        i += 1
        if not m:
            continue
        entry = {"test": int(m.group(2)), "ok": m.group(1) == "ok"}
        if i < len(lines) and lines[i] == "  ---":
            start = i
            i += 1
            while i < len(lines) and lines[i] != "  ...":
                i += 1
            if i == len(lines):
                print("test %d: YAML block never ends" % entry["test"],
                      file=sys.stderr)
                return 1
            block = "".join((l[2:] if l.startswith("  ") else l) + "\n"
                            for l in lines[start + 1:i])
            i += 1
            try:
                entry["yaml"] = yaml.load(block, Loader=yaml.SafeLoader)
                if LIBYAML is not None and \
                        yaml.load(block, Loader=LIBYAML) != entry["yaml"]:
                    raise yaml.YAMLError("libyaml reads it otherwise")
            except yaml.YAMLError as e:
                print("test %d: %s" % (entry["test"], e), file=sys.stderr)
                errors += 1
                continue
        print(json.dumps(entry, sort_keys=True))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
