package dev.distillery.distill.target;

import dev.distillery.metrics.BoxMatching;
import java.util.List;

/**
 * How a detector student sees boxes: a grid of cells {@code stride} input pixels wide. Per cell the student gives
 * one logit per class (the class's "centre here" heat) and four log-distances, in strides, from the cell's centre to
 * the box's left, top, right and bottom edges.
 *
 * <p>Training target ({@link #rasterize}), per image: {@code classes} heat maps (a Gaussian bump per box, 1 at the
 * cell holding the box's centre, spread over about a sixth of the box per axis), four log-distance maps and a
 * regression weight map (the bump's height where it is at least 0.3 and the cell's centre lies inside the box, the
 * smaller box winning a shared cell). Decoding ({@link #decode}) turns the student's raw maps into YOLOv8's column
 * layout, [4 + classes, cells] (centre x, centre y, width, height in input pixels, then class probabilities), the
 * layout the app's {@link dev.distillery.teacher.run.DetectionDecoder} reads, with NMS in the app. The exported
 * ONNX graph does the same arithmetic ({@link dev.distillery.distill.OnnxExporter}).
 */
public record BoxGrid(int classes, int gridWidth, int gridHeight, int stride) {
    /** Input pixels per cell of every detector student. */
    public static final int STRIDE = 8;
    /** Cells whose bump is at least this high train the box regression. */
    static final float REGRESSION_FLOOR = 0.3f;

    public BoxGrid {
        if (classes < 1 || gridWidth < 1 || gridHeight < 1 || stride < 1) {
            throw new IllegalArgumentException("bad grid " + classes + " " + gridWidth + "×" + gridHeight);
        }
    }

    public int cells() {
        return gridWidth * gridHeight;
    }

    /** Values of one training target: classes + 4 + 1 maps. */
    public int targetSize() {
        return (classes + 5) * cells();
    }

    /**
     * The training target for boxes in input pixels ({@code classIndex} the student class); boxes are clipped to the
     * input and those smaller than 2 pixels dropped.
     */
    public float[] rasterize(List<BoxMatching.Box> boxes) {
        int n = cells();
        float[] t = new float[targetSize()];
        float[] owner = new float[n]; // area of the box that owns a cell's regression, 0 for none
        float w = gridWidth * (float) stride;
        float h = gridHeight * (float) stride;
        for (BoxMatching.Box b : boxes) {
            if (b.classIndex() < 0 || b.classIndex() >= classes) {
                continue;
            }
            float x1 = Math.max(0, b.x1());
            float y1 = Math.max(0, b.y1());
            float x2 = Math.min(w, b.x2());
            float y2 = Math.min(h, b.y2());
            if (x2 - x1 < 2 || y2 - y1 < 2) {
                continue;
            }
            double cx = (x1 + x2) / 2 / stride;
            double cy = (y1 + y2) / 2 / stride;
            int ix = Math.min(gridWidth - 1, (int) cx);
            int iy = Math.min(gridHeight - 1, (int) cy);
            double sx = Math.max(0.5, (x2 - x1) / stride / 6.0);
            double sy = Math.max(0.5, (y2 - y1) / stride / 6.0);
            int rx = (int) Math.ceil(3 * sx);
            int ry = (int) Math.ceil(3 * sy);
            float area = (x2 - x1) * (y2 - y1);
            int heat = b.classIndex() * n;
            for (int gy = Math.max(0, iy - ry); gy <= Math.min(gridHeight - 1, iy + ry); gy++) {
                for (int gx = Math.max(0, ix - rx); gx <= Math.min(gridWidth - 1, ix + rx); gx++) {
                    double dx = gx - ix;
                    double dy = gy - iy;
                    float g = (float) Math.exp(-(dx * dx / (2 * sx * sx) + dy * dy / (2 * sy * sy)));
                    int k = gy * gridWidth + gx;
                    t[heat + k] = Math.max(t[heat + k], g);
                    float ccx = (gx + 0.5f) * stride;
                    float ccy = (gy + 0.5f) * stride;
                    boolean inside = ccx > x1 && ccx < x2 && ccy > y1 && ccy < y2;
                    if (g >= REGRESSION_FLOOR && inside && (owner[k] == 0 || area < owner[k])) {
                        owner[k] = area;
                        int reg = classes * n;
                        t[reg + k] = logDistance(ccx - x1);
                        t[reg + n + k] = logDistance(ccy - y1);
                        t[reg + 2 * n + k] = logDistance(x2 - ccx);
                        t[reg + 3 * n + k] = logDistance(y2 - ccy);
                        t[(classes + 4) * n + k] = g;
                    }
                }
            }
        }
        return t;
    }

    private float logDistance(float pixels) {
        return (float) Math.log(Math.max(pixels, 0.5f) / stride);
    }

    /**
     * The student's raw maps of one image ([classes + 4, H, W], as trained) → the column layout
     * [4 + classes, cells]: cx, cy, w, h in input pixels, then sigmoid class scores.
     */
    public float[] decode(float[] raw, int offset) {
        int n = cells();
        float[] out = new float[(4 + classes) * n];
        int reg = offset + classes * n;
        for (int k = 0; k < n; k++) {
            float ccx = (k % gridWidth + 0.5f) * stride;
            float ccy = (k / gridWidth + 0.5f) * stride;
            float l = (float) Math.exp(raw[reg + k]) * stride;
            float tp = (float) Math.exp(raw[reg + n + k]) * stride;
            float r = (float) Math.exp(raw[reg + 2 * n + k]) * stride;
            float b = (float) Math.exp(raw[reg + 3 * n + k]) * stride;
            out[k] = ccx + (r - l) / 2;
            out[n + k] = ccy + (b - tp) / 2;
            out[2 * n + k] = l + r;
            out[3 * n + k] = tp + b;
        }
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < n; k++) {
                out[(4 + c) * n + k] = (float) (1 / (1 + Math.exp(-raw[offset + c * n + k])));
            }
        }
        return out;
    }

    /**
     * The 4×4 matrix (row-major) that turns the distances (l, t, r, b), already in pixels, into (cx − cell centre x,
     * cy − cell centre y, w, h): what the exported graph multiplies by.
     */
    public static float[] distancesToBox() {
        return new float[] {
            -0.5f, 0, 0.5f, 0,
            0, -0.5f, 0, 0.5f,
            1, 0, 1, 0,
            0, 1, 0, 1};
    }

    /** Cell centres as [4, cells]: x, y, then zeros (the offset the graph adds after the matrix). */
    public float[] centres() {
        int n = cells();
        float[] g = new float[4 * n];
        for (int k = 0; k < n; k++) {
            g[k] = (k % gridWidth + 0.5f) * stride;
            g[n + k] = (k / gridWidth + 0.5f) * stride;
        }
        return g;
    }
}
