package dev.distillery.network.validator;

import dev.distillery.core.AtomicFiles;
import dev.distillery.core.Folders;
import dev.distillery.core.NativeThreads;
import dev.distillery.model.TeacherProfile;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.score.EvalImages;
import dev.distillery.network.score.SandboxEvaluator;
import dev.distillery.network.score.Scorer;
import dev.distillery.network.validator.ValidatorService.Submission;
import dev.distillery.teacher.library.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validator's work per epoch (DESIGN.md §4, "Challenges and scoring"): a fresh evaluation set each epoch from
 * the challenge in force and a secret only this validator knows; new uploads evaluated on the current set as soon
 * as a worker is free; at each boundary one round re-evaluating every UID's current submission on the new set
 * (never two rounds at once: a round still running finishes first, then the next one takes the newest set);
 * copies by outputs rejected (earliest commitment wins); once per epoch a weight row from the latest scores.
 * {@link #tick()} drives it (the server calls it on a timer; tests call it directly).
 */
public final class ValidatorNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorNode.class);
    static final int SECRET_BYTES = 32;
    private static final java.util.regex.Pattern LEADING_DIGITS = java.util.regex.Pattern.compile("\\d{1,18}");

    /**
     * @param folder     the validator's state: {@code secret}, {@code uploads/}, {@code eval/<epoch>/},
     *                   {@code weights.json}
     * @param teacher    the teacher's ONNX file
     * @param evalFolder the operator's hidden images, for a challenge whose data is a folder (null: the folder the
     *                   challenge names)
     * @param workers    evaluations running at once (each one child JVM)
     * @param limits     of each child
     * @param machine    shared by validators on one machine (the devnet): one evaluation at a time across all of
     *                   them, so that one validator's latency measurement is not slowed by another's (null: none)
     */
    public record Config(Path folder, Path teacher, Path evalFolder, int workers, SandboxEvaluator.Limits limits,
                         java.util.concurrent.Semaphore machine) {
        public Config {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1");
            }
        }

        public Config(Path folder, Path teacher, Path evalFolder, int workers, SandboxEvaluator.Limits limits) {
            this(folder, teacher, evalFolder, workers, limits, null);
        }
    }

    /**
     * The evaluation set of an epoch and the challenge it was made for; {@code teacherOutputs}: the file the first
     * evaluation on it writes the teacher's outputs to, and later ones read; {@code fingerprintImages}: the
     * validator's fixed copy-fingerprint set.
     */
    public record EvalSet(long epoch, Challenge challenge, Path images, Path teacherOutputs, Path fingerprintImages) {
    }

    /** The last weight row set: for which epoch, at which block, when (ms since 1970), and the row. */
    public record WeightsSet(long epoch, long block, long atMillis, Map<Integer, Double> weights) {
    }

    private final Config config;
    private final LedgerLink ledger;
    private final byte[] secret;
    private final TeacherProfile teacherProfile;
    private final SandboxEvaluator evaluator;
    private final ValidatorService service;
    private final ExecutorService workers;
    private final ExecutorService rounds;
    private final AtomicBoolean roundQueued = new AtomicBoolean();
    private final AtomicInteger roundsStarted = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    /** Submissions queued for or in an evaluation now: neither a round nor a re-queue adds them twice. */
    private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Object judging = new Object();
    /** Epochs whose sets evaluations are using now, with how many. */
    private final Map<Long, AtomicInteger> inUse = new HashMap<>();
    private volatile EvalSet current;
    private volatile WeightsSet lastWeights;
    /** The epoch and block of the last refused weights (retried at a later block of the same epoch). */
    private long refusedEpoch = -1;
    private long refusedBlock;
    private volatile boolean closed;

    private ValidatorNode(Config config, LedgerLink ledger, TeacherProfile teacherProfile) throws IOException {
        this.config = config;
        this.ledger = ledger;
        this.teacherProfile = teacherProfile;
        Files.createDirectories(config.folder());
        this.secret = loadOrCreateSecret(config.folder().resolve("secret"));
        this.evaluator = new SandboxEvaluator(config.limits());
        this.workers = Executors.newFixedThreadPool(config.workers(), r -> daemon(r, "validator-eval"));
        this.rounds = Executors.newSingleThreadExecutor(r -> daemon(r, "validator-round"));
        this.service = new ValidatorService(config.folder(), config.teacher(), ledger, this::currentChallenge,
                s -> queue(s.id()));
        Path w = config.folder().resolve("weights.json");
        if (Files.exists(w)) {
            lastWeights = Json.read(Files.readString(w), WeightsSet.class);
        }
    }

    /**
     * Opens the validator in {@code config.folder()} (secret, submissions and last weights kept from a previous
     * run), prepares the current epoch's set and re-queues what a previous run left queued or evaluating.
     */
    public static ValidatorNode open(Config config, LedgerLink ledger, TeacherProfile teacherProfile)
            throws IOException {
        ValidatorNode node = new ValidatorNode(config, ledger, teacherProfile);
        try {
            node.tick();
            for (Submission s : node.service.submissions()) {
                if (s.inState(SubmissionState.SUBMISSION_STATE_QUEUED)
                        || s.inState(SubmissionState.SUBMISSION_STATE_EVALUATING)) {
                    node.queue(s.id()); // interrupted by a restart: evaluate again
                }
            }
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = NativeThreads.create(r, name);
        t.setDaemon(true);
        return t;
    }

    public ValidatorService service() {
        return service;
    }

    /** The current evaluation set (null before the first successful {@link #tick()}). */
    public EvalSet current() {
        return current;
    }

    public Optional<WeightsSet> lastWeights() {
        return Optional.ofNullable(lastWeights);
    }

    /** Re-evaluation rounds started since this node opened. */
    int roundsStarted() {
        return roundsStarted.get();
    }

    /** No evaluation queued or running and no round pending. */
    public boolean idle() {
        return busy.get() == 0;
    }

    private Challenge currentChallenge() {
        EvalSet s = current;
        return s != null ? s.challenge() : ledger.challenge(ledger.epoch() + 1);
    }

    /**
     * Checks the ledger's epoch; at a boundary (and on the first call) makes the new evaluation set, sets weights
     * once for the epoch and asks for a re-evaluation round.
     */
    public synchronized void tick() {
        if (closed) {
            return;
        }
        long epoch = ledger.epoch() + 1;
        EvalSet set = current;
        if (set != null && set.epoch() == epoch) {
            if (refusedEpoch == epoch && ledger.block() > refusedBlock) {
                setWeights(epoch); // refused earlier in this epoch: try again now that a block has passed
            }
            return;
        }
        try {
            current = prepare(epoch);
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot prepare the evaluation set of epoch {}; will try again", epoch, e);
            return;
        }
        deleteOldSets();
        LOG.info("Epoch {}: evaluating on {} ({})", epoch, current.images(), current.challenge().id());
        setWeights(epoch);
        requestRound();
    }

    /**
     * The fixed images copy fingerprints are taken on (DESIGN.md §4 "Copies"): generated once per validator from its
     * secret (as for an epoch numbered 0, which never runs), kept across epochs and restarts so that a copy is
     * recognised even when the original was last measured on an older evaluation set.
     */
    private Path fingerprintSet(Challenge c) throws IOException {
        Challenge.EvalData d = c.data() == null ? Challenge.EvalData.generated("scenes", 0, 0) : c.data();
        String kind = "lines".equalsIgnoreCase(d.kind()) ? "lines" : "scenes";
        Path dir = config.folder().resolve("fingerprint-" + kind + "-" + c.input().width());
        if (!Files.isDirectory(dir)) {
            EvalImages.generate(Challenge.EvalData.generated(kind, dev.distillery.network.score.EvaluatorMain
                    .FINGERPRINT_IMAGES, Challenge.epochSeed(c.id() + "/fingerprint", 0, secret)), c.input().width(), dir);
        }
        return dir;
    }

    /** The evaluation set of {@code epoch}: generated into {@code eval/<epoch>} (older sets deleted) or a folder. */
    EvalSet prepare(long epoch) throws IOException {
        Challenge c = ledger.challenge(epoch);
        Path root = config.folder().resolve("eval");
        Files.createDirectories(root);
        Path images;
        Challenge used;
        if (c.data() != null && c.data().isPool()) {
            // frames drawn from the validator's pool (its evalFolder, else the challenge's), new every epoch
            Challenge withPool = config.evalFolder() == null ? c : c.withData(Challenge.EvalData.pool(
                    config.evalFolder().toString(), c.data().count()));
            used = withPool.forEpoch(epoch, secret);
            images = root.resolve(Long.toString(epoch));
            if (!Files.isDirectory(images)) {
                EvalImages.sample(used.data(), images);
            }
            return new EvalSet(epoch, used, images, root.resolve(epoch + "-teacher.bin"), fingerprintSet(c));
        }
        if (c.data() != null && !c.data().isGenerated()) {
            used = c;
            images = config.evalFolder() != null ? config.evalFolder()
                    : c.data().folder() != null ? Path.of(c.data().folder()) : null;
            if (images == null || !Files.isDirectory(images)) {
                throw new IOException("the challenge evaluates on a folder, and the validator has none (evalFolder)");
            }
            return new EvalSet(epoch, used, images, root.resolve(epoch + "-teacher.bin"), images);
        } else {
            used = c.forEpoch(epoch, secret);
            Challenge.EvalData d = used.data();
            images = root.resolve(Long.toString(epoch));
            if (!Files.isDirectory(images)) {
                EvalImages.generate(d, c.input().width(), images);
            }
        }
        return new EvalSet(epoch, used, images, root.resolve(epoch + "-teacher.bin"), fingerprintSet(c));
    }

    /**
     * Deletes the files of older epochs' sets that no evaluation is using (a round still running on the previous
     * set keeps it until it finishes).
     */
    private void deleteOldSets() {
        synchronized (inUse) {
            EvalSet now = current;
            Path root = config.folder().resolve("eval");
            if (now == null || !Files.isDirectory(root)) {
                return;
            }
            try (var all = Files.list(root)) {
                for (Path p : all.toList()) {
                    String name = p.getFileName().toString();
                    java.util.regex.Matcher m = LEADING_DIGITS.matcher(name);
                    long epoch = m.lookingAt() ? Long.parseLong(m.group()) : -1;
                    if (epoch < now.epoch() && !inUse.containsKey(epoch)) { // never a newer set being made
                        Folders.deleteTree(p);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot clean up old evaluation sets: {}", e.getMessage());
            }
        }
    }

    /** Evaluates a submission on the current set as soon as a worker is free, unless it is already on its way. */
    private void queue(String id) {
        if (!inFlight.add(id)) {
            return;
        }
        busy.incrementAndGet();
        try {
            workers.submit(() -> {
                try {
                    evaluate(id, current);
                } finally {
                    busy.decrementAndGet();
                }
            });
        } catch (RuntimeException e) { // rejected: closing
            inFlight.remove(id);
            busy.decrementAndGet();
        }
    }

    private void requestRound() {
        if (!roundQueued.compareAndSet(false, true)) {
            return; // a queued round will take the newest set when it starts
        }
        busy.incrementAndGet();
        try {
            rounds.submit(() -> {
                try {
                    round();
                } finally {
                    busy.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            roundQueued.set(false);
            busy.decrementAndGet();
        }
    }

    /** Re-evaluates each UID's current submission on the newest set; returns when all are done. */
    private void round() {
        roundQueued.set(false);
        roundsStarted.incrementAndGet();
        EvalSet set = current;
        List<Submission> todo = new ArrayList<>(currentPerUid().values());
        todo.removeIf(s -> s.epoch() >= set.epoch());
        todo.sort(Comparator.comparingLong(Submission::commitBlock)); // originals before their copies
        LOG.info("Epoch {}: re-evaluating {} submission(s)", set.epoch(), todo.size());
        List<Future<?>> running = new ArrayList<>();
        for (Submission s : todo) {
            if (closed) {
                return;
            }
            if (!inFlight.add(s.id())) {
                continue; // already queued or evaluating (a new upload, or one re-queued after a restart)
            }
            if (!judged(s)) {
                service.save(s.state(SubmissionState.SUBMISSION_STATE_QUEUED, ledger.block()));
            }
            try {
                running.add(workers.submit(() -> evaluate(s.id(), set)));
            } catch (RuntimeException e) { // rejected: closing
                inFlight.remove(s.id());
                return;
            }
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.error("An evaluation failed", e.getCause());
            }
        }
    }

    /** The longest a validator sharing the machine waits for a training run before evaluating anyway. */
    static final java.time.Duration YIELD_LIMIT = java.time.Duration.ofMinutes(30);

    /** Runs an evaluation holding the machine-wide slot, when validators share a machine. */
    private Scorer.Verdict measureAlone(java.util.function.Supplier<Scorer.Verdict> evaluation) {
        if (config.machine() == null) {
            return evaluation.get();
        }
        try {
            // a validator sharing the user's machine yields to their training run: the run gets the cores, and
            // the latency figure is not taken on a machine busy training. It waits before taking the slot, so
            // others queued for it (the submit preview) are not held up by a wait that is not an evaluation.
            if (dev.distillery.core.Foreground.busy()) {
                LOG.info("Waiting for the training run on this machine to finish before evaluating");
            }
            long waited = 0;
            while (!closed && waited < YIELD_LIMIT.toSeconds()
                    && !dev.distillery.core.Foreground.awaitIdle(java.time.Duration.ofSeconds(1))) {
                waited++;
            }
            config.machine().acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Scorer.Verdict.rejected("the validator stopped before evaluating");
        }
        try {
            return evaluation.get();
        } finally {
            config.machine().release();
        }
    }

    /**
     * Whether the submission already has a verdict. Re-evaluations on a newer set leave it showing that verdict
     * (with its epoch) until the new one lands, rather than sending a miner's timeline back to "queued" every epoch.
     */
    private static boolean judged(Submission s) {
        return s.inState(SubmissionState.SUBMISSION_STATE_SCORED) || s.inState(SubmissionState.SUBMISSION_STATE_REJECTED);
    }

    /** Per UID, its latest submission not rejected for a static reason. */
    Map<Integer, Submission> currentPerUid() {
        Map<Integer, Submission> out = new TreeMap<>();
        for (Submission s : service.submissions()) {
            if (s.staticReject()) {
                continue;
            }
            out.merge(s.uid(), s, (a, b) -> newer(a, b) ? a : b);
        }
        return out;
    }

    private static boolean newer(Submission a, Submission b) {
        return a.receivedMillis() != b.receivedMillis() ? a.receivedMillis() > b.receivedMillis()
                : a.id().compareTo(b.id()) > 0;
    }

    /** Evaluates {@code id} on {@code set}, then once more on the current set if a boundary passed meanwhile. */
    private void evaluate(String id, EvalSet set) {
        boolean again;
        try {
            again = evaluateOnce(id, set);
        } finally {
            inFlight.remove(id);
        }
        if (again && !closed) {
            // the boundary passed while it was being evaluated (the round skipped it): once more on the new set
            service.submission(id).filter(s -> !judged(s)).ifPresent(s -> service.save(
                    s.state(SubmissionState.SUBMISSION_STATE_QUEUED, ledger.block())));
            queue(id);
        }
    }

    /** True when a newer set came while it ran and this is still its UID's current submission. */
    private boolean evaluateOnce(String id, EvalSet queued) {
        Submission s = service.submission(id).orElse(null);
        if (s == null || closed || queued == null || s.staticReject()) {
            return false; // without a set yet: the first round takes it
        }
        EvalSet now = current;
        // queued before a boundary and not started yet: the older set may be gone, and the fresh one is wanted anyway
        EvalSet set = now != null && now.epoch() > queued.epoch() ? now : queued;
        synchronized (inUse) {
            inUse.computeIfAbsent(set.epoch(), e -> new AtomicInteger()).incrementAndGet();
        }
        Scorer.Verdict v;
        String unfit;
        try {
            if (!judged(s)) {
                service.save(s.state(SubmissionState.SUBMISSION_STATE_EVALUATING, ledger.block()));
            }
            Path model = service.modelFile(s);
            unfit = SandboxEvaluator.vet(model, set.challenge());
            v = unfit != null ? Scorer.Verdict.rejected(unfit)
                    : measureAlone(() -> evaluator.evaluate(model, set.challenge(), config.teacher(),
                            teacherProfile, set.images(), set.teacherOutputs(), set.fingerprintImages()));
        } finally {
            synchronized (inUse) {
                if (inUse.get(set.epoch()).decrementAndGet() == 0) {
                    inUse.remove(set.epoch());
                }
            }
            if (set.epoch() != current.epoch()) {
                deleteOldSets();
            }
        }
        if (closed) {
            return false; // stays EVALUATING on disk: re-queued on the next start
        }
        synchronized (judging) { // judged as a copy before it is saved: its status never shows a passing SCORED
            rejectCopies(set.epoch(), s.evaluated(v, set.epoch(), ledger.block(), unfit != null));
        }
        LOG.info("Submission {} of uid {} on epoch {}: {}", id, s.uid(), set.epoch(),
                v.scored() ? "score " + v.score() : v.reason());
        Submission held = currentPerUid().get(s.uid());
        return current.epoch() > set.epoch() && held != null && held.id().equals(id);
    }

    /**
     * Saves {@code fresh} (just evaluated on {@code epoch}'s set) after copy detection among the UIDs' current
     * submissions: one whose outputs on the fixed fingerprint set equal those of an earlier commitment's becomes
     * "copy of uid N" (DESIGN.md §4), whichever epoch each was last measured on. An earlier commitment evaluated
     * after its copy demotes the copy then.
     */
    private void rejectCopies(long epoch, Submission fresh) {
        Map<Integer, Submission> byUid = currentPerUid();
        Submission held = byUid.get(fresh.uid());
        if (held != null && held.id().equals(fresh.id())) {
            byUid.put(fresh.uid(), fresh);
        }
        List<Submission> measured = byUid.values().stream()
                .filter(s -> s.fingerprint() != null
                        && (s.inState(SubmissionState.SUBMISSION_STATE_SCORED)
                        || s.inState(SubmissionState.SUBMISSION_STATE_REJECTED)))
                .toList();
        List<Scorer.Commit> commits = measured.stream().map(s -> new Scorer.Commit(s.uid(), s.commitBlock(),
                new Scorer.Verdict(s.inState(SubmissionState.SUBMISSION_STATE_SCORED), s.score(), s.quality(),
                        s.p95Ms(), s.sizeBytes(), Double.NaN, Double.NaN, s.fingerprint(), s.reason()))).toList();
        List<Scorer.Verdict> judged = Scorer.rejectCopies(commits);
        Submission toSave = fresh;
        for (int i = 0; i < measured.size(); i++) {
            Submission s = measured.get(i);
            String why = judged.get(i).reason();
            boolean becameCopy = why != null && why.startsWith("copy of") && !why.equals(s.reason());
            if ((s.inState(SubmissionState.SUBMISSION_STATE_SCORED) && !judged.get(i).scored()) || becameCopy) {
                Submission copy = s.rejected(judged.get(i).reason(), ledger.block(), false);
                if (s.id().equals(fresh.id())) {
                    toSave = copy;
                } else {
                    service.save(copy);
                }
            }
        }
        service.save(toSave);
    }

    /**
     * The latest score of each UID: its newest submission that was evaluated (a re-evaluation in progress keeps
     * the previous result), if scored. UIDs whose latest result is a rejection get no entry.
     */
    Map<Integer, Double> latestScores() {
        Map<Integer, List<Submission>> byUid = new TreeMap<>();
        for (Submission s : service.submissions()) {
            if (!s.staticReject() && s.epoch() > 0) {
                byUid.computeIfAbsent(s.uid(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<Integer, Double> scores = new LinkedHashMap<>();
        byUid.forEach((uid, list) -> {
            Submission latest = list.stream().reduce((a, b) -> newer(a, b) ? a : b).orElseThrow();
            if (latest.reason().isEmpty() && !latest.inState(SubmissionState.SUBMISSION_STATE_REJECTED)) {
                scores.put(uid, latest.score());
            }
        });
        return scores;
    }

    /**
     * Sets the weight row once for {@code epoch} from the latest scores; skips (and logs) when none is scored. A
     * refusal is logged and tried again at a later block of the same epoch.
     */
    private void setWeights(long epoch) {
        WeightsSet last = lastWeights;
        if (last != null && last.epoch() >= epoch) {
            return;
        }
        Map<Integer, Double> scores = latestScores();
        if (scores.isEmpty()) {
            LOG.info("Epoch {}: no UID has a score; no weights set", epoch);
            return;
        }
        double[] s = scores.values().stream().mapToDouble(Double::doubleValue).toArray();
        double[] w = Scorer.weights(s);
        Map<Integer, Double> row = new LinkedHashMap<>();
        int i = 0;
        for (Integer uid : scores.keySet()) {
            row.put(uid, w[i++]);
        }
        try {
            ledger.setWeights(row);
        } catch (RuntimeException e) {
            refusedEpoch = epoch;
            refusedBlock = ledger.block();
            LOG.error("Epoch {}: the ledger refused the weights (will try again at a later block): {}", epoch,
                    e.getMessage());
            return;
        }
        refusedEpoch = -1;
        WeightsSet set = new WeightsSet(epoch, ledger.block(), System.currentTimeMillis(), new HashMap<>(row));
        lastWeights = set;
        try {
            AtomicFiles.write(config.folder().resolve("weights.json"), Json.write(set).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.error("Cannot store the last weights", e);
        }
        LOG.info("Epoch {}: weights set {}", epoch, row);
    }

    /** The validator's secret: {@value #SECRET_BYTES} random bytes made on first start (owner-only), then kept. */
    static byte[] loadOrCreateSecret(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] fresh = new byte[SECRET_BYTES];
            new SecureRandom().nextBytes(fresh);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.write(tmp, fresh);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
            }
        }
        byte[] b = Files.readAllBytes(file);
        if (b.length != SECRET_BYTES) {
            throw new IOException(file + ": a validator secret is " + SECRET_BYTES + " bytes, found " + b.length);
        }
        return b;
    }

    /** Stops the workers and kills a running child; what was being evaluated is re-queued on the next start. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        evaluator.close();
        rounds.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
            rounds.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
