#!/usr/bin/env bash
#
# Builds Distillery's macOS installer with jlink + jpackage (JDK 17) into target/installers/:
#
#   work/runtime/                 the jlinked runtime: JDK modules + JavaFX 21 (its .dylib in lib/)
#   work/Distillery.icns          the app icon, made from assets/icons/distillery-*.png
#   Distillery.app                the app-image; Contents/MacOS/Distillery is the window and the CLI
#   Distillery-<version>.dmg      drag-to-Applications disk image, .onnx associated
#
# Usage: installers/macos/build.sh [--skip-dmg]
# Needs macOS (iconutil, sips, hdiutil), a JDK 17 with jmods for the Mac's own architecture
# ($JAVA_HOME, e.g. Temurin 17), Maven 3.8+. The natives follow the machine: the `macos` profile
# (Apple silicon, arm64) or `macos-x86_64` (Intel) activates by itself, as do JavaFX's mac jars;
# build on each architecture for its own .dmg. Signing: set MAC_SIGN_IDENTITY to a "Developer ID
# Application: …" identity in the keychain to sign (notarize separately with `xcrun notarytool`).
# See installers/README.md.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
# shellcheck source=../common.sh
. installers/common.sh

SKIP_DMG=false
for arg in "$@"; do
    case $arg in
        --skip-dmg) SKIP_DMG=true ;;
        -h | --help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$arg' (try --help)" ;;
    esac
done
[ "$(uname -s)" = Darwin ] || die "this builds the macOS .dmg and runs on macOS only (Linux: installers/linux/build.sh)"
for tool in iconutil sips hdiutil; do
    command -v "$tool" >/dev/null || die "$tool not found (it comes with macOS)"
done

START=$(date +%s)
find_jdk
read_versions
ensure_jar

OUT=target/installers
WORK=$OUT/work
rm -rf "$OUT"
mkdir -p "$WORK"

# --- The .icns: an iconset with every size macOS asks for, from the rendered PNGs (the 1024 px one
#     scaled up from 512 px with sips; re-render from the SVG for a sharper one).
log "icon: Distillery.icns"
ICONSET=$WORK/Distillery.iconset
mkdir -p "$ICONSET"
icon() { cp "assets/icons/distillery-$1.png" "$ICONSET/$2"; }
icon 16 icon_16x16.png
icon 32 icon_16x16@2x.png
icon 32 icon_32x32.png
icon 64 icon_32x32@2x.png
icon 128 icon_128x128.png
icon 256 icon_128x128@2x.png
icon 256 icon_256x256.png
icon 512 icon_256x256@2x.png
icon 512 icon_512x512.png
sips -z 1024 1024 assets/icons/distillery-512.png --out "$ICONSET/icon_512x512@2x.png" >/dev/null
iconutil -c icns "$ICONSET" -o "$WORK/Distillery.icns"

log "class path: the app jar and its libraries, JavaFX aside"
stage_input "$WORK/input"
log "JavaFX $FX_VERSION as jmods"
fx_jmods "$WORK/jmods" dylib
link_runtime "$WORK/jmods" "$WORK/input" "$WORK/runtime"
jvm_options

COMMON=(--name Distillery --app-version "$APP_VERSION" --vendor Distillery
    --description "Distill big ONNX vision models into tiny CPU students, test them live, and mine with them"
    --copyright "Distillery contributors")
JAVA_OPTION_ARGS=()
for opt in "${JVM_OPTIONS[@]}"; do
    JAVA_OPTION_ARGS+=(--java-options "$opt")
done
SIGN=()
if [ -n "${MAC_SIGN_IDENTITY:-}" ]; then
    SIGN=(--mac-sign --mac-signing-key-user-name "$MAC_SIGN_IDENTITY")
fi

log "jpackage --type app-image"
"$JDK/bin/jpackage" --type app-image "${COMMON[@]}" \
    --input "$WORK/input" --main-jar "${JAR##*/}" --main-class dev.distillery.Launcher \
    --runtime-image "$WORK/runtime" "${JAVA_OPTION_ARGS[@]}" \
    --icon "$WORK/Distillery.icns" --mac-package-identifier dev.distillery.app \
    --mac-package-name Distillery "${SIGN[@]}" --dest "$OUT"
"$OUT/Distillery.app/Contents/MacOS/Distillery" --version

if ! $SKIP_DMG; then
    cat > "$WORK/onnx.properties" <<PROPS
extension=onnx
mime-type=application/x-onnx
description=ONNX model
icon=$ROOT/$WORK/Distillery.icns
PROPS
    # Built from the inputs again rather than from Distillery.app: on macOS the file association
    # lives in the app's Info.plist, which jpackage writes only when it makes the app itself.
    log "jpackage --type dmg"
    "$JDK/bin/jpackage" --type dmg "${COMMON[@]}" \
        --input "$WORK/input" --main-jar "${JAR##*/}" --main-class dev.distillery.Launcher \
        --runtime-image "$WORK/runtime" "${JAVA_OPTION_ARGS[@]}" \
        --icon "$WORK/Distillery.icns" --mac-package-identifier dev.distillery.app \
        --mac-package-name Distillery --file-associations "$WORK/onnx.properties" \
        "${SIGN[@]}" --dest "$OUT"
fi

log "done in $(($(date +%s) - START)) s"
du -sh "$OUT/Distillery.app"
ls -l "$OUT"/*.dmg 2>/dev/null || true
