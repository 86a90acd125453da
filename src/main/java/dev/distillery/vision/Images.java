package dev.distillery.vision;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;

import dev.distillery.model.TeacherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/** Reading images from disk into OpenCV, with messages a user can act on. */
public final class Images {
    private Images() {
    }

    /**
     * Reads an image file as an 8-bit, 3-channel BGR {@link Mat} (grayscale and alpha images are converted,
     * 16-bit images reduced to 8 bits). The bytes are read by Java and decoded with {@code imdecode}, so
     * paths with non-ASCII characters work on every OS. The caller owns (and should close) the result.
     *
     * @throws TeacherException "Cannot read image &lt;file&gt;: …" when the file is missing, empty, corrupt or in
     *                          a format OpenCV does not decode
     */
    public static Mat read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TeacherException("Cannot read image " + file + ": the file does not exist", e);
        } catch (IOException e) {
            throw new TeacherException("Cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new TeacherException("Cannot read image " + file + ": the file is empty");
        }
        Mat image;
        try (BytePointer data = new BytePointer(bytes); Mat encoded = new Mat(1, bytes.length, CV_8UC1, data)) {
            image = opencv_imgcodecs.imdecode(encoded, IMREAD_COLOR);
        } catch (RuntimeException e) {
            throw new TeacherException("Cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (image == null || image.isNull() || image.empty()) {
            if (image != null) {
                image.close();
            }
            throw new TeacherException("Cannot read image " + file
                    + ": not an image OpenCV can decode (corrupt, truncated or unsupported format)");
        }
        return image;
    }
}
