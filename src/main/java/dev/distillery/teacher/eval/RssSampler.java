package dev.distillery.teacher.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the process's resident memory every 10 ms (Linux: VmRSS in /proc/self/status) and keeps
 * the highest value; elsewhere falls back to the JVM heap in use, which misses native memory.
 */
final class RssSampler implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private final AtomicLong peakKb = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private RssSampler() {
        sample();
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    static RssSampler start() {
        return new RssSampler();
    }

    double peakMb() {
        sample();
        return peakKb.get() / 1024.0;
    }

    static long currentKb() {
        if (Files.isReadable(STATUS)) {
            try {
                for (String line : Files.readAllLines(STATUS)) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // fall through to the heap estimate
            }
        }
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / 1024;
    }

    private void sample() {
        peakKb.accumulateAndGet(currentKb(), Math::max);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
