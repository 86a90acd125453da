package dev.distillery.distill.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code benchmarks/torch_reference.py} (packaged in the jar) with a Python that has PyTorch, as a
 * child process: the job goes in on stdin as {@link StudentJson#job JSON}, one JSON line comes back.
 */
public final class TorchReference {
    /** Where the build puts {@code benchmarks/torch_reference.py} in the jar. */
    static final String SCRIPT_RESOURCE = "/dev/distillery/distill/bench/torch_reference.py";
    /** Tried in this order when no interpreter is named: the PATH's python3, then Debian's. */
    public static final List<String> DEFAULT_PYTHONS = List.of("python3", "/usr/bin/python3");

    /** What the reference measured; {@code msPerStep} splits a step into data, forward + loss, backward, step. */
    public record Result(double samplesPerSecond, long samples, double seconds, int epochs, long params,
                         String torchVersion, int threads, int interopThreads, String msPerStep) {
    }

    /** A Python with torch, or why there is none. */
    public record Interpreter(String python, String torchVersion, String problem) {
        public boolean available() {
            return problem == null;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TorchReference() {
    }

    /**
     * The first of {@code candidates} that runs and imports torch; when none does, the problem of each
     * (e.g. "python3: No module named 'torch'").
     */
    public static Interpreter find(List<String> candidates) {
        List<String> problems = new ArrayList<>();
        for (String python : candidates) {
            try {
                Output o = run(List.of(python, "-c", "import torch; print(torch.__version__)"), null, 120);
                if (o.code() == 0 && !o.stdout().isBlank()) {
                    return new Interpreter(python, o.stdout().strip(), null);
                }
                problems.add(python + ": " + lastLine(o.stderr()));
            } catch (IOException e) {
                problems.add(python + ": cannot run (" + e.getMessage() + ")");
            }
        }
        return new Interpreter(candidates.isEmpty() ? null : candidates.get(0), null, String.join("; ", problems));
    }

    /** Runs one job; throws {@link IOException} with the script's last error line if it fails. */
    public static Result run(Interpreter python, String jobJson, double seconds) throws IOException {
        Path script = extractScript();
        try {
            // A warm-up epoch and the import of torch come on top of the time budget.
            long timeout = Math.round(seconds * 4 + 300);
            Output o = run(List.of(python.python(), script.toString()), jobJson, timeout);
            if (o.code() != 0) {
                throw new IOException("reference failed (exit " + o.code() + "): " + lastLine(o.stderr()));
            }
            String line = o.stdout().strip();
            line = line.substring(line.lastIndexOf('\n') + 1);
            JsonNode j = MAPPER.readTree(line);
            return new Result(j.get("samples_per_second").asDouble(), j.get("samples").asLong(),
                    j.get("seconds").asDouble(), j.get("epochs").asInt(), j.get("params").asLong(),
                    j.get("torch").asText(), j.get("threads").asInt(), j.get("interop_threads").asInt(),
                    j.path("ms_per_step").toString());
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** The packaged script, copied to a temporary file (Python cannot read it out of the jar). */
    static Path extractScript() throws IOException {
        try (InputStream in = TorchReference.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IOException("torch_reference.py is not packaged (" + SCRIPT_RESOURCE + ")");
            }
            Path tmp = Files.createTempFile("distillery-torch-reference", ".py");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        }
    }

    record Output(int code, String stdout, String stderr) {
    }

    private static Output run(List<String> command, String stdin, long timeoutSeconds) throws IOException {
        Path err = Files.createTempFile("distillery-python", ".err");
        Path out = Files.createTempFile("distillery-python", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
            // If this JVM is stopped (Ctrl+C, kill) the child must not go on using the CPU.
            Thread reaper = new Thread(p::destroyForcibly, "python-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            try {
                return finish(p, command, stdin, timeoutSeconds, out, err);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(reaper);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
        } finally {
            Files.deleteIfExists(err);
            Files.deleteIfExists(out);
        }
    }

    private static Output finish(Process p, List<String> command, String stdin, long timeoutSeconds, Path out, Path err)
            throws IOException {
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish in " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Output(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String lastLine(String text) {
        String t = Optional.ofNullable(text).orElse("").strip();
        return t.isEmpty() ? "no output" : t.substring(t.lastIndexOf('\n') + 1);
    }
}
