package dev.distillery.ui.network;

import dev.distillery.core.Plural;
import dev.distillery.core.Sha256;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.miner.Submitter;
import dev.distillery.network.miner.ValidatorClient;
import dev.distillery.network.proto.v1.RegisterResponse;
import dev.distillery.network.score.SandboxEvaluator;
import dev.distillery.network.score.Scorer;
import dev.distillery.store.NetworkStore;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.common.EnumNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Submitting a student: first the score the validators would give it, computed here with their own sandbox and
 * scorer on a fresh evaluation set; then, on "Submit", registration when needed, the commitment on the ledger and
 * the upload to every validator; then each validator's timeline (committed → uploaded → queued → evaluating →
 * scored), with the reason whenever the score is zero. The timeline is read from the app's database, which the
 * network feed keeps up to date: closing the dialog loses nothing.
 */
public final class SubmitDialog {
    /** The timeline's steps, in order; the last is "scored" or "score 0". */
    static final List<String> STEPS = List.of("COMMITTED", "UPLOADED", "QUEUED", "EVALUATING", "SCORED");
    /** Images in the local preview: enough for a stable score, few enough for a quick answer. */
    static final int PREVIEW_IMAGES = 24;

    private final ShellContext ctx;
    private final Path student;
    private final Dialog<Void> dialog = new Dialog<>();
    private final Label previewText = new Label();
    private final ProgressIndicator previewSpin = new ProgressIndicator();
    private final Label message = new Label();
    private final VBox timelines = new VBox(10);
    private final Button submit;
    private final Button previewAgain;
    private final Map<String, String> submissionIds = new LinkedHashMap<>();
    private final ChangeListener<Number> refresher = (o, a, b) -> refreshTimelines();
    private Task<?> running;

    private SubmitDialog(ShellContext ctx, Path student, Window owner) {
        this.ctx = ctx;
        this.student = student;
        if (owner != null) {
            dialog.initOwner(owner);
        }
        dialog.setTitle("Submit a student");
        dialog.setHeaderText("Submit " + student.getFileName());
        dialog.setResizable(true);
        dialog.getDialogPane().setId("submit-dialog");
        ButtonType submitType = new ButtonType("Submit to the validators", ButtonType.OK.getButtonData());
        ButtonType previewType = new ButtonType("Preview again");
        dialog.getDialogPane().getButtonTypes().addAll(previewType, submitType, ButtonType.CLOSE);
        submit = (Button) dialog.getDialogPane().lookupButton(submitType);
        submit.setId("submit-go");
        submit.getStyleClass().add("primary");
        submit.setDisable(true);
        submit.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            e.consume();
            submit();
        });
        previewAgain = (Button) dialog.getDialogPane().lookupButton(previewType);
        previewAgain.setId("submit-preview-again");
        previewAgain.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            e.consume();
            preview();
        });
        dialog.getDialogPane().lookupButton(ButtonType.CLOSE).setId("submit-close");

        Label previewTitle = new Label("1 · Local preview");
        previewTitle.getStyleClass().add("section-title");
        previewText.setId("submit-preview");
        previewText.setWrapText(true);
        previewSpin.setMaxSize(22, 22);
        previewSpin.managedProperty().bind(previewSpin.visibleProperty()); // no gap before the result once done
        HBox previewRow = new HBox(10, previewSpin, previewText);
        previewRow.setAlignment(Pos.CENTER_LEFT);
        Label previewHint = new Label("Scored here exactly as the validators score: the same sandbox, gates and "
                + "formula, on " + PREVIEW_IMAGES + " fresh images made as the validators make theirs (generated "
                + "scenes, or frames drawn from the challenge's pool). Validators use their own secret images, so "
                + "their score differs a little.");
        previewHint.getStyleClass().add("hint");
        previewHint.setWrapText(true);

        Label submitTitle = new Label("2 · On the network");
        submitTitle.getStyleClass().add("section-title");
        message.setId("submit-message");
        message.setWrapText(true);
        timelines.setId("submit-timelines");
        Label none = new Label("Nothing sent yet. Submit commits the model's hash on the ledger (so nobody can claim "
                + "it later) and uploads it to every validator.");
        none.getStyleClass().add("hint");
        none.setWrapText(true);
        timelines.getChildren().add(none);

        // Wrapped texts keep the height their lines need instead of ending in "…"; the timelines (one per
        // validator, growing as statuses arrive) scroll inside the dialog rather than pushing its buttons out of
        // the window.
        for (Label l : List.of(previewText, previewHint, message, none)) {
            l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        javafx.scene.control.ScrollPane timelineScroll = new javafx.scene.control.ScrollPane(timelines);
        timelineScroll.setId("submit-timelines-scroll");
        timelineScroll.setFitToWidth(true);
        timelineScroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        timelineScroll.setPrefViewportHeight(190); // two validators' timelines with their results
        timelineScroll.setMinViewportHeight(90);
        timelineScroll.getStyleClass().add("edge-to-edge");
        timelines.setPadding(new Insets(0, 4, 0, 0));
        VBox.setVgrow(timelineScroll, javafx.scene.layout.Priority.ALWAYS);
        VBox content = new VBox(10, previewTitle, previewRow, previewHint, submitTitle, message, timelineScroll);
        content.setPadding(new Insets(6, 10, 6, 10));
        content.setPrefWidth(640);
        // opened at the size the filled-in dialog needs (texts arrive after it shows; a window does not grow)
        content.setPrefHeight(470);
        dialog.getDialogPane().setContent(content);
        dialog.setOnHidden(e -> {
            ctx.miner().submissionsVersionProperty().removeListener(refresher);
            if (running != null && running.isRunning()) {
                running.cancel(true);
            }
        });
        ctx.miner().submissionsVersionProperty().addListener(refresher);
    }

    /** Opens the dialog for {@code student} and starts its preview. */
    public static SubmitDialog open(ShellContext ctx, Path student) {
        SubmitDialog d = new SubmitDialog(ctx, student, ctx.window());
        d.dialog.show();
        d.preview();
        return d;
    }

    Dialog<Void> dialog() {
        return dialog;
    }

    /** The submission id each validator gave, once uploaded. */
    public Map<String, String> submissionIds() {
        return Map.copyOf(submissionIds);
    }

    private void preview() {
        NetworkFeed.Link link = ctx.network().link();
        if (link == null) {
            previewSpin.setVisible(false);
            previewText.setText("Not connected to a network: start the local devnet or connect to one on the "
                    + "Network screen, then Preview again.");
            return;
        }
        previewSpin.setVisible(true);
        String scoring = "Scoring " + student.getFileName() + " the way the validators do (in a sandboxed process, "
                + PREVIEW_IMAGES + " images)…";
        previewText.setText(scoring);
        String queued = "Waiting for the devnet's validators to finish an evaluation (they take turns on this "
                + "machine, so each is timed alone; they also wait while a run trains)…";
        java.util.concurrent.atomic.AtomicBoolean waiting = new java.util.concurrent.atomic.AtomicBoolean();
        long started = System.nanoTime();
        javafx.animation.Timeline clock = new javafx.animation.Timeline(new javafx.animation.KeyFrame(
                javafx.util.Duration.seconds(1), e -> previewText.setText((waiting.get() ? queued : scoring) + " "
                + Math.round((System.nanoTime() - started) / 1e9) + " s")));
        clock.setCycleCount(javafx.animation.Animation.INDEFINITE);
        clock.play();
        previewAgain.setDisable(true);
        // with the embedded devnet, the preview waits for the validators' evaluation slot, as they wait for each
        // other: timed beside an evaluation, a student that fits the budget reads as over it
        dev.distillery.network.devnet.Devnet devnet = ctx.network().devnet();
        java.util.concurrent.Semaphore machine = devnet == null ? null : devnet.machine();
        Task<Scorer.Verdict> t = new Task<>() {
            @Override
            protected Scorer.Verdict call() throws Exception {
                if (!Files.isRegularFile(student)) {
                    throw new IllegalStateException("the file " + student + " does not exist any more");
                }
                LedgerClient.ChallengeInfo info;
                try (LedgerClient c = link.ledgerClient(null)) {
                    info = c.challenge(0);
                }
                Teacher teacher = ctx.teachers().list().stream()
                        .filter(x -> x.sha256().equalsIgnoreCase(info.challenge().teacherSha256())).findFirst()
                        .orElse(null);
                if (teacher == null) {
                    teacher = ctx.teachers().bySha256(info.challenge().teacherSha256());
                }
                String notHere = previewImpossible(info.challenge());
                if (notHere != null) {
                    throw new PreviewNotHere(notHere);
                }
                Path teacherFile = ctx.teachers().fileOf(teacher);
                if (machine != null && !machine.tryAcquire()) {
                    waiting.set(true);
                    try {
                        machine.acquire();
                    } finally {
                        waiting.set(false);
                    }
                }
                try {
                    return Submitter.preview(student, info.challenge(), teacherFile, teacher.profile(),
                            PREVIEW_IMAGES, SandboxEvaluator.Limits.defaults());
                } finally {
                    if (machine != null) {
                        machine.release();
                    }
                }
            }
        };
        t.runningProperty().addListener((o, was, now) -> {
            if (!now) {
                clock.stop();
            }
        });
        t.setOnSucceeded(e -> {
            previewSpin.setVisible(false);
            previewAgain.setDisable(false);
            Scorer.Verdict v = t.getValue();
            previewText.setText(describe(v));
            previewText.getStyleClass().removeAll("error-text");
            if (!v.scored() || v.score() <= 0) {
                previewText.getStyleClass().add("error-text");
            }
            submit.setDisable(!submissionIds.isEmpty());
        });
        t.setOnFailed(e -> {
            previewSpin.setVisible(false);
            previewAgain.setDisable(false);
            previewText.setText(t.getException() instanceof PreviewNotHere p ? p.getMessage()
                    : "The preview could not run: " + rootMessage(t.getException())
                    + ". If the challenge's teacher is missing, use Download teacher on the Network screen.");
            if (!(t.getException() instanceof PreviewNotHere)) {
                previewText.getStyleClass().add("error-text");
            }
            submit.setDisable(!submissionIds.isEmpty());
        });
        running = Background.run(t);
    }

    /** Why this computer cannot preview a challenge, or null when it can. */
    static String previewImpossible(dev.distillery.network.score.Challenge c) {
        var d = c.data();
        if (d != null && d.isPool() && (d.folder() == null || !Files.isDirectory(Path.of(d.folder())))) {
            return "No preview here: this challenge draws its frames from the validators' own pool ("
                    + d.folder() + "), which is not on this computer. You can still submit; the validators score it "
                    + "on frames drawn afresh every epoch.";
        }
        return null;
    }

    /** The preview cannot run on this computer, for a reason that is not an error (see {@link #previewImpossible}). */
    static final class PreviewNotHere extends Exception {
        PreviewNotHere(String why) {
            super(why);
        }
    }

    /** The preview in a sentence, with what to do when it is zero. */
    static String describe(Scorer.Verdict v) {
        if (v.scored() && v.score() > 0) {
            return String.format(Locale.ROOT, "Preview score %.4f — quality %.3f, p95 latency %.2f ms, %,d bytes.",
                    v.score(), v.quality(), v.p95Ms(), v.sizeBytes());
        }
        String reason = v.reason() == null ? "no reason given" : v.reason();
        String hint = reason.contains("latency") ? " A busy machine (training, the devnet's own evaluations) "
                + "slows it down: validators measure again every epoch." : "";
        return "Preview score 0: " + reason + "." + hint + " You can still submit, but it would earn nothing.";
    }

    private void submit() {
        NetworkFeed.Link link = ctx.network().link();
        HotkeyPair key = ctx.miner().keyProperty().get();
        var wallet = ctx.miner().walletProperty().get();
        if (link == null) {
            fail("Not connected to a network. Start the local devnet or connect on the Network screen.");
            return;
        }
        if (wallet == null) {
            fail("You need a wallet to submit: create one on the Network screen (Wallet card).");
            return;
        }
        if (key == null) {
            fail("Your wallet is locked: unlock it on the Network screen (Wallet card), then Submit again.");
            return;
        }
        submit.setDisable(true);
        previewAgain.setDisable(true);
        message.getStyleClass().remove("error-text");
        message.setText("Registering, committing and uploading…");
        timelines.getChildren().clear();
        Task<Map<String, String>> t = new Task<>() {
            @Override
            protected Map<String, String> call() throws Exception {
                String sha = Sha256.hex(student);
                long size = Files.size(student);
                Instant committedAt;
                Map<String, String> ids;
                List<ValidatorClient> clients = new ArrayList<>();
                try (LedgerClient lc = link.ledgerClient(key)) {
                    RegisterResponse r = lc.register(false);
                    say(r.getAlreadyRegistered() ? "Registered as uid " + r.getUid() + "."
                            : "Registered now: you hold uid " + r.getUid() + ".");
                    Map<String, ValidatorClient> vals = new LinkedHashMap<>();
                    for (NetworkFeed.Endpoint v : link.validators()) {
                        ValidatorClient c = link.validatorClient(v, key);
                        clients.add(c);
                        vals.put(v.name(), c);
                    }
                    committedAt = Instant.now();
                    ids = Submitter.submit(student, lc, vals, (validator, step, detail) -> say(
                            (validator == null ? "Ledger: " : validator + ": ") + detail));
                } finally {
                    clients.forEach(ValidatorClient::close);
                }
                for (var e : ids.entrySet()) {
                    ctx.network().track(new NetworkStore.Submission(e.getValue(), link.ledgerId(), e.getKey(),
                            wallet.ss58(), sha, student.toString(), "UPLOADED", null, null, null, size, null, null,
                            committedAt, Instant.now()), committedAt);
                }
                return ids;
            }
        };
        t.setOnSucceeded(e -> {
            submissionIds.putAll(t.getValue());
            message.setText("Submitted to " + Plural.of(submissionIds.size(), "validator") + ". Each evaluates it "
                    + "in its sandbox; the timeline follows. You can close this "
                    + "window: the History and Earnings screens keep following.");
            refreshTimelines();
        });
        t.setOnFailed(e -> {
            fail("Submitting failed: " + rootMessage(t.getException()) + ". Nothing was lost; try again.");
            submit.setDisable(false);
            previewAgain.setDisable(false);
        });
        running = Background.run(t);
    }

    private void say(String text) {
        Platform.runLater(() -> message.setText(text));
    }

    private void fail(String text) {
        message.setText(text);
        if (!message.getStyleClass().contains("error-text")) {
            message.getStyleClass().add("error-text");
        }
    }

    /** Reads each submission's stored state and timeline and redraws them. */
    private void refreshTimelines() {
        if (submissionIds.isEmpty()) {
            return;
        }
        Map<String, String> ids = new java.util.TreeMap<>(submissionIds); // validators in name order, every redraw
        NetworkStore store = ctx.session().database().network();
        Task<Map<String, Object[]>> t = new Task<>() {
            @Override
            protected Map<String, Object[]> call() {
                Map<String, Object[]> out = new LinkedHashMap<>();
                var wallet = ctx.miner().walletProperty().get();
                var link = ctx.network().link();
                List<NetworkStore.Submission> all = wallet == null || link == null ? List.of()
                        : store.submissions(link.ledgerId(), wallet.ss58());
                for (var e : ids.entrySet()) {
                    NetworkStore.Submission s = all.stream().filter(x -> x.id().equals(e.getValue())).findFirst()
                            .orElse(null);
                    out.put(e.getKey(), new Object[] {s, store.events(e.getValue())});
                }
                return out;
            }
        };
        t.setOnSucceeded(e -> {
            timelines.getChildren().clear();
            for (var entry : t.getValue().entrySet()) {
                @SuppressWarnings("unchecked")
                List<NetworkStore.SubmissionEvent> events = (List<NetworkStore.SubmissionEvent>) entry.getValue()[1];
                timelines.getChildren().add(timeline(entry.getKey(), (NetworkStore.Submission) entry.getValue()[0],
                        events));
            }
        });
        Background.run(t);
    }

    /** One validator's timeline: a chip per step (done, current, to come) and the result in words. */
    static VBox timeline(String validator, NetworkStore.Submission s, List<NetworkStore.SubmissionEvent> events) {
        java.util.Set<String> reached = new java.util.HashSet<>();
        for (NetworkStore.SubmissionEvent ev : events) {
            reached.add(ev.state());
        }
        String state = s == null ? "UPLOADED" : s.state();
        boolean rejected = "REJECTED".equals(state);
        int current = rejected ? STEPS.size() - 1 : Math.max(0, STEPS.indexOf(state));
        HBox chips = new HBox(6);
        chips.setAlignment(Pos.CENTER_LEFT);
        for (int i = 0; i < STEPS.size(); i++) {
            String step = STEPS.get(i);
            String text = i == STEPS.size() - 1 && rejected ? "Score 0" : EnumNames.words(step);
            Label chip = new Label(text);
            chip.setId("timeline-" + validator.replace(' ', '-') + "-" + step.toLowerCase(Locale.ROOT));
            chip.getStyleClass().add("chip");
            if (i < current || (i == current && (i == STEPS.size() - 1))) {
                chip.getStyleClass().add(rejected && i == STEPS.size() - 1 ? "chip-bad" : "chip-good");
                chip.setGraphic(new FontIcon(rejected && i == STEPS.size() - 1 ? "mdi2c-close" : "mdi2c-check"));
            } else if (i == current) {
                chip.getStyleClass().add("chip-current");
            } else {
                chip.getStyleClass().add("chip-todo");
            }
            chips.getChildren().add(chip);
            if (i < STEPS.size() - 1) {
                chips.getChildren().add(new FontIcon("mdi2c-chevron-right"));
            }
        }
        Label name = new Label(validator);
        name.getStyleClass().add("field-label");
        Label result = new Label(result(s));
        result.setId("timeline-" + validator.replace(' ', '-') + "-result");
        result.setWrapText(true);
        if (rejected) {
            result.getStyleClass().add("error-text");
        }
        result.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox box = new VBox(4, name, chips, result);
        box.setId("timeline-" + validator.replace(' ', '-'));
        return box;
    }

    static String result(NetworkStore.Submission s) {
        if (s == null) {
            return "Uploaded; waiting for the validator's first status.";
        }
        return switch (s.state()) {
            case "SCORED" -> String.format(Locale.ROOT, "Scored %.4f (quality %.3f, p95 %.2f ms, %,d bytes) on epoch %s.",
                    s.score(), s.quality() == null ? Double.NaN : s.quality(), s.p95Ms() == null ? Double.NaN : s.p95Ms(),
                    s.sizeBytes() == null ? 0 : s.sizeBytes(), s.epoch() == null ? "?" : s.epoch().toString());
            case "REJECTED" -> "Score 0: " + (s.reason() == null ? "no reason given" : s.reason()) + "."
                    + (s.reason() != null && s.reason().contains("latency") ? " The validator's machine may have "
                    + "been busy; it measures again every epoch." : "");
            case "EVALUATING" -> "Being evaluated in the validator's sandbox…";
            case "QUEUED" -> "Queued for evaluation.";
            default -> "Uploaded; waiting for the validator.";
        };
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c != null && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c == null ? null : c.getMessage();
        return m == null || m.isBlank() ? String.valueOf(c) : m;
    }
}
