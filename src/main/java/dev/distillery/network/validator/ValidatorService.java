package dev.distillery.network.validator;

import com.google.protobuf.ByteString;
import dev.distillery.network.crypto.Hotkey;
import dev.distillery.network.proto.v1.DownloadTeacherRequest;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.proto.v1.SubmissionStatus;
import dev.distillery.network.proto.v1.SubmissionStatusRequest;
import dev.distillery.network.proto.v1.TeacherChunk;
import dev.distillery.network.proto.v1.UploadChunk;
import dev.distillery.network.proto.v1.UploadResponse;
import dev.distillery.network.proto.v1.ValidatorGrpc;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.score.Scorer;
import dev.distillery.teacher.library.Json;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validator's gRPC front ({@code distillery.v1.Validator}): takes chunked uploads (already signature-checked by
 * the interceptor), checks size against the current challenge and the hash against the miner's commitment, and
 * keeps a status per submission. Submissions are kept as JSON files next to the uploads, so a restarted validator
 * still answers for them. Evaluation is not done here: accepted uploads go to {@code onQueued} ({@link
 * ValidatorNode} evaluates them and writes the results back with {@link #save}).
 */
public final class ValidatorService extends ValidatorGrpc.ValidatorImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorService.class);

    /**
     * One submission as stored.
     *
     * @param epoch        the epoch whose evaluation set it was last evaluated on (0: not yet)
     * @param commitBlock  the block of the earliest commitment of its hash (copy detection: earliest wins)
     * @param fingerprint  hash of its outputs on the evaluation set of {@code epoch} (null when not measured)
     * @param staticReject rejected for something that re-evaluating cannot change (invalid, unsafe, wrong I/O,
     *                     over the size cap, same hash as an earlier commitment): never re-evaluated
     * @param receivedMillis when the upload completed (wall clock): the latest upload of a UID is its current one
     */
    public record Submission(String id, String hotkey, int uid, String sha256, String state, double score,
                             double quality, double p95Ms, long sizeBytes, String reason, long updatedBlock,
                             long epoch, long commitBlock, String fingerprint, boolean staticReject,
                             long receivedMillis) {
        /** This submission in a new state, results unchanged. */
        public Submission state(SubmissionState newState, long block) {
            return new Submission(id, hotkey, uid, sha256, newState.name(), score, quality, p95Ms, sizeBytes, reason,
                    block, epoch, commitBlock, fingerprint, staticReject, receivedMillis);
        }

        /** The result of an evaluation on the set of {@code onEpoch}. */
        public Submission evaluated(Scorer.Verdict v, long onEpoch, long block, boolean isStatic) {
            return new Submission(id, hotkey, uid, sha256, (v.scored() ? SubmissionState.SUBMISSION_STATE_SCORED
                    : SubmissionState.SUBMISSION_STATE_REJECTED).name(), finite(v.score()), finite(v.quality()),
                    finite(v.p95Ms()), v.sizeBytes() < 0 ? sizeBytes : v.sizeBytes(), v.scored() ? "" : v.reason(),
                    block, onEpoch, commitBlock, v.fingerprint(), !v.scored() && isStatic, receivedMillis);
        }

        /** Rejected (score 0) for {@code why}; {@code isStatic}: for good. */
        public Submission rejected(String why, long block, boolean isStatic) {
            return new Submission(id, hotkey, uid, sha256, SubmissionState.SUBMISSION_STATE_REJECTED.name(), 0,
                    quality, p95Ms, sizeBytes, why, block, epoch, commitBlock, fingerprint, isStatic,
                    receivedMillis);
        }

        public boolean inState(SubmissionState s) {
            return state.equals(s.name());
        }

        private static double finite(double x) {
            return Double.isFinite(x) ? x : 0;
        }
    }

    private final Path folder;
    private final Path teacherFile;
    private final LedgerLink ledger;
    private final Supplier<Challenge> challenge;
    private final Consumer<Submission> onQueued;
    private final Map<String, Submission> submissions = new ConcurrentHashMap<>();

    /**
     * @param folder      where uploads and their JSON files are kept ({@code uploads/})
     * @param teacherFile served by DownloadTeacher
     * @param challenge   the challenge in force now (size checks)
     * @param onQueued    called with each accepted upload, in state QUEUED
     */
    public ValidatorService(Path folder, Path teacherFile, LedgerLink ledger, Supplier<Challenge> challenge,
                            Consumer<Submission> onQueued) throws IOException {
        this.folder = folder;
        this.teacherFile = teacherFile;
        this.ledger = ledger;
        this.challenge = challenge;
        this.onQueued = onQueued;
        Files.createDirectories(folder.resolve("uploads"));
        try (var files = Files.newDirectoryStream(folder.resolve("uploads"), "*.json")) {
            for (Path f : files) {
                Submission s = Json.read(Files.readString(f), Submission.class);
                submissions.put(s.id(), s);
            }
        }
    }

    public Optional<Submission> submission(String id) {
        return Optional.ofNullable(submissions.get(id));
    }

    /** Every submission known, in no particular order. */
    public Collection<Submission> submissions() {
        return List.copyOf(submissions.values());
    }

    /** The stored model file of a submission. */
    public Path modelFile(Submission s) {
        return folder.resolve("uploads").resolve(s.id() + ".onnx");
    }

    /** Stores a submission's new state (memory and its JSON file). */
    public void save(Submission s) {
        submissions.put(s.id(), s);
        try {
            dev.distillery.core.AtomicFiles.write(folder.resolve("uploads").resolve(s.id() + ".json"),
                    Json.write(s).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.error("Cannot store submission {}", s.id(), e);
        }
    }

    @Override
    public StreamObserver<UploadChunk> upload(StreamObserver<UploadResponse> out) {
        String id = UUID.randomUUID().toString();
        Path part = folder.resolve("uploads").resolve(id + ".part");
        return new StreamObserver<>() {
            OutputStream file;
            MessageDigest sha;
            long received;
            long declared;
            long cap;
            String declaredSha;
            String hotkey;
            boolean failed;

            @Override
            public void onNext(UploadChunk c) {
                if (failed) {
                    return;
                }
                try {
                    if (file == null) {
                        if (!c.hasStart() || c.getStart().getModelSha256().size() != 32) {
                            fail(Status.INVALID_ARGUMENT, "the first message must carry the start with a 32-byte sha256");
                            return;
                        }
                        declared = c.getStart().getSize();
                        cap = challenge.get().sizeCapBytes();
                        if (declared > cap) {
                            fail(Status.RESOURCE_EXHAUSTED, "the model (" + declared + " bytes) is over the challenge's "
                                    + "size cap of " + cap + " bytes");
                            return;
                        }
                        declaredSha = HexFormat.of().formatHex(c.getStart().getModelSha256().toByteArray());
                        hotkey = Hotkey.of(c.getHeader().getHotkey().toByteArray()).ss58();
                        sha = MessageDigest.getInstance("SHA-256");
                        file = Files.newOutputStream(part);
                    }
                    received += c.getData().size();
                    if (received > declared || received > cap) {
                        fail(Status.RESOURCE_EXHAUSTED, "more bytes than declared (" + declared + ") or over the size "
                                + "cap of " + cap);
                        return;
                    }
                    c.getData().writeTo(file);
                    sha.update(c.getData().asReadOnlyByteBuffer());
                } catch (IOException | java.security.NoSuchAlgorithmException | RuntimeException e) {
                    fail(Status.INTERNAL, "cannot store the upload: " + e.getMessage());
                }
            }

            private void fail(Status status, String reason) {
                failed = true;
                close();
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // best effort
                }
                out.onError(status.withDescription(reason).asRuntimeException());
            }

            private void close() {
                if (file != null) {
                    try {
                        file.close();
                    } catch (IOException ignored) {
                        // the part file is deleted or checked next
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                failed = true;
                close();
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // best effort
                }
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                if (file == null) {
                    fail(Status.INVALID_ARGUMENT, "empty upload");
                    return;
                }
                close();
                String actual = HexFormat.of().formatHex(sha.digest());
                if (received != declared) {
                    fail(Status.INVALID_ARGUMENT, "received " + received + " bytes, declared " + declared);
                    return;
                }
                if (!actual.equals(declaredSha)) {
                    fail(Status.INVALID_ARGUMENT, "the upload's sha256 " + actual + " is not the declared " + declaredSha);
                    return;
                }
                Optional<LedgerLink.Commitment> owner = ledger.commitmentOf(actual);
                if (owner.isEmpty()) {
                    fail(Status.FAILED_PRECONDITION, "the upload's sha256 " + actual + " does not match any commitment "
                            + "on the ledger; commit it first");
                    return;
                }
                try {
                    Files.move(part, folder.resolve("uploads").resolve(id + ".onnx"));
                } catch (IOException e) {
                    fail(Status.INTERNAL, "cannot store the upload: " + e.getMessage());
                    return;
                }
                int ownerUid = owner.get().uid();
                Optional<Integer> mine = ledger.uidOf(hotkey);
                Submission s = new Submission(id, hotkey, mine.orElse(ownerUid), actual,
                        SubmissionState.SUBMISSION_STATE_QUEUED.name(), 0, 0, 0, received, "", ledger.block(), 0,
                        owner.get().block(), null, false, System.currentTimeMillis());
                if (mine.isPresent() && mine.get() != ownerUid) {
                    // same hash as an earlier commitment: only the earliest scores (DESIGN.md §4)
                    save(s.rejected("copy of uid " + ownerUid, ledger.block(), true));
                } else {
                    save(s);
                    onQueued.accept(s);
                }
                out.onNext(UploadResponse.newBuilder().setSubmissionId(id).setReceived(received).build());
                out.onCompleted();
            }
        };
    }

    @Override
    public void submissionStatus(SubmissionStatusRequest req, StreamObserver<SubmissionStatus> out) {
        Submission s = submissions.get(req.getSubmissionId());
        if (s == null) {
            out.onError(Status.NOT_FOUND.withDescription("no submission " + req.getSubmissionId()).asRuntimeException());
            return;
        }
        out.onNext(proto(s));
        out.onCompleted();
    }

    static SubmissionStatus proto(Submission s) {
        return SubmissionStatus.newBuilder().setSubmissionId(s.id()).setUid(s.uid())
                .setModelSha256(ByteString.copyFrom(HexFormat.of().parseHex(s.sha256())))
                .setState(SubmissionState.valueOf(s.state())).setScore(s.score()).setQuality(s.quality())
                .setLatencyP95Ms(s.p95Ms()).setSizeBytes(s.sizeBytes()).setReason(s.reason())
                .setUpdatedBlock(s.updatedBlock()).setEpoch(s.epoch())
                .setEvaluatedOn(dev.distillery.core.Int8Precision.describe()).build();
    }

    /**
     * Every change of state of the submissions of one hotkey (or of all, with an empty key): first the current
     * states, then each change as it happens, until the client cancels. Changes are compared by state and block.
     */
    @Override
    public void statusChanges(dev.distillery.network.proto.v1.StatusChangesRequest req,
                              StreamObserver<SubmissionStatus> out) {
        String key = req.getHotkey().isEmpty() ? null : Hotkey.of(req.getHotkey().toByteArray()).ss58();
        var call = (io.grpc.stub.ServerCallStreamObserver<SubmissionStatus>) out;
        Thread t = new Thread(() -> {
            Map<String, String> seen = new java.util.HashMap<>();
            try {
                while (!call.isCancelled()) {
                    for (Submission s : submissions.values()) {
                        if (key != null && !key.equals(s.hotkey())) {
                            continue;
                        }
                        String mark = s.state() + "@" + s.updatedBlock() + "/" + s.epoch() + "/" + s.reason();
                        if (!mark.equals(seen.put(s.id(), mark)) && s.updatedBlock() >= req.getFromBlock()) {
                            out.onNext(proto(s));
                        }
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!call.isCancelled()) {
                    out.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
                }
            }
        }, "status-changes");
        t.setDaemon(true);
        call.setOnCancelHandler(t::interrupt);
        t.start();
    }

    @Override
    public void downloadTeacher(DownloadTeacherRequest req, StreamObserver<TeacherChunk> out) {
        try (InputStream in = Files.newInputStream(teacherFile)) {
            long total = Files.size(teacherFile);
            long offset = Math.min(req.getOffset(), total);
            in.skipNBytes(offset);
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.onNext(TeacherChunk.newBuilder().setOffset(offset).setData(ByteString.copyFrom(buf, 0, n))
                        .setTotalSize(total).build());
                offset += n;
            }
            out.onCompleted();
        } catch (IOException e) {
            out.onError(Status.INTERNAL.withDescription("cannot read the teacher: " + e.getMessage())
                    .asRuntimeException());
        }
    }

    /**
     * How a validator checks signed blocks: the default window back, but more room ahead, because a validator only
     * learns the block from the ledger and its view lags (a cached read, a busy ledger) while miners sign with the
     * ledger's own latest block. Nonces still refuse every replay.
     */
    static final dev.distillery.network.crypto.RequestVerifier.Policy POLICY =
            new dev.distillery.network.crypto.RequestVerifier.Policy(
                    dev.distillery.network.crypto.RequestVerifier.Policy.DEFAULT.window(), 16,
                    dev.distillery.network.crypto.RequestVerifier.Policy.DEFAULT.maxTrackedHotkeys());

    /**
     * This service behind signature checks: uploads must be signed (first message) by a registered hotkey at a
     * current block; status and teacher downloads are read-only and open.
     */
    public io.grpc.ServerServiceDefinition secured() {
        var verifier = new dev.distillery.network.crypto.RequestVerifier(ledger::block, POLICY,
                key -> ledger.uidOf(key.ss58()).isPresent());
        return io.grpc.ServerInterceptors.intercept(this,
                new dev.distillery.network.crypto.SignedHeaderInterceptor(verifier, java.util.Set.of()));
    }
}
