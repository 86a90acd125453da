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

# Teachers for the Teachers screen: the built-in text detector always; the shared real teachers
# (../shared, not part of the repo) when they are there.
cli() { java -Dai.djl.offline=true -jar "$jar" --data-dir "$work/.distillery" "$@" >/dev/null; }
cli teacher import --catalog ppocr-v4-det
shared=$(cd "$repo/.." && pwd)/shared
try_image=
if [ -d "$shared/teachers" ]; then
    cli teacher import "$shared/teachers/mobilenetv2-12-int8_imagenet1k.onnx" --labels "$shared/labels/imagenet1k_index_wnid_name.tsv"
    cli teacher import "$shared/teachers/yolox_nano_coco_416.onnx" --labels "$shared/labels/coco80.names"
    try_image="$shared/images/yolo_demo/bus.jpg"
fi

Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=$display
start=$(date +%s)
# the screens themselves, without the first-run welcome tour over them
DISTILLERY_HOME="$work/.distillery" java -Dai.djl.offline=true -Ddistillery.tour.autostart=false -jar "$jar" \
    > "$work/app.log" 2>&1 &
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

# Types a path into the GTK file dialog whose title starts with $1, then confirms.
choose_file() {
    local dialog
    dialog=$(timeout 10 xdotool search --sync --onlyvisible --name "^$1" | head -1)
    xdotool windowfocus "$dialog" 2>/dev/null || true
    sleep 0.5
    xdotool key --window "$dialog" ctrl+l
    sleep 0.5
    xdotool type --delay 20 "$2"
    sleep 1   # let the dialog finish completing the path before Return
    xdotool key Return
}

shot() {
    local name=$1
    sleep 1.2
    import -window root "$here/$name.png"
    echo "saved docs/screenshots/$name.png"
}
shot main-window
n=1
for screen in dashboard teachers distill live network earnings history settings; do
    xdotool key --window "$wid" "ctrl+$n"
    case $screen in
        # the miner's screens are photographed with a wallet, a submission and earnings by take-miner.sh
        dashboard|network|earnings|history) sleep 0.5 ;;
        *) shot "$screen" ;;
    esac
    n=$((n + 1))
done

# The newest teacher is selected on the Teachers screen: run it on an image through the real file
# dialog ("Try on image…" sits at this spot in a 1280x820 window).
if [ -n "$try_image" ]; then
    xdotool key --window "$wid" ctrl+2
    sleep 1
    xdotool mousemove 755 223 click 1
    choose_file "Try " "$try_image"
    sleep 4
    shot teachers-try
fi

# Live: two teachers side by side on vtest.avi (Debian's opencv-doc), when it is installed.
vtest=/usr/share/doc/opencv-doc/examples/data/vtest.avi
if [ -n "$try_image" ] && [ -f "$vtest" ]; then
    xdotool windowfocus "$wid" 2>/dev/null || true   # the file dialog took the focus
    xdotool key --window "$wid" ctrl+4
    sleep 1.5
    xdotool mousemove 568 119 click 1            # "…": pick a video
    choose_file "Play a video" "$vtest"
    sleep 1
    xdotool mousemove 1063 119 click 1           # second model: the next teacher in the list
    sleep 0.7
    xdotool key Down Down Return
    sleep 0.5
    xdotool mousemove 268 151 click 1            # Start
    sleep 6
    shot live-running
    xdotool mousemove 426 151 click 1            # Stop
fi

# The miner's screens (Dashboard, Network, Earnings, History) need a wallet, a submission and paid epochs:
# docs/screenshots/take-miner.sh takes them from a real run of the miner's loop.
