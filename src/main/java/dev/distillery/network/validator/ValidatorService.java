package dev.distillery.network.validator;

import com.google.protobuf.ByteString;
import dev.distillery.model.TeacherProfile;
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
import dev.distillery.network.score.SandboxEvaluator;
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
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validator over gRPC ({@code distillery.v1.Validator}): takes chunked uploads (already signature-checked by the
 * interceptor), checks size and hash against the miner's commitment, evaluates each model in the sandbox child JVM
 * and keeps a status per submission. Submissions are kept as JSON files next to the uploads, so a restarted
 * validator still answers for them. Not done yet: setting weights each tempo.
 */
public final class ValidatorService extends ValidatorGrpc.ValidatorImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorService.class);

    /** One submission as stored. */
    public record Submission(String id, String hotkey, int uid, String sha256, String state, double score,
                             double quality, double p95Ms, long sizeBytes, String reason, long updatedBlock) {
        Submission with(String newState, Scorer.Verdict v, String why, long block) {
            return new Submission(id, hotkey, uid, sha256, newState, v == null ? 0 : finite(v.score()),
                    v == null ? 0 : finite(v.quality()), v == null ? 0 : finite(v.p95Ms()),
                    v == null || v.sizeBytes() < 0 ? sizeBytes : v.sizeBytes(), why, block);
        }

        private static double finite(double x) {
            return Double.isFinite(x) ? x : 0;
        }
    }

    private final Path folder;
    private final Challenge challenge;
    private final Path teacherFile;
    private final TeacherProfile teacherProfile;
    private final Path evalImages;
    private final SandboxEvaluator evaluator;
    /** What the validator reads from the ledger. */
    public interface LedgerView {
        /** The UID whose commitment of this hash is the earliest; empty when nobody committed it. */
        Optional<Integer> ownerOf(String sha256);

        /** The UID a hotkey (SS58) holds, if registered. */
        Optional<Integer> uidOf(String hotkey);
    }

    private final LedgerView ledger;
    private final LongSupplier block;
    private final Map<String, Submission> submissions = new ConcurrentHashMap<>();
    private final ExecutorService evaluations = Executors.newSingleThreadExecutor(r -> {
        Thread t = dev.distillery.core.NativeThreads.create(r, "validator-eval");
        t.setDaemon(true);
        return t;
    });

    public ValidatorService(Path folder, Challenge challenge, Path teacherFile, TeacherProfile teacherProfile,
                            Path evalImages, SandboxEvaluator evaluator,
                            LedgerView ledger, LongSupplier block)
            throws IOException {
        this.folder = folder;
        this.challenge = challenge;
        this.teacherFile = teacherFile;
        this.teacherProfile = teacherProfile;
        this.evalImages = evalImages;
        this.evaluator = evaluator;
        this.ledger = ledger;
        this.block = block;
        Files.createDirectories(folder.resolve("uploads"));
        try (var files = Files.newDirectoryStream(folder.resolve("uploads"), "*.json")) {
            for (Path f : files) {
                Submission s = Json.read(Files.readString(f), Submission.class);
                submissions.put(s.id(), s);
                if (s.state().equals(SubmissionState.SUBMISSION_STATE_QUEUED.name())
                        || s.state().equals(SubmissionState.SUBMISSION_STATE_EVALUATING.name())) {
                    queue(s); // interrupted by a restart: evaluate again
                }
            }
        }
    }

    public Optional<Submission> submission(String id) {
        return Optional.ofNullable(submissions.get(id));
    }

    private void save(Submission s) {
        submissions.put(s.id(), s);
        try {
            dev.distillery.core.AtomicFiles.write(folder.resolve("uploads").resolve(s.id() + ".json"),
                    Json.write(s).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.error("Cannot store submission {}", s.id(), e);
        }
    }

    private void queue(Submission s) {
        evaluations.submit(() -> {
            save(s.with(SubmissionState.SUBMISSION_STATE_EVALUATING.name(), null, "", block.getAsLong()));
            Scorer.Verdict v = evaluator.evaluate(folder.resolve("uploads").resolve(s.id() + ".onnx"), challenge,
                    teacherFile, teacherProfile, evalImages);
            save(s.with(v.scored() ? SubmissionState.SUBMISSION_STATE_SCORED.name()
                    : SubmissionState.SUBMISSION_STATE_REJECTED.name(), v, v.scored() ? "" : v.reason(),
                    block.getAsLong()));
        });
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
                        if (declared > challenge.sizeCapBytes()) {
                            fail(Status.RESOURCE_EXHAUSTED, "the model (" + declared + " bytes) is over the challenge's "
                                    + "size cap of " + challenge.sizeCapBytes() + " bytes");
                            return;
                        }
                        declaredSha = HexFormat.of().formatHex(c.getStart().getModelSha256().toByteArray());
                        hotkey = Hotkey.of(c.getHeader().getHotkey().toByteArray()).ss58();
                        sha = MessageDigest.getInstance("SHA-256");
                        file = Files.newOutputStream(part);
                    }
                    received += c.getData().size();
                    if (received > declared || received > challenge.sizeCapBytes()) {
                        fail(Status.RESOURCE_EXHAUSTED, "more bytes than declared (" + declared + ") or over the size "
                                + "cap of " + challenge.sizeCapBytes());
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
                Optional<Integer> owner = ledger.ownerOf(actual);
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
                Optional<Integer> mine = ledger.uidOf(hotkey);
                Submission s = new Submission(id, hotkey, mine.orElse(owner.get()), actual,
                        SubmissionState.SUBMISSION_STATE_QUEUED.name(), 0, 0, 0, received, "", block.getAsLong());
                if (mine.isPresent() && !mine.get().equals(owner.get())) {
                    // same hash as an earlier commitment: only the earliest scores (DESIGN.md §4)
                    save(s.with(SubmissionState.SUBMISSION_STATE_REJECTED.name(), null, "copy of uid " + owner.get(),
                            block.getAsLong()));
                } else {
                    save(s);
                    queue(s);
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
                .setUpdatedBlock(s.updatedBlock()).build();
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
                        String mark = s.state() + "@" + s.updatedBlock() + "/" + s.reason();
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
     * This service behind signature checks: uploads must be signed (first message) by a registered hotkey at a
     * current block; status and teacher downloads are read-only and open.
     */
    public io.grpc.ServerServiceDefinition secured() {
        var verifier = new dev.distillery.network.crypto.RequestVerifier(block,
                dev.distillery.network.crypto.RequestVerifier.Policy.DEFAULT, key -> ledger.uidOf(key.ss58()).isPresent());
        return io.grpc.ServerInterceptors.intercept(this,
                new dev.distillery.network.crypto.SignedHeaderInterceptor(verifier, java.util.Set.of()));
    }

    /** Stops the evaluation worker (a running evaluation's child JVM is killed by its own timeout). */
    public void shutdown() {
        evaluations.shutdownNow();
    }
}
