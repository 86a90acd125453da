package dev.distillery.ui.miner;

import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.miner.DamagedWalletException;
import dev.distillery.network.miner.Identicon;
import dev.distillery.network.miner.Wallet;
import dev.distillery.network.miner.WalletInfo;
import dev.distillery.network.miner.WrongPasswordException;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The wallet card: create or import a hotkey, see its SS58 address and identicon, copy the address, unlock it
 * for signing (the key stays in memory only), lock it again, back it up. Every file operation and every key
 * derivation (Argon2id, memory-hard on purpose: about a second) runs off the FX thread. A wrong password says so
 * and changes nothing.
 */
public final class WalletPanel extends VBox {
    /** Passwords shorter than this are refused when creating (the file format accepts any non-empty one). */
    static final int MIN_PASSWORD = 8;

    private final ShellContext ctx;
    private final MinerAccount account;
    private final ImageView identicon = new ImageView();
    private final Label name = new Label();
    private final Label address = new Label();
    private final Label state = new Label();
    private final Label message = new Label();
    private final ProgressIndicator busy = new ProgressIndicator();
    private final HBox actions = new HBox(8);

    private WalletPanel(ShellContext ctx) {
        super(8);
        this.ctx = ctx;
        this.account = ctx.miner();
        setId("wallet-panel");
        getStyleClass().add("wallet-panel");
        name.setId("wallet-name");
        name.getStyleClass().add("field-label");
        address.setId("wallet-address");
        address.getStyleClass().add("mono");
        state.setId("wallet-state");
        message.setId("wallet-message");
        message.setWrapText(true);
        message.setVisible(false);
        message.setManaged(false);
        busy.setMaxSize(20, 20);
        busy.setVisible(false);
        identicon.setFitWidth(44);
        identicon.setFitHeight(44);
        identicon.setId("wallet-identicon");
        account.walletProperty().addListener((o, a, b) -> refresh());
        account.keyProperty().addListener((o, a, b) -> refresh());
        refresh();
        account.loadRemembered();
    }

    /** The wallet card for the Network screen (and any other that needs one). */
    public static WalletPanel forNetwork(ShellContext ctx) {
        return new WalletPanel(ctx);
    }

    private void refresh() {
        Wallet w = account.walletProperty().get();
        HotkeyPair key = account.keyProperty().get();
        identicon.setVisible(w != null);
        identicon.setManaged(w != null);
        if (w == null) {
            identicon.setImage(null);
            name.setText("No wallet yet");
            address.setText("A wallet holds your hotkey: the key that registers you, commits your models and "
                    + "receives your earnings. It is encrypted with your password on this computer.");
            address.setWrapText(true);
            address.getStyleClass().remove("mono");
            state.setText("");
            Button create = button("Create wallet…", "mdi2w-wallet-plus-outline", "wallet-create", this::create);
            create.getStyleClass().add("primary");
            Button importIt = button("Import…", "mdi2k-key-arrow-right", "wallet-import", this::importWallet);
            actions.getChildren().setAll(create, importIt, busy);
        } else {
            identicon.setImage(identiconImage(w, 44));
            name.setText(w.name());
            address.setText(w.ss58());
            address.setWrapText(false);
            if (!address.getStyleClass().contains("mono")) {
                address.getStyleClass().add("mono");
            }
            state.setText(key == null ? "Locked" : "Unlocked for this session");
            state.getStyleClass().setAll("chip", key == null ? "chip-todo" : "chip-good");
            state.setGraphic(new FontIcon(key == null ? "mdi2l-lock-outline" : "mdi2l-lock-open-variant-outline"));
            Button copy = button("Copy address", "mdi2c-content-copy", "wallet-copy", () -> {
                ClipboardContent c = new ClipboardContent();
                c.putString(w.ss58());
                Clipboard.getSystemClipboard().setContent(c);
                say("Address copied.", false);
            });
            Button lock = key == null
                    ? button("Unlock…", "mdi2l-lock-open-outline", "wallet-unlock", this::unlock)
                    : button("Lock", "mdi2l-lock-outline", "wallet-lock", () -> account.keyProperty().set(null));
            if (key == null) {
                lock.getStyleClass().add("primary");
            }
            Button backup = button("Back up…", "mdi2c-content-save-outline", "wallet-backup", this::backup);
            Button more = button("Other wallet…", "mdi2w-wallet-outline", "wallet-switch", this::switchWallet);
            actions.getChildren().setAll(lock, copy, backup, more, busy);
        }
        address.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        message.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox text = new VBox(2, new HBox(8, name, state), address);
        text.setMinWidth(0);
        HBox.setHgrow(text, Priority.ALWAYS);
        HBox top = new HBox(12, identicon, text);
        top.setAlignment(Pos.CENTER_LEFT);
        actions.setAlignment(Pos.CENTER_LEFT);
        getChildren().setAll(top, actions, message);
    }

    /** The identicon of a wallet's key as an image of {@code size} pixels. */
    public static WritableImage identiconImage(Wallet w, int size) {
        return identiconImage(w.hotkey().bytes(), size);
    }

    /** The identicon of a public key as an image of {@code size} pixels. */
    public static WritableImage identiconImage(byte[] publicKey, int size) {
        int[] px = Identicon.of(publicKey).pixels(size);
        int[] argb = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            argb[i] = px[i] | 0xFF000000;
        }
        WritableImage img = new WritableImage(size, size);
        img.getPixelWriter().setPixels(0, 0, size, size, PixelFormat.getIntArgbInstance(), argb, 0, size);
        return img;
    }

    private static Button button(String text, String icon, String id, Runnable action) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    private void say(String text, boolean error) {
        message.setText(text);
        message.getStyleClass().remove("error-text");
        if (error) {
            message.getStyleClass().add("error-text");
        }
        message.setVisible(text != null && !text.isBlank());
        message.setManaged(message.isVisible());
    }

    /** Runs {@code work} off the FX thread with the spinner on; its message (or failure) lands in the card. */
    private <T> void work(String doing, Task<T> task, java.util.function.Consumer<T> done) {
        actions.getChildren().forEach(n -> n.setDisable(n != busy));
        busy.setVisible(true);
        say(doing, false);
        task.setOnSucceeded(e -> {
            busy.setVisible(false);
            actions.getChildren().forEach(n -> n.setDisable(false));
            say("", false);
            done.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            busy.setVisible(false);
            actions.getChildren().forEach(n -> n.setDisable(false));
            say(explain(task.getException()), true);
        });
        Background.run(task);
    }

    /** What went wrong, for people; never the password or the seed (no message carries them). */
    static String explain(Throwable t) {
        if (t instanceof WrongPasswordException) {
            return "Wrong password. Nothing was changed; type it again (passwords are case-sensitive).";
        }
        if (t instanceof DamagedWalletException) {
            return "The wallet file is damaged: " + t.getMessage() + ". Restore it from your backup (Import…).";
        }
        if (t instanceof FileAlreadyExistsException) {
            return "A wallet of that name already exists on this computer; nothing was replaced. Pick another name.";
        }
        if (t instanceof IllegalArgumentException) {
            return capital(t.getMessage()) + ".";
        }
        return "That did not work: " + (t.getMessage() == null ? t.toString() : t.getMessage()) + ".";
    }

    private static String capital(String s) {
        return s == null || s.isEmpty() ? "Invalid input" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private void create() {
        Dialog<ButtonType> d = dialog("Create a wallet", "A new hotkey, encrypted with your password.");
        TextField walletName = new TextField(nextName());
        walletName.setId("wallet-create-name");
        PasswordField p1 = new PasswordField();
        p1.setId("wallet-create-password");
        PasswordField p2 = new PasswordField();
        p2.setId("wallet-create-confirm");
        Label hint = new Label("At least " + MIN_PASSWORD + " characters. Nobody can recover a forgotten password: "
                + "make a backup once the wallet exists.");
        hint.setWrapText(true);
        hint.getStyleClass().add("hint");
        Label error = errorLabel();
        GridPane g = grid();
        g.addRow(0, new Label("Name"), walletName);
        g.addRow(1, new Label("Password"), p1);
        g.addRow(2, new Label("Again"), p2);
        d.getDialogPane().setContent(new VBox(10, g, hint, error));
        javafx.application.Platform.runLater(p1::requestFocus); // the name is filled in: the password comes next
        Button ok = (Button) d.getDialogPane().lookupButton(ButtonType.OK);
        ok.setText("Create");
        ok.setId("wallet-create-ok");
        ok.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            String problem = p1.getText().length() < MIN_PASSWORD ? "The password needs at least " + MIN_PASSWORD
                    + " characters." : !p1.getText().equals(p2.getText()) ? "The two passwords differ." : null;
            if (problem != null) {
                error.setText(problem);
                e.consume();
            }
        });
        if (d.showAndWait().filter(b -> b == ButtonType.OK).isEmpty()) {
            return;
        }
        String n = walletName.getText().strip();
        char[] pw = p1.getText().toCharArray();
        p1.clear();
        p2.clear();
        Path folder = account.walletFolder();
        work("Creating the wallet (deriving the encryption key takes a moment)…", new Task<Object[]>() {
            @Override
            protected Object[] call() throws Exception {
                try {
                    Wallet w = Wallet.create(folder, n, pw, account.kdf());
                    return new Object[] {w, w.unlock(pw)};
                } finally {
                    Arrays.fill(pw, '\0');
                }
            }
        }, r -> {
            account.walletProperty().set((Wallet) r[0]);
            account.keyProperty().set((HotkeyPair) r[1]);
            say("Wallet created and unlocked. Back it up (Back up…) and keep the password safe.", false);
        });
    }

    private void importWallet() {
        Dialog<ButtonType> d = dialog("Import a wallet",
                "From a backup file made by Distillery, or from a 32-byte hotkey seed in hex.");
        ChoiceBox<String> kind = new ChoiceBox<>(javafx.collections.FXCollections.observableArrayList(
                "Backup file", "Seed (64 hex digits)"));
        kind.setValue("Backup file");
        TextField source = new TextField();
        source.setId("wallet-import-source");
        source.setPromptText("path to the .wallet backup");
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Distillery wallet", "*" + Wallet.EXTENSION));
            java.io.File f = fc.showOpenDialog(d.getDialogPane().getScene().getWindow());
            if (f != null) {
                source.setText(f.getPath());
            }
        });
        TextField walletName = new TextField(nextName());
        PasswordField pw = new PasswordField();
        Label error = errorLabel();
        GridPane g = grid();
        g.addRow(0, new Label("From"), kind);
        g.addRow(1, new Label("Backup"), new HBox(6, source, browse));
        g.addRow(2, new Label("Name"), walletName);
        g.addRow(3, new Label("Password"), pw);
        Label hint = new Label("A backup keeps its name and password. A seed becomes a new wallet with this name "
                + "and password.");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        kind.valueProperty().addListener((o, a, b) -> {
            boolean seed = b.startsWith("Seed");
            source.setPromptText(seed ? "64 hex digits (0x… allowed)" : "path to the .wallet backup");
            ((Label) g.getChildren().get(2)).setText(seed ? "Seed" : "Backup");
            browse.setVisible(!seed);
            walletName.setDisable(!seed);
            pw.setDisable(!seed);
        });
        walletName.setDisable(true);
        pw.setDisable(true);
        d.getDialogPane().setContent(new VBox(10, g, hint, error));
        if (d.showAndWait().filter(b -> b == ButtonType.OK).isEmpty()) {
            return;
        }
        boolean seed = kind.getValue().startsWith("Seed");
        String src = source.getText().strip();
        String n = walletName.getText().strip();
        char[] password = pw.getText().toCharArray();
        source.clear();
        pw.clear();
        Path folder = account.walletFolder();
        work("Importing…", new Task<Wallet>() {
            @Override
            protected Wallet call() throws Exception {
                try {
                    return seed ? Wallet.importSeed(folder, n, src, password, account.kdf())
                            : Wallet.importBackup(folder, Path.of(src));
                } finally {
                    Arrays.fill(password, '\0');
                }
            }
        }, w -> {
            account.walletProperty().set(w);
            say("Imported “" + w.name() + "”. Unlock it to register and submit.", false);
        });
    }

    private void unlock() {
        Wallet w = account.walletProperty().get();
        if (w == null) {
            return;
        }
        Optional<char[]> pw = askPassword("Unlock " + w.name(), "Your password unlocks the hotkey for this "
                + "session only; it is never stored.");
        pw.ifPresent(p -> work("Unlocking…", new Task<HotkeyPair>() {
            @Override
            protected HotkeyPair call() throws Exception {
                try {
                    return w.unlock(p);
                } finally {
                    Arrays.fill(p, '\0');
                }
            }
        }, key -> {
            if (account.walletProperty().get() == w) {
                account.keyProperty().set(key);
            }
        }));
    }

    private void backup() {
        Wallet w = account.walletProperty().get();
        if (w == null) {
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setTitle("Back up " + w.name());
        fc.setInitialFileName(w.name() + "-backup" + Wallet.EXTENSION);
        java.io.File f = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (f == null) {
            return;
        }
        Path target = f.toPath();
        work("Writing the backup…", new Task<Path>() {
            @Override
            protected Path call() throws Exception {
                w.exportBackup(target);
                return target;
            }
        }, p -> say("Backup written to " + p + ". It is still encrypted: you need the same password to import "
                + "it.", false));
    }

    private void switchWallet() {
        Path folder = account.walletFolder();
        work("Reading wallets…", new Task<List<WalletInfo>>() {
            @Override
            protected List<WalletInfo> call() throws Exception {
                return Wallet.list(folder);
            }
        }, list -> {
            Dialog<ButtonType> d = dialog("Wallets on this computer", "Pick the wallet to use, or make another.");
            ChoiceBox<String> choice = new ChoiceBox<>();
            list.forEach(i -> choice.getItems().add(i.name()));
            Wallet current = account.walletProperty().get();
            choice.setValue(current == null ? null : current.name());
            ButtonType newOne = new ButtonType("Create another…");
            ButtonType importOne = new ButtonType("Import…");
            d.getDialogPane().getButtonTypes().add(0, newOne);
            d.getDialogPane().getButtonTypes().add(1, importOne);
            d.getDialogPane().setContent(new VBox(10, new Label("Wallet"), choice));
            Optional<ButtonType> r = d.showAndWait();
            if (r.isEmpty()) {
                return;
            }
            if (r.get() == newOne) {
                create();
            } else if (r.get() == importOne) {
                importWallet();
            } else if (r.get() == ButtonType.OK && choice.getValue() != null
                    && (current == null || !current.name().equals(choice.getValue()))) {
                String n = choice.getValue();
                work("Opening " + n + "…", new Task<Wallet>() {
                    @Override
                    protected Wallet call() throws Exception {
                        return Wallet.open(folder, n);
                    }
                }, account.walletProperty()::set);
            }
        });
    }

    private Optional<char[]> askPassword(String title, String text) {
        Dialog<ButtonType> d = dialog(title, text);
        PasswordField pw = new PasswordField();
        pw.setId("wallet-password");
        d.getDialogPane().setContent(new VBox(8, new Label("Password"), pw));
        Button ok = (Button) d.getDialogPane().lookupButton(ButtonType.OK);
        ok.setText("Unlock");
        ok.setId("wallet-password-ok");
        javafx.application.Platform.runLater(pw::requestFocus);
        Optional<char[]> out = d.showAndWait().filter(b -> b == ButtonType.OK).map(b -> pw.getText().toCharArray());
        pw.clear();
        return out;
    }

    private Dialog<ButtonType> dialog(String title, String header) {
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle(title);
        d.setHeaderText(header);
        if (getScene() != null) {
            d.initOwner(getScene().getWindow());
        }
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        d.getDialogPane().setId("wallet-dialog");
        d.getDialogPane().getStylesheets().addAll(getScene() == null ? List.of() : getScene().getStylesheets());
        return d;
    }

    private static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        g.setPadding(new Insets(4, 0, 0, 0));
        return g;
    }

    private static Label errorLabel() {
        Label l = new Label();
        l.setId("wallet-dialog-error");
        l.getStyleClass().add("error-text");
        l.setWrapText(true);
        return l;
    }

    /** "miner", "miner-2", … : the first name not taken in the wallet folder. */
    private String nextName() {
        java.nio.file.Path folder = account.walletFolder();
        String base = "miner";
        for (int i = 1; i < 100; i++) {
            String n = i == 1 ? base : base + "-" + i;
            if (!java.nio.file.Files.exists(folder.resolve(n + Wallet.EXTENSION))) {
                return n;
            }
        }
        return base + "-" + System.currentTimeMillis();
    }
}
