#!/usr/bin/env bash
# Release check: build the Linux bundle, start it offscreen against a fresh data folder with
# --smoke-test (window shown, demo data, PDF with embedded Chinese fonts, log file written)
# and require exit 0 plus the JSON line. Prints bundle size, cold-start time and durations.
#
#   bash packaging/check_bundle.sh            build + check
#   SKIP_BUILD=1 bash packaging/check_bundle.sh   check the existing dist/jixiao
#
# VENV and PYTHON are passed to packaging/linux/build.sh (default: build/venv-bundle).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s.%N)

if [ "${SKIP_BUILD:-}" != 1 ]; then
  build_started=$(date +%s.%N)
  bash packaging/linux/build.sh --bundle-only
  build_s=$(echo "$(date +%s.%N) - $build_started" | bc)
fi
exe="dist/$(python3 packaging/meta.py get executable)"
exe="$exe/$(basename "$exe")"
[ -x "$exe" ] || { echo "FAIL: no bundle at $exe" >&2; exit 1; }

# A fresh, empty home: nothing of the developer's data, caches or settings leaks in.
fresh="$(mktemp -d -t jixiao-check-XXXXXX)"
trap 'rm -rf "$fresh"' EXIT
out="$fresh/smoke.json"
t0=$(date +%s.%N)
set +e
env -i PATH=/usr/bin:/bin HOME="$fresh/home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
  XDG_DATA_HOME="$fresh/data" XDG_STATE_HOME="$fresh/state" XDG_CACHE_HOME="$fresh/cache" \
  XDG_CONFIG_HOME="$fresh/config" XDG_RUNTIME_DIR="$fresh/runtime" JIXIAO_SMOKE_T0="$t0" \
  "$exe" --smoke-test "$fresh/run" >"$out" 2>"$fresh/stderr"
code=$?
set -e
run_s=$(echo "$(date +%s.%N) - $t0" | bc)

fail() {
  echo "FAIL: $1" >&2
  cat "$out" "$fresh/stderr" >&2
  exit 1
}
[ "$code" = 0 ] || fail "the bundle exited with $code"
python3 - "$out" "$fresh/state/jixiao/log/app.log" <<'PY' || fail "smoke-test result"
import json, pathlib, sys
lines = [l for l in pathlib.Path(sys.argv[1]).read_text(encoding="utf-8").splitlines() if l.startswith("{")]
result = json.loads(lines[-1])
assert result["ok"] and result["frozen"], result
assert pathlib.Path(sys.argv[2]).is_file(), "no log file in the state folder"
t = result["timings"]
print(f"smoke test : ok {result['checks']}")
print(f"fonts      : {', '.join(result['pdf_fonts'])}")
print(f"cold start : {t['cold_start_s']:.2f} s (process start -> main window shown)")
print(f"steps      : demo {t['demo_s']:.2f} s, PDF {t['pdf_s']:.2f} s")
PY
echo "bundle size: $(du -sh "$(dirname "$exe")" | cut -f1)"
echo "run        : ${run_s} s (whole smoke test)"
[ -n "${build_s:-}" ] && echo "build      : ${build_s} s"
echo "check total: $(echo "$(date +%s.%N) - $started" | bc) s"
echo "OK"
