#!/usr/bin/env bash
# Re-creates the devnet's simulated miners' students with Distillery itself (about 6 CPU-minutes).
# They are real distilled students of PP-OCRv4 det (the devnet challenge's teacher), of deliberately
# different quality, so the devnet's competition means something. Usage: assets/devnet/make.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
app="$here/../../app/distillery"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$app" --data-dir "$data" teacher import --catalog ppocr-v4-det
teacher=d2a7720d45a5
"$app" --data-dir "$data" distill --teacher $teacher --data generated:400 --preset dense-tiny --minutes 4 --seed 11 \
    --name sim-strong --out "$here/sim-strong.onnx"
"$app" --data-dir "$data" distill --teacher $teacher --data generated:160 --preset dense-tiny --epochs 2 --seed 12 \
    --name sim-fair --out "$here/sim-fair.onnx"
"$app" --data-dir "$data" distill --teacher $teacher --data generated:24 --preset dense-tiny --epochs 1 --seed 13 \
    --name sim-weak --out "$here/sim-weak.onnx"
