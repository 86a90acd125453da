#!/usr/bin/env bash
# Regenerates the PNG renderings and the Windows .ico from distillery.svg.
# Needs rsvg-convert (Debian: librsvg2-bin) and ImageMagick (Debian: imagemagick).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

sizes=(16 24 32 48 64 128 256 512)
for size in "${sizes[@]}"; do
    rsvg-convert --width "$size" --height "$size" --format png \
        --output "distillery-${size}.png" distillery.svg
done

# ImageMagick 7 calls itself "magick"; ImageMagick 6 (Debian 12) "convert".
if command -v magick >/dev/null 2>&1; then im=(magick); else im=(convert); fi
"${im[@]}" distillery-16.png distillery-32.png distillery-48.png distillery-256.png distillery.ico

echo "Rendered ${#sizes[@]} PNGs and distillery.ico in $(pwd)"
