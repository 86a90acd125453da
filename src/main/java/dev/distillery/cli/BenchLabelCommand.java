package dev.distillery.cli;

import dev.distillery.distill.cache.LabellingBenchmark;
import dev.distillery.distill.cache.TeacherLabeller;
import dev.distillery.distill.data.SyntheticData;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TeacherProfile;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.library.Teacher;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code distillery bench label}: teacher-output labelling (batches through the disk cache) against a bare ONNX
 * Runtime loop on the same teacher, images, batch and threads.
 */
@Command(name = "label", description = {"Teacher-output labelling throughput against bare ONNX Runtime on the same",
    "model, images, batch and threads (goal: ≥ 0.9×). Default: the built-in PP-OCR teachers on generated data,",
    "plus any --model on --images."})
final class BenchLabelCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "M", description = "Also this teacher (id, name or .onnx)")
    List<String> models = new ArrayList<>();
    @Option(names = "--images", paramLabel = "DIR", description = "Images for --model")
    Path images;
    @Option(names = "--count", defaultValue = "256", description = "Generated images per built-in (default ${DEFAULT-VALUE})")
    int count;
    @Option(names = "--batch", defaultValue = "8")
    int batch;
    @Option(names = "--threads", defaultValue = "2")
    int threads;
    @Option(names = "--rounds", defaultValue = "3")
    int rounds;
    @Option(names = "--write", paramLabel = "FILE", description = "Also rewrite the labelling section of this Markdown file")
    Path write;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path scratch = Files.createTempDirectory("distillery-bench-label");
        List<String> rows = new ArrayList<>();
        try {
            TeacherCommand.withService(bench.root, threads, s -> {
                for (String id : List.of("ppocr-v4-det", "ppocr-mobile-v2-cls")) {
                    var entry = s.catalog().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
                    Teacher t = s.importCatalog(entry, null, null).teacher();
                    boolean det = id.contains("det");
                    Path dir = scratch.resolve(id);
                    SyntheticData.write(det ? SyntheticData.Kind.SCENES : SyntheticData.Kind.LINES, count, 7, 320, dir);
                    TeacherProfile p = t.profile();
                    if (det) {
                        // the size distillation labels at
                        p = new TeacherProfile(p.task(), p.preprocessing().withSize(320, 320), p.labels());
                    }
                    rows.add(row(s, t, p, dir, scratch, out));
                }
                for (String m : models) {
                    if (images == null) {
                        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--model needs --images");
                    }
                    Teacher t = TeacherCommand.resolve(s, m);
                    rows.add(row(s, t, t.profile(), images, scratch, out));
                }
                return 0;
            });
        } finally {
            dev.distillery.core.Folders.deleteTree(scratch);
        }
        if (write != null) {
            StringBuilder b = new StringBuilder();
            b.append("Measured ").append(LocalDate.now()).append(" by `distillery bench label`: ")
                    .append(Runtime.getRuntime().availableProcessors()).append(" cores, batch ").append(batch)
                    .append(", ").append(threads).append(" ONNX Runtime threads, best of ").append(rounds)
                    .append(" alternating rounds; every labelling round starts from an empty cache and ends with its "
                            + "records on disk (fsync). Goal ≥ 0.9×.\n\n")
                    .append("| teacher | input | images | bare ORT images/s | labeller images/s | ratio |\n")
                    .append("| --- | --- | ---: | ---: | ---: | ---: |\n");
            rows.forEach(r -> b.append(r).append('\n'));
            BenchCommand.writeSection(write, "label", "Teacher-output labelling", b.toString());
            out.println("wrote the labelling section of " + write);
        }
        return 0;
    }

    private String row(TeacherService s, Teacher t, TeacherProfile p, Path dir, Path scratch, PrintWriter out) {
        List<TeacherLabeller.Item> items = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                items.add(new TeacherLabeller.Item(f, dev.distillery.core.Sha256.hex(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LabellingBenchmark.Result r = LabellingBenchmark.measure(s.fileOf(t), t.sha256(), p, items, batch, threads,
                rounds, scratch.resolve("caches"));
        Preprocessing pre = p.preprocessing();
        String line = String.format(Locale.ROOT, "| %s | %d×%d | %d | %.1f | %.1f | %.2f× |", t.name(), pre.width(),
                pre.height(), r.images(), r.bareImagesPerSecond(), r.labellerImagesPerSecond(), r.ratio());
        out.println(line);
        out.flush();
        return line;
    }

}
