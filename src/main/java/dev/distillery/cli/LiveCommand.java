package dev.distillery.cli;

import dev.distillery.live.FrameModel;
import dev.distillery.live.LiveReport;
import dev.distillery.live.LiveRun;
import dev.distillery.live.RunnerModel;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.vision.FrameSource;
import dev.distillery.vision.FrameSources;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code distillery live}: the Live screen without a screen, for benchmarks and tests. */
@Command(name = "live", description = "Run one or two models on a video, folder, camera or synthetic source "
        + "and report fps, latency percentiles and agreement.")
final class LiveCommand implements Callable<Integer> {
    @ParentCommand
    DistilleryCommand root;
    @Spec
    CommandSpec spec;
    @Option(names = "--source", required = true, paramLabel = "S",
            description = "A video file, an image folder, camera:0, synthetic[:WxH@FPS], or sample (the clip that "
                    + "ships with the app)")
    String source;
    @Option(names = "--model", required = true, paramLabel = "M", description = "Teacher (id, name or .onnx); give two to compare")
    List<String> models;
    @Option(names = "--frames", defaultValue = "200", description = "Frames per model (default ${DEFAULT-VALUE})")
    int frames;
    @Option(names = "--threads", description = "Inference threads per model (default: all cores but one, split between the models)")
    Integer threads;
    @Option(names = "--json", description = "Print the report as JSON")
    boolean json;

    @Override
    public Integer call() {
        if (models.size() > 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "At most two --model");
        }
        PrintWriter out = spec.commandLine().getOut();
        return TeacherCommand.withService(root, threads, s -> {
            List<FrameModel> opened = new ArrayList<>();
            FrameSource src = null;
            try {
                // By default one core is left to decoding (as on the Live screen).
                int each = threads != null ? threads
                        : Math.max(1, (Runtime.getRuntime().availableProcessors() - 1) / models.size());
                List<java.util.Map<String, String>> metadata = new ArrayList<>();
                List<dev.distillery.model.TeacherProfile> profiles = new ArrayList<>();
                for (String m : models) {
                    Teacher t = TeacherCommand.resolve(s, m);
                    metadata.add(t.info().metadata());
                    profiles.add(t.profile());
                    opened.add(new RunnerModel(t.name(), dev.distillery.teacher.run.TeacherRunner.open(s.fileOf(t), t.profile(), each)));
                }
                if (source.strip().equalsIgnoreCase("sample")) { // the shipped clip, copied to <data>/samples once
                    dev.distillery.vision.Samples samples = new dev.distillery.vision.Samples(root.dataDirectory());
                    samples.install();
                    src = FrameSources.open(samples.clip().toString());
                } else {
                    src = FrameSources.open(source);
                }
                LiveReport report = LiveRun.run(src, opened, frames,
                        dev.distillery.distill.compare.StudentComparison.liveSetup(metadata, profiles));
                out.println(json ? report.toJson() : text(report));
                out.flush();
                return 0;
            } finally {
                opened.forEach(FrameModel::close);
                if (src != null) {
                    src.close();
                }
            }
        });
    }

    static String text(LiveReport r) {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%s: %d frames decoded in %.1f s%n",
                r.source(), r.framesDecoded(), r.wallSeconds()));
        for (LiveReport.ModelReport m : r.models()) {
            sb.append(String.format(java.util.Locale.ROOT, "  %-32s %6d frames  %7.1f fps  p50 %s  p95 %s  dropped %d%s%n",
                    m.name(), m.frames(), m.fps(), ms(m.p50Ms()), ms(m.p95Ms()), m.dropped(),
                    m.overheadPercent() == null ? "" : String.format(java.util.Locale.ROOT, "  overhead %.1f %%",
                            m.overheadPercent())));
        }
        if (r.agreement() != null) {
            sb.append(String.format(java.util.Locale.ROOT, "  agreement %.1f %%%n", r.agreement() * 100));
        }
        return sb.toString().stripTrailing();
    }

    private static String ms(Double v) {
        return v == null ? "–" : String.format(java.util.Locale.ROOT, "%.2f ms", v);
    }
}
