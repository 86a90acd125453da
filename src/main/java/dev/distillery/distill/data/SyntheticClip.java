package dev.distillery.distill.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * A short synthetic video for trying models live without a camera: a camera-like pan along a row of
 * {@link TextSceneGenerator} scenes (signs, labels, words on gradients, noise and shapes), separated by thin dark
 * frames. Written as MPEG-4 part 2 in an .mp4 (an encoder every FFmpeg build has; H.264 is not in all of them)
 * or Motion JPEG in an .avi.
 *
 * <p>The same seed, size, length and frame rate give the same pixels; with one encoder thread and FFmpeg's
 * bit-exact flags the same FFmpeg build also gives the same bytes.
 */
public final class SyntheticClip {
    static {
        // FFmpeg prints every output's format summary at INFO level: keep errors only.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    /** Width of the dark line between two scenes. */
    private static final int SEAM = 6;

    private SyntheticClip() {
    }

    /**
     * Writes the clip.
     *
     * @param file    .mp4 (MPEG-4) or .avi (Motion JPEG); folders are created
     * @param seed    fixes the scenes
     * @param width   frame width (even, at least 64)
     * @param height  frame height (even, at least 64)
     * @param seconds length, 1..60
     * @param fps     frames per second, 1..60
     * @return the number of frames written
     * @throws IllegalArgumentException for sizes, lengths or a file type outside those
     * @throws UncheckedIOException     when the file cannot be written
     */
    public static int write(Path file, long seed, int width, int height, double seconds, int fps) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean avi = name.endsWith(".avi");
        if (!avi && !name.endsWith(".mp4")) {
            throw new IllegalArgumentException("A clip is written as .mp4 (MPEG-4) or .avi (Motion JPEG), not " + file);
        }
        if (width < 64 || height < 64 || width > 1920 || height > 1080 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("A clip's size must be even and between 64×64 and 1920×1080: "
                    + width + "×" + height);
        }
        if (!(seconds >= 1 && seconds <= 60) || fps < 1 || fps > 60) {
            throw new IllegalArgumentException("A clip is 1 to 60 seconds long at 1 to 60 frames/s");
        }
        int frames = (int) Math.round(seconds * fps);
        // Four scenes side by side; the view pans from the first to the last.
        int panels = 4;
        int canvasWidth = panels * width + (panels - 1) * SEAM;
        int travel = canvasWidth - width;
        TextSceneGenerator generator = new TextSceneGenerator(seed, width, height);
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the folder for " + file + ": " + e.getMessage(), e);
        }
        try (Mat canvas = new Mat(height, canvasWidth, CV_8UC3, new Scalar(40, 34, 29, 0));
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
             FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0)) {
            for (int p = 0; p < panels; p++) {
                try (Mat scene = generator.scene(p);
                     Rect at = new Rect(p * (width + SEAM), 0, width, height);
                     Mat target = canvas.apply(at)) {
                    scene.copyTo(target);
                }
            }
            recorder.setFormat(avi ? "avi" : "mp4");
            recorder.setVideoCodec(avi ? avcodec.AV_CODEC_ID_MJPEG : avcodec.AV_CODEC_ID_MPEG4);
            recorder.setPixelFormat(avi ? avutil.AV_PIX_FMT_YUVJ420P : avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setGopSize(fps);
            recorder.setVideoQuality(avi ? 6 : 5);
            // Same bytes on every run of the same build: one thread, no version strings or dates.
            recorder.setVideoOption("threads", "1");
            recorder.setVideoOption("flags", "+bitexact");
            recorder.setOption("fflags", "+bitexact");
            recorder.start();
            for (int i = 0; i < frames; i++) {
                double t = frames == 1 ? 0 : (double) i / (frames - 1);
                // ease in and out, as a hand-held pan would
                double eased = 0.5 - 0.5 * Math.cos(Math.PI * t);
                int x = (int) Math.round(eased * travel);
                try (Rect view = new Rect(x, 0, width, height);
                     Mat frame = canvas.apply(view);
                     Mat copy = frame.clone()) {
                    Frame f = converter.convert(copy);
                    recorder.record(f, avutil.AV_PIX_FMT_BGR24);
                }
            }
            recorder.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the clip " + file + ": " + e.getMessage(), e);
        }
        return frames;
    }
}
