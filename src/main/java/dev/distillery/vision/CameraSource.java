package dev.distillery.vision;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Live frames from a webcam through FFmpeg (v4l2 on Linux, dshow on Windows, avfoundation on macOS).
 * {@link SourceInfo#live()} is true, the frame count is -1 and it cannot seek.
 *
 * <p>On Linux a missing {@code /dev/videoN} or a missing libpulse is reported before FFmpeg is touched, so
 * opening a camera on a machine without one fails within milliseconds. A camera unplugged while streaming
 * makes {@link #grab()} throw "The camera … stopped sending frames (unplugged?) …".
 */
public final class CameraSource implements FrameSource {
    private final CameraDevice device;
    private final FFmpegFrameGrabber grabber;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private final SourceInfo info;
    private boolean closed;

    /** Opens {@code device} with its default size and frame rate. */
    public CameraSource(CameraDevice device) {
        this(device, 0, 0, 0);
    }

    /**
     * Opens {@code device}, asking for a frame size and rate (0 = the camera's default). The camera may pick
     * the nearest mode it supports; {@link #info()} tells what it delivers.
     *
     * @throws SourceException with the reason and the fix when the camera cannot be opened
     */
    public CameraSource(CameraDevice device, int width, int height, double fps) {
        this.device = device;
        if ("v4l2".equals(device.format())) {
            if (!Files.exists(Path.of(device.input()))) {
                converter.close();
                throw new SourceException("Cannot open " + device.label() + ": no camera at " + device.input()
                        + " (none is plugged in, or it has another number; see the camera list)");
            }
            if (!Cameras.libpulseInstalled()) {
                converter.close();
                throw new SourceException("Cannot open " + device.label() + ": " + Cameras.LIBPULSE_FIX);
            }
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(device.input());
        g.setFormat(device.format());
        // no setPixelFormat: for v4l2/dshow it would ask the camera itself for bgr24, which most cannot
        // deliver; FFmpegFrameGrabber converts the camera's format to BGR24 by default.
        if (width > 0 && height > 0) {
            g.setImageWidth(width);
            g.setImageHeight(height);
        }
        if (fps > 0) {
            g.setFrameRate(fps);
        }
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            stopQuietly(g);
            converter.close();
            throw new SourceException("Cannot open " + device.label() + ": "
                    + Cameras.explain(device, String.valueOf(e.getMessage())), e);
        } catch (LinkageError e) {
            converter.close();
            throw new SourceException("Cannot open " + device.label() + ": FFmpeg's camera support cannot be loaded"
                    + (Cameras.os() == Cameras.Os.LINUX ? " (" + Cameras.LIBPULSE_FIX + ")" : ": " + e.getMessage()),
                    e);
        }
        this.grabber = g;
        double rate = g.getFrameRate();
        this.info = new SourceInfo(device.label(), g.getImageWidth(), g.getImageHeight(),
                Double.isFinite(rate) && rate > 0 && rate < 1000 ? rate : 0, -1, true, false);
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    /** The camera this source reads. */
    public CameraDevice device() {
        return device;
    }

    @Override
    public Mat grab() {
        if (closed) {
            throw new IllegalStateException(device.label() + " is closed");
        }
        Frame f;
        try {
            f = grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw unplugged(e.getMessage(), e);
        }
        if (f == null || f.image == null) {
            throw unplugged("no frame", null);
        }
        Mat view = converter.convert(f);
        if (view == null || view.empty()) {
            throw unplugged("empty frame", null);
        }
        return view.clone();
    }

    private SourceException unplugged(String detail, Throwable cause) {
        return new SourceException("The camera " + device.label() + " stopped sending frames (unplugged?): "
                + detail + ". Plug it back in and start the source again.", cause);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            stopQuietly(grabber);
            converter.close();
        }
    }

    private static void stopQuietly(FFmpegFrameGrabber g) {
        try {
            g.stop();
            g.release();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // closing a broken device
        }
    }
}
