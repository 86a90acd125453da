package dev.distillery.teacher.library;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 that records every request's headers. */
final class TestServer implements AutoCloseable {
    /** Answers one request; {@code n} counts requests from 1. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange, int n) throws IOException;
    }

    private final HttpServer server;
    private final AtomicInteger count = new AtomicInteger();
    final List<Headers> requests = new CopyOnWriteArrayList<>();

    TestServer(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestHeaders());
            try {
                handler.handle(exchange, count.incrementAndGet());
            } catch (Drop drop) {
                throw drop; // the server closes the connection when a handler throws
            } catch (IOException e) {
                // the client went away
            }
            exchange.close();
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int requestCount() {
        return count.get();
    }

    /** Sends the whole body with status 200. */
    static void sendAll(HttpExchange ex, byte[] body, String etag) throws IOException {
        if (etag != null) {
            ex.getResponseHeaders().set("ETag", etag);
        }
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Announces the whole body but sends only {@code upTo} bytes, then drops the connection (the
     * server closes it when fewer bytes than announced were written).
     */
    static void sendPartThenDrop(HttpExchange ex, byte[] body, int upTo, String etag) throws IOException {
        if (etag != null) {
            ex.getResponseHeaders().set("ETag", etag);
        }
        ex.sendResponseHeaders(200, body.length);
        OutputStream out = ex.getResponseBody();
        out.write(body, 0, upTo);
        out.flush();
        sleep(100);
        throw new Drop();
    }

    /** Thrown by a handler to make the server close the connection at once. */
    static final class Drop extends IOException {
        private static final long serialVersionUID = 1L;

        Drop() {
            super("dropping the connection on purpose");
        }
    }

    /** Answers a {@code Range: bytes=<from>-} request with 206 from {@code from}. */
    static void sendRange(HttpExchange ex, byte[] body, long from, String etag) throws IOException {
        if (etag != null) {
            ex.getResponseHeaders().set("ETag", etag);
        }
        ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        ex.sendResponseHeaders(206, body.length - from);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body, (int) from, (int) (body.length - from));
        }
    }

    /** The start of a {@code Range: bytes=<n>-} header, or -1 when there is none. */
    static long rangeStart(HttpExchange ex) {
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range == null) {
            return -1;
        }
        return Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
