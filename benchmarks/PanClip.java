import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A camera clip made from still photos, for the detection benchmark when no real clip is at hand: a slow pan and
 * zoom (the window shrinks from 75 % to 60 % of the photo's width while it crosses it) over every photo of a folder,
 * 640×480 at 10 fps, FRAMES frames per photo. The first 70 % of each pan go to OUT/train.mp4 (and OUT/trainframes/),
 * the rest to OUT/test/ as JPEGs: held-out frames of the same scenes, further along and closer in.
 *
 * <pre>java -cp "target/distillery-0.1.0-SNAPSHOT.jar:target/lib/*" benchmarks/PanClip.java PHOTOS OUT 60</pre>
 */
public class PanClip {
    public static void main(String[] a) throws Exception {
        Path src = Path.of(a[0]);
        Path out = Path.of(a[1]);
        int frames = Integer.parseInt(a[2]);
        Files.createDirectories(out.resolve("test"));
        Files.createDirectories(out.resolve("trainframes"));
        int width = 640;
        int height = 480;
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.resolve("train.mp4").toFile(), width, height, 0);
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            rec.setVideoCodec(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4);
            rec.setFormat("mp4");
            rec.setFrameRate(10);
            rec.setVideoQuality(2);
            rec.start();
            try (var files = Files.list(src)) {
                for (Path f : files.sorted().toList()) {
                    Mat img = imread(f.toString());
                    int iw = img.cols();
                    int ih = img.rows();
                    for (int i = 0; i < frames; i++) {
                        double t = (double) i / (frames - 1);
                        double zoom = 0.75 - 0.15 * t;
                        int cw = (int) (iw * zoom);
                        int ch = (int) Math.min(ih, cw * 0.75);
                        cw = (int) Math.min(cw, ch / 0.75);
                        int x = (int) ((iw - cw) * t);
                        int y = Math.max(0, Math.min(ih - ch, (int) ((ih - ch) * (0.5 + 0.5 * Math.sin(3 * t)))));
                        Mat frame = new Mat();
                        resize(new Mat(img, new Rect(x, y, cw, ch)), frame, new Size(width, height), 0, 0, INTER_AREA);
                        String name = f.getFileName().toString().replaceFirst("\\.[^.]+$", "")
                                + String.format("_%03d.jpg", i);
                        if (i < Math.round(0.7 * frames)) {
                            rec.record(conv.convert(frame));
                            imwrite(out.resolve("trainframes").resolve(name).toString(), frame);
                        } else {
                            imwrite(out.resolve("test").resolve(name).toString(), frame);
                        }
                    }
                }
            }
            rec.stop();
        }
    }
}
