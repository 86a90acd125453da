#!/usr/bin/env bash
# Re-takes the miner console's screenshots (network, submit, earnings, dashboard, history) from a real run of the
# miner's whole loop: MinerFlowTest drives the real window under Xvfb (not the headless Monocle of the test
# suite) against an in-process devnet with its simulated competitors, and saves `import -window root` shots here.
#   Needs: xvfb imagemagick libgtk-3-0 (apt-get install -y xvfb imagemagick libgtk-3-0)
#   Usage: docs/screenshots/take-miner.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
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
        --data generated:3000 --preset dense-fast --minutes 4 --out "$student"
fi
"$here/flow-shots.sh" MinerFlowTest -Ddistillery.flow.student="$student"
ls -l "$here"/{network,earnings,dashboard,history,submit}.png
