#!/usr/bin/env bash
# Re-creates the sample data with Distillery's own generators, from the built jar
# (mvn -B -ntp package -DskipTests first). The same jar gives the same bytes: the seeds are fixed,
# the clip is encoded with one thread and FFmpeg's bit-exact flags. Usage: assets/samples/make.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
app="$here/../../app/distillery"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

# A 6-second 480x270 pan along four generated text scenes, MPEG-4 in .mp4 (every FFmpeg build has it).
"$app" --data-dir "$data" generate --kind clip --seed 2024 --size 480x270 --seconds 6 --fps 25 \
    --out "$here/sample-clip.mp4"
# 24 text scenes at 320x320 (the text detector's and the dense students' input size), JPEG to stay small.
rm -rf "$here/images"
"$app" --data-dir "$data" generate --kind scenes --count 24 --seed 8 --size 320 --format jpg --out "$here/images"

# The list the app copies from and checks against: sha256, size in bytes, path.
cd "$here"
{
    echo "# Sample data: sha256 size path (written by make.sh; the app copies these to <data>/samples)"
    for f in sample-clip.mp4 images/*.jpg; do
        printf '%s %s %s\n' "$(sha256sum "$f" | cut -d' ' -f1)" "$(wc -c < "$f" | tr -d ' ')" "$f"
    done
} > samples.txt
du -ch sample-clip.mp4 images | tail -n 1
