#!/usr/bin/env bash
# Re-takes the Distill screenshots (the New run wizard checking class groups, a run mid-training) from
# DistillViewTest on the real window: a real run of the built-in text-direction teacher into cls-tiny on
# generated text lines, 90 s of training.
#   Needs: xvfb imagemagick libgtk-3-0      Usage: docs/screenshots/take-distill.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/flow-shots.sh" DistillViewTest
ls -l "$here"/distill-{wizard,run}.png
