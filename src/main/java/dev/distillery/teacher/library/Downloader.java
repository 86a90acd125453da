package dev.distillery.teacher.library;

import dev.distillery.core.BuildInfo;
import dev.distillery.model.TeacherException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one URL to one file over HTTP(S), for model files of up to a few hundred megabytes.
 *
 * <ul>
 *   <li>Redirects are followed (GitHub serves LFS files from another host); the User-Agent is
 *       {@code Distillery/<version>}.</li>
 *   <li>A transfer that breaks off mid-body (connection reset, premature end) is resumed with
 *       {@code Range: bytes=<have>-}, guarded by {@code If-Range} with the server's ETag or
 *       Last-Modified, up to {@value #MAX_ATTEMPTS} requests in all. A 206 answer is appended; a 200
 *       answer (server ignores ranges, or the file changed) starts over; a 416 or a Content-Range
 *       that does not start where the file ends starts over as well.</li>
 *   <li>The SHA-256 is computed while writing and checked, like the size, when the caller knows
 *       the expected value.</li>
 *   <li>A body that stops arriving for the read timeout counts as an interrupted transfer; a cancel
 *       takes effect within a quarter of a second even while waiting for data.</li>
 *   <li>On any failure or cancel the target file is deleted: there are never partial files left.</li>
 * </ul>
 * Thread-safe: one instance can serve several downloads at once.
 */
public final class Downloader {
    /** Requests per download, the first one included. */
    public static final int MAX_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("\\s*bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"),
            Map.entry(410, "Gone"), Map.entry(416, "Range Not Satisfiable"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    /** How often a wait for data wakes up to look at the cancellation and the read timeout. */
    private static final long POLL_MS = 250;

    /** Built on first use: building one sets up TLS (~0.3 s), which a start of the window need not wait for. */
    private volatile HttpClient client;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Duration readTimeout;
    private final Duration backoff;
    private final String userAgent;

    /**
     * A downloader with a 15 s connect timeout, 60 s to wait for a response's headers and 60 s
     * without data before a transfer counts as interrupted.
     */
    public Downloader() {
        this(Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMillis(500));
    }

    /**
     * @param connectTimeout  how long to wait for a connection
     * @param responseTimeout how long to wait for a response's headers once connected
     * @param readTimeout     how long the body may stall before the transfer counts as interrupted
     * @param backoff         pause before a retry, multiplied by the attempt number
     */
    public Downloader(Duration connectTimeout, Duration responseTimeout, Duration readTimeout, Duration backoff) {
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.readTimeout = readTimeout;
        this.backoff = backoff;
        this.userAgent = "Distillery/" + BuildInfo.get().version();
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NORMAL)
                            .connectTimeout(connectTimeout)
                            .build();
                    client = c;
                }
            }
        }
        return c;
    }

    /** The User-Agent sent with every request. */
    public String userAgent() {
        return userAgent;
    }

    /**
     * Downloads {@code url} to {@code target} (created or overwritten; its folder is created).
     *
     * @param expectedSha256 the SHA-256 the file must have, or null when unknown
     * @param expectedSize   the size the file must have, or -1 when unknown
     * @param listener       progress, may be null
     * @param cancellation   checked between chunks; the thread's interrupt counts as a cancel too
     * @return the verified file with its size and SHA-256
     * @throws TeacherException   with a message for the user when the download fails or does not verify
     * @throws CancelledException when cancelled
     */
    public DownloadResult download(URI url, Path target, String expectedSha256, long expectedSize,
                                   DownloadListener listener, Cancellation cancellation) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(target, "target");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new TeacherException("Only http and https addresses can be downloaded, not " + url);
        }
        String expected = Hashing.normalize(expectedSha256);
        Cancellation cancel = cancellation == null ? Cancellation.none() : cancellation;
        boolean done = false;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                Transfer t = new Transfer(url, out, new ProgressThrottle(listener), cancel, expectedSize);
                t.run();
                out.force(false);
                verify(url, t.have, t.sha256(), expectedSize, expected);
                done = true;
                LOG.info("Downloaded {} ({} bytes, {} request(s)) to {}", url, t.have, t.attempt, target);
                return new DownloadResult(target, t.have, t.sha256(), t.attempt);
            }
        } catch (IOException e) {
            throw new TeacherException("Could not write the download to " + target + ": " + e.getMessage()
                    + ". Check the free space and permissions of the data folder.", e);
        } finally {
            if (!done) {
                deleteQuietly(target);
            }
        }
    }

    private static void verify(URI url, long size, String sha256, long expectedSize, String expectedSha) {
        if (expectedSize >= 0 && size != expectedSize) {
            throw new TeacherException("The download of " + url + " is " + size + " bytes but the catalog expects "
                    + expectedSize + "; the file was deleted. The server may have changed the file.");
        }
        if (expectedSha != null && !expectedSha.equals(sha256)) {
            throw new TeacherException("The download's SHA-256 is " + sha256 + " but the catalog expects "
                    + expectedSha + "; the file was deleted. The server may have changed the file.");
        }
    }

    /** One download's state across its requests. */
    private final class Transfer {
        private final URI url;
        private final FileChannel out;
        private final ProgressThrottle progress;
        private final Cancellation cancel;
        private final long expectedSize;
        private final MessageDigest digest = Hashing.sha256();
        long have;
        long total = -1;
        String ifRange;
        int attempt;
        private String sha256;

        Transfer(URI url, FileChannel out, ProgressThrottle progress, Cancellation cancel, long expectedSize) {
            this.expectedSize = expectedSize;
            this.url = url;
            this.out = out;
            this.progress = progress;
            this.cancel = cancel;
        }

        String sha256() {
            if (sha256 == null) {
                sha256 = Hashing.hex(digest);
            }
            return sha256;
        }

        void run() throws IOException {
            String what = "The download of " + url;
            while (true) {
                cancel.check(what);
                attempt++;
                boolean ranged = have > 0;
                HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = send(ranged);
                if (response == null) {
                    continue; // a retryable connection failure; send() has waited
                }
                BodyQueue body = new BodyQueue();
                response.body().subscribe(body);
                try {
                    if (!accept(response, ranged)) {
                        continue;
                    }
                    IOException broken = readBody(body, what);
                    if (broken == null && total >= 0 && have < total) {
                        broken = new IOException("the connection closed after " + have + " of " + total + " bytes");
                    }
                    if (broken == null) {
                        if (total >= 0 && have > total) {
                            throw new TeacherException("The server sent more data (" + have + " bytes) than it "
                                    + "announced (" + total + ") for " + url + "; the file was deleted.");
                        }
                        progress.report(have, total, true);
                        return;
                    }
                    retryOrFail(broken, "The download of " + url + " was interrupted " + attempt
                            + " times (last: " + describe(broken) + "). Try again later.");
                } finally {
                    body.cancel();
                }
            }
        }

        /** Sends the next request; null when it failed in a way worth retrying (after waiting). */
        private HttpResponse<Flow.Publisher<List<ByteBuffer>>> send(boolean ranged) {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).GET()
                    .timeout(responseTimeout)
                    .header("User-Agent", userAgent);
            if (ranged) {
                request.header("Range", "bytes=" + have + "-");
                if (ifRange != null) {
                    request.header("If-Range", ifRange);
                }
            }
            try {
                return client().send(request.build(), HttpResponse.BodyHandlers.ofPublisher());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("The download of " + url + " was cancelled.");
            } catch (IOException e) {
                cancel.check("The download of " + url);
                boolean cannotConnect = isConnectFailure(e);
                if (cannotConnect && attempt == 1) {
                    throw unreachable(e);
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw cannotConnect ? unreachable(e) : new TeacherException("The download of " + url
                            + " failed " + attempt + " times (last: " + describe(e) + "). Try again later.", e);
                }
                LOG.info("Request {} for {} failed ({}); retrying", attempt, url, describe(e));
                pause();
                return null;
            }
        }

        /** Checks the status and headers; false when the body is to be skipped and the next request made. */
        private boolean accept(HttpResponse<?> response, boolean ranged) throws IOException {
            int status = response.statusCode();
            if (status == 200) {
                if (have > 0) {
                    LOG.info("{} answered 200 to a range request; starting over", url);
                    restart();
                }
                total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (expectedSize >= 0 && total >= 0 && total != expectedSize) {
                    // no need to fetch the whole file to know it is not the one expected
                    verify(url, total, null, expectedSize, null);
                }
                ifRange = validator(response).orElse(null);
                return true;
            }
            if (status == 206 && ranged) {
                Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
                long announced = m.matches() && !m.group(3).equals("*") ? Long.parseLong(m.group(3)) : -1;
                boolean fits = m.matches() && Long.parseLong(m.group(1)) == have
                        && (announced < 0 || total < 0 || announced == total);
                if (!fits) {
                    LOG.info("{} answered Content-Range '{}' for a file of {} bytes so far; starting over", url,
                            response.headers().firstValue("Content-Range").orElse(""), have);
                    restart();
                    checkAttemptsLeft("its partial answers did not fit together");
                    return false;
                }
                if (announced >= 0) {
                    total = announced;
                }
                validator(response).ifPresent(v -> ifRange = v);
                return true;
            }
            if (status == 416 && ranged) {
                LOG.info("{} answered 416 to bytes={}-; starting over", url, have);
                restart();
                checkAttemptsLeft("it refused every range request");
                return false;
            }
            boolean transientError = status >= 500 || status == 408 || status == 429;
            if (transientError && attempt < MAX_ATTEMPTS) {
                LOG.info("{} answered {}; retrying", url, status);
                pause();
                return false;
            }
            String reason = REASONS.getOrDefault(status, "");
            throw new TeacherException(("The server answered " + status + " " + reason).strip() + " for " + url
                    + (status == 404 || status == 410 ? ". The file may have moved; check the address." : "."));
        }

        /** Copies the body to the file; the network error that stopped it, or null at a clean end. */
        private IOException readBody(BodyQueue body, String what) throws IOException {
            long lastData = System.nanoTime();
            while (true) {
                Object item;
                try {
                    item = body.poll(POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancelledException(what + " was cancelled.");
                }
                cancel.check(what);
                if (item == null) {
                    if (System.nanoTime() - lastData > readTimeout.toNanos()) {
                        return new IOException("no data arrived for " + readTimeout.toSeconds() + " s");
                    }
                    continue;
                }
                if (item == BodyQueue.END) {
                    return null;
                }
                if (item instanceof Throwable failure) {
                    return failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
                }
                @SuppressWarnings("unchecked")
                List<ByteBuffer> buffers = (List<ByteBuffer>) item;
                for (ByteBuffer chunk : buffers) {
                    int n = chunk.remaining();
                    digest.update(chunk.duplicate());
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                    have += n;
                    progress.transferred(n);
                }
                lastData = System.nanoTime();
                body.request();
                progress.report(have, total, false);
            }
        }

        private void retryOrFail(IOException broken, String message) {
            if (attempt >= MAX_ATTEMPTS) {
                throw new TeacherException(message, broken);
            }
            LOG.info("Download of {} broke off at {} bytes ({}); resuming", url, have, describe(broken));
            pause();
        }

        private void checkAttemptsLeft(String why) {
            if (attempt >= MAX_ATTEMPTS) {
                throw new TeacherException("The download of " + url + " failed after " + attempt
                        + " requests because " + why + ". Try again later.");
            }
        }

        private void restart() throws IOException {
            out.truncate(0);
            out.position(0);
            digest.reset();
            have = 0;
            total = -1;
            ifRange = null;
            progress.report(0, -1, true);
        }

        private void pause() {
            try {
                Thread.sleep(backoff.toMillis() * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("The download of " + url + " was cancelled.");
            }
            cancel.check("The download of " + url);
        }

        private TeacherException unreachable(IOException e) {
            String host = url.getHost() == null ? url.toString() : url.getHost()
                    + (url.getPort() >= 0 ? ":" + url.getPort() : "");
            return new TeacherException("Could not reach " + host + ": " + describe(e)
                    + ". Check your internet connection.", e);
        }
    }

    /**
     * Receives a response body as the HTTP client pushes it, one batch of buffers at a time, so the
     * reader can wait with a timeout (for stalls and cancels) instead of blocking for good.
     */
    private static final class BodyQueue implements Flow.Subscriber<List<ByteBuffer>> {
        static final Object END = new Object();
        private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable t) {
            items.add(t);
        }

        @Override
        public void onComplete() {
            items.add(END);
        }

        /** The next batch, {@link #END}, a Throwable, or null when nothing came within the timeout. */
        Object poll(long millis) throws InterruptedException {
            return items.poll(millis, TimeUnit.MILLISECONDS);
        }

        /** Asks for the next batch (one at a time, so memory stays bounded). */
        void request() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.request(1);
            }
        }

        /** Stops the transfer (harmless after the end); the connection is then dropped. */
        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** ETag (strong only, as If-Range requires) or else Last-Modified. */
    private static Optional<String> validator(HttpResponse<?> response) {
        Optional<String> etag = response.headers().firstValue("ETag").filter(v -> !v.startsWith("W/"));
        return etag.isPresent() ? etag : response.headers().firstValue("Last-Modified");
    }

    private static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException
                    || t instanceof UnknownHostException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** A short, readable reason for a network error (many of the JDK's have no message). */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "the host name could not be resolved";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "the connection timed out";
            }
            if (t instanceof HttpTimeoutException) {
                return "the server did not answer in time";
            }
            if (t instanceof ConnectException) {
                return "the connection was refused";
            }
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", file, e.getMessage());
        }
    }
}
