package dev.distillery.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.distillery.model.TeacherProfile;
import dev.distillery.network.crypto.HotkeyFiles;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.score.SandboxEvaluator;
import dev.distillery.network.tls.ServerIdentity;
import dev.distillery.network.validator.LedgerLink;
import dev.distillery.network.validator.ValidatorNode;
import dev.distillery.network.validator.ValidatorServer;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import dev.distillery.teacher.library.Json;
import dev.distillery.teacher.library.Teacher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code distillery validator --config FILE}: a headless validator. Takes miners' uploads over gRPC, evaluates
 * them in a sandbox on a fresh set every epoch and sets weights on the ledger once per tempo.
 */
@Command(name = "validator", description = {"Run a validator headless: uploads over gRPC (distillery.v1.Validator),",
    "sandboxed evaluation on a fresh set every epoch, weights on the ledger once per tempo.",
    "Settings in a JSON file (see app/validator.example.json); options override it.",
    "Exit codes: 0 stopped, 1 error, 2 bad or missing configuration."})
final class ValidatorCommand implements Callable<Integer> {
    @ParentCommand
    DistilleryCommand root;
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The validator's JSON settings")
    Path configFile;
    @Option(names = "--host", description = "Address to listen on (default 127.0.0.1)")
    String host;
    @Option(names = "--port", description = "Port (default 7734; 0: any free port)")
    Integer port;
    @Option(names = "--plaintext", description = "Serve without TLS")
    Boolean plaintext;
    @Option(names = "--folder", description = "The validator's state (default <data>/validator)")
    String folder;
    @Option(names = "--hotkey", description = "The validator's hotkey file (created on first start)")
    String hotkey;
    @Option(names = "--teacher", description = "The teacher's ONNX file (default: the devnet teacher)")
    String teacher;
    @Option(names = "--eval-folder", description = "Hidden images for a challenge that evaluates on a folder")
    String evalFolder;
    @Option(names = "--workers", description = "Evaluations at once (default 1)")
    Integer workers;
    @Option(names = "--for-seconds", hidden = true, description = "Stop after this many seconds (tests)")
    Long forSeconds;

    /** The settings file. Absent keys take defaults ({@link #resolve}). */
    record Config(String host, Integer port, Boolean plaintext, String folder, Ledger ledger, String hotkey,
                  String teacher, String evalFolder, Integer workers, Limits limits) {
        /** Where the ledger is: pin its certificate's SHA-256 {@code fingerprint}, or say {@code plaintext}. */
        record Ledger(String host, Integer port, String fingerprint, Boolean plaintext) {
        }

        /** Of each evaluation's child JVM. */
        record Limits(Integer heapMb, Long nativeLimitMb, Long timeoutSeconds) {
        }
    }

    /** A configuration that cannot be used; the message is one line for the operator. */
    static final class BadConfig extends Exception {
        BadConfig(String message) {
            super(message);
        }
    }

    static final int DEFAULT_PORT = 7734;

    /** Reads the file strictly: unknown keys are errors (a typo must not silently fall back to a default). */
    static Config read(Path file) throws BadConfig {
        if (file == null || !Files.isRegularFile(file)) {
            throw new BadConfig("the configuration " + file + " does not exist");
        }
        try {
            Config c = Json.mapper().readerFor(Config.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(Files.readString(file));
            if (c == null) {
                throw new BadConfig("the configuration " + file + " is empty");
            }
            return c;
        } catch (BadConfig e) {
            throw e;
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new BadConfig(file + ": unknown key \"" + e.getPropertyName() + "\"");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadConfig(file + ": not valid JSON for a validator configuration ("
                    + e.getOriginalMessage().replaceAll("\\s+", " ") + ")");
        } catch (java.io.IOException e) {
            throw new BadConfig("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The file's values, each overridden by the option given, with defaults filled in and checked. */
    Config resolve(Config f, Path dataRoot) throws BadConfig {
        Config.Limits l = f.limits() == null ? new Config.Limits(null, null, null) : f.limits();
        SandboxEvaluator.Limits d = SandboxEvaluator.Limits.defaults();
        String dir = first(folder, f.folder(), dataRoot.resolve("validator").toString());
        Config c = new Config(first(host, f.host(), "127.0.0.1"), first(port, f.port(), DEFAULT_PORT),
                first(plaintext, f.plaintext(), false), dir, f.ledger(),
                first(hotkey, f.hotkey(), Path.of(dir).resolve("hotkey.key").toString()), first(teacher, f.teacher(), null),
                first(evalFolder, f.evalFolder(), null), first(workers, f.workers(), 1),
                new Config.Limits(first(l.heapMb(), d.heapMb()), first(l.nativeLimitMb(), d.nativeLimitMb()),
                        first(l.timeoutSeconds(), d.timeoutSeconds())));
        if (c.port() < 0 || c.port() > 65535) {
            throw new BadConfig("port must be in 0..65535, not " + c.port());
        }
        if (c.workers() < 1) {
            throw new BadConfig("workers must be at least 1");
        }
        if (c.limits().heapMb() < 64 || c.limits().nativeLimitMb() < 0 || c.limits().timeoutSeconds() < 1) {
            throw new BadConfig("limits need heapMb ≥ 64, nativeLimitMb ≥ 0 (0: none) and timeoutSeconds ≥ 1");
        }
        Config.Ledger led = c.ledger();
        if (led == null || led.host() == null || led.port() == null || led.port() < 1 || led.port() > 65535) {
            throw new BadConfig("ledger needs a host and a port, e.g. \"ledger\": {\"host\": \"127.0.0.1\", "
                    + "\"port\": 7733, \"fingerprint\": \"…\"}");
        }
        boolean ledgerPlain = Boolean.TRUE.equals(led.plaintext());
        if (ledgerPlain == (led.fingerprint() != null && !led.fingerprint().isBlank())) {
            throw new BadConfig("ledger needs either the fingerprint of its certificate (TLS, pinned) or "
                    + "\"plaintext\": true, not both");
        }
        if (!c.hotkey().endsWith(".key")) {
            throw new BadConfig("hotkey must name a .key file, not " + c.hotkey());
        }
        return c;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /**
     * The link to the ledger over gRPC (TLS pinned to the configured fingerprint, or plaintext), signing with
     * {@code key}. Registers the validator's hotkey (a no-op when it is registered) so that it can set weights once
     * the ledger gives it a permit, and fails here, not later, when the ledger cannot be reached.
     */
    static LedgerLink connect(Config.Ledger cfg, HotkeyPair key) {
        dev.distillery.network.ledger.LedgerClient client = Boolean.TRUE.equals(cfg.plaintext())
                ? dev.distillery.network.ledger.LedgerClient.plaintext(cfg.host(), cfg.port(), key)
                : dev.distillery.network.ledger.LedgerClient.pinned(cfg.host(), cfg.port(), cfg.fingerprint(), key);
        try {
            client.register(false);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new dev.distillery.network.validator.GrpcLedgerLink(client);
    }

    /**
     * One line about a failed connection: the first line of the message, and the pinning verdict when TLS refused
     * the certificate (gRPC buries it under "io exception").
     */
    static String reason(Throwable e) {
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException) {
                return first + " (" + t.getMessage().lines().findFirst().orElse("") + ")";
            }
        }
        return first;
    }

    /** Loads the hotkey, or creates it on first start and says so (the operator stakes that address). */
    static HotkeyPair hotkey(Path file, PrintWriter out) throws java.io.IOException {
        Path parent = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        name = name.substring(0, name.length() - ".key".length());
        HotkeyFiles files = new HotkeyFiles(parent);
        if (Files.exists(file)) {
            return files.load(name);
        }
        HotkeyPair pair = files.create(name);
        out.println("created the validator's hotkey " + pair.hotkey().ss58() + " in " + file
                + "; register and stake it on the subnet before it can set weights");
        out.flush();
        return pair;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Config c;
        try {
            c = resolve(read(configFile), root.dataDirectory());
        } catch (BadConfig e) {
            err.println("distillery: " + e.getMessage());
            return DistilleryCommand.EXIT_USAGE;
        }
        Path dir = Path.of(c.folder());
        Files.createDirectories(dir);
        HotkeyPair key = hotkey(Path.of(c.hotkey()), out);
        LedgerLink ledger;
        try {
            ledger = connect(c.ledger(), key);
        } catch (RuntimeException e) {
            err.println("distillery: cannot reach the ledger at " + c.ledger().host() + ":" + c.ledger().port() + ": "
                    + reason(e));
            return DistilleryCommand.EXIT_ERROR;
        }
        Path teacherFile;
        TeacherProfile profile;
        if (c.teacher() != null) {
            teacherFile = Path.of(c.teacher());
            profile = ProfileInference.infer(OnnxModelReader.read(teacherFile));
        } else {
            var found = TeacherCommand.withService(root, Challenge.THREADS, s -> {
                Teacher t = s.bySha256(Challenge.DEVNET_TEACHER_SHA256);
                return java.util.Map.entry(s.fileOf(t), t);
            });
            teacherFile = found.getKey();
            Teacher t = found.getValue();
            profile = t.profile();
        }
        ServerIdentity tls = c.plaintext() ? null : ServerIdentity.loadOrCreate(dir.resolve("tls"), c.host());
        ValidatorNode.Config nc = new ValidatorNode.Config(dir, teacherFile,
                c.evalFolder() == null ? null : Path.of(c.evalFolder()), c.workers(),
                new SandboxEvaluator.Limits(c.limits().heapMb(), c.limits().nativeLimitMb(), c.limits().timeoutSeconds()));
        try (ValidatorServer server = ValidatorServer.start(nc, new ValidatorServer.Options(c.host(), c.port(), tls,
                1000), ledger, profile)) {
            out.printf("validator %s listening on %s:%d (%s), state in %s%n", key.hotkey().ss58(), c.host(),
                    server.port(), tls == null ? "plaintext" : "TLS, certificate sha256 " + tls.fingerprint(), dir);
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "validator-shutdown"));
            if (forSeconds != null) {
                Thread.sleep(forSeconds * 1000);
            } else {
                server.awaitTermination();
            }
        }
        return 0;
    }
}
