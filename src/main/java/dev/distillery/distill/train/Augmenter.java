package dev.distillery.distill.train;

import java.util.SplittableRandom;

/**
 * Seeded, label-preserving augmentation of 8-bit images: a small random zoom and shift (edges repeated), an
 * optional horizontal flip, brightness, contrast and per-channel colour gain. The same draw can be applied to
 * a dense target map (geometry only) so map and image stay aligned.
 *
 * <p>A draw depends only on (seed, epoch, sample), so a run is repeatable and a resumed run sees the same
 * views it would have seen.
 */
public final class Augmenter {
    /** One random view. */
    public record Draw(boolean flip, double scale, double shiftX, double shiftY, double brightness, double contrast,
                       double[] gain) {
        public boolean geometric() {
            return flip || scale != 1 || shiftX != 0 || shiftY != 0;
        }
    }

    public static final Draw IDENTITY = new Draw(false, 1, 0, 0, 0, 1, new double[] {1, 1, 1});

    private final long seed;
    private final boolean flips;
    private final double zoom;
    private final double shift;

    /**
     * @param flips allow horizontal flips (not for tasks where left/right matters to the teacher in cached mode)
     * @param zoom  maximum relative zoom, e.g. 0.1 for 0.9–1.1
     * @param shift maximum shift as a fraction of the size, e.g. 0.06
     */
    public Augmenter(long seed, boolean flips, double zoom, double shift) {
        this.seed = seed;
        this.flips = flips;
        this.zoom = zoom;
        this.shift = shift;
    }

    public Draw draw(int epoch, int sample) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + sample);
        boolean flip = flips && r.nextBoolean();
        double scale = 1 + (r.nextDouble() * 2 - 1) * zoom;
        double sx = (r.nextDouble() * 2 - 1) * shift;
        double sy = (r.nextDouble() * 2 - 1) * shift;
        double brightness = (r.nextDouble() * 2 - 1) * 25;
        double contrast = 0.75 + r.nextDouble() * 0.5;
        double[] gain = {0.9 + r.nextDouble() * 0.2, 0.9 + r.nextDouble() * 0.2, 0.9 + r.nextDouble() * 0.2};
        return new Draw(flip, scale, sx, sy, brightness, contrast, gain);
    }

    /** The image seen through {@code d}: geometry (bilinear) then photometric changes. */
    public static Image8 apply(Image8 src, Draw d) {
        Image8 g = d.geometric() ? warp(src, d) : src;
        int c = g.channels();
        byte[] out = new byte[g.data().length];
        byte[] in = g.data();
        double mean = 0;
        for (byte b : in) {
            mean += b & 0xff;
        }
        mean /= Math.max(1, in.length);
        for (int i = 0; i < in.length; i++) {
            double v = ((in[i] & 0xff) - mean) * d.contrast() + mean + d.brightness();
            v *= d.gain()[c == 1 ? 0 : i % c];
            out[i] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
        }
        return new Image8(g.width(), g.height(), c, out);
    }

    /** A map (one value per pixel, 0–255) seen through the geometry of {@code d}. */
    public static Image8 applyGeometry(Image8 map, Draw d) {
        return d.geometric() ? warp(map, d) : map;
    }

    /**
     * Boxes (continuous pixel coordinates of a {@code width}×{@code height} image) seen through the geometry of
     * {@code d}, as {@link #apply} moves the pixels; clipped to the image, and dropped when less than 40 % of a box
     * stays inside.
     */
    public static java.util.List<dev.distillery.metrics.BoxMatching.Box> applyToBoxes(
            java.util.List<dev.distillery.metrics.BoxMatching.Box> boxes, Draw d, int width, int height) {
        if (!d.geometric()) {
            return boxes;
        }
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        double tx = d.shiftX() * width;
        double ty = d.shiftY() * height;
        java.util.List<dev.distillery.metrics.BoxMatching.Box> out = new java.util.ArrayList<>();
        for (var b : boxes) {
            double l = d.flip() ? width - b.x2() : b.x1();
            double r = d.flip() ? width - b.x1() : b.x2();
            double x1 = (l - 0.5 - cx) * d.scale() + cx + tx + 0.5;
            double x2 = (r - 0.5 - cx) * d.scale() + cx + tx + 0.5;
            double y1 = (b.y1() - 0.5 - cy) * d.scale() + cy + ty + 0.5;
            double y2 = (b.y2() - 0.5 - cy) * d.scale() + cy + ty + 0.5;
            double full = (x2 - x1) * (y2 - y1);
            double cx1 = Math.max(0, x1);
            double cy1 = Math.max(0, y1);
            double cx2 = Math.min(width, x2);
            double cy2 = Math.min(height, y2);
            if (cx2 <= cx1 || cy2 <= cy1 || (cx2 - cx1) * (cy2 - cy1) < 0.4 * full) {
                continue;
            }
            out.add(new dev.distillery.metrics.BoxMatching.Box((float) cx1, (float) cy1, (float) cx2, (float) cy2,
                    b.classIndex(), b.score()));
        }
        return out;
    }

    private static Image8 warp(Image8 src, Draw d) {
        int w = src.width();
        int h = src.height();
        int c = src.channels();
        byte[] in = src.data();
        byte[] out = new byte[in.length];
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double tx = d.shiftX() * w;
        double ty = d.shiftY() * h;
        for (int y = 0; y < h; y++) {
            double v = (y - cy - ty) / d.scale() + cy;
            v = Math.max(0, Math.min(h - 1, v));
            int y0 = (int) v;
            int y1 = Math.min(h - 1, y0 + 1);
            double fy = v - y0;
            for (int x = 0; x < w; x++) {
                double u = (x - cx - tx) / d.scale() + cx;
                if (d.flip()) {
                    u = w - 1 - u;
                }
                u = Math.max(0, Math.min(w - 1, u));
                int x0 = (int) u;
                int x1 = Math.min(w - 1, x0 + 1);
                double fx = u - x0;
                int o = (y * w + x) * c;
                int a = (y0 * w + x0) * c;
                int b = (y0 * w + x1) * c;
                int e = (y1 * w + x0) * c;
                int f = (y1 * w + x1) * c;
                for (int k = 0; k < c; k++) {
                    double top = (in[a + k] & 0xff) * (1 - fx) + (in[b + k] & 0xff) * fx;
                    double bottom = (in[e + k] & 0xff) * (1 - fx) + (in[f + k] & 0xff) * fx;
                    out[o + k] = (byte) (int) Math.round(top * (1 - fy) + bottom * fy);
                }
            }
        }
        return new Image8(w, h, c, out);
    }
}
