# shellcheck shell=bash
#
# The steps the Linux and macOS installer scripts share, sourced by installers/linux/build.sh and
# installers/macos/build.sh (installers/windows/build.ps1 does the same in PowerShell):
#
#   find_jdk          JDK = a JDK 17 with jlink, jpackage, jmod, jdeps and jmods/
#   read_versions     POM_VERSION, APP_VERSION (no -SNAPSHOT), FX_VERSION, JAR
#   ensure_jar        runs `mvn -B -ntp package -DskipTests` when target/ lacks the jar or lib/, or a source is newer
#   stage_input DIR   the app jar and every library except JavaFX (the class path)
#   fx_jmods DIR EXT  JavaFX's Maven jars repacked as jmods, their natives (*.EXT) as native libraries
#   link_runtime JMODS INPUT OUT   jlink: JDK modules from jdeps plus a hand list, and JavaFX
#   jvm_options       JVM_OPTIONS array: app/distillery.conf's defaults and the JavaFX exports
#
# Everything runs from ROOT (the repository), which the caller sets.

log() { printf '\n== %s\n' "$*"; }
die() { printf '%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# JavaFX modules in the runtime, listed by hand (DESIGN.md §3: add javafx.swing yourself) so the
# runtime does not depend on what jdeps happens to see.
FX_MODULES=(base graphics controls fxml swing)

find_jdk() {
    if [ -n "${JAVA_HOME:-}" ]; then
        JDK=$JAVA_HOME
    else
        local jlink
        jlink=$(command -v jlink) || die "jlink not found: install a JDK 17 or set JAVA_HOME"
        JDK=$(dirname "$(dirname "$(readlink -f "$jlink" 2>/dev/null || echo "$jlink")")")
    fi
    local tool
    for tool in java jar jlink jpackage jmod jdeps; do
        [ -x "$JDK/bin/$tool" ] || die "$JDK/bin/$tool is missing: JAVA_HOME must point at a full JDK 17"
    done
    [ -d "$JDK/jmods" ] || die "$JDK/jmods is missing: this JDK cannot jlink (Debian/Ubuntu: openjdk-17-jdk)"
}

read_versions() {
    # The project's own <version> is the first one indented by two spaces (there is no parent).
    POM_VERSION=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
    [ -n "$POM_VERSION" ] || die "cannot read the version from pom.xml"
    # jpackage and the package formats take digits and dots only.
    APP_VERSION=${POM_VERSION%-SNAPSHOT}
    FX_VERSION=$(sed -n 's:.*<javafx.version>\(.*\)</javafx.version>.*:\1:p' pom.xml | head -n 1)
    [ -n "$FX_VERSION" ] || die "cannot read javafx.version from pom.xml"
    JAR=target/distillery-$POM_VERSION.jar
}

ensure_jar() {
    # built again when missing or older than any source (a stale jar would be packaged without a word)
    if [ ! -f "$JAR" ] || [ ! -d target/lib ] || [ -n "$(find src pom.xml assets -newer "$JAR" -type f -print -quit)" ]; then
        log "$JAR missing or older than the sources: mvn -B -ntp package -DskipTests"
        mvn -B -ntp package -DskipTests
    fi
    [ -f "$JAR" ] || die "$JAR was not built"
}

stage_input() {
    local dir=$1 lib
    mkdir -p "$dir"
    cp "$JAR" "$dir/"
    for lib in target/lib/*.jar; do
        case ${lib##*/} in
            javafx-*) ;; # part of the runtime instead
            *) cp "$lib" "$dir/" ;;
        esac
    done
}

# The Maven JavaFX jars are modular jars that carry their native libraries as plain resources.
# jlink accepts them, but then JavaFX unpacks those libraries at run time into a cache
# (~/.openjfx/cache). Repacked as jmods with the libraries declared as native, jlink puts them in
# the runtime's lib/ (bin/ on Windows), which is where JavaFX looks first when its classes come from
# the runtime image: nothing is unpacked, as with a JDK that bundles JavaFX.
fx_jmods() {
    local dest=$1 ext=$2 m fxjar classes native lib
    local work=$dest.work
    rm -rf "$dest" "$work"
    mkdir -p "$dest" "$work"
    for m in "${FX_MODULES[@]}"; do
        fxjar=$(ls "$ROOT"/target/lib/javafx-"$m"-"$FX_VERSION"-*.jar 2>/dev/null | head -n 1)
        [ -n "$fxjar" ] || die "target/lib/javafx-$m-$FX_VERSION-<platform>.jar not found"
        classes=$work/classes/javafx.$m
        native=$work/native/javafx.$m
        mkdir -p "$classes" "$native"
        (cd "$classes" && "$JDK/bin/jar" xf "$fxjar")
        rm -rf "$classes/META-INF"
        for lib in "$classes"/*."$ext"; do
            [ -e "$lib" ] && mv "$lib" "$native/"
        done
        if [ -n "$(ls -A "$native")" ]; then
            "$JDK/bin/jmod" create --class-path "$classes" --libs "$native" "$dest/javafx.$m.jmod"
        else
            "$JDK/bin/jmod" create --class-path "$classes" "$dest/javafx.$m.jmod"
        fi
    done
    FX_EXPLODED=$work/classes
}

# JDK modules that only ServiceLoader, reflection or JNDI reach, which jdeps cannot see:
#   jdk.crypto.ec     EC keys and TLS cipher suites (a security provider looked up by name)
#   jdk.localedata    number, date and currency formats for locales other than English
#   jdk.charsets      legacy charsets, for consoles and files that are not UTF-8
#   jdk.zipfs         the zip file system (jar: URIs)
#   jdk.naming.dns    gRPC's DNS resolver reads SRV/TXT records through JNDI
#   jdk.management    com.sun.management beans (process CPU time, memory)
#   jdk.unsupported   sun.misc.Unsafe (Netty, protobuf, H2)
HAND_MODULES=jdk.crypto.ec,jdk.localedata,jdk.charsets,jdk.zipfs,jdk.naming.dns,jdk.management,jdk.unsupported

link_runtime() {
    local jmods=$1 input=$2 out=$3 found fx
    log "jdeps: the JDK modules the jars use"
    # From the app jar, recursively through the libraries on the class path. Passing every jar as a root
    # does not work: jdeps then resolves the modular ones (JavaCV) as modules and stops at the JavaCV
    # modules the pom leaves out (libdc1394, …).
    local cp
    cp=$(printf '%s\n' "$input"/*.jar | grep -v "/${JAR##*/}\$" | paste -sd: -)
    found=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 -q --recursive \
        --module-path "$FX_EXPLODED" --class-path "$cp" "$input/${JAR##*/}") \
        || die "jdeps failed (run it by hand to see why)"
    [ -n "$found" ] || die "jdeps found no modules"
    echo "jdeps: $found"
    fx=$(printf 'javafx.%s,' "${FX_MODULES[@]}")
    RUNTIME_MODULES=$(printf '%s,%s,%s' "$found" "$HAND_MODULES" "${fx%,}" | tr ',' '\n' | sort -u | paste -sd, -)
    echo "modules: $RUNTIME_MODULES"
    log "jlink: $out"
    rm -rf "$out"
    "$JDK/bin/jlink" --module-path "$JDK/jmods:$jmods" --add-modules "$RUNTIME_MODULES" \
        --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out"
}

# The JVM options of the installed launcher: app/distillery.conf's defaults, then the JavaFX internals
# that ControlsFX and ChartFX use (and the app's version probe reads), which JavaFX only opens to the
# class path when it is itself on the class path. With JavaFX a named module in the runtime they must
# be exported to the app (ALL-UNNAMED), as javafx:run does for javafx.base/com.sun.javafx.event.
FX_EXPORTS=(
    javafx.base/com.sun.javafx.event
    javafx.base/com.sun.javafx.runtime
    javafx.controls/com.sun.javafx.scene.control
    javafx.controls/com.sun.javafx.scene.control.behavior
    javafx.controls/com.sun.javafx.scene.control.skin
    javafx.graphics/com.sun.javafx.tk
)

jvm_options() {
    local DEFAULT_JVM_OPTS='' opt e
    # shellcheck source=../app/distillery.conf
    . app/distillery.conf
    JVM_OPTIONS=()
    set -f
    for opt in $DEFAULT_JVM_OPTS; do
        JVM_OPTIONS+=("$opt")
    done
    set +f
    for e in "${FX_EXPORTS[@]}"; do
        JVM_OPTIONS+=("--add-exports=$e=ALL-UNNAMED")
    done
}
