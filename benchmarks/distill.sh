#!/usr/bin/env bash
# Distillation benchmarks with the full budgets of issue 5, on the built-in PaddleOCR teachers (offline) and,
# when ../shared exists, the shared MobileNetV2 with class groups. Writes the figures into docs/benchmarks.md
# (section "distill") and keeps every JSON report under target/bench-distill/.
#
#   benchmarks/distill.sh                 # dense 10 min, direction 2 min, MobileNetV2 groups 3 min
#   DENSE_MINUTES=1 CLS_MINUTES=0.5 benchmarks/distill.sh   # a quick smoke run
#
# Needs the packaged app (mvn -B -ntp package -DskipTests) and python3 for the table. Run it on an otherwise idle
# machine: training throughput is what the budgets buy.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=$(ls target/distillery-*.jar | grep -v sources | head -n 1)
OUT=target/bench-distill
DATA=$OUT/data
SHARED=${SHARED:-../shared}
DENSE_MINUTES=${DENSE_MINUTES:-10}
CLS_MINUTES=${CLS_MINUTES:-2}
GROUP_MINUTES=${GROUP_MINUTES:-3}
rm -rf "$OUT"
mkdir -p "$OUT"
d() { java -Xss64m -jar "$JAR" --data-dir "$DATA" "$@"; }

echo "== dense: PP-OCRv4 det → dense-tiny, generated 320×320 scenes, $DENSE_MINUTES min"
d teacher import --catalog ppocr-v4-det
d distill --teacher 1 --data generated:3000 --preset dense-tiny --minutes "$DENSE_MINUTES" \
  --out "$OUT/det-student.onnx" --int8 --json > "$OUT/dense.json"
d generate --kind scenes --count 100 --seed 20261124 --size 320 --out "$OUT/fresh-scenes"
d compare --teacher 1 --student "$OUT/det-student.onnx" --images "$OUT/fresh-scenes" \
  --json > "$OUT/dense-compare.json"
if [ -d "$SHARED/images/yolo_demo" ]; then
  d compare --teacher 1 --student "$OUT/det-student.onnx" --images "$SHARED/images/yolo_demo" \
    --json > "$OUT/dense-photos.json"
fi

echo "== classification: PP-OCR direction classifier → cls-tiny, generated lines, $CLS_MINUTES min"
d teacher import --catalog ppocr-mobile-v2-cls
d distill --teacher 2 --data generated:6000 --preset cls-tiny \
  --minutes "$CLS_MINUTES" --out "$OUT/direction-student.onnx" --int8 --json > "$OUT/direction.json"
d generate --kind lines --count 1000 --seed 20261124 --out "$OUT/fresh-lines"
d compare --teacher 2 --student "$OUT/direction-student.onnx" \
  --images "$OUT/fresh-lines" --json > "$OUT/direction-compare.json"

if [ -f "$SHARED/teachers/mobilenetv2-12-int8_imagenet1k.onnx" ]; then
  echo "== groups: MobileNetV2 → cls-small with dog / cat / other, shared ImageNet sample, $GROUP_MINUTES min"
  python3 benchmarks/assemble_groups.py "$SHARED" "$OUT/groups"
  d teacher import "$SHARED/teachers/mobilenetv2-12-int8_imagenet1k.onnx" \
    --labels "$SHARED/labels/imagenet1k_index_wnid_name.tsv"
  d distill --teacher 3 --data "$OUT/groups/train" --preset cls-small \
    --group dog=151-268 --group 'cat=/tabby|tiger_cat|Persian|Siamese|Egyptian/' --patience 0 \
    --minutes "$GROUP_MINUTES" --out "$OUT/groups-student.onnx" --json > "$OUT/groups.json"
  d compare --teacher 3 --student "$OUT/groups-student.onnx" \
    --images "$OUT/groups/held-out" --json > "$OUT/groups-compare.json"
  d compare --teacher 3 --student "$OUT/groups-student.onnx" \
    --images "$OUT/groups/seen" --json > "$OUT/groups-seen.json"
fi

python3 benchmarks/write_distill_section.py "$OUT" docs/benchmarks.md
echo "written: docs/benchmarks.md (section distill)"
