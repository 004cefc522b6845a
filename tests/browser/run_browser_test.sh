#!/bin/sh
# Renders a benchmark report in headless Chromium and checks the DOM it builds: the four plot
# <svg> elements exist and each holds at least one <rect>, <path> or <polyline>.
#
# Usage: run_browser_test.sh <report-writer> <chromium or empty> <work-dir>
# Exits 77 (ctest SKIP_RETURN_CODE) when no chromium executable is available.
set -eu

writer=$1
chromium=$2
work=$3

if [ -z "$chromium" ] || [ ! -x "$chromium" ]; then
  # Installed after configuring: look on PATH before skipping.
  chromium=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$chromium" ]; then
  echo "browser test skipped: no chromium executable (apt-get install chromium)"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work"
"$writer" "$work/report.html"

# Own profile directory: the test must not touch the user's Chromium settings.
if ! timeout 120 "$chromium" --headless=new --no-sandbox --disable-gpu \
    --user-data-dir="$work/profile" --dump-dom "file://$work/report.html" \
    >"$work/dom.html" 2>"$work/chromium.log"; then
  echo "chromium failed; its log ($work/chromium.log) ends with:"
  tail -n 20 "$work/chromium.log"
  exit 1
fi

# The DOM on one line, so that sed can cut one <svg> element out of it.
flat=$(tr '\n' ' ' <"$work/dom.html")
status=0
for id in plot-training plot-rmse plot-variables plot-auroc; do
  svg=$(printf '%s' "$flat" | sed -n "s#.*\(<svg[^>]*id=\"$id\"\)#\1#p" | sed 's#</svg>.*##')
  if [ -z "$svg" ]; then
    echo "FAIL: no <svg id=\"$id\"> in the rendered DOM"
    status=1
    continue
  fi
  shapes=$(printf '%s' "$svg" | grep -o '<rect\|<path\|<polyline' | wc -l)
  if [ "$shapes" -eq 0 ]; then
    echo "FAIL: <svg id=\"$id\"> has no <rect>, <path> or <polyline>"
    status=1
  else
    echo "ok: <svg id=\"$id\"> with $shapes shapes"
  fi
done
if ! grep -q '<table class="results">' "$work/dom.html"; then
  echo "FAIL: no results table in the rendered DOM"
  status=1
fi
exit $status
