package dev.distillery.distill.train;

import java.nio.ByteBuffer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/** An 8-bit image in plain Java memory: {@code channels} interleaved values per pixel, row by row. */
public record Image8(int width, int height, int channels, byte[] data) {
    public Image8 {
        if (data.length != width * height * channels) {
            throw new IllegalArgumentException("expected " + width * height * channels + " bytes, got " + data.length);
        }
    }

    public static Image8 of(Mat mat) {
        Mat m = mat.isContinuous() ? mat : mat.clone();
        try {
            int c = m.channels();
            byte[] b = new byte[m.cols() * m.rows() * c];
            ByteBuffer buf = m.createBuffer();
            buf.get(b);
            return new Image8(m.cols(), m.rows(), c, b);
        } finally {
            if (m != mat) {
                m.close();
            }
        }
    }

    /** A BGR (or gray) OpenCV copy; the caller closes it. */
    public Mat toMat() {
        Mat m = new Mat(height, width, opencv_core.CV_8UC(channels));
        ByteBuffer buf = m.createBuffer();
        buf.put(data);
        return m;
    }

    public int at(int x, int y, int c) {
        return data[(y * width + x) * channels + c] & 0xff;
    }
}
