#!/usr/bin/env bash
# Re-takes the README screenshots: starts the built app under Xvfb on a fresh data directory,
# visits each screen with its keyboard shortcut and saves one PNG per screen next to this script.
#   Needs: xvfb imagemagick xdotool (apt-get install -y xvfb imagemagick xdotool)
#   Usage: mvn -B -ntp package -DskipTests && docs/screenshots/take.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
display=${SCREENSHOT_DISPLAY:-:97}
size=${SCREENSHOT_SIZE:-1280x820}
for tool in Xvfb import xdotool; do
    command -v "$tool" >/dev/null || { echo "take.sh: $tool is missing: apt-get install -y xvfb imagemagick xdotool" >&2; exit 1; }
done
jar=$(ls "$repo"/target/distillery-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)
[ -n "$jar" ] || { echo "take.sh: no built jar; run: mvn -B -ntp package -DskipTests" >&2; exit 1; }

# A fixed, readable data path for the pictures (the status bar shows it); removed afterwards.
work=${SCREENSHOT_WORK:-/tmp/distillery-screens}
rm -rf "$work"
mkdir -p "$work"
cleanup() {
    [ -n "${app:-}" ] && kill "$app" 2>/dev/null || true
    [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=$display
start=$(date +%s)
DISTILLERY_HOME="$work/.distillery" java -Dai.djl.offline=true -jar "$jar" > "$work/app.log" 2>&1 &
app=$!
wid=$(timeout 60 xdotool search --sync --onlyvisible --name "Distillery" | head -1) || {
    echo "take.sh: the window did not appear within 60 s; app output:" >&2
    cat "$work/app.log" >&2
    exit 1
}
echo "window up after $(( $(date +%s) - start )) s"
xdotool windowmove "$wid" 0 0 windowsize "$wid" "${size%x*}" "${size#*x}"
xdotool windowfocus --sync "$wid" 2>/dev/null || true
sleep 2

shot() {
    local name=$1
    sleep 1.2
    import -window root "$here/$name.png"
    echo "saved docs/screenshots/$name.png"
}
shot main-window
n=1
for screen in dashboard teachers distill live network history settings; do
    xdotool key --window "$wid" "ctrl+$n"
    shot "$screen"
    n=$((n + 1))
done
