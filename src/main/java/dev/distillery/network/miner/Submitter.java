package dev.distillery.network.miner;

import dev.distillery.core.Sha256;
import dev.distillery.model.TeacherProfile;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.proto.v1.CommitResponse;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.proto.v1.SubmissionStatus;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.score.EvalImages;
import dev.distillery.network.score.SandboxEvaluator;
import dev.distillery.network.score.Scorer;
import io.grpc.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A miner submitting a student (issue 7, "Challenge and submit"): a local preview score first, with the validators'
 * own vetting, sandbox and scorer; then commit on the ledger and upload to each validator; then the status
 * timeline, step by step, with the reason whenever the score is zero.
 */
public final class Submitter {
    /** The timeline a submission goes through, as the miner sees it. */
    public enum Step { PREVIEWED, COMMITTED, UPLOADED, QUEUED, EVALUATING, SCORED, REJECTED }

    /** Hears each step: the validator's name (null for ledger and preview steps) and a sentence. */
    public interface Listener {
        void step(String validator, Step step, String detail);
    }

    private Submitter() {
    }

    /**
     * The score validators would give {@code student} on {@code challenge}, computed here in the same sandbox
     * (fresh generated images, or the challenge's folder). Never throws for what the file holds.
     */
    public static Scorer.Verdict preview(Path student, Challenge challenge, Path teacher, TeacherProfile profile,
                                         Integer images, SandboxEvaluator.Limits limits) throws IOException {
        Path scratch = Files.createTempDirectory("distillery-preview");
        try {
            return new SandboxEvaluator(limits).evaluate(student, challenge, teacher, profile,
                    EvalImages.prepare(challenge, scratch, images));
        } finally {
            dev.distillery.core.Folders.deleteTree(scratch);
        }
    }

    /**
     * Commits {@code student}'s hash with {@code ledger}'s key and uploads it to each validator. Returns the
     * submission id per validator. A hash another UID committed first is said (it will score 0 as a copy).
     */
    public static Map<String, String> submit(Path student, LedgerClient ledger, Map<String, ValidatorClient> validators,
                                             Listener listener) throws IOException {
        byte[] sha = Sha256.of(student);
        CommitResponse c = ledger.commit(sha, Files.size(student));
        listener.step(null, Step.COMMITTED, c.getOwner() ? "committed at block " + c.getBlock()
                : "committed, but uid " + c.getOwnerUid() + " committed this model first: it will score 0 as a copy");
        Map<String, String> ids = new LinkedHashMap<>();
        for (var v : validators.entrySet()) {
            String id = v.getValue().upload(student, ledger.block(), null).getSubmissionId();
            ids.put(v.getKey(), id);
            listener.step(v.getKey(), Step.UPLOADED, "uploaded " + Files.size(student) + " bytes: submission " + id);
        }
        return ids;
    }

    /** The timeline step of a validator's status. */
    public static Step stepOf(SubmissionStatus s) {
        return switch (s.getState()) {
            case SUBMISSION_STATE_EVALUATING -> Step.EVALUATING;
            case SUBMISSION_STATE_SCORED -> s.getScore() > 0 ? Step.SCORED : Step.REJECTED;
            case SUBMISSION_STATE_REJECTED -> Step.REJECTED;
            default -> Step.QUEUED;
        };
    }

    /** One sentence for a status, with the reason whenever the score is zero. */
    public static String describe(SubmissionStatus s) {
        return switch (stepOf(s)) {
            case SCORED -> String.format(java.util.Locale.ROOT, "scored %.4f (quality %.3f, p95 %.2f ms, %,d bytes) "
                    + "on epoch %d", s.getScore(), s.getQuality(), s.getLatencyP95Ms(), s.getSizeBytes(), s.getEpoch());
            case REJECTED -> "score 0: " + (s.getReason().isBlank() ? "no reason given" : s.getReason());
            case EVALUATING -> "being evaluated";
            default -> "queued for evaluation";
        };
    }

    /**
     * Follows the submissions in {@code ids} on their validators until each is final, telling {@code listener}
     * every change; returns the final statuses. Blocks; interrupt the thread to stop early.
     */
    public static Map<String, SubmissionStatus> follow(Map<String, String> ids, Map<String, ValidatorClient> validators,
                                                       byte[] hotkey, Listener listener) throws InterruptedException {
        Map<String, SubmissionStatus> last = new java.util.concurrent.ConcurrentHashMap<>();
        List<Context.CancellableContext> streams = new CopyOnWriteArrayList<>();
        Object changed = new Object();
        java.util.Set<String> broken = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try {
            for (var v : validators.entrySet()) {
                String id = ids.get(v.getKey());
                if (id == null) {
                    continue;
                }
                streams.add(v.getValue().follow(hotkey, s -> {
                    if (!s.getSubmissionId().equals(id)) {
                        return;
                    }
                    synchronized (changed) { // one writer at a time: the stream or the poll below
                        SubmissionStatus before = last.put(v.getKey(), s);
                        if (before == null || stepOf(before) != stepOf(s)) {
                            listener.step(v.getKey(), stepOf(s), describe(s));
                        }
                        changed.notifyAll();
                    }
                }, e -> broken.add(v.getKey())));
            }
            synchronized (changed) {
                while (!ids.keySet().stream().allMatch(k -> last.containsKey(k) && ValidatorClient.isFinal(last.get(k)))) {
                    changed.wait(1000);
                    // a stream that broke (a validator restarting): read that validator's status directly instead
                    for (var v : validators.entrySet()) {
                        String id = ids.get(v.getKey());
                        if (id != null && broken.contains(v.getKey())
                                && !(last.containsKey(v.getKey()) && ValidatorClient.isFinal(last.get(v.getKey())))) {
                            try {
                                SubmissionStatus s = v.getValue().status(id);
                                SubmissionStatus before = last.put(v.getKey(), s);
                                if (before == null || stepOf(before) != stepOf(s)) {
                                    listener.step(v.getKey(), stepOf(s), describe(s));
                                }
                            } catch (RuntimeException ignored) {
                                // unreachable for now: the next poll or the stream tells
                            }
                        }
                    }
                }
            }
            return Map.copyOf(last);
        } finally {
            streams.forEach(c -> c.cancel(null));
        }
    }

    /** Whether a final status is a scored one (score above 0). */
    public static boolean scored(SubmissionStatus s) {
        return s.getState() == SubmissionState.SUBMISSION_STATE_SCORED && s.getScore() > 0;
    }
}
