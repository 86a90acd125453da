package dev.distillery.vision;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import dev.distillery.model.Preprocessing;
import dev.distillery.model.TeacherException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Turns a BGR image into one model input exactly as {@link Preprocessing} describes: resize (stretch,
 * resize + centre crop, or letterbox), channel order, scale, per-channel mean/std, then NCHW planes or
 * NHWC interleaved values, as float or uint8.
 *
 * <p>All pixel work is done by OpenCV: {@code resize}, a ROI for the crop, {@code copyMakeBorder} for the
 * letterbox; for NCHW the image is {@code split} into planes and each plane is converted
 * ({@code convertTo} with α = scale/std, β = −mean/std) straight into its slot of the destination buffer; for
 * NHWC one {@code transform} with a 3×4 matrix reorders, scales and normalizes the channels in a single
 * pass. There is no per-pixel Java loop.
 *
 * <p>Shrinking uses {@code INTER_AREA}, enlarging {@code INTER_LINEAR}. Area averaging is close to the
 * antialiased resize (PIL/torchvision) most teachers were trained with: MobileNetV2 scores top-1 0.824 on the
 * 1000-image ImageNet sample with it, 0.810 with {@code INTER_LINEAR}. It costs ~1 ms instead of ~0.15 ms for
 * a 640×480 frame at 224×224 — negligible next to inference.
 *
 * <p><b>Thread-safety:</b> an instance is <em>not</em> thread-safe. It keeps scratch images between calls
 * so that a video pipeline allocates (almost) nothing per frame; confine it to one thread (one per worker)
 * and {@link #close()} it when done to free the native scratch memory.
 */
public final class Preprocessor implements AutoCloseable {
    /**
     * One prepared input: values in the model's layout ({@code floats} for float models, {@code bytes}
     * for uint8 models; the other is null) and the geometry applied.
     */
    public record Prepared(float[] floats, byte[] bytes, Transform transform) {
    }

    private final Mat color = new Mat();
    private final Mat resized = new Mat();
    private final Mat framed = new Mat();
    private final Mat asFloat = new Mat();
    private final MatVector planes = new MatVector();
    private ByteBuffer scratch;
    private boolean closed;

    /** Elements one image occupies in the model input: 3 × width × height. */
    public static int elementsPerImage(Preprocessing p) {
        return 3 * p.width() * p.height();
    }

    /** True when the model takes uint8 input, false for float. */
    public static boolean isUint8(Preprocessing p) {
        String t = p.elementType();
        if (t == null || t.isBlank() || t.equalsIgnoreCase("float") || t.equalsIgnoreCase("float32")) {
            return false;
        }
        if (t.equalsIgnoreCase("uint8")) {
            return true;
        }
        throw new IllegalArgumentException("Unsupported input element type '" + t + "': use float or uint8");
    }

    /** The geometry {@link #prepare} will apply to an image of the given size, without touching pixels. */
    public static Transform transformFor(int sourceWidth, int sourceHeight, Preprocessing p) {
        int w = p.width();
        int h = p.height();
        switch (p.resize()) {
            case STRETCH:
                return new Transform(sourceWidth, sourceHeight, w, h, (double) w / sourceWidth,
                        (double) h / sourceHeight, 0, 0);
            case RESIZE_CENTER_CROP: {
                double cf = p.cropFraction() > 0 && p.cropFraction() <= 1 ? p.cropFraction() : 1.0;
                double s = Math.max(w / cf / sourceWidth, h / cf / sourceHeight);
                int rw = Math.max(w, (int) Math.round(sourceWidth * s));
                int rh = Math.max(h, (int) Math.round(sourceHeight * s));
                int x0 = (int) Math.round((rw - w) / 2.0);
                int y0 = (int) Math.round((rh - h) / 2.0);
                return new Transform(sourceWidth, sourceHeight, w, h, (double) rw / sourceWidth,
                        (double) rh / sourceHeight, -x0, -y0);
            }
            case LETTERBOX_CENTER:
            case LETTERBOX_TOP_LEFT: {
                double r = Math.min((double) w / sourceWidth, (double) h / sourceHeight);
                int nw = Math.max(1, Math.min(w, (int) Math.round(sourceWidth * r)));
                int nh = Math.max(1, Math.min(h, (int) Math.round(sourceHeight * r)));
                int left = p.resize() == Preprocessing.ResizeMode.LETTERBOX_CENTER ? (w - nw) / 2 : 0;
                int top = p.resize() == Preprocessing.ResizeMode.LETTERBOX_CENTER ? (h - nh) / 2 : 0;
                return new Transform(sourceWidth, sourceHeight, w, h, (double) nw / sourceWidth,
                        (double) nh / sourceHeight, left, top);
            }
            default:
                throw new IllegalArgumentException("Unknown resize mode " + p.resize());
        }
    }

    /**
     * Prepares one image into new Java arrays. Convenient for tests and one-off use; a pipeline should
     * prefer {@link #prepareInto}, which writes into a caller-owned direct buffer without copying.
     *
     * @param bgr 8-bit BGR image (grayscale and BGRA are converted)
     * @param p   how to preprocess
     */
    public Prepared prepare(Mat bgr, Preprocessing p) {
        boolean uint8 = isUint8(p);
        int n = elementsPerImage(p);
        int bytes = uint8 ? n : n * Float.BYTES;
        if (scratch == null || scratch.capacity() < bytes) {
            scratch = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer buf = scratch.duplicate().order(ByteOrder.nativeOrder());
        buf.clear();
        if (uint8) {
            Transform t = prepareInto(bgr, p, buf);
            byte[] out = new byte[n];
            buf.get(out);
            return new Prepared(null, out, t);
        }
        FloatBuffer fb = buf.asFloatBuffer();
        Transform t = prepareInto(bgr, p, fb);
        float[] out = new float[n];
        fb.get(out);
        return new Prepared(out, null, t);
    }

    /**
     * Writes one image's model input into {@code dst}, starting at its position (which is left unchanged).
     * {@code dst} must be a direct {@link FloatBuffer} for float models or a direct {@link ByteBuffer} for
     * uint8 models, with at least {@link #elementsPerImage} elements remaining.
     *
     * @return the geometry applied, to map model coordinates back to the image
     */
    public Transform prepareInto(Mat bgr, Preprocessing p, Buffer dst) {
        if (closed) {
            throw new IllegalStateException("Preprocessor is closed");
        }
        if (bgr == null || bgr.isNull() || bgr.empty()) {
            throw new IllegalArgumentException("Empty image");
        }
        boolean uint8 = isUint8(p);
        if (!dst.isDirect()) {
            throw new IllegalArgumentException("The destination buffer must be direct");
        }
        if (uint8 ? !(dst instanceof ByteBuffer) : !(dst instanceof FloatBuffer)) {
            throw new IllegalArgumentException("A " + (uint8 ? "uint8" : "float") + " model needs a "
                    + (uint8 ? "ByteBuffer" : "FloatBuffer") + " destination");
        }
        int w = p.width();
        int h = p.height();
        int plane = w * h;
        if (dst.remaining() < 3 * plane) {
            throw new IllegalArgumentException("Destination has " + dst.remaining() + " elements left, needs "
                    + 3 * plane);
        }
        try (PointerScope scope = new PointerScope()) {
            Mat src = toBgr(bgr);
            Transform t = transformFor(src.cols(), src.rows(), p);
            Mat img = geometry(src, p, t);
            int depth = uint8 ? CV_8U : CV_32F;
            double[] alpha = new double[3];
            double[] beta = new double[3];
            int[] from = new int[3];
            for (int c = 0; c < 3; c++) {
                from[c] = p.channelOrder() == Preprocessing.ChannelOrder.RGB ? 2 - c : c;
                double std = p.std().get(c);
                if (std == 0 || !Double.isFinite(std)) {
                    throw new TeacherException("The preprocessing std of channel " + c + " is " + std
                            + ": it must be a non-zero number");
                }
                alpha[c] = p.scale() / std;
                beta[c] = -p.mean().get(c) / std;
            }
            if (p.layout() == Preprocessing.Layout.NCHW) {
                opencv_core.split(img, planes);
                for (int c = 0; c < 3; c++) {
                    Mat target = wrap(dst, c * plane, h, w, depth);
                    planes.get(from[c]).convertTo(target, depth, alpha[c], beta[c]);
                }
            } else {
                // One pass: out[c] = alpha[c] * in[from[c]] + beta[c].
                double[] m = new double[12];
                for (int c = 0; c < 3; c++) {
                    m[c * 4 + from[c]] = alpha[c];
                    m[c * 4 + 3] = beta[c];
                }
                Mat matrix = new Mat(3, 4, CV_64F, new DoublePointer(m));
                Mat target = wrap(dst, 0, h, w, uint8 ? CV_8UC3 : CV_32FC3);
                if (uint8) {
                    opencv_core.transform(img, target, matrix);
                } else {
                    img.convertTo(asFloat, CV_32F);
                    opencv_core.transform(asFloat, target, matrix);
                }
            }
            return t;
        }
    }

    private Mat toBgr(Mat image) {
        if (image.depth() != CV_8U) {
            throw new IllegalArgumentException("Expected an 8-bit image, got depth " + image.depth());
        }
        switch (image.channels()) {
            case 3:
                return image;
            case 1:
                opencv_imgproc.cvtColor(image, color, COLOR_GRAY2BGR);
                return color;
            case 4:
                opencv_imgproc.cvtColor(image, color, COLOR_BGRA2BGR);
                return color;
            default:
                throw new IllegalArgumentException("Unsupported image with " + image.channels() + " channels");
        }
    }

    /** Resizes, crops or letterboxes {@code src} to the model size; the result may be a view. */
    private Mat geometry(Mat src, Preprocessing p, Transform t) {
        int w = p.width();
        int h = p.height();
        switch (p.resize()) {
            case STRETCH:
                return resizeTo(src, w, h, t);
            case RESIZE_CENTER_CROP: {
                int rw = (int) Math.round(src.cols() * t.scaleX());
                int rh = (int) Math.round(src.rows() * t.scaleY());
                Mat big = resizeTo(src, rw, rh, t);
                return big.apply(new Rect((int) -t.offsetX(), (int) -t.offsetY(), w, h));
            }
            default: {
                int nw = (int) Math.round(src.cols() * t.scaleX());
                int nh = (int) Math.round(src.rows() * t.scaleY());
                Mat small = resizeTo(src, nw, nh, t);
                int left = (int) t.offsetX();
                int top = (int) t.offsetY();
                if (nw == w && nh == h) {
                    return small;
                }
                double v = p.padValue();
                opencv_core.copyMakeBorder(small, framed, top, h - nh - top, left, w - nw - left, BORDER_CONSTANT,
                        new Scalar(v, v, v, 0));
                return framed;
            }
        }
    }

    private Mat resizeTo(Mat src, int w, int h, Transform t) {
        if (src.cols() == w && src.rows() == h) {
            return src;
        }
        int interpolation = Math.max(t.scaleX(), t.scaleY()) < 1.0 ? INTER_AREA : INTER_LINEAR;
        opencv_imgproc.resize(src, resized, new Size(w, h), 0, 0, interpolation);
        return resized;
    }

    /** A Mat over {@code rows×cols} elements of {@code dst}, starting {@code offset} elements after its position. */
    private static Mat wrap(Buffer dst, int offset, int rows, int cols, int type) {
        Pointer data;
        if (dst instanceof FloatBuffer fb) {
            data = new FloatPointer(fb.duplicate().position(fb.position() + offset).slice());
        } else {
            ByteBuffer bb = (ByteBuffer) dst;
            data = new BytePointer(bb.duplicate().position(bb.position() + offset).slice());
        }
        return new Mat(rows, cols, type, data);
    }

    /** Frees the native scratch images. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            color.close();
            resized.close();
            framed.close();
            asFloat.close();
            planes.close();
        }
    }
}
