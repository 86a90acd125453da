package dev.distillery.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distillery.network.yuma.Yuma;
import dev.distillery.network.yuma.YumaResult;
import dev.distillery.network.yuma.YumaState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery yuma --in state.json}: one epoch of the ledger's own Yuma code, as JSON. */
@Command(name = "yuma", description = {"Run one Yuma consensus epoch (the ledger's own code) on a JSON state and print",
    "the result as JSON. Input keys: block, tempo, activity_cutoff, kappa, bonds_alpha, bonds_penalty, emission,",
    "owner_cut; per UID: stake, validator_permit, last_update, registered_at; weights (n×n) and optional bonds",
    "(n×n, the previous epoch's). Output keys: consensus, validator_trust, incentive, dividends, bonds,",
    "miner_emission, validator_emission, owner_emission. Rules: DESIGN.md §4."})
final class YumaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "state.json", description = "The epoch's input state")
    Path in;

    static ObjectMapper mapper() {
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        YumaState state;
        try {
            state = mapper().readValue(Files.readString(in), YumaState.class);
        } catch (NoSuchFileException e) {
            err.println("distillery: " + in + " does not exist");
            return DistilleryCommand.EXIT_USAGE;
        } catch (IOException e) {
            err.println("distillery: cannot read the state in " + in + ": " + e.getMessage().lines().findFirst()
                    .orElse(""));
            return DistilleryCommand.EXIT_USAGE;
        }
        YumaResult r;
        try {
            r = Yuma.epoch(state);
        } catch (IllegalArgumentException e) {
            err.println("distillery: bad state in " + in + ": " + e.getMessage());
            return DistilleryCommand.EXIT_USAGE;
        }
        try {
            out.println(mapper().writeValueAsString(r));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
        return 0;
    }
}
