package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distillery yuma --in state.json}: the documented keys in and out, and one-line errors. */
class YumaCliTest {
    @TempDir
    Path dir;

    static final String STATE = """
            {"block": 100, "tempo": 10, "activity_cutoff": 5000, "kappa": 0.5, "bonds_alpha": 0.1,
             "bonds_penalty": 1.0, "emission": 100, "owner_cut": 0.18,
             "stake": [60, 40, 0, 0], "validator_permit": [true, true, false, false],
             "last_update": [100, 100, 100, 100], "registered_at": [0, 0, 0, 0],
             "weights": [[0, 0, 0.75, 0.25], [0, 0, 0.75, 0.25], [0, 0, 0, 0], [0, 0, 0, 0]]}
            """;

    @Test
    void printsOneEpochAsJson() throws Exception {
        Path in = dir.resolve("state.json");
        Files.writeString(in, STATE);
        CliTest.Result r = CliTest.run("yuma", "--in", in.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode out = new ObjectMapper().readTree(r.out());
        assertThat(out.fieldNames()).toIterable().containsExactlyInAnyOrder("consensus", "validator_trust",
                "incentive", "dividends", "bonds", "miner_emission", "validator_emission", "owner_emission");
        assertThat(out.get("miner_emission").get(2).asDouble()).isEqualTo(30.75, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(out.get("owner_emission").asDouble()).isEqualTo(18, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(out.get("bonds")).hasSize(4);
    }

    @Test
    void badInputIsAUsageErrorOnOneLine() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, STATE.replace("\"stake\": [60, 40, 0, 0]", "\"stake\": [60, 40]"));
        CliTest.Result r = CliTest.run("yuma", "--in", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("validator_permit must have 2 values").doesNotContain("\n");
        Files.writeString(bad, "{not json");
        assertThat(CliTest.run("yuma", "--in", bad.toString()).code()).isEqualTo(2);
        assertThat(CliTest.run("yuma", "--in", dir.resolve("missing.json").toString()).err()).contains("does not exist");
    }
}
