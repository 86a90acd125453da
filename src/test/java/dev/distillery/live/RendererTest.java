package dev.distillery.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.distillery.model.Prediction;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class RendererTest {
    static final Scalar GREY = new Scalar(100, 100, 100, 0);

    /** Pixels of a region that differ from the plain grey frame. */
    static int changed(Mat image, Rect region) {
        try (Mat grey = new Mat(image.rows(), image.cols(), CV_8UC3, GREY);
             Mat diff = new Mat();
             Mat roi = image.apply(region);
             Mat greyRoi = grey.apply(region);
             Mat gray = new Mat()) {
            opencv_core.absdiff(roi, greyRoi, diff);
            org.bytedeco.opencv.global.opencv_imgproc.cvtColor(diff, gray,
                    org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY);
            return opencv_core.countNonZero(gray);
        }
    }

    @Test
    void detectionBoxesAreDrawnWhereTheBoxIsAndNowhereElse() {
        try (Renderer r = new Renderer(); Mat frame = new Mat(240, 320, CV_8UC3, GREY)) {
            Prediction p = new Prediction.Detections(List.of(
                    new Prediction.Box(100, 120, 200, 200, 0, "person", 0.87f)));
            Mat out = r.render(frame, p);
            assertThat(changed(out, new Rect(99, 150, 4, 20))).as("left edge").isPositive();
            assertThat(changed(out, new Rect(120, 140, 60, 40))).as("inside the box").isZero();
            assertThat(changed(out, new Rect(250, 10, 60, 60))).as("far away").isZero();
            assertThat(changed(frame, new Rect(0, 0, 320, 240))).as("source untouched").isZero();
        }
    }

    @Test
    void classificationDrawsBarsTopLeftAndDenseBlendsAHeatMap() {
        try (Renderer r = new Renderer(); Mat frame = new Mat(120, 300, CV_8UC3, GREY)) {
            Mat out = r.render(frame, new Prediction.Classification(List.of(
                    new Prediction.Scored(0, "red", 0.7f), new Prediction.Scored(1, "green", 0.2f))));
            assertThat(changed(out, new Rect(0, 0, 200, 40))).isPositive();
            assertThat(changed(out, new Rect(0, 80, 300, 40))).isZero();

            float[] v = new float[30 * 12];
            Mat dense = r.render(frame, new Prediction.DenseMap(30, 12, v));
            assertThat(dense.cols()).isEqualTo(300);
            assertThat(changed(dense, new Rect(0, 0, 300, 120))).as("blend everywhere").isEqualTo(300 * 120);
        }
    }

    @Test
    void argbPacksPixelsForAJavaFxWriter() {
        try (Renderer r = new Renderer(); Mat frame = new Mat(2, 3, CV_8UC3, new Scalar(10, 20, 30, 0))) {
            int[] argb = r.toArgb(frame);
            assertThat(argb).hasSize(6).containsOnly(0xFF1E140A);
            try (Mat back = Renderer.fromArgb(argb, 3, 2)) {
                assertThat(changed(back, new Rect(0, 0, 3, 2))).isPositive(); // not grey
                assertThat(back.ptr(1, 2).get(0)).isEqualTo((byte) 10);
            }
        }
    }
}
