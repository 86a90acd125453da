package dev.distillery.vision;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.avdevice.AVDeviceInfo;
import org.bytedeco.ffmpeg.avdevice.AVDeviceInfoList;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Finding and probing webcams without ever blocking for long.
 *
 * <p>Linux: cameras are the {@code /dev/videoN} nodes, named from {@code /sys/class/video4linux/videoN/name};
 * "camera:N" is {@code /dev/videoN}. Listing touches no device, so it is instant on a machine without
 * cameras. Windows (dshow) and macOS (avfoundation) ask FFmpeg for its device list. <b>The Windows and
 * macOS paths have not been run</b> (the development machine is Linux without a camera); they follow
 * FFmpeg's documented device listing.
 *
 * <p>Never use {@code OpenCVFrameGrabber(0)} to find out whether a camera exists: without one it blocks
 * ~10 s in {@code start()}. {@link #probe} answers within about a second in every case.
 */
public final class Cameras {
    /** What to tell a Linux user whose FFmpeg cannot open cameras because libpulse is missing. */
    public static final String LIBPULSE_FIX = "FFmpeg's camera input on Linux needs the PulseAudio client library"
            + " libpulse.so.0, which is not installed: install it with 'sudo apt-get install libpulse0'"
            + " (Fedora: 'sudo dnf install pulseaudio-libs'), then restart Distillery";

    /** Longest a {@link #probe} waits for the device before answering FAILED. */
    static final long PROBE_TIMEOUT_MS = 800;

    private static final Path DEV = Path.of("/dev");
    private static final Path SYS_V4L = Path.of("/sys/class/video4linux");
    private static final Pattern VIDEO_NODE = Pattern.compile("video(\\d+)");
    private static final List<String> LIB_DIRS = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
            "/usr/local/lib");

    private Cameras() {
    }

    /** The operating systems with a camera code path. */
    enum Os { LINUX, WINDOWS, MAC, OTHER }

    static Os os() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.contains("linux")) {
            return Os.LINUX;
        }
        if (name.contains("win")) {
            return Os.WINDOWS;
        }
        if (name.contains("mac") || name.contains("darwin")) {
            return Os.MAC;
        }
        return Os.OTHER;
    }

    /** FFmpeg input format for cameras on this OS: "v4l2", "dshow" or "avfoundation". */
    public static String inputFormat() {
        switch (os()) {
            case WINDOWS:
                return "dshow";
            case MAC:
                return "avfoundation";
            default:
                return "v4l2";
        }
    }

    /**
     * The cameras this machine has, in index order; empty when there are none (never throws for that).
     * On Linux every {@code /dev/videoN} node is listed (a USB camera often adds a second, metadata-only
     * node, which {@link #probe} then reports as not a capture device).
     */
    public static List<CameraDevice> list() {
        switch (os()) {
            case LINUX:
                return listLinux(DEV, SYS_V4L);
            case WINDOWS:
                return listDshow();
            case MAC:
                return listAvfoundation();
            default:
                return List.of();
        }
    }

    static List<CameraDevice> listLinux(Path dev, Path sys) {
        List<CameraDevice> out = new ArrayList<>();
        if (!Files.isDirectory(dev)) {
            return out;
        }
        try (Stream<Path> nodes = Files.list(dev)) {
            nodes.forEach(p -> {
                Matcher m = VIDEO_NODE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    int n = Integer.parseInt(m.group(1));
                    out.add(new CameraDevice(n, p.toString(), linuxName(sys, p.getFileName().toString(), p), "v4l2"));
                }
            });
        } catch (IOException | RuntimeException e) {
            return out;
        }
        out.sort(Comparator.comparingInt(CameraDevice::index));
        return out;
    }

    private static String linuxName(Path sys, String node, Path device) {
        Path nameFile = sys.resolve(node).resolve("name");
        try {
            if (Files.isReadable(nameFile)) {
                String name = Files.readString(nameFile, StandardCharsets.UTF_8).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall back to the device path
        }
        return device.toString();
    }

    /** Windows: FFmpeg's dshow device list (FFmpeg ≥ 5 implements it), else its logged list. Not run here. */
    private static List<CameraDevice> listDshow() {
        List<CameraDevice> out = new ArrayList<>();
        List<String[]> devices = ffmpegDeviceList("dshow");
        if (devices != null) {
            for (String[] d : devices) {
                String name = d[1].isEmpty() ? d[0] : d[1];
                out.add(new CameraDevice(out.size(), "video=" + name, name, "dshow"));
            }
            return out;
        }
        // Older FFmpeg: "[dshow @ …] "Integrated Camera" (video)" lines in the log of -list_devices true.
        Pattern line = Pattern.compile("\"([^\"]+)\"\\s*\\(video\\)");
        for (String l : loggedDeviceList("dshow", "dummy")) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                out.add(new CameraDevice(out.size(), "video=" + m.group(1), m.group(1), "dshow"));
            }
        }
        return out;
    }

    /**
     * The video input devices FFmpeg's {@code avdevice_list_input_sources} reports for {@code format}, as
     * {name, description} pairs, or null when the format is missing or cannot list devices.
     */
    static List<String[]> ffmpegDeviceList(String format) {
        try {
            FFmpegFrameGrabber.tryLoad();
            AVInputFormat input = avformat.av_find_input_format(format);
            if (input == null || input.isNull()) {
                return null;
            }
            AVDeviceInfoList list = new AVDeviceInfoList(null);
            int n = avdevice.avdevice_list_input_sources(input, (String) null, null, list);
            if (n < 0 || list.isNull()) {
                return null;
            }
            List<String[]> out = new ArrayList<>();
            try {
                for (int i = 0; i < list.nb_devices(); i++) {
                    AVDeviceInfo d = list.devices(i);
                    if (d != null && !d.isNull() && hasVideo(d)) {
                        out.add(new String[] {string(d.device_name()), string(d.device_description())});
                    }
                }
            } finally {
                avdevice.avdevice_free_list_devices(list);
            }
            return out;
        } catch (FrameGrabber.Exception | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static boolean hasVideo(AVDeviceInfo d) {
        if (d.nb_media_types() <= 0 || d.media_types() == null) {
            return true;
        }
        for (int i = 0; i < d.nb_media_types(); i++) {
            if (d.media_types().get(i) == avutil.AVMEDIA_TYPE_VIDEO) {
                return true;
            }
        }
        return false;
    }

    /** macOS: the "AVFoundation video devices:" section of FFmpeg's logged list. Not run here. */
    private static List<CameraDevice> listAvfoundation() {
        List<CameraDevice> out = new ArrayList<>();
        Pattern entry = Pattern.compile("\\[(\\d+)]\\s+(.+)$");
        boolean video = false;
        for (String l : loggedDeviceList("avfoundation", "")) {
            if (l.contains("AVFoundation video devices")) {
                video = true;
                continue;
            }
            if (l.contains("AVFoundation audio devices")) {
                video = false;
                continue;
            }
            Matcher m = entry.matcher(l.trim());
            if (video && m.find()) {
                int n = Integer.parseInt(m.group(1));
                String name = m.group(2).trim();
                if (!name.startsWith("Capture screen")) {
                    out.add(new CameraDevice(n, n + ":none", name, "avfoundation"));
                }
            }
        }
        return out;
    }

    /**
     * Runs FFmpeg's {@code -list_devices true} for {@code format} and returns the lines it logs. FFmpeg's log
     * callback is process-wide: it is captured for the duration and afterwards routed to JavaCV's logger
     * ({@link FFmpegLogCallback}).
     */
    static synchronized List<String> loggedDeviceList(String format, String input) {
        List<String> lines = new ArrayList<>();
        LogCallback capture = new LogCallback() {
            @Override
            public void call(int level, BytePointer msg) {
                if (msg != null && !msg.isNull()) {
                    synchronized (lines) {
                        lines.add(msg.getString().stripTrailing());
                    }
                }
            }
        };
        try {
            FFmpegFrameGrabber.tryLoad();
            avutil.setLogCallback(capture);
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(input)) {
                g.setFormat(format);
                g.setOption("list_devices", "true");
                try {
                    g.start();
                } catch (FrameGrabber.Exception expected) {
                    // -list_devices always "fails" after printing the list
                }
            }
        } catch (Exception | LinkageError e) {
            // no list
        } finally {
            try {
                FFmpegLogCallback.set();
            } catch (RuntimeException | LinkageError ignored) {
                // logging stays captured: harmless
            }
        }
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private static String string(BytePointer p) {
        return p == null || p.isNull() ? "" : p.getString(StandardCharsets.UTF_8).trim();
    }

    /**
     * The camera "camera:N" means on this OS: {@code /dev/videoN} on Linux (whether it exists or not, so
     * that opening it gives a precise message), the N-th listed device on Windows, AVFoundation device N on
     * macOS.
     */
    public static CameraDevice byIndex(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("Camera numbers start at 0, got " + index);
        }
        switch (os()) {
            case WINDOWS: {
                List<CameraDevice> all = listDshow();
                if (index < all.size()) {
                    return all.get(index);
                }
                return new CameraDevice(index, "video=" + index, "Camera " + index, "dshow");
            }
            case MAC:
                return new CameraDevice(index, index + ":none", "Camera " + index, "avfoundation");
            default: {
                Path node = DEV.resolve("video" + index);
                return new CameraDevice(index, node.toString(), linuxName(SYS_V4L, "video" + index, node), "v4l2");
            }
        }
    }

    /** A camera given by its FFmpeg input ("/dev/video2", "video=Integrated Camera", "0:none"). */
    public static CameraDevice byInput(String input) {
        if (os() == Os.LINUX || input.startsWith("/dev/")) {
            Path path = Path.of(input);
            String node = path.getFileName() == null ? input : path.getFileName().toString();
            Matcher m = VIDEO_NODE.matcher(node);
            int index = m.matches() ? Integer.parseInt(m.group(1)) : 0;
            return new CameraDevice(index, input, linuxName(SYS_V4L, node, path), "v4l2");
        }
        return new CameraDevice(0, input, input, inputFormat());
    }

    /**
     * True when the PulseAudio client library {@code libpulse.so.0} is found in the usual library folders
     * or by {@code ldconfig -p}. JavaCV's FFmpeg avdevice library links against it on Linux: without it the
     * v4l2 input is missing ("Could not find input format video4linux2").
     */
    public static boolean libpulseInstalled() {
        for (String dir : LIB_DIRS) {
            if (Files.exists(Path.of(dir, "libpulse.so.0"))) {
                return true;
            }
        }
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")) {
            try {
                Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
                byte[] out;
                try (InputStream in = p.getInputStream()) {
                    out = in.readAllBytes();
                }
                if (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    continue;
                }
                return new String(out, StandardCharsets.UTF_8).contains("libpulse.so.0");
            } catch (IOException e) {
                // try the next ldconfig
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return true; // cannot tell: do not claim it is missing
    }

    /**
     * Whether {@code device} can be opened now, answered within about a second also on a machine without
     * any camera (Linux: a missing {@code /dev/videoN} is answered without touching FFmpeg). Opens the device
     * briefly with FFmpeg on a background thread and reads its frame size; never throws.
     */
    public static ProbeResult probe(CameraDevice device) {
        String label = device.label();
        if ("v4l2".equals(device.format())) {
            if (!Files.exists(Path.of(device.input()))) {
                return new ProbeResult(device, ProbeResult.Status.NONE, "No camera at " + device.input()
                        + " (none is plugged in, or it has another number)", 0, 0);
            }
            if (!libpulseInstalled()) {
                return new ProbeResult(device, ProbeResult.Status.MISSING_LIBRARY, LIBPULSE_FIX, 0, 0);
            }
        }
        CompletableFuture<ProbeResult> answer = CompletableFuture.supplyAsync(() -> openBriefly(device), r -> {
            Thread t = new Thread(r, "camera-probe-" + device.index());
            t.setDaemon(true);
            t.start();
        });
        try {
            return answer.get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new ProbeResult(device, ProbeResult.Status.FAILED, label + " did not answer within "
                    + PROBE_TIMEOUT_MS + " ms (busy or hung); try again or pick another camera", 0, 0);
        } catch (ExecutionException e) {
            return new ProbeResult(device, ProbeResult.Status.FAILED, label + " cannot be opened: "
                    + e.getCause(), 0, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeResult(device, ProbeResult.Status.FAILED, "Probing " + label + " was interrupted", 0, 0);
        }
    }

    private static ProbeResult openBriefly(CameraDevice device) {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(device.input())) {
            g.setFormat(device.format());
            try {
                g.start();
                return new ProbeResult(device, ProbeResult.Status.AVAILABLE, device.label() + " works: "
                        + g.getImageWidth() + "x" + g.getImageHeight(), g.getImageWidth(), g.getImageHeight());
            } catch (FrameGrabber.Exception | RuntimeException e) {
                return failure(device, e);
            } finally {
                g.stop();
            }
        } catch (FrameGrabber.Exception | RuntimeException e) {
            return failure(device, e);
        } catch (LinkageError e) {
            return missingLibrary(device, e);
        }
    }

    private static ProbeResult missingLibrary(CameraDevice device, Throwable e) {
        if (os() == Os.LINUX) {
            return new ProbeResult(device, ProbeResult.Status.MISSING_LIBRARY, LIBPULSE_FIX, 0, 0);
        }
        return new ProbeResult(device, ProbeResult.Status.MISSING_LIBRARY, "FFmpeg's camera support cannot be"
                + " loaded: " + e.getMessage(), 0, 0);
    }

    /** Turns an FFmpeg open error into a verdict a user can act on. */
    static ProbeResult failure(CameraDevice device, Throwable e) {
        String raw = String.valueOf(e.getMessage());
        return new ProbeResult(device, statusOf(raw), explain(device, raw), 0, 0);
    }

    static ProbeResult.Status statusOf(String ffmpegMessage) {
        String m = ffmpegMessage.toLowerCase(Locale.ROOT);
        if (m.contains("could not find input format") || m.contains("libpulse")) {
            return ProbeResult.Status.MISSING_LIBRARY;
        }
        if (m.contains("no such file") || m.contains("error -2:") || m.contains("no such device")
                || m.contains("i/o error")) {
            return ProbeResult.Status.NONE;
        }
        return ProbeResult.Status.FAILED;
    }

    /** One sentence about why {@code device} cannot be opened, from FFmpeg's message. */
    static String explain(CameraDevice device, String ffmpegMessage) {
        String m = ffmpegMessage.toLowerCase(Locale.ROOT);
        String label = device.label();
        if (m.contains("could not find input format") || m.contains("libpulse")) {
            return os() == Os.LINUX ? LIBPULSE_FIX
                    : "This FFmpeg build has no " + device.format() + " camera input: " + ffmpegMessage;
        }
        if (m.contains("device or resource busy") || m.contains("error -16:")) {
            return label + " is busy: another program is using it; close that program and try again";
        }
        if (m.contains("permission denied") || m.contains("error -13:")) {
            return label + " is not accessible (permission denied): on Linux add yourself to the 'video' group"
                    + " (sudo usermod -aG video $USER) and log in again";
        }
        if (m.contains("not a video capture device") || m.contains("inappropriate ioctl")
                || m.contains("error -25:")) {
            return label + " is not a video capture device (USB cameras add a metadata node; try the next number)";
        }
        if (statusOf(ffmpegMessage) == ProbeResult.Status.NONE) {
            return "No camera at " + device.input() + " (none is plugged in, or it has another number)";
        }
        return label + " cannot be opened: " + ffmpegMessage;
    }
}
