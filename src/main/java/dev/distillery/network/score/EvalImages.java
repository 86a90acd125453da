package dev.distillery.network.score;

import dev.distillery.distill.data.SyntheticData;
import java.nio.file.Path;

/** The images a challenge is evaluated on: its folder, or freshly generated scenes/lines at the input size. */
public final class EvalImages {
    private EvalImages() {
    }

    /**
     * The folder to evaluate {@code c} on: the challenge's own folder, or {@code count} (null: the challenge's count,
     * 200 when it names none) generated images with the challenge's seed, written into {@code scratch/images}.
     */
    public static Path prepare(Challenge c, Path scratch, Integer count) {
        Challenge.EvalData d = c.data();
        if (d != null && !d.isGenerated()) {
            return Path.of(d.folder());
        }
        String kind = d == null ? "scenes" : d.kind();
        int n = count != null ? count : d == null || d.count() < 1 ? 200 : d.count();
        long seed = d == null ? 0 : d.seed();
        SyntheticData.Kind k = "lines".equalsIgnoreCase(kind) ? SyntheticData.Kind.LINES : SyntheticData.Kind.SCENES;
        Path dir = scratch.resolve("images");
        SyntheticData.write(k, n, seed, c.input().width(), dir);
        return dir;
    }
}
