package dev.distillery.network.miner;

import com.google.protobuf.ByteString;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.crypto.SignedHeaders;
import dev.distillery.network.proto.v1.DownloadTeacherRequest;
import dev.distillery.network.proto.v1.StatusChangesRequest;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.proto.v1.SubmissionStatus;
import dev.distillery.network.proto.v1.SubmissionStatusRequest;
import dev.distillery.network.proto.v1.TeacherChunk;
import dev.distillery.network.proto.v1.UploadChunk;
import dev.distillery.network.proto.v1.UploadResponse;
import dev.distillery.network.proto.v1.UploadStart;
import dev.distillery.network.proto.v1.ValidatorGrpc;
import dev.distillery.network.tls.PinnedTls;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A miner's side of one validator ({@code distillery.v1.Validator}): upload a committed model in signed chunks,
 * read and follow submission status, download the challenge's teacher (resumable). gRPC failures come back as
 * {@link StatusRuntimeException} carrying the validator's reason.
 */
public final class ValidatorClient implements AutoCloseable {
    /** Bytes per upload message (the protocol allows up to 1 MiB). */
    static final int CHUNK = 256 * 1024;
    private static final String UPLOAD = ValidatorGrpc.getUploadMethod().getFullMethodName();

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final HotkeyPair key;
    private long lastNonce;

    /** Over a channel the caller owns; {@code key} signs uploads (null: read-only). */
    public ValidatorClient(ManagedChannel channel, HotkeyPair key) {
        this(channel, false, key);
    }

    private ValidatorClient(ManagedChannel channel, boolean owns, HotkeyPair key) {
        this.channel = channel;
        this.ownsChannel = owns;
        this.key = key;
    }

    public static ValidatorClient plaintext(String host, int port, HotkeyPair key) {
        return new ValidatorClient(NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .maxInboundMessageSize(4 << 20).build(), true, key);
    }

    /** Over TLS, trusting only the certificate with this SHA-256 fingerprint. */
    public static ValidatorClient pinned(String host, int port, String fingerprint, HotkeyPair key) throws IOException {
        return new ValidatorClient(NettyChannelBuilder.forAddress(host, port).sslContext(PinnedTls.client(fingerprint))
                .maxInboundMessageSize(4 << 20).build(), true, key);
    }

    private synchronized long nonce() {
        lastNonce = Math.max(System.currentTimeMillis() * 1000, lastNonce + 1);
        return lastNonce;
    }

    /**
     * Uploads {@code model}, signed at {@code block} (the ledger's current block), reporting bytes sent. The hash is
     * computed here; it must be the one committed on the ledger.
     *
     * @throws StatusRuntimeException with the validator's reason when it refuses
     */
    public UploadResponse upload(Path model, long block, LongConsumer progress) throws IOException {
        if (key == null) {
            throw new IllegalStateException("this client has no hotkey to sign uploads with");
        }
        long size = Files.size(model);
        byte[] sha = dev.distillery.core.Sha256.of(model);
        dev.distillery.network.FutureObserver<UploadResponse> answer = new dev.distillery.network.FutureObserver<>();
        CompletableFuture<UploadResponse> done = answer.future();
        StreamObserver<UploadChunk> in = ValidatorGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.MINUTES)
                .upload(answer);
        try (InputStream file = Files.newInputStream(model)) {
            byte[] buf = new byte[CHUNK];
            long sent = 0;
            boolean first = true;
            do {
                int n = file.readNBytes(buf, 0, buf.length);
                UploadChunk.Builder c = UploadChunk.newBuilder().setData(ByteString.copyFrom(buf, 0, n));
                if (first) {
                    c.setStart(UploadStart.newBuilder().setModelSha256(ByteString.copyFrom(sha)).setSize(size)
                            .setFileName(model.getFileName().toString()));
                    in.onNext(SignedHeaders.sign(c.build(), key, UPLOAD, nonce(), block));
                    first = false;
                } else {
                    in.onNext(c.build());
                }
                sent += n;
                if (progress != null) {
                    progress.accept(sent);
                }
                if (done.isDone()) {
                    break; // refused early (e.g. over the size cap): the reason is in done
                }
            } while (sent < size);
            in.onCompleted();
        } catch (IOException | RuntimeException e) {
            in.onError(Status.CANCELLED.withDescription("the upload stopped: " + e.getMessage()).asRuntimeException());
            throw e;
        }
        return await(done);
    }

    private static <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            T r = f.get(10, TimeUnit.MINUTES);
            if (r == null) {
                throw new IOException("the validator closed the upload without an answer");
            }
            return r;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw s;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading", e);
        } catch (TimeoutException e) {
            throw new IOException("the validator did not answer the upload in 10 minutes", e);
        }
    }

    public SubmissionStatus status(String submissionId) {
        return ValidatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .submissionStatus(SubmissionStatusRequest.newBuilder().setSubmissionId(submissionId).build());
    }

    /** True for SCORED and REJECTED: the submission will not move again this epoch. */
    public static boolean isFinal(SubmissionStatus s) {
        return s.getState() == SubmissionState.SUBMISSION_STATE_SCORED
                || s.getState() == SubmissionState.SUBMISSION_STATE_REJECTED;
    }

    /**
     * Follows the status changes of {@code hotkey}'s submissions (null: all) on a background stream until the
     * returned context is cancelled; {@code onError} gets the failure if the stream breaks.
     */
    public Context.CancellableContext follow(byte[] hotkey, Consumer<SubmissionStatus> onChange,
                                             Consumer<Throwable> onError) {
        Context.CancellableContext ctx = Context.current().withCancellation();
        StatusChangesRequest.Builder req = StatusChangesRequest.newBuilder();
        if (hotkey != null) {
            req.setHotkey(ByteString.copyFrom(hotkey));
        }
        ctx.run(() -> ValidatorGrpc.newStub(channel).statusChanges(req.build(), new StreamObserver<>() {
            @Override
            public void onNext(SubmissionStatus s) {
                onChange.accept(s);
            }

            @Override
            public void onError(Throwable t) {
                if (!ctx.isCancelled()) {
                    onError.accept(t);
                }
            }

            @Override
            public void onCompleted() {
            }
        }));
        return ctx;
    }

    /**
     * Downloads the teacher named {@code sha256} into {@code out}, resuming after the bytes already there, and
     * checks the whole file's hash at the end (a mismatch deletes the file). {@code progress} gets (bytes, total).
     */
    public void downloadTeacher(byte[] sha256, Path out, java.util.function.BiConsumer<Long, Long> progress)
            throws IOException {
        long offset = Files.exists(out) ? Files.size(out) : 0;
        Iterator<TeacherChunk> chunks = ValidatorGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.MINUTES)
                .downloadTeacher(DownloadTeacherRequest.newBuilder().setTeacherSha256(ByteString.copyFrom(sha256))
                        .setOffset(offset).build());
        try (OutputStream o = Files.newOutputStream(out, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (chunks.hasNext()) {
                TeacherChunk c = chunks.next();
                if (c.getOffset() != offset) {
                    throw new IOException("the validator sent bytes from " + c.getOffset() + ", expected " + offset);
                }
                c.getData().writeTo(o);
                offset += c.getData().size();
                if (progress != null) {
                    progress.accept(offset, c.getTotalSize());
                }
            }
        }
        byte[] actual = dev.distillery.core.Sha256.of(out);
        if (!java.util.Arrays.equals(actual, sha256)) {
            Files.deleteIfExists(out);
            throw new IOException("the downloaded teacher's sha256 " + HexFormat.of().formatHex(actual)
                    + " is not the challenge's " + HexFormat.of().formatHex(sha256) + "; try again");
        }
    }

    @Override
    public void close() {
        if (ownsChannel) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
