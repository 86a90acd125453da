package dev.distillery.ui.network;

import dev.distillery.store.NetworkStore;
import dev.distillery.ui.ShellContext;
import java.util.Locale;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.kordamp.ikonli.javafx.FontIcon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network's news for the user, as desktop notifications (ControlsFX) in the window's corner: a new best score,
 * a score that dropped, a submission rejected (with the reason), a validator that stopped answering, a server
 * certificate that changed. The last ones are kept in {@link #recent()} for the screens (and tests).
 *
 * <p>Validators score every submission again each epoch, so score news would pop up every epoch, over the status
 * bar. They are grouped instead: a model's score news pops up once (its first score, or first new best, from any
 * validator), and so does its rejection; the later epochs' news goes to {@link #recent()} only, where the Network,
 * Earnings and History screens show it. Unreachable validators and changed certificates always pop up.
 */
public final class Notices {
    private static final Logger LOG = LoggerFactory.getLogger(Notices.class);

    public enum Kind { NEW_BEST, SCORED, SCORE_DROP, REJECTED, VALIDATOR_UNREACHABLE, CERTIFICATE_CHANGED }

    /** One notification; {@code popUp}: whether it was shown as a desktop notification, not only kept. */
    public record Notice(Kind kind, String title, String text, boolean popUp) {
    }

    private final ShellContext ctx;
    private final ObservableList<Notice> recent = FXCollections.observableArrayList();
    /** The news that popped up already, one key per model and kind of news ("score:sha", "rejected:sha"). */
    private final java.util.Set<String> poppedUp = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Notices(ShellContext ctx) {
        this.ctx = ctx;
    }

    /** The latest notifications, newest last (at most 50); changes on the FX thread. */
    public ObservableList<Notice> recent() {
        return recent;
    }

    void submissionChanged(NetworkStore.Submission before, NetworkStore.Submission now, Double bestBefore) {
        String model = now.modelSha256().substring(0, Math.min(10, now.modelSha256().length()));
        String where = now.validator();
        if ("REJECTED".equals(now.state()) && !"REJECTED".equals(before.state())) {
            show(Kind.REJECTED, "Submission scored 0", "Model " + model + " on " + where + ": "
                    + (now.reason() == null ? "no reason given" : now.reason()), "rejected:" + now.modelSha256());
            return;
        }
        if (!"SCORED".equals(now.state()) || now.score() == null) {
            return;
        }
        double score = now.score();
        if (bestBefore == null || score > bestBefore + 1e-9) {
            if (before.score() == null || score > before.score() + 1e-9) {
                show(Kind.NEW_BEST, "New best score", String.format(Locale.ROOT, "%.4f for model %s on %s%s", score,
                        model, where, bestBefore == null ? "" : String.format(Locale.ROOT, " (was %.4f)", bestBefore)),
                        "score:" + now.modelSha256());
            }
        } else if (before.score() != null && score < before.score() - 1e-9) {
            show(Kind.SCORE_DROP, "Score dropped", String.format(Locale.ROOT, "Model %s on %s: %.4f, down from %.4f "
                    + "(epoch %s). A new evaluation set or a busy machine can do that.", model, where, score,
                    before.score(), now.epoch() == null ? "?" : now.epoch().toString()), "score:" + now.modelSha256());
        } else if (before.score() == null) {
            show(Kind.SCORED, "Submission scored", String.format(Locale.ROOT, "%.4f for model %s on %s", score,
                    model, where), "score:" + now.modelSha256());
        }
    }

    void validatorUnreachable(String name, String address, String why) {
        show(Kind.VALIDATOR_UNREACHABLE, "Validator unreachable", name + " (" + address + ") stopped answering"
                + (why == null ? "" : ": " + why) + ". Distillery keeps retrying; your submissions are kept.");
    }

    /** A validator that did not answer when connecting and has no pinned certificate yet, so it is not followed. */
    void validatorLeftOut(String name, String address, String why) {
        show(Kind.VALIDATOR_UNREACHABLE, "Validator unreachable", name + " did not answer when connecting"
                + (why == null ? "" : " (" + why + ")") + ", so its certificate could not be checked: connected "
                + "without it. Connect again once it runs to follow it and submit to it.");
    }

    void certificateChanged(String warning) {
        show(Kind.CERTIFICATE_CHANGED, "Certificate changed — not connecting", warning);
        Platform.runLater(() -> {
            Alert a = new Alert(Alert.AlertType.ERROR);
            a.setTitle("Server certificate changed");
            a.setHeaderText("A server's certificate is not the one Distillery trusted before");
            a.setContentText(warning + "\n\nIf you reinstalled that server, accept the new certificate with "
                    + "the button on the Network screen. Otherwise, do not connect: someone may be impersonating it.");
            if (ctx.window() != null) {
                a.initOwner(ctx.window());
            }
            a.getDialogPane().setId("certificate-changed-dialog");
            a.show();
        });
    }

    private void show(Kind kind, String title, String text) {
        show(kind, title, text, null);
    }

    /**
     * Keeps a notice and pops it up, unless news under the same {@code group} popped up already (null: always).
     * A score drop never pops up: the next epoch measures again.
     */
    private void show(Kind kind, String title, String text, String group) {
        LOG.info("{}: {}", title, text);
        boolean popUp = kind != Kind.SCORE_DROP && (group == null || poppedUp.add(group));
        Platform.runLater(() -> {
            recent.add(new Notice(kind, title, text, popUp));
            if (recent.size() > 50) {
                recent.remove(0);
            }
            if (!popUp || ctx.window() == null || !ctx.window().isShowing()) {
                return;
            }
            try {
                Notifications n = Notifications.create().title(title).text(text).owner(ctx.window())
                        .position(Pos.BOTTOM_RIGHT).hideAfter(Duration.seconds(kind == Kind.CERTIFICATE_CHANGED
                                ? 30 : 8));
                n.graphic(new FontIcon(switch (kind) {
                    case NEW_BEST -> "mdi2t-trophy-outline";
                    case SCORED -> "mdi2c-check-circle-outline";
                    case SCORE_DROP -> "mdi2t-trending-down";
                    case REJECTED -> "mdi2c-close-circle-outline";
                    case VALIDATOR_UNREACHABLE -> "mdi2l-lan-disconnect";
                    case CERTIFICATE_CHANGED -> "mdi2s-shield-alert-outline";
                }));
                n.show();
            } catch (RuntimeException e) {
                LOG.debug("notification not shown: {}", e.toString());
            }
        });
    }
}
