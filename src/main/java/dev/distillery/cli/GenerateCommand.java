package dev.distillery.cli;

import dev.distillery.distill.data.SyntheticClip;
import dev.distillery.distill.data.SyntheticData;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code distillery generate}: fresh synthetic text images or a clip, e.g. to compare a student on data it never saw. */
@Command(name = "generate",
        description = {"Write fresh synthetic text images, or a short clip (the same --seed gives the same files).",
            "scenes: scene-NNNNN.png at --size (N or WxH), for text-detection students.",
            "lines:  192×48 text lines in sub-folders 0 (upright) and 180 (upside down), half each, for "
                + "text-direction students: the folder names are the classes, so 'compare' can use them as ground truth.",
            "clip:   a video (--out FILE.mp4 as MPEG-4, or FILE.avi as Motion JPEG) panning along text scenes, "
                + "--size WxH (default 480x270), --seconds long at --fps, for the Live screen and 'live'."})
final class GenerateCommand implements Callable<Integer> {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})(?:x(\\d{1,5}))?");

    @Spec
    CommandSpec spec;
    @Option(names = "--kind", required = true, paramLabel = "scenes|lines|clip", description = "scenes, lines or clip")
    String kind;
    @Option(names = "--count", paramLabel = "N", description = "Number of images (scenes and lines)")
    Integer count;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", required = true, paramLabel = "DIR|FILE",
            description = "Folder to write images into (created), or the clip's file")
    Path out;
    @Option(names = "--size", paramLabel = "N|WxH", description = "Scene size (default 320, i.e. 320×320; lines are "
            + "always 192×48), or the clip's frame size (default 480x270)")
    String size;
    @Option(names = "--format", defaultValue = "png", paramLabel = "png|jpg",
            description = "Image files: png (default) or jpg (quality 90, smaller)")
    String format;
    @Option(names = "--seconds", defaultValue = "6", paramLabel = "S", description = "Clip length (default ${DEFAULT-VALUE})")
    double seconds;
    @Option(names = "--fps", defaultValue = "25", paramLabel = "F", description = "Clip frame rate (default ${DEFAULT-VALUE})")
    int fps;

    @Override
    public Integer call() {
        String k = kind.strip().toLowerCase(Locale.ROOT);
        if (k.equals("clip") || k.equals("video")) {
            return clip();
        }
        SyntheticData.Kind images = switch (k) {
            case "scenes", "scene" -> SyntheticData.Kind.SCENES;
            case "lines", "line" -> SyntheticData.Kind.LINES;
            default -> throw new ParameterException(spec.commandLine(),
                    "--kind must be scenes or lines (images) or clip (a video), not '" + kind + "'");
        };
        if (count == null) {
            throw new ParameterException(spec.commandLine(), "--count is needed for " + k);
        }
        if (count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        int[] wh = size(size == null ? "320" : size);
        if (wh[0] < 32 || wh[1] < 32) {
            throw new ParameterException(spec.commandLine(), "--size must be at least 32");
        }
        String f = format.strip().toLowerCase(Locale.ROOT);
        if (f.equals("jpeg")) {
            f = "jpg";
        }
        if (!f.equals("png") && !f.equals("jpg")) {
            throw new ParameterException(spec.commandLine(), "--format must be png or jpg, not '" + format + "'");
        }
        PrintWriter o = spec.commandLine().getOut();
        try {
            List<Path> files = SyntheticData.write(images, count, seed, wh[0], wh[1], f, out);
            if (images == SyntheticData.Kind.LINES) {
                int upright = (files.size() + 1) / 2;
                o.printf("Wrote %d text lines to %s: %d upright in %s/, %d upside down in %s/%n", files.size(), out,
                        upright, SyntheticData.UPRIGHT, files.size() - upright, SyntheticData.UPSIDE_DOWN);
            } else {
                o.printf("Wrote %d scenes (%d×%d) to %s%n", files.size(), wh[0], wh[1], out);
            }
            o.flush();
            return 0;
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println("distillery: " + e.getMessage());
            return DistilleryCommand.EXIT_ERROR;
        }
    }

    private Integer clip() {
        int[] wh = size(size == null ? "480x270" : size);
        if (size != null && !size.toLowerCase(Locale.ROOT).contains("x")) {
            throw new ParameterException(spec.commandLine(), "--size of a clip is WxH, e.g. 480x270");
        }
        PrintWriter o = spec.commandLine().getOut();
        try {
            int frames = SyntheticClip.write(out, seed, wh[0], wh[1], seconds, fps);
            o.printf(Locale.ROOT, "Wrote a %d×%d clip of %d frames (%.1f s at %d fps) to %s%n", wh[0], wh[1], frames,
                    frames / (double) fps, fps, out);
            o.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println("distillery: " + e.getMessage());
            return DistilleryCommand.EXIT_ERROR;
        }
    }

    /** "320" → 320×320, "480x270" → 480×270. */
    private int[] size(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ParameterException(spec.commandLine(), "--size is N or WxH (e.g. 320 or 480x270), not '"
                    + text + "'");
        }
        int w = Integer.parseInt(m.group(1));
        int h = m.group(2) == null ? w : Integer.parseInt(m.group(2));
        return new int[] {w, h};
    }
}
