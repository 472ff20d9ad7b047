#!/bin/sh
# Usage: tests/json-lines.sh BINARY
#
# --json is JSON Lines: every golden script (tests/golden/NAME.kms with its
# NAME.args) run again with --json must write, on standard output, lines
# that each parse as one JSON object (python3's json module; python3 -m
# json.tool reads one document, so each line is given to it alone in
# spirit: one object per line, nothing else), no object naming a member twice,
# each the object kmemsh.1 documents: {"command","ok","output":[objects],
# "text"?} on standard output, {"error","file"?,"line"?} on standard error.  Standard error carries the
# error objects and is checked the same way, except the program's own
# option errors ("kmemsh: --mem ..."), written before any command runs.
# A script that turns JSON off itself (set json off) is skipped.
set -u
[ $# -ge 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
# shellcheck source=tests/env.sh
. "$(dirname "$0")/env.sh"
bin=$(absbin "$1")
cd "$(dirname "$0")/.." || exit 2
command -v python3 >/dev/null 2>&1 || { echo "FAIL python3 is not installed"; exit 1; }
pass=0 fail=0
for t in tests/golden/*.kms; do
	name=${t##*/}
	name=${name%.kms}
	grep -q '^set json' "$t" && continue
	args=
	[ -f "tests/golden/$name.args" ] && args=$(cat "tests/golden/$name.args")
	# shellcheck disable=SC2086
	"$bin" $args --json <"$t" >"$TESTTMP/$name.json" 2>"$TESTTMP/$name.jerr"
	if msg=$(python3 - "$TESTTMP/$name.json" "$TESTTMP/$name.jerr" <<'PY'
import json, sys
def no_dups(pairs):
    keys = [k for k, _ in pairs]
    dup = sorted(set(k for k in keys if keys.count(k) > 1))
    if dup:
        raise ValueError("member named twice: " + ", ".join(dup))
    return dict(pairs)
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if path.endswith(".jerr") and line.startswith("kmemsh: "):
                continue
            try:
                v = json.loads(line, object_pairs_hook=no_dups)
            except ValueError as e:
                sys.exit("%s:%d: not JSON (%s): %s" % (path.rsplit("/", 1)[-1], n, e, line[:120]))
            if not isinstance(v, dict):
                sys.exit("%s:%d: not an object: %s" % (path.rsplit("/", 1)[-1], n, line[:120]))
            # the envelope kmemsh.1 documents (--json)
            if path.endswith(".json"):
                bad = (set(v) - {"command", "ok", "output", "text"} or
                       not isinstance(v.get("command"), str) or not isinstance(v.get("ok"), bool) or
                       not isinstance(v.get("output"), list) or
                       not all(isinstance(o, dict) for o in v["output"]) or
                       ("text" in v and not isinstance(v["text"], str)))
            else:
                bad = (set(v) - {"error", "file", "line"} or not isinstance(v.get("error"), str))
            if bad:
                sys.exit("%s:%d: not the documented object: %s" % (path.rsplit("/", 1)[-1], n, line[:120]))
PY
	); then
		pass=$((pass + 1))
	else
		echo "FAIL $name: $msg"
		fail=$((fail + 1))
	fi
done
echo "json-lines: $pass passed, $fail failed"
[ $fail -eq 0 ]
