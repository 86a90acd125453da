package dev.distillery.ui.earnings;

import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.common.EmptyState;
import dev.distillery.ui.common.Spacer;
import dev.distillery.ui.miner.MinerAccount;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * Balance, emission per epoch and the earnings charts of the user's hotkey on the network followed. Rows are read
 * off the FX thread whenever the identity changes, an epoch is stored, a submission changes, and when the screen
 * is shown; an older read that finishes late is dropped.
 */
public final class EarningsView extends ScreenPane {
    /** {@link #balanceProperty()} while the balance is not known. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private final ShellContext ctx;
    private final MinerAccount miner;
    private final EarningsCharts charts = new EarningsCharts();
    private final Tile balance = new Tile("balance", "Balance");
    private final Tile today = new Tile("today", "Earned today (UTC)");
    private final Tile week = new Tile("week", "Last 7 days");
    private final Tile allTime = new Tile("all", "All time");
    private final Tile latest = new Tile("latest", "Latest epoch");
    private final TextField price = new TextField();
    private final TextField currency = new TextField();
    private final Label inputProblem = new Label();
    private final ToggleButton inTokens = new ToggleButton("τ tokens");
    private final ToggleButton inFiat = new ToggleButton();
    private final Label who = new Label();
    private final Node content;
    private final ReadOnlyLongWrapper balanceRao = new ReadOnlyLongWrapper(this, "balance", UNKNOWN);
    private EarningsData data;
    private long generation;
    private boolean showingContent;
    private String emptyKind;

    public EarningsView(ShellContext ctx) {
        super(Screen.EARNINGS, "What your hotkey earned, per epoch, per day and in all");
        this.ctx = ctx;
        this.miner = ctx.miner();
        getStylesheets().add(Objects.requireNonNull(
                EarningsView.class.getResource("/dev/distillery/ui/earnings/earnings.css")).toExternalForm());
        content = buildContent();
        showEmpty(null);

        miner.identityProperty().addListener((o, was, now) -> {
            if (was == null || now == null || !was.hotkey().equals(now.hotkey())) {
                balanceRao.set(UNKNOWN);
            }
            refresh();
        });
        miner.storedEpochProperty().addListener((o, was, now) -> refresh());
        miner.submissionsVersionProperty().addListener((o, was, now) -> refresh());
        miner.tokenPriceProperty().addListener((o, was, now) -> moneyChanged());
        miner.currencyProperty().addListener((o, was, now) -> moneyChanged());
        balanceRao.addListener((o, was, now) -> showTiles());
        // the network feed reads the balance from the ledger every second while connected
        miner.balanceProperty().addListener((o, was, now) -> balanceRao.set(now.longValue() < 0 ? UNKNOWN
                : now.longValue()));
        if (miner.balanceProperty().get() >= 0) {
            balanceRao.set(miner.balanceProperty().get());
        }
        refresh();
    }

    @Override
    public void onShown() {
        refresh();
    }

    /** Shows the hotkey's balance in rao (the network feed calls this; any thread). */
    public void showBalance(long rao) {
        if (Platform.isFxApplicationThread()) {
            balanceRao.set(rao);
        } else {
            Platform.runLater(() -> balanceRao.set(rao));
        }
    }

    public ReadOnlyLongProperty balanceProperty() {
        return balanceRao.getReadOnlyProperty();
    }

    private Node buildContent() {
        FlowPane tiles = new FlowPane(12, 12, balance.box, today.box, week.box, allTime.box, latest.box);
        tiles.getStyleClass().add("earnings-tiles");

        price.setId("earnings-price");
        price.setPromptText("e.g. 0.40");
        price.setPrefColumnCount(7);
        price.setText(priceText(miner.tokenPriceProperty().get()));
        currency.setId("earnings-currency");
        currency.setPrefColumnCount(4);
        currency.setText(miner.currencyProperty().get());
        inputProblem.setId("earnings-input-problem");
        inputProblem.getStyleClass().add("earnings-input-problem");
        inputProblem.setManaged(false);
        inputProblem.setVisible(false);
        price.textProperty().addListener((o, was, now) -> priceTyped());
        currency.textProperty().addListener((o, was, now) -> priceTyped());

        ToggleGroup unit = new ToggleGroup();
        inTokens.setToggleGroup(unit);
        inFiat.setToggleGroup(unit);
        inTokens.setId("earnings-unit-tokens");
        inFiat.setId("earnings-unit-fiat");
        inTokens.setSelected(true);
        unit.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                was.setSelected(true); // one of the two stays pressed
            } else {
                showCharts();
            }
        });
        HBox unitBox = new HBox(0, inTokens, inFiat);
        unitBox.getStyleClass().add("earnings-unit");

        Label priceLabel = new Label("Token price: 1 τ =");
        priceLabel.setLabelFor(price);
        Label chartsIn = new Label("Charts in");
        Region gap = Spacer.grow();
        HBox controls = new HBox(8, priceLabel, price, currency, gap, chartsIn, unitBox);
        controls.setAlignment(Pos.CENTER_LEFT);
        controls.getStyleClass().add("earnings-controls");
        Label priceHint = new Label("Leave the price blank to see tokens only. It is saved on this machine and never sent.");
        priceHint.getStyleClass().add("earnings-hint");
        who.setId("earnings-identity");
        who.getStyleClass().add("earnings-hint");

        VBox box = new VBox(12, who, tiles, controls, inputProblem, priceHint, charts.pane());
        box.getStyleClass().add("earnings-content");
        box.setFillWidth(true);
        moneyChanged();
        return box;
    }

    /** Reads the rows of the current identity off the FX thread; a newer refresh makes this one's answer moot. */
    private void refresh() {
        MinerAccount.Identity id = miner.identity();
        long gen = ++generation;
        if (id == null) {
            data = null;
            showEmpty(null);
            return;
        }
        var db = ctx.session().database();
        Task<EarningsData> load = new Task<>() {
            @Override
            protected EarningsData call() {
                return EarningsData.load(db, id.ledgerId(), id.hotkey(), LocalDate.now(ZoneOffset.UTC));
            }
        };
        load.setOnSucceeded(e -> {
            if (gen != generation) {
                return;
            }
            data = load.getValue();
            if (data.isEmpty()) {
                showEmpty(id);
            } else {
                showContent(id);
            }
        });
        load.setOnFailed(e -> {
            if (gen == generation) {
                dev.distillery.ui.common.ErrorReporter.report("Reading your earnings", load.getException());
            }
        });
        Background.run(load);
    }

    private void showEmpty(MinerAccount.Identity id) {
        String kind = id == null ? "no identity" : "no rows for " + id;
        if (kind.equals(emptyKind)) {
            return;
        }
        emptyKind = kind;
        showingContent = false;
        if (id == null) {
            setBody(new EmptyState("mdi2c-cash-multiple", "No earnings yet",
                    "Validators score your submitted students every epoch and the ledger pays emissions by those "
                            + "scores. Each epoch's earnings are stored on this machine as they arrive.",
                    List.of("See your balance and what each epoch paid",
                            "Chart earnings per epoch, per day and in total, in tokens or your currency",
                            "Compare score and incentive over time for each model you submitted"),
                    "Next step: create a wallet and submit a student on the Network screen.",
                    List.of(Actions.goTo(ctx, Screen.NETWORK, "Go to Network", true))));
        } else {
            setBody(new EmptyState("mdi2c-cash-multiple", "Nothing earned on this network yet",
                    "Wallet " + id.walletName() + " (" + shortKey(id.hotkey()) + ") has no earnings or scores stored "
                            + "for " + MinerAccount.networkName(id.ledgerId()) + ". Epoch reports are stored as the ledger sends them.",
                    List.of("Earnings appear here after the first epoch in which validators scored your student",
                            "A hotkey with a UID but no scored model earns 0 until then"),
                    "Next step: submit a student on the Network screen, then wait for the next epoch.",
                    List.of(Actions.goTo(ctx, Screen.NETWORK, "Go to Network", true))));
        }
    }

    private void showContent(MinerAccount.Identity id) {
        who.setText("Wallet " + id.walletName() + " · hotkey " + shortKey(id.hotkey()) + " · network "
                + MinerAccount.networkName(id.ledgerId()));
        if (!showingContent) {
            showingContent = true;
            emptyKind = null;
            setBody(content);
        }
        showCharts();
        showTiles();
    }

    private void showTiles() {
        double p = miner.tokenPriceProperty().get();
        String code = miner.currencyProperty().get();
        long b = balanceRao.get();
        if (b == UNKNOWN) {
            balance.set("—", null, "from the ledger once connected");
        } else {
            balance.set(Money.tokenText(b), fiat(b, p, code), null);
        }
        if (data == null) {
            return;
        }
        today.set(Money.tokenText(data.totals().today()), fiat(data.totals().today(), p, code), null);
        week.set(Money.tokenText(data.totals().last7Days()), fiat(data.totals().last7Days(), p, code), null);
        allTime.set(Money.tokenText(data.totals().allTime()), fiat(data.totals().allTime(), p, code), null);
        data.latest().ifPresentOrElse(l -> {
            latest.caption.setText("Latest epoch (#" + String.format(Locale.ROOT, "%,d", l.epoch()) + ")");
            latest.set(Money.tokenText(l.emission()), fiat(l.emission(), p, code), l.incentive() == null
                    ? "no UID in this epoch"
                    : String.format(Locale.ROOT, "incentive %.3f %%", l.incentive() * 100));
        }, () -> latest.set("—", null, "no epoch stored yet"));
    }

    private void showCharts() {
        if (data == null) {
            return;
        }
        double p = miner.tokenPriceProperty().get();
        EarningsCharts.Unit unit = inFiat.isSelected() && p > 0
                ? new EarningsCharts.Unit(p, miner.currencyProperty().get()) : EarningsCharts.Unit.TOKENS;
        charts.show(EarningsCharts.prepare(data, unit));
    }

    /** The user typed in the price or currency field: saved when valid, else said what is wrong. */
    private void priceTyped() {
        OptionalDouble p = Money.parsePrice(price.getText());
        String code = Money.parseCurrency(currency.getText());
        StringBuilder problem = new StringBuilder();
        if (p.isEmpty()) {
            problem.append("The price must be a number such as 0.40 (or blank for tokens only). ");
        }
        if (code == null) {
            problem.append("The currency must be a 3-letter code such as USD, EUR or GBP.");
        }
        boolean bad = problem.length() > 0;
        inputProblem.setText(problem.toString().strip());
        inputProblem.setVisible(bad);
        inputProblem.setManaged(bad);
        price.pseudoClassStateChanged(INVALID, p.isEmpty());
        currency.pseudoClassStateChanged(INVALID, code == null);
        if (code != null && !code.equals(miner.currencyProperty().get())) {
            miner.currencyProperty().set(code);
        }
        if (p.isPresent() && p.getAsDouble() != miner.tokenPriceProperty().get()) {
            miner.tokenPriceProperty().set(p.getAsDouble());
        }
    }

    private static final javafx.css.PseudoClass INVALID = javafx.css.PseudoClass.getPseudoClass("invalid");

    private void moneyChanged() {
        double p = miner.tokenPriceProperty().get();
        String code = miner.currencyProperty().get();
        if (Money.parsePrice(price.getText()).orElse(-1) != p) {
            price.setText(priceText(p));
        }
        if (!code.equals(Money.parseCurrency(currency.getText()))) {
            currency.setText(code);
        }
        inFiat.setText(code);
        inFiat.setDisable(p <= 0);
        if (p <= 0 && inFiat.isSelected()) {
            inTokens.setSelected(true);
        }
        showTiles();
        showCharts();
    }

    private static String priceText(double p) {
        return p <= 0 ? "" : java.math.BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
    }

    private static String fiat(long rao, double price, String code) {
        return price > 0 ? "≈ " + Money.fiatText(Money.tokens(rao) * price, code) : null;
    }

    private static String shortKey(String ss58) {
        return ss58.length() > 14 ? ss58.substring(0, 6) + "…" + ss58.substring(ss58.length() - 6) : ss58;
    }

    /** A header figure: caption, value in tokens, the same in the currency, and a note. */
    private static final class Tile {
        final VBox box = new VBox(2);
        final Label caption = new Label();
        final Label value = new Label();
        final Label fiat = new Label();
        final Label note = new Label();

        Tile(String id, String text) {
            caption.setText(text);
            caption.getStyleClass().add("earnings-tile-caption");
            value.getStyleClass().add("earnings-tile-value");
            value.setId("earnings-" + id + "-value");
            fiat.getStyleClass().add("earnings-tile-fiat");
            fiat.setId("earnings-" + id + "-fiat");
            note.getStyleClass().add("earnings-tile-note");
            box.getChildren().addAll(caption, value, fiat, note);
            box.getStyleClass().addAll("card", "earnings-tile");
            box.setId("earnings-tile-" + id);
            set("—", null, null);
        }

        void set(String tokens, String inFiat, String noteText) {
            value.setText(tokens);
            fiat.setText(inFiat == null ? "" : inFiat);
            fiat.setVisible(inFiat != null);
            fiat.setManaged(inFiat != null);
            note.setText(noteText == null ? "" : noteText);
            note.setVisible(noteText != null);
            note.setManaged(noteText != null);
        }
    }
}
