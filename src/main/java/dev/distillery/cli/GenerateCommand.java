package dev.distillery.cli;

import dev.distillery.distill.data.SyntheticData;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code distillery generate}: fresh synthetic text images, e.g. to compare a student on data it never saw. */
@Command(name = "generate",
        description = {"Write fresh synthetic text images (the same --seed gives the same files).",
            "scenes: scene-NNNNN.png at --size×--size, for text-detection students.",
            "lines:  192×48 text lines in sub-folders 0 (upright) and 180 (upside down), half each, for "
                + "text-direction students: the folder names are the classes, so 'compare' can use them as ground truth."})
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--kind", required = true, paramLabel = "scenes|lines", description = "scenes or lines")
    String kind;
    @Option(names = "--count", required = true, paramLabel = "N", description = "Number of images")
    int count;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write into (created)")
    Path out;
    @Option(names = "--size", defaultValue = "320", description = "Scene width and height (default ${DEFAULT-VALUE}; "
            + "lines are always 192×48)")
    int size;

    @Override
    public Integer call() {
        SyntheticData.Kind k = switch (kind.strip().toLowerCase(Locale.ROOT)) {
            case "scenes", "scene" -> SyntheticData.Kind.SCENES;
            case "lines", "line" -> SyntheticData.Kind.LINES;
            default -> throw new ParameterException(spec.commandLine(), "--kind must be scenes or lines, not '" + kind + "'");
        };
        if (count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        if (size < 32) {
            throw new ParameterException(spec.commandLine(), "--size must be at least 32");
        }
        PrintWriter o = spec.commandLine().getOut();
        try {
            List<Path> files = SyntheticData.write(k, count, seed, size, out);
            if (k == SyntheticData.Kind.LINES) {
                int upright = (files.size() + 1) / 2;
                o.printf("Wrote %d text lines to %s: %d upright in %s/, %d upside down in %s/%n", files.size(), out,
                        upright, SyntheticData.UPRIGHT, files.size() - upright, SyntheticData.UPSIDE_DOWN);
            } else {
                o.printf("Wrote %d scenes (%d×%d) to %s%n", files.size(), size, size, out);
            }
            o.flush();
            return 0;
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println("distillery: " + e.getMessage());
            return DistilleryCommand.EXIT_ERROR;
        }
    }
}
