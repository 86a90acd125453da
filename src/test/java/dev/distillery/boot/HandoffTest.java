package dev.distillery.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second start hands its files to the window already open, or withdraws and says nobody took them. */
class HandoffTest {
    @TempDir
    Path dir;

    List<Path> inbox() throws Exception {
        try (var s = Files.list(dir.resolve(Handoff.INBOX))) {
            return s.toList();
        }
    }

    @Test
    void nobodyListeningMeansNotTakenAndNothingLeftBehind() throws Exception {
        assertThat(Handoff.send(dir, List.of(dir.resolve("a.onnx")), Duration.ofMillis(300))).isFalse();
        assertThat(inbox()).isEmpty();
    }

    @Test
    void theListenerGetsEachRequestOnceWithAbsolutePaths() throws Exception {
        List<List<Path>> got = Collections.synchronizedList(new ArrayList<>());
        try (Handoff.Listener l = Handoff.listen(dir, got::add)) {
            Path relative = Path.of("some dir", "model with spaces é.onnx");
            assertThat(Handoff.send(dir, List.of(relative, dir.resolve("b.onnx")), Duration.ofSeconds(10))).isTrue();
            assertThat(Handoff.send(dir, List.of(), Duration.ofSeconds(10))).as("a plain second start").isTrue();
            // several at once: every one is taken exactly once
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Boolean>> sent = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Path f = dir.resolve("m" + i + ".onnx");
                sent.add(pool.submit(() -> Handoff.send(dir, List.of(f), Duration.ofSeconds(10))));
            }
            for (Future<Boolean> f : sent) {
                assertThat(f.get()).isTrue();
            }
            pool.shutdown();
            assertThat(got).hasSize(10);
            assertThat(got.get(0)).containsExactly(relative.toAbsolutePath().normalize(), dir.resolve("b.onnx"));
            assertThat(got.get(1)).isEmpty();
            assertThat(got.subList(2, 10).stream().map(r -> r.get(0).getFileName().toString()).sorted().toList())
                    .containsExactly("m0.onnx", "m1.onnx", "m2.onnx", "m3.onnx", "m4.onnx", "m5.onnx", "m6.onnx",
                            "m7.onnx");
        }
        assertThat(inbox()).isEmpty();
    }

    @Test
    void aRequestLeftFromLongAgoIsDroppedAtStartAndARecentOneIsTaken() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve(Handoff.INBOX));
        Path old = Files.writeString(inbox.resolve("1-old" + Handoff.SUFFIX), dir.resolve("old.onnx") + "\n");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Handoff.STALE).minusSeconds(60)));
        Files.writeString(inbox.resolve("2-new" + Handoff.SUFFIX), dir.resolve("new.onnx") + "\n");
        List<List<Path>> got = Collections.synchronizedList(new ArrayList<>());
        try (Handoff.Listener l = Handoff.listen(dir, got::add)) {
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (got.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        }
        assertThat(got).containsExactly(List.of(dir.resolve("new.onnx")));
        assertThat(inbox()).isEmpty();
    }

    @Test
    void aClosedListenerTakesNothingMore() throws Exception {
        Handoff.listen(dir, r -> { }).close();
        Thread.sleep(300);
        assertThat(Handoff.send(dir, List.of(), Duration.ofMillis(500))).isFalse();
    }
}
