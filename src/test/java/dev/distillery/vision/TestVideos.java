package dev.distillery.vision;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.nio.file.Path;
import java.util.function.IntFunction;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Writes small test videos whose frame i shows i in binary as 8 vertical stripes (white = 1, black = 0),
 * 20 pixels wide each, so the index survives lossy compression and can be read back from decoded pixels.
 */
public final class TestVideos {
    static final int WIDTH = 160;
    static final int HEIGHT = 120;
    private static final int BITS = 8;

    private TestVideos() {
    }

    /** True when this FFmpeg build has an encoder called {@code name}. */
    public static boolean hasEncoder(String name) {
        AVCodec c = avcodec.avcodec_find_encoder_by_name(name);
        return c != null && !c.isNull();
    }

    /** Frame {@code index} as a BGR Mat the caller closes. */
    public static Mat frame(int index) {
        Mat m = new Mat(HEIGHT, WIDTH, CV_8UC3, Scalar.all(0));
        int stripe = WIDTH / BITS;
        for (int b = 0; b < BITS; b++) {
            if ((index >> b & 1) == 1) {
                try (Mat roi = m.apply(new Rect(b * stripe, 0, stripe, HEIGHT))) {
                    roi.put(Scalar.all(255));
                }
            }
        }
        return m;
    }

    /** Reads the index back from a decoded frame. */
    public static int indexOf(Mat decoded) {
        int stripe = decoded.cols() / BITS;
        int index = 0;
        for (int b = 0; b < BITS; b++) {
            try (Mat roi = decoded.apply(new Rect(b * stripe + stripe / 4, decoded.rows() / 6, stripe / 2,
                    decoded.rows() * 2 / 3))) {
                Scalar mean = opencv_core.mean(roi);
                if ((mean.get(0) + mean.get(1) + mean.get(2)) / 3 > 128) {
                    index |= 1 << b;
                }
            }
        }
        return index;
    }

    /**
     * Writes {@code frames} frames at 25 fps with the given container and encoder name.
     *
     * @param format  FFmpeg muxer: "avi", "mp4", "matroska", "webm"
     * @param encoder FFmpeg encoder name: "mjpeg", "mpeg4", "libx264", "libvpx"
     */
    public static Path write(Path file, String format, String encoder, int frames) throws Exception {
        return write(file, format, encoder, frames, TestVideos::frame);
    }

    /**
     * Writes {@code frames} frames at 25 fps; frame i is {@code content.apply(i)} (a {@link #WIDTH}×{@link #HEIGHT}
     * BGR Mat, closed here).
     */
    public static Path write(Path file, String format, String encoder, int frames, IntFunction<Mat> content)
            throws Exception {
        AVCodec codec = avcodec.avcodec_find_encoder_by_name(encoder);
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 0);
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            r.setFormat(format);
            r.setVideoCodec(codec.id());
            r.setPixelFormat(encoder.equals("mjpeg") ? avutil.AV_PIX_FMT_YUVJ420P : avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(25);
            r.setVideoBitrate(2_000_000);
            r.setGopSize(12);
            r.start();
            for (int i = 0; i < frames; i++) {
                try (Mat m = content.apply(i)) {
                    r.record(conv.convert(m));
                }
            }
            r.stop();
        }
        return file;
    }
}
