package dev.distillery.live;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * Encodes rendered frames to an mp4 on its own thread, so encoding never slows a model worker. Frames are
 * handed over through a small bounded queue; when the encoder falls behind, new frames are dropped (and
 * released). Uses H.264 when the FFmpeg build has an encoder for it, else MPEG-4 Part 2. The encoder opens
 * on the first frame (its size decides the video size; odd sizes are cropped by one pixel, as YUV 4:2:0
 * needs even sizes) and stamps frames with their wall-clock time, so the video plays in real time.
 *
 * <p><b>Thread-safety:</b> {@link #offer} and {@link #finish} may be called from any thread.
 */
final class Recording {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Recording.class);

    private final Path file;
    private final double fps;
    private final BlockingQueue<Mat> queue = new ArrayBlockingQueue<>(4);
    private final Thread thread;
    private volatile boolean finishing;
    private volatile String error;
    private volatile String codec = "";
    private long written;
    private long dropped;

    Recording(Path file, double fps) {
        this.file = file;
        this.fps = fps > 0 ? fps : 25;
        this.thread = new Thread(this::run, "live-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a copy of a BGR frame; drops it when the encoder is behind or finished. */
    void offer(Mat bgr) {
        if (finishing || error != null) {
            return;
        }
        Mat copy = bgr.clone();
        if (!queue.offer(copy)) {
            copy.close();
            synchronized (this) {
                dropped++;
            }
        }
    }

    /**
     * Encodes what is queued, closes the file and waits (up to 10 s) for the encoder thread.
     *
     * @return frames written
     * @throws LiveException when encoding failed
     */
    long finish() {
        finishing = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Mat m;
        while ((m = queue.poll()) != null) {
            m.close();
        }
        if (error != null) {
            throw new LiveException(error);
        }
        synchronized (this) {
            return written;
        }
    }

    /** The codec used, "h264" or "mpeg4"; empty before the first frame. */
    String codec() {
        return codec;
    }

    private void run() {
        FFmpegFrameRecorder recorder = null;
        long startNanos = 0;
        try (OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            while (true) {
                Mat m = queue.poll(50, TimeUnit.MILLISECONDS);
                if (m == null) {
                    if (finishing) {
                        break;
                    }
                    continue;
                }
                try {
                    int w = m.cols() & ~1;
                    int h = m.rows() & ~1;
                    if (recorder == null) {
                        recorder = open(w, h);
                        startNanos = System.nanoTime();
                    }
                    long micros = (System.nanoTime() - startNanos) / 1000;
                    if (micros > recorder.getTimestamp()) {
                        recorder.setTimestamp(micros);
                    }
                    try (Mat even = w == m.cols() && h == m.rows() ? null : m.apply(new Rect(0, 0, w, h))) {
                        Frame frame = converter.convert(even == null ? m : even);
                        recorder.record(frame, AV_PIX_FMT_BGR24);
                    }
                    synchronized (this) {
                        written++;
                    }
                } finally {
                    m.close();
                }
            }
        } catch (Exception e) {
            error = "Recording to " + file + " failed: " + e.getMessage();
            LOG.warn(error, e);
        } finally {
            if (recorder != null) {
                try {
                    recorder.stop();
                    recorder.release();
                } catch (Exception e) {
                    if (error == null) {
                        error = "Cannot finish the recording " + file + ": " + e.getMessage();
                    }
                }
            }
        }
    }

    private FFmpegFrameRecorder open(int width, int height) throws FFmpegFrameRecorder.Exception {
        FFmpegFrameRecorder.Exception first = null;
        for (int id : new int[] {AV_CODEC_ID_H264, AV_CODEC_ID_MPEG4}) {
            FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
            r.setFormat("mp4");
            r.setFrameRate(fps);
            r.setVideoCodec(id);
            r.setPixelFormat(AV_PIX_FMT_YUV420P);
            r.setVideoQuality(id == AV_CODEC_ID_H264 ? 23 : 4);
            try {
                r.start();
                codec = id == AV_CODEC_ID_H264 ? "h264" : "mpeg4";
                return r;
            } catch (FFmpegFrameRecorder.Exception e) {
                first = first == null ? e : first;
                try {
                    r.release();
                } catch (FFmpegFrameRecorder.Exception ignored) {
                    // the next codec gets a fresh recorder
                }
            }
        }
        throw first;
    }
}
