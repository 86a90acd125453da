#!/usr/bin/env bash
# Runs one UI test on the real window under Xvfb (not the headless Monocle of the test suite) with
# -Ddistillery.screenshots set to this folder: the test saves `import -window root` shots at points of its flow
# (ShellFixture.shot/snap). Used by take-miner.sh and take-distill.sh.
#   Needs: xvfb imagemagick libgtk-3-0 (apt-get install -y xvfb imagemagick libgtk-3-0)
#   Usage: docs/screenshots/flow-shots.sh TEST_CLASS [-Dmore=options …]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
test=${1:?which test class}
shift
display=${SCREENSHOT_DISPLAY:-:96}
for tool in Xvfb import; do
    command -v "$tool" >/dev/null || { echo "flow-shots.sh: $tool is missing: apt-get install -y xvfb imagemagick" >&2; exit 1; }
done
cd "$repo"
Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY=$display mvn -B -ntp test -Dgui -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Ddistillery.screenshots="$here" "$@"
