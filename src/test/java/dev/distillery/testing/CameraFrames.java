package dev.distillery.testing;

import dev.distillery.vision.Images;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Camera-like frames of real photos, for judging a specialist on frames rather than on clean photos: a hand-held
 * camera moves over each photo in short shots (slow pan and zoom, shake, exposure drift, sensor noise, soft focus,
 * JPEG at webcam quality). Every photo is filmed twice: once in the early part of the recording and once in the
 * late part, with a different path, so a student trained on the early frames is judged on later frames of the same
 * objects, as a user filming their own scene would. Frames go to a folder per class ({@code early/cat/f0003.jpg},
 * {@code late/cat/f0541.jpg}), which is what {@code distill} and {@code compare} read as ground truth.
 */
public final class CameraFrames {
    /** The two parts of the recording. */
    public record Split(Path early, Path late, int earlyFrames, int lateFrames) {
    }

    private CameraFrames() {
    }

    /**
     * @param photos      class name → its photos
     * @param earlyShot   frames per photo in the early part
     * @param lateShot    frames per photo in the late part
     */
    public static Split film(Map<String, List<Path>> photos, Path out, int width, int height, int earlyShot,
                             int lateShot, long seed) throws IOException {
        return film(photos, List.of(), out, width, height, earlyShot, lateShot, seed);
    }

    /**
     * As {@link #film(Map, Path, int, int, int, int, long)}, and when {@code backgrounds} is not empty each photo is
     * seen smaller (45–75 % of the frame) in front of a room made of another photo, as a pet on a sofa would be:
     * the teacher is less sure of such frames, which is where a specialist is hardest to train.
     */
    public static Split film(Map<String, List<Path>> photos, List<Path> backgrounds, Path out, int width,
                             int height, int earlyShot, int lateShot, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        List<String[]> shots = new ArrayList<>();
        photos.forEach((cls, files) -> files.forEach(f -> shots.add(new String[] {cls, f.toString()})));
        Path early = out.resolve("early");
        Path late = out.resolve("late");
        // each subject keeps its room in both parts: later frames are of the same scene
        Map<String, Path> roomOf = new java.util.HashMap<>();
        for (String[] shot : shots) {
            roomOf.put(shot[1], backgrounds.isEmpty() ? null : backgrounds.get(r.nextInt(backgrounds.size())));
        }
        int frame = 0;
        int[] counts = new int[2];
        for (int part = 0; part < 2; part++) {
            List<String[]> order = new ArrayList<>(shots);
            for (int i = order.size() - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                String[] t = order.get(i);
                order.set(i, order.get(j));
                order.set(j, t);
            }
            for (String[] shot : order) {
                try (Mat photo = Images.read(Path.of(shot[1]));
                     Mat room = roomOf.get(shot[1]) == null ? null : Images.read(roomOf.get(shot[1]))) {
                    int n = part == 0 ? earlyShot : lateShot;
                    Path folder = (part == 0 ? early : late).resolve(shot[0]);
                    Files.createDirectories(folder);
                    frame = shoot(photo, room, folder, frame, n, width, height, r);
                    counts[part] += n;
                }
            }
        }
        return new Split(early, late, counts[0], counts[1]);
    }

    private static int shoot(Mat photo, Mat room, Path folder, int frame, int n, int width, int height,
                             SplittableRandom r) {
        double aspect = (double) width / height;
        double k0 = 0.45 + r.nextDouble() * 0.3;
        double k1 = 0.45 + r.nextDouble() * 0.3;
        double px0 = r.nextDouble();
        double py0 = r.nextDouble();
        double px1 = r.nextDouble();
        double py1 = r.nextDouble();
        // the largest window of the frame's aspect inside the photo, then zoomed in at both ends of the shot
        double baseW = Math.min(photo.cols(), photo.rows() * aspect);
        double z0 = 1 + r.nextDouble() * 0.5;
        double z1 = 1 + r.nextDouble() * 0.5;
        double[] c0 = centre(photo, baseW / z0, baseW / z0 / aspect, r);
        double[] c1 = centre(photo, baseW / z1, baseW / z1 / aspect, r);
        double exposure0 = r.nextDouble() * 40 - 20;
        double exposure1 = r.nextDouble() * 40 - 20;
        double warm = 0.9 + r.nextDouble() * 0.2;
        boolean soft = r.nextInt(3) == 0;
        try (Mat out = new Mat(); Mat noise = new Mat(height, width, opencv_core.CV_16SC3)) {
            for (int i = 0; i < n; i++) {
                double t = n == 1 ? 0 : (double) i / (n - 1);
                double z = z0 + (z1 - z0) * t;
                double w = baseW / z;
                double h = w / aspect;
                double cx = c0[0] + (c1[0] - c0[0]) * t + r.nextGaussian() * w * 0.01;
                double cy = c0[1] + (c1[1] - c0[1]) * t + r.nextGaussian() * h * 0.01;
                cx = Math.max(w / 2, Math.min(photo.cols() - w / 2, cx));
                cy = Math.max(h / 2, Math.min(photo.rows() - h / 2, cy));
                double angle = r.nextGaussian() * 1.0;
                double s = width / w;
                try (Mat m = opencv_imgproc.getRotationMatrix2D(new Point2f((float) cx, (float) cy), angle, s)) {
                    // move the window's centre to the frame's centre
                    m.ptr(0, 2).putDouble(m.ptr(0, 2).getDouble() + width / 2.0 - cx);
                    m.ptr(1, 2).putDouble(m.ptr(1, 2).getDouble() + height / 2.0 - cy);
                    opencv_imgproc.warpAffine(photo, out, m, new Size(width, height), opencv_imgproc.INTER_LINEAR,
                            opencv_core.BORDER_REFLECT, new Scalar());
                }
                if (room != null) {
                    double k = k0 + (k1 - k0) * t;
                    int sw = (int) Math.round(width * k);
                    int sh = (int) Math.round(height * k);
                    int x = (int) Math.round((width - sw) * (px0 + (px1 - px0) * t));
                    int y = (int) Math.round((height - sh) * (py0 + (py1 - py0) * t));
                    try (Mat scene = new Mat(); Mat small = new Mat()) {
                        opencv_imgproc.resize(room, scene, new Size(width, height), 0, 0, opencv_imgproc.INTER_AREA);
                        opencv_imgproc.resize(out, small, new Size(sw, sh), 0, 0, opencv_imgproc.INTER_AREA);
                        try (Mat roi = scene.apply(new org.bytedeco.opencv.opencv_core.Rect(x, y, sw, sh))) {
                            small.copyTo(roi);
                        }
                        scene.copyTo(out);
                    }
                }
                if (soft) {
                    opencv_imgproc.GaussianBlur(out, out, new Size(3, 3), 0.8);
                }
                double exposure = exposure0 + (exposure1 - exposure0) * t;
                out.convertTo(out, -1, 1.0, exposure);
                try (Mat gain = new Mat(3, 3, opencv_core.CV_64F, Scalar.all(0))) {
                    gain.ptr(0, 0).putDouble(2 - warm);
                    gain.ptr(1, 1).putDouble(1);
                    gain.ptr(2, 2).putDouble(warm);
                    opencv_core.transform(out, out, gain);
                }
                try (Mat mean = new Mat(3, 1, opencv_core.CV_64F, Scalar.all(0));
                     Mat std = new Mat(3, 1, opencv_core.CV_64F, Scalar.all(6))) {
                    opencv_core.randn(noise, mean, std);
                }
                out.convertTo(out, opencv_core.CV_16SC3);
                opencv_core.add(out, noise, out);
                out.convertTo(out, opencv_core.CV_8UC3);
                Path file = folder.resolve(String.format(Locale.ROOT, "f%05d.jpg", frame++));
                try (IntPointer q = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 80)) {
                    opencv_imgcodecs.imwrite(file.toString(), out, q);
                }
            }
        }
        return frame;
    }

    private static double[] centre(Mat photo, double w, double h, SplittableRandom r) {
        double sx = Math.max(0, photo.cols() - w);
        double sy = Math.max(0, photo.rows() - h);
        return new double[] {w / 2 + sx * (0.2 + 0.6 * r.nextDouble()), h / 2 + sy * (0.2 + 0.6 * r.nextDouble())};
    }
}
