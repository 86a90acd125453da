package dev.distillery.vision;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Frames of a video file (mp4, avi, mkv, webm and anything else FFmpeg demuxes), decoded with
 * {@link FFmpegFrameGrabber}. Frames come out as fresh 8-bit BGR {@link Mat}s the caller owns.
 *
 * <p><b>Looping:</b> with {@code loop} set the source restarts at frame 0 after the last frame and never
 * ends; {@link SourceInfo#frameCount()} is then -1 (use {@link #containerFrameCount()} for the file's length).
 *
 * <p><b>A stream that breaks mid-way</b> (a truncated download, a file still being copied): the frames
 * before the break are returned normally; when decoding then stops although the container announced
 * noticeably more frames (more than 2 frames and 2 % short), {@link #grab()} throws a {@link SourceException}
 * "… stopped after frame N of M …: the file is truncated or corrupt" instead of returning null. A file
 * whose header is itself damaged (an mp4 cut before its index) fails already in the constructor.
 *
 * <p>Not thread-safe: one thread reads a source.
 */
public final class VideoFileSource implements FrameSource {
    static {
        // FFmpeg prints every file's format summary at INFO level: keep errors only.
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    }

    private static final Pattern CODEC_ID = Pattern.compile("codec not found: (\\d+)");

    private final Path file;
    private final boolean loop;
    private final FFmpegFrameGrabber grabber;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private final SourceInfo info;
    private final long containerFrames;
    private final String codecName;
    /** Index of the frame the next {@link #grab()} returns. */
    private long position;
    private boolean closed;

    /** Opens {@code file} without looping, with FFmpeg's default decoder threading. */
    public VideoFileSource(Path file) {
        this(file, false, 0);
    }

    /** Opens {@code file}; with {@code loop} the source restarts at the end and never ends. */
    public VideoFileSource(Path file, boolean loop) {
        this(file, loop, 0);
    }

    /**
     * Opens {@code file}.
     *
     * @param file           the video file
     * @param loop           restart at the end (endless source)
     * @param decoderThreads decoder threads, 0 for FFmpeg's choice (1 to measure single-core speed)
     * @throws SourceException "Cannot open video &lt;file&gt;: …" when the file is missing, not a video,
     *                         damaged, has no video stream or uses a codec this build cannot decode
     */
    public VideoFileSource(Path file, boolean loop, int decoderThreads) {
        this.file = file;
        this.loop = loop;
        if (!Files.exists(file)) {
            converter.close();
            throw new SourceException("Cannot open video " + file + ": the file does not exist");
        }
        if (Files.isDirectory(file)) {
            converter.close();
            throw new SourceException("Cannot open video " + file + ": it is a folder (open it as an image folder)");
        }
        if (!Files.isReadable(file)) {
            converter.close();
            throw new SourceException("Cannot open video " + file + ": the file is not readable (permissions?)");
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        // FFmpegFrameGrabber converts to BGR24 by default; setPixelFormat would be passed to the demuxer
        // as an input option ("pixel_format"), which files reject.
        if (decoderThreads > 0) {
            g.setVideoOption("threads", Integer.toString(decoderThreads));
        }
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(g);
            converter.close();
            throw new SourceException(openFailure(file, e), e);
        }
        if (!g.hasVideo() || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            boolean audio = g.hasAudio();
            release(g);
            converter.close();
            throw new SourceException("Cannot open video " + file + ": it has no video stream"
                    + (audio ? " (audio only)" : ""));
        }
        this.grabber = g;
        this.codecName = g.getVideoCodecName();
        int length = g.getLengthInVideoFrames();
        this.containerFrames = length > 0 && length < Integer.MAX_VALUE ? length : -1;
        double fps = g.getVideoFrameRate() > 0 ? g.getVideoFrameRate() : g.getFrameRate();
        if (!Double.isFinite(fps) || fps < 0 || fps > 1000) {
            fps = 0;
        }
        this.info = new SourceInfo(file.getFileName().toString(), g.getImageWidth(), g.getImageHeight(), fps,
                loop ? -1 : containerFrames, false, true);
    }

    /** The user-facing message for an FFmpeg open failure of {@code file}. */
    static String openFailure(Path file, Throwable e) {
        String raw = e.getMessage() == null ? e.toString() : e.getMessage();
        String prefix = "Cannot open video " + file + ": ";
        if (raw.contains("avcodec_find_decoder") || raw.contains("Could not open video codec")
                || raw.contains("Could not open audio codec")) {
            String stream = raw.contains("audio") ? "audio" : "video";
            String codec = "";
            Matcher m = CODEC_ID.matcher(raw);
            if (m.find()) {
                codec = " #" + m.group(1);
                try {
                    BytePointer name = avcodec.avcodec_get_name(Integer.parseInt(m.group(1)));
                    if (name != null && !name.isNull()) {
                        codec = " '" + name.getString() + "'";
                    }
                } catch (RuntimeException | LinkageError ignored) {
                    // keep the number
                }
            }
            return prefix + "its " + stream + " codec" + codec + " is not supported by this FFmpeg build;"
                    + " convert the file, e.g. ffmpeg -i in -c:v libx264 -c:a aac out.mp4 [" + raw + "]";
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("moov atom not found")) {
            return prefix + "the file is truncated or still being written (its index is missing)";
        }
        if (lower.contains("avformat_open_input") || lower.contains("invalid data")
                || lower.contains("avformat_find_stream_info")) {
            return prefix + "not a video FFmpeg can read (corrupt, truncated or not a video file) [" + raw + "]";
        }
        return prefix + raw;
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    /** The file this source reads. */
    public Path file() {
        return file;
    }

    /** The frame count the container announces (also when looping), -1 when unknown. */
    public long containerFrameCount() {
        return containerFrames;
    }

    /** FFmpeg's name of the video codec, e.g. "mpeg4" or "h264". */
    public String codecName() {
        return codecName;
    }

    /** Index of the frame the next {@link #grab()} returns (within the file when looping). */
    public long position() {
        return position;
    }

    @Override
    public Mat grab() {
        ensureOpen();
        Mat frame = decodeNext();
        if (frame != null) {
            return frame;
        }
        checkNotTruncated();
        if (!loop) {
            return null;
        }
        if (position == 0) {
            throw new SourceException("Cannot read video " + file + ": it contains no decodable frame");
        }
        seek(0);
        frame = decodeNext();
        if (frame == null) {
            throw new SourceException("Cannot read video " + file + ": it gave no frame after restarting at"
                    + " the beginning");
        }
        return frame;
    }

    private Mat decodeNext() {
        Frame f;
        try {
            f = grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new SourceException("The video " + file + " broke at frame " + position + ": " + e.getMessage()
                    + " (the file is truncated or corrupt)", e);
        }
        if (f == null || f.image == null) {
            return null;
        }
        Mat view = converter.convert(f);
        if (view == null || view.empty()) {
            return null;
        }
        Mat copy = view.clone();
        if (copy.depth() != CV_8U || copy.channels() != 3) {
            copy.close();
            throw new SourceException("The video " + file + " decoded to an unexpected pixel layout ("
                    + view.channels() + " channels)");
        }
        position++;
        return copy;
    }

    private void checkNotTruncated() {
        if (containerFrames > 0) {
            long missing = containerFrames - position;
            if (missing > 2 && missing > containerFrames * 0.02) {
                throw new SourceException("The video " + file + " stopped after frame " + position + " of "
                        + containerFrames + " announced: the file is truncated or corrupt");
            }
        }
    }

    /**
     * Jumps so that the next {@link #grab()} returns frame {@code frameIndex} (0-based). FFmpeg decodes
     * forward from the previous key frame, so the position is exact but far jumps cost some time.
     *
     * @throws IllegalArgumentException when the index is negative or past the announced end
     */
    @Override
    public void seek(long frameIndex) {
        ensureOpen();
        if (frameIndex < 0 || (containerFrames > 0 && frameIndex >= containerFrames)) {
            throw new IllegalArgumentException("Frame " + frameIndex + " is outside " + file.getFileName()
                    + (containerFrames > 0 ? " (0.." + (containerFrames - 1) + ")" : ""));
        }
        try {
            grabber.setVideoFrameNumber((int) frameIndex);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new SourceException("Cannot seek to frame " + frameIndex + " in " + file + ": " + e.getMessage(), e);
        }
        position = frameIndex;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The video source " + file.getFileName() + " is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release(grabber);
            converter.close();
        }
    }

    private static void release(FFmpegFrameGrabber g) {
        try {
            g.stop();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // best effort: release below frees what stop could not
        }
        try {
            g.release();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // already released
        }
    }
}
