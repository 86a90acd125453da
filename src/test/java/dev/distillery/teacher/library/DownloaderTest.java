package dev.distillery.teacher.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.model.TeacherException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a real local HTTP server. */
@Timeout(60)
class DownloaderTest {
    static final byte[] MODEL = TestModels.paddedClassifier(1);
    static final String SHA = TestModels.sha256(MODEL);
    static final String ETAG = "\"model-v1\"";

    @TempDir
    Path dir;

    final Downloader downloader = new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMillis(20));

    record Event(long done, long total, double rate) {
    }

    Path target() {
        return dir.resolve("downloads").resolve("x.part");
    }

    @Test
    void downloadsWithProgressAndUserAgent() throws Exception {
        assertThat(MODEL.length).isBetween(1_000_000, 2_000_000);
        List<Event> events = new CopyOnWriteArrayList<>();
        try (TestServer server = new TestServer((ex, n) -> TestServer.sendAll(ex, MODEL, ETAG))) {
            DownloadResult r = downloader.download(server.uri("/m.onnx"), target(), SHA, MODEL.length,
                    (d, t, rate) -> events.add(new Event(d, t, rate)), new Cancellation());
            assertThat(r.sha256()).isEqualTo(SHA);
            assertThat(r.size()).isEqualTo(MODEL.length);
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(Files.readAllBytes(target())).isEqualTo(MODEL);
            assertThat(server.requests.get(0).getFirst("User-Agent")).startsWith("Distillery/");
            assertThat(server.requests.get(0).getFirst("Range")).isNull();
        }
        assertThat(events).isNotEmpty();
        Event last = events.get(events.size() - 1);
        assertThat(last.done()).isEqualTo(MODEL.length);
        assertThat(last.total()).isEqualTo(MODEL.length);
        assertThat(last.rate()).isPositive();
        assertThat(events).extracting(Event::done).isSorted();
    }

    @Test
    void resumesAnInterruptedTransferWithRange() throws Exception {
        int half = MODEL.length / 2;
        List<Long> rangeStarts = new CopyOnWriteArrayList<>();
        try (TestServer server = new TestServer((ex, n) -> {
            if (n == 1) {
                TestServer.sendPartThenDrop(ex, MODEL, half, ETAG);
            } else {
                long from = TestServer.rangeStart(ex);
                rangeStarts.add(from);
                TestServer.sendRange(ex, MODEL, from, ETAG);
            }
        })) {
            DownloadResult r = downloader.download(server.uri("/m.onnx"), target(), SHA, MODEL.length, null, null);
            assertThat(r.attempts()).isEqualTo(2);
            assertThat(server.requestCount()).isEqualTo(2);
            String range = server.requests.get(1).getFirst("Range");
            assertThat(range).matches("bytes=\\d+-");
            assertThat(rangeStarts.get(0)).isPositive().isLessThanOrEqualTo(half);
            assertThat(server.requests.get(1).getFirst("If-Range")).isEqualTo(ETAG);
        }
        assertThat(TestModels.sha256(target())).isEqualTo(SHA);
    }

    @Test
    void resumesATransferThatStalls() throws Exception {
        try (TestServer server = new TestServer((ex, n) -> {
            if (n == 1) {
                ex.sendResponseHeaders(200, MODEL.length);
                OutputStream out = ex.getResponseBody();
                out.write(MODEL, 0, MODEL.length / 2);
                out.flush();
                TestServer.sleep(6000); // longer than the 2 s read timeout
                throw new TestServer.Drop();
            }
            TestServer.sendRange(ex, MODEL, TestServer.rangeStart(ex), null);
        })) {
            long start = System.nanoTime();
            DownloadResult r = downloader.download(server.uri("/m.onnx"), target(), SHA, MODEL.length, null, null);
            assertThat(r.attempts()).isEqualTo(2);
            assertThat(server.requests.get(1).getFirst("Range")).matches("bytes=\\d+-");
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
        }
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(TestModels.sha256(target())).isEqualTo(SHA);
    }

    @Test
    void cancelWhileTheServerIsSilentStopsPromptly() throws Exception {
        Cancellation cancel = new Cancellation();
        try (TestServer server = new TestServer((ex, n) -> {
            ex.sendResponseHeaders(200, MODEL.length);
            OutputStream out = ex.getResponseBody();
            out.write(MODEL, 0, 1000);
            out.flush();
            TestServer.sleep(10_000);
            throw new TestServer.Drop();
        })) {
            Thread canceller = new Thread(() -> {
                TestServer.sleep(500);
                cancel.cancel();
            });
            canceller.start();
            long start = System.nanoTime();
            assertThatThrownBy(() -> downloader.download(server.uri("/m.onnx"), target(), null, -1, null, cancel))
                    .isInstanceOf(CancelledException.class);
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofMillis(1900).toNanos());
            canceller.join();
        }
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(TestModels.filesUnder(dir)).isEmpty();
    }

    @Test
    void startsOverWhenTheServerIgnoresRange() throws Exception {
        try (TestServer server = new TestServer((ex, n) -> {
            if (n == 1) {
                TestServer.sendPartThenDrop(ex, MODEL, MODEL.length / 2, null);
            } else {
                TestServer.sendAll(ex, MODEL, null); // 200 with the whole file despite the Range header
            }
        })) {
            DownloadResult r = downloader.download(server.uri("/m.onnx"), target(), SHA, MODEL.length, null, null);
            assertThat(r.sha256()).isEqualTo(SHA);
            assertThat(server.requests.get(1).getFirst("Range")).startsWith("bytes=");
            assertThat(server.requests.get(1).getFirst("If-Range")).isNull(); // no ETag, no Last-Modified
        }
        assertThat(Files.readAllBytes(target())).isEqualTo(MODEL);
    }

    @Test
    void startsOverWhenContentRangeDoesNotFit() throws Exception {
        try (TestServer server = new TestServer((ex, n) -> {
            if (n == 1) {
                TestServer.sendPartThenDrop(ex, MODEL, MODEL.length / 2, ETAG);
            } else if (n == 2) {
                TestServer.sendRange(ex, MODEL, 10, ETAG); // not where the client's file ends
            } else {
                TestServer.sendAll(ex, MODEL, ETAG);
            }
        })) {
            DownloadResult r = downloader.download(server.uri("/m.onnx"), target(), SHA, -1, null, null);
            assertThat(r.sha256()).isEqualTo(SHA);
            assertThat(server.requestCount()).isEqualTo(3);
            assertThat(server.requests.get(2).getFirst("Range")).isNull();
        }
    }

    @Test
    void startsOverAfter416AndUsesLastModifiedForIfRange() throws Exception {
        String lastModified = "Tue, 24 Nov 2026 10:00:00 GMT";
        try (TestServer server = new TestServer((ex, n) -> {
            ex.getResponseHeaders().set("Last-Modified", lastModified);
            if (n == 1) {
                TestServer.sendPartThenDrop(ex, MODEL, MODEL.length / 3, null);
            } else if (n == 2) {
                ex.sendResponseHeaders(416, -1);
            } else {
                TestServer.sendAll(ex, MODEL, null);
            }
        })) {
            DownloadResult r = downloader.download(server.uri("/m.onnx"), target(), SHA, MODEL.length, null, null);
            assertThat(r.attempts()).isEqualTo(3);
            assertThat(server.requests.get(1).getFirst("If-Range")).isEqualTo(lastModified);
            assertThat(server.requests.get(2).getFirst("Range")).isNull();
        }
        assertThat(Files.readAllBytes(target())).isEqualTo(MODEL);
    }

    @Test
    void givesUpAfterFiveBrokenTransfersAndLeavesNothing() throws Exception {
        // Every answer is a 200 that breaks off after 1000 bytes.
        try (TestServer server = new TestServer((ex, n) -> TestServer.sendPartThenDrop(ex, MODEL, 1000, null))) {
            URI url = server.uri("/m.onnx");
            assertThatThrownBy(() -> downloader.download(url, target(), SHA, -1, null, null))
                    .isInstanceOf(TeacherException.class)
                    .hasMessageContaining("was interrupted 5 times");
            assertThat(server.requestCount()).isEqualTo(Downloader.MAX_ATTEMPTS);
        }
        assertThat(TestModels.filesUnder(dir)).isEmpty();
    }

    @Test
    void wrongChecksumFailsAndDeletesTheFile() throws Exception {
        String wrong = "0".repeat(64);
        try (TestServer server = new TestServer((ex, n) -> TestServer.sendAll(ex, MODEL, ETAG))) {
            assertThatThrownBy(() -> downloader.download(server.uri("/m.onnx"), target(), wrong, -1, null, null))
                    .isInstanceOf(TeacherException.class)
                    .hasMessage("The download's SHA-256 is " + SHA + " but the catalog expects " + wrong
                            + "; the file was deleted. The server may have changed the file.");
        }
        assertThat(TestModels.filesUnder(dir)).isEmpty();
    }

    @Test
    void wrongSizeFailsAndDeletesTheFile() throws Exception {
        try (TestServer server = new TestServer((ex, n) -> TestServer.sendAll(ex, MODEL, ETAG))) {
            assertThatThrownBy(() -> downloader.download(server.uri("/m.onnx"), target(), null, MODEL.length + 1L,
                    null, null))
                    .isInstanceOf(TeacherException.class)
                    .hasMessageContaining("is " + MODEL.length + " bytes but the catalog expects " + (MODEL.length + 1));
        }
        assertThat(TestModels.filesUnder(dir)).isEmpty();
    }

    @Test
    void notFoundHasAClearMessage() throws Exception {
        try (TestServer server = new TestServer((ex, n) -> ex.sendResponseHeaders(404, -1))) {
            URI url = server.uri("/missing.onnx");
            assertThatThrownBy(() -> downloader.download(url, target(), null, -1, null, null))
                    .isInstanceOf(TeacherException.class)
                    .hasMessageStartingWith("The server answered 404 Not Found for " + url);
            assertThat(server.requestCount()).isEqualTo(1);
        }
        assertThat(TestModels.filesUnder(dir)).isEmpty();
    }

    @Test
    void cancelMidDownloadLeavesNothing() throws Exception {
        Cancellation cancel = new Cancellation();
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (TestServer server = new TestServer((ex, n) -> {
            ex.sendResponseHeaders(200, MODEL.length);
            try (OutputStream out = ex.getResponseBody()) {
                for (int off = 0; off < MODEL.length; off += 32 * 1024) {
                    out.write(MODEL, off, Math.min(32 * 1024, MODEL.length - off));
                    out.flush();
                    TestServer.sleep(5);
                }
            }
        })) {
            assertThatThrownBy(() -> downloader.download(server.uri("/m.onnx"), target(), SHA, -1, (d, t, r) -> {
                seen.add(d);
                if (d > 0) {
                    cancel.cancel();
                }
            }, cancel)).isInstanceOf(CancelledException.class).hasMessageContaining("cancelled");
        }
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(seen.size() - 1)).isLessThan(MODEL.length);
        assertThat(TestModels.filesUnder(dir)).isEmpty();
    }

    @Test
    void interruptCountsAsCancel() throws Exception {
        try (TestServer server = new TestServer((ex, n) -> TestServer.sendAll(ex, MODEL, null))) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> downloader.download(server.uri("/m.onnx"), target(), null, -1, null, null))
                        .isInstanceOf(CancelledException.class);
            } finally {
                Thread.interrupted();
            }
        }
        assertThat(TestModels.filesUnder(dir)).isEmpty();
    }

    @Test
    void unreachableServerHasAClearMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/m.onnx");
        assertThatThrownBy(() -> downloader.download(url, target(), null, -1, null, null))
                .isInstanceOf(TeacherException.class)
                .hasMessageStartingWith("Could not reach 127.0.0.1:" + port + ": ")
                .hasMessageEndingWith("Check your internet connection.");
        assertThat(TestModels.filesUnder(dir)).isEmpty();
    }

    @Test
    void refusesOtherSchemes() {
        assertThatThrownBy(() -> downloader.download(URI.create("file:///etc/passwd"), target(), null, -1, null, null))
                .isInstanceOf(TeacherException.class).hasMessageContaining("Only http and https");
    }
}
