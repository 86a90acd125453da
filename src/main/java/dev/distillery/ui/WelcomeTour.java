package dev.distillery.ui;

import dev.distillery.store.SettingsStore;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.common.Spacer;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The welcome tour of a first start: three steps (get a teacher, distill, submit), each with a title, a few
 * sentences, an icon and a "Show me" that opens its screen. It is a card over the window's content, never a
 * modal window: the app stays usable, a click beside the card or "Show me" folds it into a small "Continue
 * tour" pill, Esc skips it and Enter goes on. Finishing or skipping stores {@value #DONE} so it does not come
 * back by itself; Help → Welcome tour opens it again at step 1.
 */
public final class WelcomeTour {
    /** Setting: true once the tour was finished or skipped. */
    public static final String DONE = "tour.done";
    /** System property: "false" never starts the tour by itself (the test suite); "true" or unset: the setting decides. */
    public static final String AUTOSTART_PROPERTY = "distillery.tour.autostart";

    /** One step: where it takes the user and what it says. */
    record Step(Screen screen, String icon, String title, String text) {
    }

    static final List<Step> STEPS = List.of(
            new Step(Screen.TEACHERS, "mdi2s-school-outline", "Get a teacher",
                    "A teacher is a big vision model that your tiny students learn from. The PaddleOCR text models "
                            + "are built in and work offline: on the Teachers screen, open Catalog… and press Get "
                            + "teacher. Try on image then shows what it sees in one of the sample pictures."),
            new Step(Screen.DISTILL, "mdi2f-flask-outline", "Distill a student",
                    "On the Distill screen, New run takes you through teacher, data, student and time budget. No "
                            + "pictures of your own? Choose \"Sample images (24 text scenes)\" as data. The student "
                            + "learns from the teacher's answers while you watch its loss and agreement."),
            new Step(Screen.NETWORK, "mdi2l-lan", "Submit it to the network",
                    "On the Network screen, create a wallet under \"You on this network\"; its key stays encrypted "
                            + "on this computer. Submit a student… scores it here first, exactly as the validators "
                            + "will, then uploads it. The local devnet lets you try the whole loop before you join a "
                            + "real network."));

    private final ShellContext ctx;
    private final StackPane layer = new StackPane();
    private final Region scrim = new Region();
    private final VBox card = new VBox(14);
    private final HBox pill = new HBox(8);
    private final Label stepLabel = new Label();
    private final HBox dots = new HBox(6);
    private final FontIcon icon = new FontIcon();
    private final Label title = new Label();
    private final Label text = new Label();
    private final Label pillText = new Label();
    private final Button back = new Button("Back");
    private final Button showMe = new Button("Show me");
    private final Button next = new Button("Next");
    private final Button skip = new Button("Skip tour");
    /** The step shown, -1 while the tour is closed. */
    private int step = -1;

    WelcomeTour(ShellContext ctx) {
        this.ctx = ctx;
        layer.setId("tour-layer");
        layer.setPickOnBounds(false);
        layer.setVisible(false);

        scrim.getStyleClass().add("tour-scrim");
        scrim.setOnMouseClicked(e -> minimise());

        stepLabel.setId("tour-step");
        stepLabel.getStyleClass().add("tour-kicker");
        dots.setAlignment(Pos.CENTER_RIGHT);
        Region spring = Spacer.grow();
        HBox top = new HBox(8, stepLabel, spring, dots);
        top.setAlignment(Pos.CENTER_LEFT);

        icon.getStyleClass().add("tour-icon");
        StackPane badge = new StackPane(icon);
        badge.getStyleClass().add("tour-icon-badge");
        badge.setMinSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        title.setId("tour-title");
        title.getStyleClass().add("tour-title");
        title.setWrapText(true);
        HBox heading = new HBox(14, badge, title);
        heading.setAlignment(Pos.CENTER_LEFT);
        text.setId("tour-text");
        text.getStyleClass().add("tour-text");
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE);

        skip.setId("tour-skip");
        skip.getStyleClass().add("tour-link");
        skip.setOnAction(e -> close());
        back.setId("tour-back");
        back.setOnAction(e -> back());
        showMe.setId("tour-show-me");
        showMe.setOnAction(e -> showMe());
        next.setId("tour-next");
        next.getStyleClass().add("primary");
        next.setOnAction(e -> next());
        for (Button b : List.of(skip, back, showMe, next)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        Region gap = Spacer.grow();
        HBox buttons = new HBox(8, skip, gap, back, showMe, next);
        buttons.setAlignment(Pos.CENTER_LEFT);
        buttons.getStyleClass().add("tour-buttons");

        card.setId("tour-card");
        card.getStyleClass().addAll("card", "tour-card");
        card.getChildren().addAll(top, heading, text, buttons);
        card.setPrefWidth(540);
        card.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        card.addEventFilter(KeyEvent.KEY_PRESSED, this::key);

        FontIcon compass = new FontIcon("mdi2c-compass-outline");
        compass.getStyleClass().add("tour-pill-icon");
        pillText.setId("tour-pill-text");
        Button resume = new Button("Continue tour");
        resume.setId("tour-continue");
        resume.getStyleClass().add("primary");
        resume.setOnAction(e -> show(step));
        Button dismiss = new Button(null, new FontIcon("mdi2c-close"));
        dismiss.setId("tour-pill-close");
        dismiss.getStyleClass().add("tour-link");
        dismiss.setTooltip(new javafx.scene.control.Tooltip("Skip the tour"));
        dismiss.setOnAction(e -> close());
        pill.setId("tour-pill");
        pill.getStyleClass().add("tour-pill");
        pill.setAlignment(Pos.CENTER_LEFT);
        pill.getChildren().addAll(compass, pillText, resume, dismiss);
        pill.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        // top right, beside the screen's title: the screens keep their actions at the bottom and on the left
        StackPane.setAlignment(pill, Pos.TOP_RIGHT);
        StackPane.setMargin(pill, new Insets(18, 24, 0, 0));

        layer.getChildren().addAll(scrim, card, pill);
    }

    /** True when the tour should open by itself: not finished or skipped before, and not turned off. */
    static boolean startsAutomatically(SettingsStore settings) {
        String p = System.getProperty(AUTOSTART_PROPERTY);
        if (p != null && p.strip().toLowerCase(Locale.ROOT).equals("false")) {
            return false;
        }
        return !settings.getBoolean(DONE, false);
    }

    /** The node to lay over the window's content. */
    Node layer() {
        return layer;
    }

    /** Opens the tour at its first step. */
    public void start() {
        show(0);
    }

    /** The step shown (0-based), -1 when the tour is closed. */
    public int step() {
        return step;
    }

    /** True while the card is shown (not folded into the pill, not closed). */
    public boolean isCardShowing() {
        return layer.isVisible() && card.isVisible();
    }

    private void show(int index) {
        step = Math.max(0, Math.min(index, STEPS.size() - 1));
        Step s = STEPS.get(step);
        stepLabel.setText("Welcome tour · step " + (step + 1) + " of " + STEPS.size());
        dots.getChildren().clear();
        for (int i = 0; i < STEPS.size(); i++) {
            Region dot = new Region();
            dot.getStyleClass().add(i == step ? "tour-dot-current" : "tour-dot");
            dots.getChildren().add(dot);
        }
        icon.setIconLiteral(s.icon());
        title.setText(s.title());
        text.setText(s.text());
        back.setDisable(step == 0);
        boolean last = step == STEPS.size() - 1;
        next.setText(last ? "Finish" : "Next");
        next.setGraphic(last ? new FontIcon("mdi2c-check") : new FontIcon("mdi2a-arrow-right"));
        next.setContentDisplay(last ? javafx.scene.control.ContentDisplay.LEFT : javafx.scene.control.ContentDisplay.RIGHT);
        showMe.setGraphic(new FontIcon(s.screen().icon()));
        showMe.setTooltip(new javafx.scene.control.Tooltip("Open the " + s.screen().title() + " screen"));
        layer.setVisible(true);
        scrim.setVisible(true);
        card.setVisible(true);
        pill.setVisible(false);
        next.requestFocus();
    }

    private void next() {
        if (step < 0) {
            return;
        }
        if (step == STEPS.size() - 1) {
            close();
        } else {
            show(step + 1);
        }
    }

    private void back() {
        if (step > 0) {
            show(step - 1);
        }
    }

    /** Opens the step's screen and folds the card so the screen can be seen. */
    private void showMe() {
        if (step < 0) {
            return;
        }
        ctx.navigator().go(STEPS.get(step).screen());
        minimise();
    }

    /**
     * Folds the card into its pill when the user does something of their own (opens a model from the file
     * manager, drops one on the window): the tour stays one click away but no longer covers what they asked for.
     */
    public void stepAside() {
        if (isCardShowing()) {
            minimise();
        }
    }

    private void minimise() {
        if (step < 0) {
            return;
        }
        pillText.setText("Welcome tour · step " + (step + 1) + " of " + STEPS.size() + ": " + STEPS.get(step).title());
        scrim.setVisible(false);
        card.setVisible(false);
        pill.setVisible(true);
    }

    /** Skipping and finishing both close the tour for good (until Help → Welcome tour). */
    private void close() {
        step = -1;
        layer.setVisible(false);
        Background.writes().execute(() -> ctx.settings().put(DONE, true));
    }

    private void key(KeyEvent e) {
        if (e.getCode() == KeyCode.ESCAPE) {
            close();
            e.consume();
        } else if (e.getCode() == KeyCode.ENTER) {
            // a button the user tabbed to does what it says; anywhere else Enter goes on
            Node focus = card.getScene() == null ? null : card.getScene().getFocusOwner();
            if (focus instanceof Button b && b != next && isInside(b)) {
                b.fire();
            } else {
                next();
            }
            e.consume();
        }
    }

    private boolean isInside(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p == card) {
                return true;
            }
        }
        return false;
    }
}
