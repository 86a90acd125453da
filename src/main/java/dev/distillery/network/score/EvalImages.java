package dev.distillery.network.score;

import dev.distillery.core.Folders;
import dev.distillery.distill.data.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The images a challenge is evaluated on: its folder, or freshly generated scenes/lines at the input size. */
public final class EvalImages {
    /** Generated images when a challenge names no count. */
    public static final int DEFAULT_COUNT = 200;

    private EvalImages() {
    }

    /**
     * The folder to evaluate {@code c} on: the challenge's own folder, or {@code count} (null: the challenge's count)
     * generated images with the challenge's seed, written into {@code scratch/images}.
     */
    public static Path prepare(Challenge c, Path scratch, Integer count) throws IOException {
        Challenge.EvalData d = c.data();
        if (d != null && !d.isGenerated()) {
            return Path.of(d.folder());
        }
        Challenge.EvalData g = d == null ? Challenge.EvalData.generated("scenes", 0, 0) : d;
        Path dir = scratch.resolve("images");
        generate(count == null ? g : Challenge.EvalData.generated(g.kind(), count, g.seed()), c.input().width(), dir);
        return dir;
    }

    /**
     * Writes the images {@code d} describes (kind "lines" or scenes, its count — {@link #DEFAULT_COUNT} when unset —
     * and seed) at {@code width} into {@code dir}, whole or not at all: they are written beside it, then renamed.
     */
    public static void generate(Challenge.EvalData d, int width, Path dir) throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        Folders.deleteTree(tmp);
        SyntheticData.write("lines".equalsIgnoreCase(d.kind()) ? SyntheticData.Kind.LINES : SyntheticData.Kind.SCENES,
                d.count() < 1 ? DEFAULT_COUNT : d.count(), d.seed(), width, tmp);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }
}
