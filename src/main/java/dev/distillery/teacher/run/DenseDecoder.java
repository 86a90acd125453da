package dev.distillery.teacher.run;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TOZERO;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TRUNC;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;

import dev.distillery.model.Prediction;
import dev.distillery.model.TeacherException;
import dev.distillery.vision.Transform;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A dense output [K, h, w] of one image → channel 0 as a probability map at the original image's size.
 * Sigmoid is applied unless the output already holds probabilities; letterbox padding and centre crops are
 * undone with one OpenCV affine warp (bilinear; outside a crop the nearest edge value is repeated).
 * A pure function, thread-safe.
 */
public final class DenseDecoder {
    private DenseDecoder() {
    }

    /**
     * @param out                 the output values of one image, [K, h, w] row-major (channel 0 is used)
     * @param height              map height h
     * @param width               map width w
     * @param outputIsProbability false to apply a sigmoid
     * @param t                   how the image was preprocessed
     */
    public static Prediction.DenseMap decode(float[] out, int height, int width, boolean outputIsProbability,
                                             Transform t) {
        int plane = height * width;
        if (height <= 0 || width <= 0 || out.length < plane) {
            throw new TeacherException("Dense output has " + out.length + " values, expected at least " + height
                    + "×" + width);
        }
        int sw = t.sourceWidth();
        int sh = t.sourceHeight();
        float[] values = new float[sw * sh];
        try (PointerScope scope = new PointerScope()) {
            FloatPointer in = new FloatPointer(plane);
            in.put(out, 0, plane);
            Mat map = new Mat(height, width, CV_32FC1, in);
            if (!outputIsProbability) {
                // sigmoid(x) = 1 / (1 + e^-x)
                map.convertTo(map, -1, -1, 0);
                opencv_core.exp(map, map);
                map.convertTo(map, -1, 1, 1);
                opencv_core.divide(1.0, map, map);
            }
            // Source pixel centre (i + 0.5) → model coordinate → map pixel index.
            double ax = t.scaleX() * width / t.inputWidth();
            double bx = t.offsetX() * width / t.inputWidth();
            double ay = t.scaleY() * height / t.inputHeight();
            double by = t.offsetY() * height / t.inputHeight();
            Mat m = new Mat(2, 3, CV_64F, new DoublePointer(ax, 0, 0.5 * ax + bx - 0.5, 0, ay, 0.5 * ay + by - 0.5));
            FloatPointer result = new FloatPointer((long) sw * sh);
            Mat dst = new Mat(sh, sw, CV_32FC1, result);
            opencv_imgproc.warpAffine(map, dst, m, new Size(sw, sh), INTER_LINEAR | WARP_INVERSE_MAP,
                    BORDER_REPLICATE, new Scalar(0.0));
            opencv_imgproc.threshold(dst, dst, 1, 1, THRESH_TRUNC);
            opencv_imgproc.threshold(dst, dst, 0, 0, THRESH_TOZERO);
            result.get(values);
        }
        return new Prediction.DenseMap(sw, sh, values);
    }
}
