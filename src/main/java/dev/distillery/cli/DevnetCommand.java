package dev.distillery.cli;

import dev.distillery.core.DataDirectory;
import dev.distillery.model.TeacherProfile;
import dev.distillery.network.devnet.Devnet;
import dev.distillery.network.score.Challenge;
import dev.distillery.teacher.library.Teacher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code distillery devnet}: the whole subnet on this machine, headless (the GUI embeds the same). */
@Command(name = "devnet", description = {"Run a local subnet headless: one ledger, two validators with different",
    "stakes and simulated competitor miners submitting real students, all on loopback.",
    "State in <data>/devnet (kept across restarts); addresses in <data>/devnet/devnet.json. Stop with Ctrl+C."})
final class DevnetCommand implements Callable<Integer> {
    @ParentCommand
    DistilleryCommand root;
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "7733", description = "Ledger port; validators take the next two "
            + "(default ${DEFAULT-VALUE}; 0: any free ports)")
    int port;
    @Option(names = "--block-ms", defaultValue = "1000", description = "Milliseconds per block (default ${DEFAULT-VALUE})")
    long blockMillis;
    @Option(names = "--tempo", defaultValue = "30", description = "Blocks per epoch (default ${DEFAULT-VALUE})")
    long tempo;
    @Option(names = "--eval-images", defaultValue = "48", description = "Fresh scenes each validator generates per "
            + "epoch (default ${DEFAULT-VALUE})")
    int evalImages;
    @Option(names = "--no-simulated", description = "Do not run the simulated competitor miners")
    boolean noSimulated;
    @Option(names = "--challenge", paramLabel = "FILE", description = "Judge this challenge (JSON, e.g. "
            + "app/challenge-detection.example.json) instead of the text-map default; its teacher must be in the "
            + "library, a pool folder is relative to the file; its own ledger in devnet-ID; no simulated miners")
    Path challengeFile;
    @Option(names = "--for-seconds", hidden = true, description = "Stop after this many seconds (tests)")
    Long forSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (blockMillis < 10 || tempo < 1 || port < 0 || port > 65533 || evalImages < 1) {
            err.println("distillery: need --block-ms ≥ 10, --tempo ≥ 1, --eval-images ≥ 1 and a port in 0..65533.");
            return DistilleryCommand.EXIT_USAGE;
        }
        DataDirectory dir = DataDirectory.open(root.dataDirectory());
        Challenge genesis = Devnet.challenge(evalImages);
        if (challengeFile != null) {
            try {
                genesis = Challenge.fromJson(java.nio.file.Files.readString(challengeFile));
            } catch (java.io.IOException | RuntimeException e) {
                err.println("distillery: Cannot read the challenge " + challengeFile + ": " + e.getMessage());
                return DistilleryCommand.EXIT_USAGE;
            }
            Challenge.EvalData d = genesis.data();
            if (d != null && d.folder() != null && !Path.of(d.folder()).isAbsolute()) {
                Path base = challengeFile.toAbsolutePath().getParent();
                genesis = genesis.withData(new Challenge.EvalData(d.kind(), d.count(), d.seed(),
                        base.resolve(d.folder()).normalize().toString()));
            }
            noSimulated = true; // the simulated miners make text-map students
        }
        String sha = genesis.teacherSha256();
        Map.Entry<Path, TeacherProfile> teacher;
        try {
            teacher = TeacherCommand.withService(root, Challenge.THREADS, s -> {
                Teacher t = s.bySha256(sha);
                return Map.entry(s.fileOf(t), t.profile());
            });
        } catch (RuntimeException e) {
            err.println("distillery: The challenge's teacher (SHA-256 " + sha.substring(0, 12) + "…) is not in the "
                    + "library: import it first (distillery teacher import FILE.onnx). " + e.getMessage());
            return DistilleryCommand.EXIT_USAGE;
        }
        Devnet.Options o = Devnet.Options.headless().withPorts(port, port == 0 ? 0 : port + 1)
                .withClock(blockMillis, tempo).withEvalImages(evalImages).withSimulatedMiners(!noSimulated);
        CountDownLatch stop = new CountDownLatch(1);
        Path folder = dev.distillery.network.devnet.DevnetChallenges.folder(dir.root(), challengeFile == null ? null
                : genesis);
        Challenge judged = genesis;
        try (Devnet net = Devnet.start(folder, teacher.getKey(), teacher.getValue(), o, judged,
                step -> {
                    out.println(step);
                    out.flush();
                })) {
            out.printf("ledger     %s:%d  (owner %s)%n", net.host(), net.ledgerPort(), net.owner().hotkey().ss58());
            for (Devnet.Validator v : net.validators()) {
                out.printf("%-10s %s:%d  stake %.0f  %s%n", v.name(), net.host(), v.port(), v.stake(),
                        v.key().hotkey().ss58());
            }
            out.printf(java.util.Locale.ROOT, "challenge  %s: %s%n", judged.id(), challengeFile == null
                    ? "PP-OCRv4 det → dense map 320×320, p95 ≤ 10 ms, ≤ 1.5 MB"
                    : judged.task() + " " + judged.classes() + " " + judged.input().width() + "×"
                    + judged.input().height() + ", p95 ≤ " + judged.latencyBudgetMs() + " ms, ≤ "
                    + judged.sizeCapBytes() + " bytes");
            out.println(noSimulated ? "no simulated miners" : "simulated miners: "
                    + String.join(", ", dev.distillery.network.devnet.SimulatedMiner.DEFAULTS.stream()
                    .map(dev.distillery.network.devnet.SimulatedMiner.Spec::name).toList()));
            out.flush();
            Thread hook = new Thread(() -> {
                stop.countDown();
                net.close(); // Ctrl+C: stop the validators' children and close the ledger's database cleanly
            }, "devnet-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            if (forSeconds != null) {
                stop.await(forSeconds, java.util.concurrent.TimeUnit.SECONDS);
            } else {
                stop.await();
            }
        }
        return 0;
    }
}
