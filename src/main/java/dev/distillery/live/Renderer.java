package dev.distillery.live;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgproc.COLORMAP_JET;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;

import dev.distillery.model.Prediction;
import java.nio.ByteOrder;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Draws a {@link Prediction} over a copy of a frame with OpenCV, off the FX thread: the top-k labels with
 * score bars for a classification, boxes with labels for detections, a JET heat-map blended at 50 % for a
 * dense map, and the vector size for an embedding. The source frame is never modified.
 *
 * <p><b>Thread-safety:</b> not thread-safe; it reuses scratch images between calls. Use one renderer per
 * worker thread and {@link #close()} it.
 */
public final class Renderer implements AutoCloseable {
    /** Classes listed for a classification. */
    public static final int TOP_K = 5;

    private final Mat canvas = new Mat();
    private final Mat bgra = new Mat();
    private final Mat heat = new Mat();
    private final Mat heatBig = new Mat();
    private final Mat heatColour = new Mat();
    private boolean closed;

    /**
     * Renders into an internal image and returns it: BGR, the frame's size, valid until the next call on this
     * renderer (clone it to keep it).
     */
    public Mat render(Mat bgr, Prediction prediction) {
        if (closed) {
            throw new IllegalStateException("Renderer is closed");
        }
        bgr.copyTo(canvas);
        if (prediction instanceof Prediction.Classification c) {
            drawClassification(c.top());
        } else if (prediction instanceof Prediction.Detections d) {
            drawDetections(d.boxes());
        } else if (prediction instanceof Prediction.DenseMap m) {
            drawDense(m);
        } else if (prediction instanceof Prediction.Embedding e) {
            label("embedding, " + e.vector().length + " values", 8, 20, new Scalar(255, 255, 255, 0));
        }
        return canvas;
    }

    /** Renders and packs the result as ARGB ints (see {@link LiveFrame}); a new array per call. */
    public int[] renderArgb(Mat bgr, Prediction prediction) {
        return toArgb(render(bgr, prediction));
    }

    /** Packs an 8-bit BGR image as 0xAARRGGBB ints with full alpha, in a new array. */
    public int[] toArgb(Mat image) {
        opencv_imgproc.cvtColor(image, bgra, COLOR_BGR2BGRA);
        int[] out = new int[image.cols() * image.rows()];
        // BGRA bytes read as a little-endian int are exactly 0xAARRGGBB.
        java.nio.ByteBuffer bytes = bgra.createBuffer();
        bytes.order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    /** Unpacks ARGB ints (as made by {@link #toArgb}) into a new BGR image owned by the caller. */
    public static Mat fromArgb(int[] argb, int width, int height) {
        Mat four = new Mat(height, width, CV_8UC4);
        try {
            java.nio.ByteBuffer bytes = four.createBuffer();
            bytes.order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(argb, 0, width * height);
            Mat bgr = new Mat();
            opencv_imgproc.cvtColor(four, bgr, opencv_imgproc.COLOR_BGRA2BGR);
            return bgr;
        } finally {
            four.close();
        }
    }

    private void drawClassification(List<Prediction.Scored> top) {
        int rows = Math.min(TOP_K, top.size());
        if (rows == 0) {
            return;
        }
        int rowHeight = 22;
        int width = Math.min(canvas.cols(), 260);
        int height = Math.min(canvas.rows(), rows * rowHeight + 8);
        try (Mat panel = canvas.apply(new Rect(0, 0, width, height))) {
            // Darken the panel so the text reads on any frame.
            panel.convertTo(panel, -1, 0.4, 0);
        }
        for (int i = 0; i < rows; i++) {
            Prediction.Scored s = top.get(i);
            int y = 4 + i * rowHeight;
            int bar = Math.round(Math.max(0f, Math.min(1f, s.score())) * (width - 8));
            Scalar colour = i == 0 ? new Scalar(80, 200, 80, 0) : new Scalar(200, 140, 60, 0);
            if (bar > 0) {
                opencv_imgproc.rectangle(canvas, new Point(4, y + 2), new Point(4 + bar, y + rowHeight - 3), colour,
                        -1, LINE_AA, 0);
            }
            label(String.format("%s %.0f%%", s.label(), s.score() * 100), 8, y + rowHeight - 7,
                    new Scalar(255, 255, 255, 0));
        }
    }

    private void drawDetections(List<Prediction.Box> boxes) {
        for (Prediction.Box b : boxes) {
            Scalar colour = classColour(b.classIndex());
            Point p1 = new Point(Math.round(b.x1()), Math.round(b.y1()));
            Point p2 = new Point(Math.round(b.x2()), Math.round(b.y2()));
            opencv_imgproc.rectangle(canvas, p1, p2, colour, 2, LINE_AA, 0);
            String text = String.format("%s %.0f%%", b.label(), b.score() * 100);
            int[] baseline = new int[1];
            Size size = opencv_imgproc.getTextSize(text, FONT_HERSHEY_SIMPLEX, 0.5, 1, baseline);
            int top = Math.max(0, p1.y() - size.height() - 6);
            opencv_imgproc.rectangle(canvas, new Point(p1.x(), top), new Point(p1.x() + size.width() + 6,
                    top + size.height() + 6), colour, -1, LINE_AA, 0);
            opencv_imgproc.putText(canvas, text, new Point(p1.x() + 3, top + size.height() + 2), FONT_HERSHEY_SIMPLEX,
                    0.5, new Scalar(0, 0, 0, 0), 1, LINE_AA, false);
        }
    }

    private void drawDense(Prediction.DenseMap m) {
        try (FloatPointer values = new FloatPointer(m.values());
             Mat map = new Mat(m.height(), m.width(), opencv_core.CV_32F, values)) {
            map.convertTo(heat, CV_8U, 255, 0);
        }
        Mat scaled = heat;
        if (heat.cols() != canvas.cols() || heat.rows() != canvas.rows()) {
            opencv_imgproc.resize(heat, heatBig, new Size(canvas.cols(), canvas.rows()), 0, 0, INTER_LINEAR);
            scaled = heatBig;
        }
        opencv_imgproc.applyColorMap(scaled, heatColour, COLORMAP_JET);
        opencv_core.addWeighted(canvas, 0.5, heatColour, 0.5, 0, canvas);
    }

    private void label(String text, int x, int y, Scalar colour) {
        opencv_imgproc.putText(canvas, text, new Point(x, y), FONT_HERSHEY_SIMPLEX, 0.5, colour, 1, LINE_AA, false);
    }

    private static final int[][] PALETTE = {
        {56, 56, 255}, {151, 157, 255}, {31, 112, 255}, {29, 178, 255}, {49, 210, 207}, {10, 249, 72},
        {23, 204, 146}, {134, 219, 61}, {211, 188, 0}, {255, 148, 0}, {255, 55, 82}, {199, 55, 255}};

    /** A stable, distinct BGR colour per class. */
    static Scalar classColour(int classIndex) {
        int[] bgr = PALETTE[Math.floorMod(classIndex, PALETTE.length)];
        return new Scalar(bgr[0], bgr[1], bgr[2], 0);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            canvas.close();
            bgra.close();
            heat.close();
            heatBig.close();
            heatColour.close();
        }
    }
}
