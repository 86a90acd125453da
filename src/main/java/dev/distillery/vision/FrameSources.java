package dev.distillery.vision;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a {@link FrameSource} from the string a user types on the command line or in a source field.
 *
 * <ul>
 *   <li>{@code camera:0} or {@code camera:/dev/video0} (also {@code camera:video=Name} on Windows) — a webcam</li>
 *   <li>{@code synthetic} or {@code synthetic:640x480@30} — the {@link SyntheticSource} demo scene</li>
 *   <li>a folder path — an {@link ImageFolderSource} slideshow</li>
 *   <li>a file path — a {@link VideoFileSource}</li>
 * </ul>
 */
public final class FrameSources {
    /** The accepted forms, for messages and help texts. */
    public static final String FORMS = "camera:0, camera:/dev/video0, camera:0@1280x720@30, synthetic, synthetic:640x480@30,"
            + " a folder of images, or a video file (mp4, avi, mkv, webm)";

    private static final Pattern SYNTHETIC = Pattern.compile("(\\d+)x(\\d+)(?:@(\\d+(?:\\.\\d+)?))?");

    private FrameSources() {
    }

    /** Opens {@code spec} without looping. */
    public static FrameSource open(String spec) {
        return open(spec, false);
    }

    /**
     * Opens {@code spec}; {@code loop} makes files and folders restart at the end.
     *
     * @throws SourceException when the spec is not understood (the message lists the forms) or the source
     *                         cannot be opened
     */
    public static FrameSource open(String spec, boolean loop) {
        if (spec == null || spec.isBlank()) {
            throw new SourceException("No source given: use " + FORMS);
        }
        String s = spec.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("camera:")) {
            String arg = s.substring("camera:".length()).strip();
            if (arg.isEmpty()) {
                throw new SourceException("'" + spec + "' names no camera: use camera:0 or camera:/dev/video0");
            }
            // An optional format after the device: camera:0@1280x720@30 (size, then frame rate).
            String[] parts = arg.split("@");
            String name = parts[0].strip();
            CameraDevice device = name.matches("\\d+") ? Cameras.byIndex(Integer.parseInt(name)) : Cameras.byInput(name);
            if (parts.length == 1) {
                return new CameraSource(device);
            }
            java.util.regex.Matcher size = java.util.regex.Pattern.compile("(\\d{2,5})x(\\d{2,5})").matcher(parts[1].strip());
            if (!size.matches() || parts.length > 3 || (parts.length == 3 && !parts[2].strip().matches("\\d{1,3}(\\.\\d+)?"))) {
                throw new SourceException("'" + spec + "': give a camera format as camera:0@1280x720@30 (width x height, "
                        + "then frames per second)");
            }
            double fps = parts.length == 3 ? Double.parseDouble(parts[2].strip()) : 0;
            return new CameraSource(device, Integer.parseInt(size.group(1)), Integer.parseInt(size.group(2)), fps);
        }
        if (lower.equals("camera")) {
            return new CameraSource(Cameras.byIndex(0));
        }
        if (lower.equals("synthetic")) {
            return new SyntheticSource(640, 480, 30, 0, -1);
        }
        if (lower.startsWith("synthetic:")) {
            Matcher m = SYNTHETIC.matcher(lower.substring("synthetic:".length()).strip());
            if (!m.matches()) {
                throw new SourceException("'" + spec + "' is not a synthetic source: use synthetic or"
                        + " synthetic:WIDTHxHEIGHT@FPS, e.g. synthetic:640x480@30");
            }
            int w = Integer.parseInt(m.group(1));
            int h = Integer.parseInt(m.group(2));
            double fps = m.group(3) == null ? 30 : Double.parseDouble(m.group(3));
            if (w < 32 || h < 32 || w > 8192 || h > 8192 || fps <= 0 || fps > 1000) {
                throw new SourceException("'" + spec + "': size must be 32..8192 pixels and fps 1..1000");
            }
            return new SyntheticSource(w, h, fps, 0, -1);
        }
        Path path;
        try {
            path = Path.of(s);
        } catch (InvalidPathException e) {
            throw new SourceException("'" + spec + "' is not a source: use " + FORMS, e);
        }
        if (Files.isDirectory(path)) {
            return new ImageFolderSource(path, 1.0, loop);
        }
        if (Files.isRegularFile(path)) {
            return new VideoFileSource(path, loop);
        }
        throw new SourceException("'" + spec + "' is not a source: no such file or folder. Use " + FORMS);
    }
}
