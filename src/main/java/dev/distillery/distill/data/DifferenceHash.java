package dev.distillery.distill.data;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A 64-bit perceptual "difference hash": the image is reduced to 9×8 grey pixels and each bit says whether a
 * pixel is brighter than its right-hand neighbour. Near-identical images (re-encoded, slightly noisy) have
 * hashes a few bits apart; different scenes differ in about half the bits.
 */
final class DifferenceHash {
    private DifferenceHash() {
    }

    /** The hash of an 8-bit BGR or grey image. */
    static long of(Mat image) {
        try (Mat grey = new Mat(); Mat small = new Mat(); Size size = new Size(9, 8)) {
            if (image.channels() == 1) {
                image.copyTo(grey);
            } else {
                opencv_imgproc.cvtColor(image, grey, COLOR_BGR2GRAY);
            }
            opencv_imgproc.resize(grey, small, size, 0, 0, INTER_AREA);
            long hash = 0;
            try (UByteIndexer px = small.createIndexer()) {
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        hash = hash << 1 | (px.get(y, x) > px.get(y, x + 1) ? 1 : 0);
                    }
                }
            }
            return hash;
        }
    }

    /** Number of differing bits (0..64). */
    static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }
}
