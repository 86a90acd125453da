package dev.distillery.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.distillery.network.crypto.Hotkey;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.score.Challenge;
import dev.distillery.teacher.library.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings of {@code distillery ledger}: built-in defaults, then a {@code --config} JSON file, then the command
 * line (a field set later wins; stakes are merged per hotkey). Fields left null mean "not said here". Keys starting
 * with "_" in the file are comments; any other unknown key is refused, so a typo does not silently fall back to a
 * default. See app/ledger.example.json.
 */
final class LedgerSettings {
    /** A configuration that cannot be used; the message is one line naming the problem. */
    static final class BadConfigException extends Exception {
        BadConfigException(String message) {
            super(message);
        }
    }

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 7733;
    static final long DEFAULT_BLOCK_MILLIS = 1000;
    static final String DEFAULT_OWNER = "owner";

    static final List<String> KEYS = List.of("host", "port", "blockMillis", "tempo", "owner", "stakes", "plaintext",
            "challenge", "maxUids", "immunityPeriod", "maxValidators", "activityCutoff", "kappa", "bondsAlpha",
            "bondsPenalty", "emissionPerBlock", "ownerCut");

    String host;
    Integer port;
    Long blockMillis;
    Long tempo;
    String owner;
    final Map<String, Double> stakes = new LinkedHashMap<>();
    Boolean plaintext;
    Challenge challenge;
    Integer maxUids;
    Long immunityPeriod;
    Integer maxValidators;
    Long activityCutoff;
    Double kappa;
    Double bondsAlpha;
    Double bondsPenalty;
    Double emissionPerBlock;
    Double ownerCut;

    /** Reads a settings file; {@code challenge} may be an object or a path (relative to the file's folder). */
    static LedgerSettings read(Path file) throws BadConfigException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new BadConfigException(file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new BadConfigException(file + " is not valid JSON: " + firstLine(e.getOriginalMessage()) + " (line "
                    + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new BadConfigException("cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadConfigException(file + " must hold one JSON object");
        }
        LedgerSettings s = new LedgerSettings();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.startsWith("_")) {
                continue;
            }
            String where = file + ": \"" + key + "\"";
            switch (key) {
                case "host" -> s.host = text(v, where);
                case "port" -> s.port = (int) whole(v, where, 0, 65535);
                case "blockMillis" -> s.blockMillis = whole(v, where, 10, Long.MAX_VALUE);
                case "tempo" -> s.tempo = whole(v, where, 1, Long.MAX_VALUE);
                case "owner" -> s.owner = ss58(text(v, where), where);
                case "stakes" -> {
                    if (!v.isObject()) {
                        throw new BadConfigException(where + " must be an object of SS58 address: tokens");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> st = v.fields(); st.hasNext(); ) {
                        Map.Entry<String, JsonNode> stake = st.next();
                        String w = where + " of " + stake.getKey();
                        s.stakes.put(ss58(stake.getKey(), w), number(stake.getValue(), w, 0));
                    }
                }
                case "plaintext" -> {
                    if (!v.isBoolean()) {
                        throw new BadConfigException(where + " must be true or false");
                    }
                    s.plaintext = v.booleanValue();
                }
                case "challenge" -> s.challenge = challenge(v, file, where);
                case "maxUids" -> s.maxUids = (int) whole(v, where, 1, 4096);
                case "immunityPeriod" -> s.immunityPeriod = whole(v, where, 0, Long.MAX_VALUE);
                case "maxValidators" -> s.maxValidators = (int) whole(v, where, 0, 4096);
                case "activityCutoff" -> s.activityCutoff = whole(v, where, 0, Long.MAX_VALUE);
                case "kappa" -> s.kappa = fraction(v, where);
                case "bondsAlpha" -> s.bondsAlpha = fraction(v, where);
                case "bondsPenalty" -> s.bondsPenalty = fraction(v, where);
                case "emissionPerBlock" -> s.emissionPerBlock = number(v, where, 0);
                case "ownerCut" -> s.ownerCut = fraction(v, where);
                default -> throw new BadConfigException(file + ": unknown key \"" + key + "\" (known: "
                        + String.join(", ", KEYS) + "; keys starting with _ are comments)");
            }
        }
        return s;
    }

    /** Takes every field {@code later} sets; stakes are merged, {@code later}'s winning per hotkey. */
    LedgerSettings overriddenBy(LedgerSettings later) {
        LedgerSettings s = new LedgerSettings();
        s.host = pick(later.host, host);
        s.port = pick(later.port, port);
        s.blockMillis = pick(later.blockMillis, blockMillis);
        s.tempo = pick(later.tempo, tempo);
        s.owner = pick(later.owner, owner);
        s.stakes.putAll(stakes);
        s.stakes.putAll(later.stakes);
        s.plaintext = pick(later.plaintext, plaintext);
        s.challenge = pick(later.challenge, challenge);
        s.maxUids = pick(later.maxUids, maxUids);
        s.immunityPeriod = pick(later.immunityPeriod, immunityPeriod);
        s.maxValidators = pick(later.maxValidators, maxValidators);
        s.activityCutoff = pick(later.activityCutoff, activityCutoff);
        s.kappa = pick(later.kappa, kappa);
        s.bondsAlpha = pick(later.bondsAlpha, bondsAlpha);
        s.bondsPenalty = pick(later.bondsPenalty, bondsPenalty);
        s.emissionPerBlock = pick(later.emissionPerBlock, emissionPerBlock);
        s.ownerCut = pick(later.ownerCut, ownerCut);
        return s;
    }

    String hostOrDefault() {
        return pick(host, DEFAULT_HOST);
    }

    int portOrDefault() {
        return pick(port, DEFAULT_PORT);
    }

    long blockMillisOrDefault() {
        return pick(blockMillis, DEFAULT_BLOCK_MILLIS);
    }

    boolean plaintextOrDefault() {
        return pick(plaintext, false);
    }

    /** The ledger's rules: devnet defaults (DESIGN.md §4) with what these settings say. */
    Ledger.Config config() throws BadConfigException {
        Ledger.Config d = Ledger.Config.devnet(pick(owner, DEFAULT_OWNER));
        long t = pick(tempo, d.tempo());
        int p = pick(port, DEFAULT_PORT);
        long b = blockMillisOrDefault();
        if (b < 10 || t < 1 || p < 0 || p > 65535) {
            throw new BadConfigException("need blockMillis (--block-ms) >= 10, tempo >= 1 and a port in 0..65535, "
                    + "got " + b + ", " + t + " and " + p);
        }
        return new Ledger.Config(t, pick(maxUids, d.maxUids()), pick(immunityPeriod, d.immunityPeriod()),
                pick(maxValidators, d.maxValidators()), pick(activityCutoff, d.activityCutoff()),
                pick(kappa, d.kappa()), pick(bondsAlpha, d.bondsAlpha()), pick(bondsPenalty, d.bondsPenalty()),
                pick(emissionPerBlock, d.emissionPerBlock()), pick(ownerCut, d.ownerCut()), d.ownerHotkey(),
                pick(challenge, d.genesis()));
    }

    /** The settings in force, one per line, for {@code --check} and the start-up banner. */
    String describe() throws BadConfigException {
        Ledger.Config c = config();
        Challenge g = c.genesis();
        StringBuilder b = new StringBuilder();
        b.append("host ").append(hostOrDefault()).append('\n');
        b.append("port ").append(portOrDefault()).append('\n');
        b.append("blockMillis ").append(blockMillisOrDefault()).append('\n');
        b.append("tempo ").append(c.tempo()).append('\n');
        b.append("owner ").append(c.ownerHotkey()).append('\n');
        b.append("plaintext ").append(plaintextOrDefault()).append('\n');
        new TreeMap<>(stakes).forEach((k, v) -> b.append("stake ").append(k).append(' ').append(v).append('\n'));
        b.append(String.format(Locale.ROOT, "rules maxUids %d, immunityPeriod %d, maxValidators %d, activityCutoff %d,"
                + " kappa %s, bondsAlpha %s, bondsPenalty %s, emissionPerBlock %s, ownerCut %s%n", c.maxUids(),
                c.immunityPeriod(), c.maxValidators(), c.activityCutoff(), c.kappa(), c.bondsAlpha(),
                c.bondsPenalty(), c.emissionPerBlock(), c.ownerCut()));
        b.append(String.format(Locale.ROOT, "genesis challenge %s: latency budget %s ms, size cap %d bytes, "
                + "floors %s ms / %d bytes, weights %s/%s/%s%n", g.id(), g.latencyBudgetMs(), g.sizeCapBytes(),
                g.speedFloorMs(), g.sizeFloorBytes(), g.weights().quality(), g.weights().speed(),
                g.weights().size()));
        return b.toString();
    }

    private static <T> T pick(T first, T otherwise) {
        return first != null ? first : otherwise;
    }

    private static String text(JsonNode v, String where) throws BadConfigException {
        if (!v.isTextual()) {
            throw new BadConfigException(where + " must be a string");
        }
        return v.textValue();
    }

    private static long whole(JsonNode v, String where, long min, long max) throws BadConfigException {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new BadConfigException(where + " must be a whole number in " + min + ".."
                    + (max == Long.MAX_VALUE ? "" : max) + ", got " + v);
        }
        return v.longValue();
    }

    private static double number(JsonNode v, String where, double min) throws BadConfigException {
        if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() < min) {
            throw new BadConfigException(where + " must be a number >= " + min + ", got " + v);
        }
        return v.doubleValue();
    }

    private static double fraction(JsonNode v, String where) throws BadConfigException {
        double d = number(v, where, 0);
        if (d > 1) {
            throw new BadConfigException(where + " must be between 0 and 1, got " + v);
        }
        return d;
    }

    static String ss58(String address, String where) throws BadConfigException {
        try {
            return Hotkey.fromSs58(address).ss58();
        } catch (IllegalArgumentException e) {
            throw new BadConfigException(where + ": '" + address + "' is not an SS58 hotkey address ("
                    + e.getMessage() + ")");
        }
    }

    private static Challenge challenge(JsonNode v, Path file, String where) throws BadConfigException {
        JsonNode node = v;
        String source = where;
        if (v.isTextual()) {
            Path p = file.toAbsolutePath().getParent().resolve(v.textValue());
            source = where + " (" + p + ")";
            try {
                node = Json.mapper().readTree(Files.readString(p));
            } catch (NoSuchFileException e) {
                throw new BadConfigException(where + ": " + p + " does not exist");
            } catch (JsonProcessingException e) {
                throw new BadConfigException(source + " is not valid JSON: " + firstLine(e.getOriginalMessage()));
            } catch (IOException e) {
                throw new BadConfigException(where + ": cannot read " + p + ": " + e.getMessage());
            }
        }
        if (node == null || !node.isObject()) {
            throw new BadConfigException(where + " must be a challenge object or the path of a file holding one");
        }
        try {
            return Json.mapper().treeToValue(node, Challenge.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NullPointerException) {
                throw new BadConfigException(source + ": the challenge has no \"" + cause.getMessage() + "\"");
            }
            throw new BadConfigException(source + ": " + (cause != null ? cause.getMessage()
                    : firstLine(e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            throw new BadConfigException(source + ": not a challenge: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
