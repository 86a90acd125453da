#!/usr/bin/env bash
#
# Builds Distillery's Linux installers with jlink + jpackage (JDK 17) into target/installers/:
#
#   work/runtime/                      the jlinked Java runtime: the JDK modules the app needs and
#                                      JavaFX 21 (base, graphics, controls, fxml, swing) with its .so in lib/
#   Distillery/                        the app-image; bin/Distillery is the window and the CLI
#   distillery_<version>-1_amd64.deb   installs to /opt/distillery, menu entry, .onnx type, /usr/bin/distillery
#   distillery-<version>-1.x86_64.rpm  the same for RPM systems (when rpmbuild is installed)
#
# Usage: installers/linux/build.sh [--skip-deb] [--skip-rpm] [--reuse-image]
#   --reuse-image  keep target/installers/Distillery and only make the packages again
# Needs a JDK 17 with jmods ($JAVA_HOME, or jlink on PATH); fakeroot and dpkg-deb for the .deb;
# rpmbuild for the .rpm (Debian/Ubuntu: apt-get install -y rpm). Runs `mvn -B -ntp package -DskipTests`
# first when target/ has no application jar. See installers/README.md.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
# shellcheck source=../common.sh
. installers/common.sh

SKIP_DEB=false
SKIP_RPM=false
REUSE=false
for arg in "$@"; do
    case $arg in
        --skip-deb) SKIP_DEB=true ;;
        --skip-rpm) SKIP_RPM=true ;;
        --reuse-image) REUSE=true ;;
        -h | --help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$arg' (try --help)" ;;
    esac
done

START=$(date +%s)
find_jdk
read_versions
ensure_jar

OUT=target/installers
WORK=$OUT/work
IMAGE=$OUT/Distillery
COMMON=(--name Distillery --app-version "$APP_VERSION" --vendor Distillery
    --description "Distill big ONNX vision models into tiny CPU students, test them live, and mine with them"
    --copyright "Distillery contributors")
if $REUSE && [ -x "$IMAGE/bin/Distillery" ]; then
    log "reusing $IMAGE"
    rm -f "$OUT"/*.deb "$OUT"/*.rpm
else
    rm -rf "$OUT"
    mkdir -p "$WORK"

    log "class path: the app jar and its libraries, JavaFX aside"
    stage_input "$WORK/input"
    log "JavaFX $FX_VERSION as jmods"
    fx_jmods "$WORK/jmods" so
    link_runtime "$WORK/jmods" "$WORK/input" "$WORK/runtime"
    jvm_options

    JAVA_OPTION_ARGS=()
    for opt in "${JVM_OPTIONS[@]}"; do
        JAVA_OPTION_ARGS+=(--java-options "$opt")
    done
    # the start-up archive (class data sharing: about a second less to the window), written by the package's
    # postinst where the app is installed (the JVM maps one only from the paths it was written at); a JVM that
    # finds it missing or not fitting starts without it
    # shellcheck disable=SC2016  # $APPDIR is for the jpackage launcher to expand
    JAVA_OPTION_ARGS+=(--java-options '-XX:SharedArchiveFile=$APPDIR/startup.jsa')

    log "jpackage --type app-image"
    "$JDK/bin/jpackage" --type app-image "${COMMON[@]}" \
        --input "$WORK/input" --main-jar "${JAR##*/}" --main-class dev.distillery.Launcher \
        --runtime-image "$WORK/runtime" "${JAVA_OPTION_ARGS[@]}" \
        --icon assets/icons/distillery-256.png --dest "$OUT"
    "$IMAGE/bin/Distillery" --version
fi

# The packages: menu entry (--linux-shortcut), .onnx as application/x-onnx with the app's icon, GTK
# as an explicit dependency (jpackage's ldd scan finds it from libglassgtk3.so only because JavaFX's
# libraries now sit in the runtime's lib/; from the Maven jars it would not), and from
# installers/linux/resources a postinst/prerm pair that adds and removes /usr/bin/distillery and a
# fuller menu entry (keywords, StartupWMClass so docks group the window under the icon).
cat > "$WORK/onnx.properties" <<PROPS
extension=onnx
mime-type=application/x-onnx
description=ONNX model
icon=$ROOT/assets/icons/distillery-256.png
PROPS
PACKAGE=(--app-image "$IMAGE" "${COMMON[@]}" --dest "$OUT" --install-dir /opt
    --resource-dir installers/linux/resources --file-associations "$WORK/onnx.properties"
    --icon assets/icons/distillery-256.png
    --linux-package-name distillery --linux-shortcut --linux-menu-group "Science;Education;"
    --linux-app-category science --linux-app-release 1)

if ! $SKIP_DEB; then
    command -v fakeroot >/dev/null || die "the .deb needs fakeroot (apt-get install -y fakeroot)"
    log "jpackage --type deb"
    # libgl1: Prism's OpenGL pipeline (without it JavaFX falls back to software rendering).
    "$JDK/bin/jpackage" --type deb "${PACKAGE[@]}" \
        --linux-package-deps "libgtk-3-0, libgl1" --linux-deb-maintainer "distillery@localhost"
fi

if ! $SKIP_RPM; then
    if command -v rpmbuild >/dev/null; then
        log "jpackage --type rpm"
        "$JDK/bin/jpackage" --type rpm "${PACKAGE[@]}" --linux-package-deps "gtk3, mesa-libGL"
    else
        echo "build.sh: rpmbuild not found, so no .rpm (Debian/Ubuntu: apt-get install -y rpm)" >&2
    fi
fi

log "done in $(($(date +%s) - START)) s"
du -sh "$WORK/runtime" "$IMAGE"
ls -l "$OUT"/*.deb "$OUT"/*.rpm 2>/dev/null || true
