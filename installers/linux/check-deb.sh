#!/usr/bin/env bash
#
# Checks the .deb built by installers/linux/build.sh on this machine (as root; it installs and removes
# the package): install with apt-get, the CLI from /usr/bin/distillery, the devnet for one epoch
# without network (unshare -n: loopback only), the window under Xvfb with a screenshot, an .onnx file
# opened the way a file manager opens it (the menu entry's Exec line, %F replaced by the file) handed to
# that open window, then removal, and that nothing is left behind.
#
# Usage: installers/linux/check-deb.sh [SCREENSHOT.png [OPENED.png]]
#        (defaults docs/screenshots/installed.png and docs/screenshots/installed-open-onnx.png)
# Needs: root, xvfb imagemagick xdotool (apt-get install -y xvfb imagemagick xdotool), util-linux, iproute2.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SHOT=${1:-docs/screenshots/installed.png}
OPENED_SHOT=${2:-docs/screenshots/installed-open-onnx.png}
DEB=$(ls target/installers/distillery_*.deb | head -n 1)
DATA=$(mktemp -d /tmp/inst-data.XXXXXX)
DISPLAY_NUM=${DISPLAY_NUM:-58}

step() { printf '\n== %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { echo "check-deb.sh: run as root (installs a package)" >&2; exit 1; }

step "apt-get install -y ./$DEB"
apt-get install -y "./$DEB"
dpkg -s distillery | sed -n 's/^\(Version\|Depends\|Installed-Size\): /\1: /p'

step "command line"
ls -l /usr/bin/distillery
distillery --version
distillery --data-dir "$DATA" info

step "devnet: epochs pass and a validator evaluates a submission, no network (unshare -n: loopback only)"
# The devnet prints where it listens; epochs and evaluations go to its log. An evaluation runs the
# student in a sandboxed child JVM started from the installed runtime's bin/java. On a busy machine
# the students can miss the 10 ms latency budget and score 0, and then no weights are set: an
# evaluated submission (scored or rejected with its reason) is what this checks.
unshare -n sh -c "ip link set lo up && exec distillery --data-dir '$DATA/devnet-run' devnet --tempo 5 --block-ms 200" \
    > "$DATA/devnet.out" 2>&1 &
DEVNET=$!
LOG=$DATA/devnet-run/logs/distillery.log
for _ in $(seq 1 120); do
    grep -qE 'Submission .* on epoch [0-9]+: ' "$LOG" 2>/dev/null && break
    sleep 1
done
kill "$DEVNET" 2>/dev/null || true
wait "$DEVNET" 2>/dev/null || true
cat "$DATA/devnet.out"
grep -E 'Epoch [0-9]+: ' "$LOG" | tail -n 2 || true
grep -E 'Submission .* on epoch|Epoch [0-9]+: weights set' "$LOG" | head -n 4 || true
grep -qE 'Submission .* on epoch [0-9]+: ' "$LOG" || { echo "no evaluated submission within 120 s" >&2; exit 1; }

step "the window under Xvfb :$DISPLAY_NUM"
Xvfb ":$DISPLAY_NUM" -screen 0 1280x820x24 -nolisten tcp &
XVFB=$!
trap 'kill "$XVFB" 2>/dev/null || true' EXIT
sleep 1
DISPLAY=":$DISPLAY_NUM" /opt/distillery/bin/Distillery --data-dir "$DATA/gui" > "$DATA/gui.out" 2>&1 &
APP=$!
WID=$(DISPLAY=":$DISPLAY_NUM" timeout 60 xdotool search --sync --name '^Distillery')
echo "window $WID"
sleep 6 # first paint, the dashboard's cards, the embedded devnet starting
mkdir -p "$(dirname "$SHOT")"
DISPLAY=":$DISPLAY_NUM" import -window root "$SHOT"
echo "screenshot: $SHOT"

step "an .onnx opened from the file manager goes to the open window"
# the menu's copy when the system has a desktop menu, else the package's own (xdg-desktop-menu had nowhere to put it)
ENTRY=/usr/share/applications/distillery-Distillery.desktop
[ -f "$ENTRY" ] || ENTRY=/opt/distillery/lib/distillery-Distillery.desktop
EXEC=$(sed -n 's/^Exec=//p' "$ENTRY")
echo "Exec=$EXEC"
case "$EXEC" in *%F*) ;; *) echo "the menu entry's Exec line takes no files (%F)" >&2; exit 1 ;; esac
if command -v xdg-mime >/dev/null; then
    echo "default for application/x-onnx: $(xdg-mime query default application/x-onnx || true)"
fi
# a real model: the built-in text-direction classifier, imported into a scratch library and copied out
distillery --data-dir "$DATA/catalog" teacher import --catalog ppocr-mobile-v2-cls > /dev/null
cp "$(find "$DATA/catalog" -name '*.onnx' | head -n 1)" "$DATA/Text direction.onnx"
# the first start's welcome tour is still up: it steps aside for the model
OPEN_CMD=${EXEC//%F/}
# shellcheck disable=SC2086 # the Exec line is words, as the file manager splits it
DISPLAY=":$DISPLAY_NUM" $OPEN_CMD --data-dir "$DATA/gui" "$DATA/Text direction.onnx" 2>&1 | tee "$DATA/open.out"
grep -q 'handed over to the Distillery window already open' "$DATA/open.out" \
    || { echo "the second start did not reach the open window" >&2; exit 1; }
for _ in $(seq 1 30); do
    grep -q 'Imported teacher' "$DATA/gui/logs/distillery.log" 2>/dev/null && break
    sleep 1
done
sleep 2
DISPLAY=":$DISPLAY_NUM" import -window root "$OPENED_SHOT"
echo "screenshot: $OPENED_SHOT"
kill "$APP"
wait "$APP" 2>/dev/null || true
echo "--- app output"; cat "$DATA/gui.out"
echo "--- natives under the data directory"
ls "$DATA/gui" "$DATA/gui/natives" 2>/dev/null || true

step "apt-get purge -y distillery"
apt-get purge -y distillery
left=0
for f in /opt/distillery /usr/bin/distillery /usr/share/applications/distillery-Distillery.desktop \
    /usr/share/mime/packages/distillery-Distillery-MimeInfo.xml; do
    if [ -e "$f" ] || [ -L "$f" ]; then echo "LEFT: $f"; left=1; fi
done
if find /usr/share/icons /usr/share/applications /usr/share/mime/packages /usr/local/share 2>/dev/null \
    | grep -iE 'distillery|x-onnx'; then
    left=1
fi
grep -l 'x-onnx' /usr/share/mime/globs2 /usr/share/applications/*.list /usr/share/applications/*.cache 2>/dev/null && left=1
dpkg -s distillery >/dev/null 2>&1 && { echo "LEFT: dpkg still knows distillery"; left=1; }
[ "$left" = 0 ] && echo "nothing left behind" || { echo "something was left behind" >&2; exit 1; }
