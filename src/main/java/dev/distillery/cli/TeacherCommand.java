package dev.distillery.cli;

import dev.distillery.boot.AppSession;
import dev.distillery.core.ComputeThreads;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.eval.Evaluator;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.teacher.run.ResultJson;
import dev.distillery.model.ModelInfo;
import dev.distillery.model.Prediction;
import dev.distillery.model.TeacherProfile;
import dev.distillery.model.TensorSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code distillery teacher …}: the Teachers screen from the command line. */
@Command(name = "teacher", description = "Import, inspect, run and evaluate teacher models.",
        subcommands = {TeacherCommand.Import.class, TeacherCommand.ListTeachers.class, TeacherCommand.Inspect.class,
            TeacherCommand.Run.class, TeacherCommand.Eval.class, TeacherCommand.CatalogList.class})
final class TeacherCommand {
    @ParentCommand
    DistilleryCommand root;

    /** What every {@code teacher} sub-command shares: its parent, its output, the service. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        TeacherCommand parent;
        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** Runs with the service on the data directory, flushes the output, exits 0. */
        Integer serve(Integer threads, java.util.function.Consumer<TeacherService> body) {
            return withService(parent.root, threads, s -> {
                body.accept(s);
                out().flush();
                return 0;
            });
        }
    }

    /** Opens the data directory, runs {@code body} with the teacher service, closes everything. */
    static <T> T withService(DistilleryCommand root, Integer threads, java.util.function.Function<TeacherService, T> body) {
        try (AppSession session = AppSession.open(root.dataDirectory(), true)) {
            int n = threads != null ? threads : ComputeThreads.resolve(session.settings().getInt(ComputeThreads.SETTING));
            TeacherService service = new TeacherService(session.dataDirectory(), session.database(), () -> n);
            return body.apply(service);
        }
    }

    /** A model given as a library id, a SHA-256 prefix, a name, or an .onnx file (imported on the fly). */
    static Teacher resolve(TeacherService s, String model) {
        Path p = Path.of(model);
        if (model.toLowerCase(Locale.ROOT).endsWith(".onnx") && Files.exists(p)) {
            return s.importFile(p, null, null).teacher();
        }
        List<Teacher> all = s.list();
        for (Teacher t : all) {
            if (Long.toString(t.id()).equals(model) || t.name().equalsIgnoreCase(model)
                    || (model.length() >= 8 && t.sha256().startsWith(model.toLowerCase(Locale.ROOT)))) {
                return t;
            }
        }
        throw new dev.distillery.model.TeacherException("No teacher \"" + model + "\" in the library ("
                + all.size() + " teachers; see 'distillery teacher list'), and no such .onnx file.");
    }

    @Command(name = "import", description = "Copy an .onnx file into the model library.")
    static final class Import extends Sub {
        @picocli.CommandLine.Parameters(paramLabel = "FILE", arity = "0..*", description = "ONNX model file(s)")
        List<Path> files = List.of();
        @Option(names = "--catalog", paramLabel = "ID", description = "Import a catalog entry (see 'teacher catalog')")
        List<String> catalogIds = List.of();
        @Option(names = "--labels", paramLabel = "FILE", description = "Attach this labels file (txt or tsv)")
        Path labels;

        @Override
        public Integer call() {
            PrintWriter out = out();
            if (files.isEmpty() && catalogIds.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Give an .onnx FILE or --catalog ID");
            }
            return serve(null, s -> {
                List<TeacherService.ImportOutcome> outcomes = new java.util.ArrayList<>();
                for (Path f : files) {
                    outcomes.add(s.importFile(f, null, null));
                }
                for (String id : catalogIds) {
                    var entry = s.catalog().stream().filter(e -> e.id().equals(id)).findFirst()
                            .orElseThrow(() -> new dev.distillery.model.TeacherException("No catalog entry \"" + id
                                    + "\"; see 'distillery teacher catalog'."));
                    outcomes.add(s.importCatalog(entry, null, null));
                }
                for (TeacherService.ImportOutcome o : outcomes) {
                    if (labels != null) {
                        o = new TeacherService.ImportOutcome(s.attachLabels(o.teacher(), labels), o.alreadyPresent());
                    }
                    out.printf("%s %s  #%d  %s  %s%n", o.alreadyPresent() ? "present " : "imported", o.teacher().name(),
                            o.teacher().id(), o.teacher().profile().task().kind().title(), o.teacher().sha256());
                }
            });
        }
    }

    @Command(name = "catalog", description = "List well-known teachers (built-in ones work offline).")
    static final class CatalogList extends Sub {

        @Override
        public Integer call() {
            PrintWriter out = out();
            return serve(null, s -> {
                for (var e : s.catalog()) {
                    out.printf(Locale.ROOT, "%-28s %-9s %-15s %9s  %s%n", e.id(), e.isBuiltin() ? "built-in" : "download",
                            e.task(), e.sizeBytes() == null ? "?" : String.format(Locale.ROOT, "%.1f MB", e.sizeBytes() / 1048576.0),
                            e.name());
                }
            });
        }
    }

    @Command(name = "list", description = "List the teachers in the library.")
    static final class ListTeachers extends Sub {

        @Override
        public Integer call() {
            PrintWriter out = out();
            return serve(null, s -> {
                List<Teacher> all = s.list();
                if (all.isEmpty()) {
                    out.println("No teachers yet. Import one with: distillery teacher import FILE.onnx");
                }
                for (Teacher t : all) {
                    out.printf(Locale.ROOT, "#%-4d %-40s %-15s %8.1f MB  %s%n", t.id(), t.name(),
                            t.profile().task().kind().title(), t.sizeBytes() / 1048576.0, t.sha256().substring(0, 12));
                }
            });
        }
    }

    @Command(name = "inspect", description = "Show a model's inputs, outputs, size, operators and inferred preprocessing.")
    static final class Inspect extends Sub {
        @Option(names = "--model", required = true, paramLabel = "M", description = "Library id, name, or .onnx file")
        String model;
        @Option(names = "--json", description = "Print JSON")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = out();
            return serve(null, s -> {
                Teacher t = resolve(s, model);
                if (json) {
                    out.println(TeacherService.json(java.util.Map.of("info", t.info(), "profile", t.profile(),
                            "sha256", t.sha256(), "name", t.name())));
                } else {
                    print(out, t.info(), t.profile());
                }
            });
        }

        static void print(PrintWriter out, ModelInfo i, TeacherProfile p) {
            for (TensorSpec in : i.inputs()) {
                out.printf("input   %s %s %s%n", in.name(), in.elementType(), in.shapeText());
            }
            for (TensorSpec o : i.outputs()) {
                out.printf("output  %s %s %s%n", o.name(), o.elementType(), o.shapeText());
            }
            out.printf(Locale.ROOT, "size    %,d bytes, %,d parameters, IR %d, opsets %s%n", i.fileSize(),
                    i.parameterCount(), i.irVersion(), i.opsets().entrySet().stream()
                            .map(e -> (e.getKey().isEmpty() ? "ai.onnx" : e.getKey()) + " " + e.getValue()).sorted()
                            .collect(java.util.stream.Collectors.joining(", ")));
            out.printf("task    %s (%d classes)%s%n", p.task().kind().title(), p.task().numClasses(),
                    p.task().detectionLayout() == null ? "" : ", layout " + p.task().detectionLayout());
            var pre = p.preprocessing();
            out.printf(Locale.ROOT, "input   %dx%d %s %s, scale %.6f, mean %s, std %s, %s, batch %s%n", pre.width(),
                    pre.height(), pre.layout(), pre.channelOrder(), pre.scale(), pre.mean(), pre.std(), pre.resize(),
                    pre.batchSize() == 0 ? "dynamic" : Integer.toString(pre.batchSize()));
            out.printf("labels  %d%n", p.labels().size());
        }
    }

    @Command(name = "run", description = "Run a teacher on one image.")
    static final class Run extends Sub {
        @Option(names = "--model", required = true, paramLabel = "M", description = "Library id, name, or .onnx file")
        String model;
        @Option(names = "--image", required = true, paramLabel = "I", description = "Image file")
        Path image;
        @Option(names = "--json", description = "Print the result as JSON")
        boolean json;
        @Option(names = "--threads", description = "CPU threads (default: the app setting)")
        Integer threads;

        @Override
        public Integer call() {
            PrintWriter out = out();
            return serve(threads, s -> {
                Teacher t = resolve(s, model);
                Prediction p = s.tryOn(t, image);
                if (json) {
                    out.println(ResultJson.toJson(p));
                } else if (p instanceof Prediction.Classification c) {
                    c.top().forEach(x -> out.printf(Locale.ROOT, "%6.2f %%  %s (#%d)%n", x.score() * 100, x.label(), x.classIndex()));
                } else if (p instanceof Prediction.Detections d) {
                    d.boxes().forEach(b -> out.printf(Locale.ROOT, "%-16s %5.1f %%  [%.0f, %.0f, %.0f, %.0f]%n", b.label(),
                            b.score() * 100, b.x1(), b.y1(), b.x2(), b.y2()));
                    out.printf("%d objects%n", d.boxes().size());
                } else {
                    out.println(ResultJson.toJson(p));
                }
            });
        }
    }

    @Command(name = "eval", description = "Top-1/top-5 accuracy on a folder of labelled images.")
    static final class Eval extends Sub {
        @Option(names = "--model", required = true, paramLabel = "M")
        String model;
        @Option(names = "--images", required = true, paramLabel = "DIR",
                description = "Images; the class comes from the folder name or a file-name id prefix")
        Path images;
        @Option(names = "--labels", paramLabel = "FILE", description = "Labels file (txt or tsv); default: the model's labels")
        Path labels;
        @Option(names = "--threads")
        Integer threads;
        @Option(names = "--json")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = out();
            PrintWriter err = spec.commandLine().getErr();
            return serve(threads, s -> {
                Teacher t = resolve(s, model);
                Evaluator.Result r = s.evaluate(t, images, labels, (done, total) -> {
                    if (done == total || done % 100 == 0) {
                        err.printf("\r%d / %d images", done, total);
                        err.flush();
                    }
                }, null);
                err.println();
                out.println(json ? TeacherService.json(r) : r.summary());
            });
        }
    }
}
