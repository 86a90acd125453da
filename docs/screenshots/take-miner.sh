#!/usr/bin/env bash
# Re-takes the miner console's screenshots (network, earnings, dashboard, history) from a real run of the
# miner's whole loop: MinerFlowTest drives the real window under Xvfb (not the headless Monocle of the test
# suite) against an in-process devnet with its simulated competitors, and saves `import -window root` shots here.
#   Needs: xvfb imagemagick libgtk-3-0 (apt-get install -y xvfb imagemagick libgtk-3-0)
#   Usage: docs/screenshots/take-miner.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
display=${SCREENSHOT_DISPLAY:-:96}
for tool in Xvfb import; do
    command -v "$tool" >/dev/null || { echo "take-miner.sh: $tool is missing: apt-get install -y xvfb imagemagick" >&2; exit 1; }
done
Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
cd "$repo"
DISPLAY=$display mvn -B -ntp test -Dgui -Dtest=MinerFlowTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Ddistillery.screenshots="$here"
ls -l "$here"/{network,earnings,dashboard,history}.png
