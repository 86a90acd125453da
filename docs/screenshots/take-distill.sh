#!/usr/bin/env bash
# Re-takes the Distill screenshots (the New run wizard checking class groups, a run mid-training) from
# DistillViewTest driving the real window under Xvfb (not the headless Monocle of the test suite): a real run of
# the built-in text-direction teacher into cls-tiny on generated text lines, 90 s of training.
#   Needs: xvfb imagemagick libgtk-3-0 (apt-get install -y xvfb imagemagick libgtk-3-0)
#   Usage: docs/screenshots/take-distill.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
display=${SCREENSHOT_DISPLAY:-:95}
for tool in Xvfb import; do
    command -v "$tool" >/dev/null || { echo "take-distill.sh: $tool is missing: apt-get install -y xvfb imagemagick" >&2; exit 1; }
done
cd "$repo"
Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY=$display mvn -B -ntp test -Dgui -Dtest=DistillViewTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Ddistillery.screenshots="$here"
ls -l "$here"/distill-{wizard,run}.png
