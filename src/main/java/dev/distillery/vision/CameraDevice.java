package dev.distillery.vision;

/**
 * A camera the OS knows about.
 *
 * @param index  0-based number used in "camera:N"
 * @param input  what FFmpeg opens: "/dev/video0" (Linux), "video=Integrated Camera" (Windows dshow),
 *               "0" (macOS avfoundation)
 * @param name   human-readable name ("Integrated Camera"); the input when the OS gives no name
 * @param format FFmpeg input format: "v4l2", "dshow" or "avfoundation"
 */
public record CameraDevice(int index, String input, String name, String format) {
    /** "Camera 0 (/dev/video0)" or "Camera 0 (Integrated Camera)". */
    public String label() {
        return "Camera " + index + " (" + name + (name.equals(input) ? "" : ", " + input) + ")";
    }
}
