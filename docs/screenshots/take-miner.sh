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
# A student of our own, distilled for 8 minutes (once; kept in /tmp): the shipped ones are the simulated miners'
# (the validators would call ours a copy), and it must beat them to earn in the pictures.
cd "$repo"
student=${SCREENSHOT_STUDENT:-/tmp/distillery-miner-shots/student.onnx}
if [ ! -f "$student" ]; then
    mvn -B -ntp -q package -DskipTests
    jar=$(ls target/distillery-*.jar | grep -v -e sources -e tests | head -1)
    mkdir -p "$(dirname "$student")"
    java -Dai.djl.offline=true -jar "$jar" --data-dir "$(dirname "$student")/data" teacher import --catalog ppocr-v4-det
    java -Dai.djl.offline=true -jar "$jar" --data-dir "$(dirname "$student")/data" distill --teacher 1 \
        --data generated:3000 --preset dense-tiny --minutes 8 --out "$student"
fi
Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY=$display mvn -B -ntp test -Dgui -Dtest=MinerFlowTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Ddistillery.screenshots="$here" -Ddistillery.flow.student="$student"
ls -l "$here"/{network,earnings,dashboard,history}.png
