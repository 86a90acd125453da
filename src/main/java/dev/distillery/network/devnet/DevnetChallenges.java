package dev.distillery.network.devnet;

import dev.distillery.distill.StudentTask;
import dev.distillery.network.score.Challenge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The challenges a devnet can judge: the built-in text-map one (DESIGN.md §4, with simulated competitors), or one
 * the user makes, e.g. detection of people with their own detector teacher on their own frames. Each challenge has
 * its own ledger folder, because a ledger keeps the challenge it was created with.
 */
public final class DevnetChallenges {
    /** Frames the validators draw from a detection challenge's pool each epoch. */
    public static final int POOL_FRAMES = 60;

    private DevnetChallenges() {
    }

    /**
     * A detection challenge: students find {@code groups} ({@code NAME=SPEC}, as {@code distill --group}) as the
     * teacher does, judged by mAP@0.5 on {@value #POOL_FRAMES} frames drawn and augmented afresh every epoch from
     * {@code pool} (a folder of images or clips). The speed term is whole at an eighth of the budget, the size term
     * at a tenth of the cap; score weights 0.8 · quality + 0.1 · speed + 0.1 · size. Its id names the classes and
     * a hash of every choice, so a changed choice starts a new ledger instead of judging under the old one.
     */
    public static Challenge detection(String teacherSha256, List<String> groups, Path pool, int inputSize,
                                      double latencyBudgetMs, long sizeCapBytes) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("A detection challenge needs at least one class, e.g. person=0");
        }
        if (inputSize < 64 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("The input size must be a multiple of 32 of at least 64, got "
                    + inputSize);
        }
        String folder = pool.toAbsolutePath().normalize().toString();
        String key = String.join("\n", teacherSha256.toLowerCase(Locale.ROOT), String.join(",", groups), folder,
                Integer.toString(inputSize), Double.toString(latencyBudgetMs), Long.toString(sizeCapBytes));
        StringBuilder names = new StringBuilder();
        for (String g : groups) {
            int eq = g.indexOf('=');
            names.append(names.isEmpty() ? "" : "-").append((eq > 0 ? g.substring(0, eq) : g)
                    .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", ""));
        }
        String id = "detect-" + (names.length() > 40 ? names.substring(0, 40) : names) + "-" + shortHash(key);
        return new Challenge(id, teacherSha256.toLowerCase(Locale.ROOT), StudentTask.DETECTION, groups,
                new Challenge.InputSpec(inputSize, inputSize, 3), latencyBudgetMs, sizeCapBytes, latencyBudgetMs / 8,
                sizeCapBytes / 10, Challenge.Weights.defaults(), Challenge.EvalData.pool(folder, POOL_FRAMES), 0.3);
    }

    /** Whether {@code c} is the built-in challenge (the one the simulated miners can compete in). */
    public static boolean isBuiltIn(Challenge c) {
        return c == null || Challenge.devnetDefault().id().equals(c.id());
    }

    /** The devnet's folder for {@code c} under the data directory's root: {@code devnet}, or {@code devnet-ID}. */
    public static Path folder(Path dataRoot, Challenge c) {
        return dataRoot.resolve(isBuiltIn(c) ? "devnet" : "devnet-" + c.id().replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /**
     * A latency budget to propose for a student of a teacher whose p50 is {@code teacherP50Ms} on this computer:
     * 45 % of it, rounded to half a millisecond, at least 1 ms (a student that is not at least twice as fast as its
     * teacher is not worth distilling); 4 ms when the teacher has not been measured.
     */
    public static double proposedBudgetMs(double teacherP50Ms) {
        if (!(teacherP50Ms > 0) || !Double.isFinite(teacherP50Ms)) {
            return 4.0;
        }
        return Math.max(1.0, Math.round(teacherP50Ms * 0.45 * 2) / 2.0);
    }

    private static String shortHash(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
