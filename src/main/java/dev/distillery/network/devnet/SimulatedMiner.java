package dev.distillery.network.devnet;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.distillery.core.AtomicFiles;
import dev.distillery.core.Sha256;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.miner.ValidatorClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A devnet competitor run by the app, not by a person: it registers as <em>simulated</em> (the ledger labels it so
 * everywhere), commits one of the real students shipped in {@code assets/devnet} and uploads it to every validator,
 * exactly as a miner would, over gRPC. The copycat re-submits the strong student with one metadata field changed —
 * a new hash, the same outputs — so the devnet shows copy detection at work.
 */
public final class SimulatedMiner {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedMiner.class);

    /**
     * @param name     the miner's name (its hotkey file and label)
     * @param resource the student, a class-path resource next to this class
     * @param copycat  re-submit the student under a new hash (metadata changed, outputs identical)
     * @param quality  what to expect, for people reading the devnet's logs and screen
     */
    public record Spec(String name, String resource, boolean copycat, String quality) {
    }

    /** The devnet's competitors, in the order they commit (the original before its copy). */
    public static final List<Spec> DEFAULTS = List.of(
            new Spec("sim-strong", "sim-strong.onnx", false, "well distilled"),
            new Spec("sim-fair", "sim-fair.onnx", false, "briefly trained"),
            new Spec("sim-weak", "sim-weak.onnx", false, "barely trained"),
            new Spec("sim-copycat", "sim-strong.onnx", true, "copy of sim-strong"));

    private final Spec spec;
    private final HotkeyPair key;
    private final Path folder;

    public SimulatedMiner(Spec spec, HotkeyPair key, Path folder) {
        this.spec = spec;
        this.key = key;
        this.folder = folder;
    }

    public Spec spec() {
        return spec;
    }

    public HotkeyPair key() {
        return key;
    }

    /** The student this miner submits, written into its folder on first use. */
    public Path model() throws IOException {
        Path file = folder.resolve(spec.name() + ".onnx");
        if (Files.isRegularFile(file)) {
            return file;
        }
        byte[] bytes;
        try (InputStream in = SimulatedMiner.class.getResourceAsStream(spec.resource())) {
            if (in == null) {
                throw new IOException("The devnet student " + spec.resource() + " is missing from the application");
            }
            bytes = in.readAllBytes();
        }
        if (spec.copycat()) {
            bytes = ModelProto.parseFrom(bytes).toBuilder()
                    .addMetadataProps(StringStringEntryProto.newBuilder().setKey("distillery.resubmitted_by")
                            .setValue(spec.name()))
                    .build().toByteArray();
        }
        Files.createDirectories(folder);
        AtomicFiles.write(file, bytes);
        return file;
    }

    /**
     * Registers (simulated), commits the student and uploads it to each validator that has not had it yet (a marker
     * file per validator remembers, so a restarted devnet does not upload again).
     *
     * @return the UID
     */
    public int submit(LedgerClient ledger, Map<String, ValidatorClient> validators) throws IOException {
        Path model = model();
        byte[] sha = Sha256.of(model);
        String hex = HexFormat.of().formatHex(sha);
        int uid = ledger.register(true).getUid();
        ledger.commit(sha, Files.size(model));
        for (var v : validators.entrySet()) {
            Path marker = folder.resolve(spec.name() + "." + v.getKey() + ".uploaded");
            if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.US_ASCII).strip().equals(hex)) {
                continue;
            }
            String id = v.getValue().upload(model, ledger.block(), null).getSubmissionId();
            AtomicFiles.write(marker, hex.getBytes(StandardCharsets.US_ASCII));
            LOG.info("Simulated miner {} (uid {}, {}) uploaded {} to {}: submission {}", spec.name(), uid,
                    spec.quality(), hex.substring(0, 12), v.getKey(), id);
        }
        return uid;
    }
}
