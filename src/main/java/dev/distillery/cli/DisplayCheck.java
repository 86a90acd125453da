package dev.distillery.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Why a window could not open, in words that say what to install or set: on Linux the window needs a display
 * (DISPLAY or WAYLAND_DISPLAY) and the GTK 3 library that JavaFX draws through. Without GTK, JavaFX's own message
 * ("Unable to open DISPLAY", "No toolkit found") sends people after the wrong cause.
 */
final class DisplayCheck {
    /** The library JavaFX's Linux window toolkit loads. */
    static final String GTK = "libgtk-3.so.0";

    private DisplayCheck() {
    }

    /**
     * @param error     JavaFX's message (may be null)
     * @param os        {@code os.name}
     * @param env       the environment
     * @param libraries whether a shared library of that file name can be found
     */
    static String explain(String error, String os, Map<String, String> env, Predicate<String> libraries) {
        String what = error == null || error.isBlank() ? "" : " (" + error + ")";
        boolean linux = os != null && os.toLowerCase(java.util.Locale.ROOT).contains("linux");
        if (linux) {
            String display = env.getOrDefault("DISPLAY", "");
            String wayland = env.getOrDefault("WAYLAND_DISPLAY", "");
            if (display.isBlank() && wayland.isBlank()) {
                return "cannot open a window" + what + ": there is no graphical session (DISPLAY is not set). Start "
                        + "Distillery from a desktop session, or run it under Xvfb (xvfb-run distillery). "
                        + "Command-line tools work without one: distillery --help";
            }
            if (!libraries.test(GTK)) {
                return "cannot open a window" + what + ": the GTK 3 library (" + GTK + ") that the window is drawn "
                        + "with is not installed. Install it (Debian/Ubuntu: sudo apt-get install libgtk-3-0; "
                        + "Fedora: sudo dnf install gtk3) and start again. Command-line tools work without it: "
                        + "distillery --help";
            }
            return "cannot open a window on display " + (display.isBlank() ? wayland : display) + what + ": check that "
                    + "the display is running and that this user may use it (xhost, XAUTHORITY). Command-line tools "
                    + "work without one: distillery --help";
        }
        return "cannot open a window" + what + ". Command-line tools work without one: distillery --help";
    }

    /** Whether a shared library is in the linker's usual folders or LD_LIBRARY_PATH. */
    static boolean libraryPresent(String fileName) {
        List<String> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu",
                "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib"));
        for (String d : dirs) {
            if (!d.isBlank() && Files.exists(Path.of(d, fileName))) {
                return true;
            }
        }
        return false;
    }

    /** Whether an exception from starting JavaFX means "no window possible here" rather than a bug. */
    static boolean isNoWindow(RuntimeException e) {
        if (e instanceof UnsupportedOperationException) {
            return true;
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("toolkit") || m.contains("graphics device") || m.contains("display");
    }
}
