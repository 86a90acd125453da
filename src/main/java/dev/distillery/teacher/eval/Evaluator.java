package dev.distillery.teacher.eval;

import dev.distillery.teacher.run.TeacherRunner;
import dev.distillery.model.Prediction;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TeacherException;
import dev.distillery.vision.Images;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Top-1 / top-5 accuracy of a classification teacher on a folder of images whose class the folder
 * or file names give (see {@link LabelSet#truthFor}). Unreadable images are skipped and counted,
 * never fatal; images without a known class are run but not scored.
 */
public final class Evaluator {
    /** Progress: images done of total. */
    public interface Listener {
        void progress(int done, int total);
    }

    /**
     * @param images      image files found
     * @param scored      images with a known class that were scored
     * @param unreadable  images that could not be decoded (skipped)
     * @param top1        fraction of scored images whose class was the model's first answer
     * @param top5        fraction whose class was among the first five
     * @param seconds     wall time
     * @param examples    up to ten unreadable file names, for the report
     */
    public record Result(int images, int scored, int unreadable, double top1, double top5, double seconds,
                         List<String> examples) {
        public String summary() {
            return String.format(Locale.ROOT, "top-1 %.3f, top-5 %.3f on %d images (%d unreadable skipped)",
                    top1, top5, scored, unreadable);
        }
    }

    static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff");

    public Result evaluate(TeacherRunner runner, Path folder, LabelSet labels, int batch, Listener listener,
                           BooleanSupplier cancelled) {
        if (runner.profile().task().kind() != TaskKind.CLASSIFICATION) {
            throw new TeacherException("Top-1/top-5 evaluation needs a classification teacher; this one is set to "
                    + runner.profile().task().kind().title() + ".");
        }
        List<Path> files = imagesIn(folder);
        if (files.isEmpty()) {
            throw new TeacherException("No images (" + String.join(", ", EXTENSIONS) + ") found in " + folder + ".");
        }
        long t0 = System.nanoTime();
        int scored = 0;
        int hit1 = 0;
        int hit5 = 0;
        int unreadable = 0;
        List<String> examples = new ArrayList<>();
        int step = Math.max(1, batch);
        for (int i = 0; i < files.size(); i += step) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException("Evaluation cancelled");
            }
            List<Path> chunk = files.subList(i, Math.min(files.size(), i + step));
            List<Mat> mats = new ArrayList<>();
            List<Path> readable = new ArrayList<>();
            for (Path f : chunk) {
                try {
                    mats.add(Images.read(f));
                    readable.add(f);
                } catch (TeacherException e) {
                    unreadable++;
                    if (examples.size() < 10) {
                        examples.add(f.getFileName().toString());
                    }
                }
            }
            try {
                if (!mats.isEmpty()) {
                    List<Prediction> preds = runner.predictBatch(mats);
                    for (int k = 0; k < preds.size(); k++) {
                        Optional<Integer> truth = labels.truthFor(readable.get(k));
                        if (truth.isEmpty() || !(preds.get(k) instanceof Prediction.Classification c)) {
                            continue;
                        }
                        scored++;
                        List<Prediction.Scored> top = c.top();
                        if (!top.isEmpty() && top.get(0).classIndex() == truth.get()) {
                            hit1++;
                        }
                        if (top.stream().limit(5).anyMatch(s -> s.classIndex() == truth.get())) {
                            hit5++;
                        }
                    }
                }
            } finally {
                mats.forEach(Mat::close);
            }
            if (listener != null) {
                listener.progress(Math.min(files.size(), i + step), files.size());
            }
        }
        if (scored == 0) {
            throw new TeacherException("None of the " + files.size() + " images has a known class. Name each image's "
                    + "folder after its class, or start file names with the class id (as in n01440764_tench.JPEG), "
                    + "and give the matching labels file.");
        }
        return new Result(files.size(), scored, unreadable, hit1 / (double) scored, hit5 / (double) scored,
                (System.nanoTime() - t0) / 1e9, examples);
    }

    static List<Path> imagesIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new TeacherException("The image folder " + folder + " does not exist or is not a folder.");
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> EXTENSIONS.stream().anyMatch(x -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(x)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new TeacherException("Cannot list the images in " + folder + ": " + e.getMessage());
        }
    }
}
