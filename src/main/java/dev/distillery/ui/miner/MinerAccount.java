package dev.distillery.ui.miner;

import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import javafx.application.Platform;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Who the user is on the network the app follows, as the miner screens (Network, Earnings, History, Dashboard)
 * need it: the identity the local rows are stored under, and signals that new rows have arrived. Properties
 * change on the FX thread only.
 */
public final class MinerAccount {
    /** Setting: the token's price in the user's currency (0 or absent: no fiat values). */
    public static final String TOKEN_PRICE = "miner.token.price";
    /** Setting: the currency code shown next to fiat values. */
    public static final String CURRENCY = "miner.token.currency";
    /** Setting: the ledger id the identity was last on, so stored earnings show before the network answers. */
    public static final String LEDGER = "miner.ledger";
    /** Setting: the name of the wallet last used, opened (locked) at start. */
    public static final String WALLET = "miner.wallet";

    /**
     * The miner's identity on one network.
     *
     * @param ledgerId   the key of this network's rows in {@link dev.distillery.store.NetworkStore}
     * @param walletName the wallet's name on this machine
     * @param hotkey     the wallet's hotkey as an SS58 address
     */
    public record Identity(String ledgerId, String walletName, String hotkey) {
    }

    /**
     * Where the network stands, as last read from the ledger, for the screens that summarize it.
     *
     * @param connected whether the ledger answered the last read
     * @param block     current block
     * @param epoch     last completed epoch
     * @param uid       the user's UID, -1 when not registered (or no wallet)
     * @param rank      1 for the miner with the highest incentive; 0 when the user has no UID
     * @param miners    UIDs on the subnet
     * @param incentive the user's incentive after the last epoch
     */
    public record Standing(boolean connected, long block, long epoch, int uid, int rank, int miners,
                           double incentive) {
    }

    /**
     * A network's name for people: a remote ledger's host:port as it is; the embedded devnet's id (its owner's SS58
     * address, which stays the same across restarts while its port does not) as "Local devnet".
     */
    public static String networkName(String ledgerId) {
        if (ledgerId == null) {
            return "no network";
        }
        return ledgerId.contains(":") ? ledgerId : "Local devnet";
    }

    private final ShellContext ctx;
    private final ReadOnlyObjectWrapper<Identity> identity = new ReadOnlyObjectWrapper<>(this, "identity");
    private final ReadOnlyLongWrapper storedEpoch = new ReadOnlyLongWrapper(this, "storedEpoch");
    /** The ledger {@link #storedEpoch} belongs to (FX thread; null until an epoch is announced). */
    private String storedLedger;
    private final ReadOnlyIntegerWrapper submissionsVersion = new ReadOnlyIntegerWrapper(this, "submissionsVersion");
    private final javafx.beans.property.ObjectProperty<dev.distillery.network.miner.Wallet> wallet =
            new javafx.beans.property.SimpleObjectProperty<>(this, "wallet");
    private final javafx.beans.property.ObjectProperty<dev.distillery.network.crypto.HotkeyPair> key =
            new javafx.beans.property.SimpleObjectProperty<>(this, "key");
    private final ReadOnlyObjectWrapper<Standing> standing = new ReadOnlyObjectWrapper<>(this, "standing");
    private final ReadOnlyLongWrapper balance = new ReadOnlyLongWrapper(this, "balance", -1);
    private final DoubleProperty tokenPrice = new SimpleDoubleProperty(this, "tokenPrice");
    private final StringProperty currency = new SimpleStringProperty(this, "currency", "USD");

    public MinerAccount(ShellContext ctx) {
        this.ctx = ctx;
        tokenPrice.set(Math.max(0, ctx.settings().getDouble(TOKEN_PRICE).orElse(0)));
        currency.set(ctx.settings().get(CURRENCY, "USD"));
        tokenPrice.addListener((o, was, now) -> {
            double v = now.doubleValue();
            Background.writes().execute(() -> ctx.settings().put(TOKEN_PRICE, Double.toString(v)));
        });
        currency.addListener((o, was, now) -> Background.writes().execute(() -> ctx.settings().put(CURRENCY, now)));
        wallet.addListener((o, was, now) -> {
            if (was == null || now == null || !was.ss58().equals(now.ss58())) {
                key.set(null);
            }
            if (now != null) {
                String name = now.name();
                Background.writes().execute(() -> ctx.settings().put(WALLET, name));
            }
        });
        key.addListener((o, was, now) -> {
            var w = wallet.get();
            if (now != null && (w == null || !now.hotkey().ss58().equals(w.ss58()))) {
                throw new IllegalArgumentException("the key does not belong to the wallet in use");
            }
        });
    }

    /**
     * The wallet in use (public part only; opened without its password), or null when the user has none. Setting
     * it remembers the choice and drops the unlocked key of the previous one.
     */
    public javafx.beans.property.ObjectProperty<dev.distillery.network.miner.Wallet> walletProperty() {
        return wallet;
    }

    /**
     * The unlocked key of {@link #walletProperty()}, held in memory only while the app runs; null while locked.
     * Signing (register, commit, upload) needs it.
     */
    public javafx.beans.property.ObjectProperty<dev.distillery.network.crypto.HotkeyPair> keyProperty() {
        return key;
    }

    /** The folder wallets are kept in. */
    public java.nio.file.Path walletFolder() {
        return ctx.session().dataDirectory().wallets();
    }

    /** The wallet in use on the network followed; null while there is no wallet or no network. */
    public ReadOnlyObjectProperty<Identity> identityProperty() {
        return identity.getReadOnlyProperty();
    }

    public Identity identity() {
        return identity.get();
    }

    /** The newest epoch stored locally for the followed ledger; changes each time an epoch report is stored. */
    public ReadOnlyLongProperty storedEpochProperty() {
        return storedEpoch.getReadOnlyProperty();
    }

    /** Goes up by one whenever a submission or one of its events is stored. */
    public ReadOnlyIntegerProperty submissionsVersionProperty() {
        return submissionsVersion.getReadOnlyProperty();
    }

    /** Price of one token in {@link #currencyProperty()}; 0 means none typed (show tokens only). Saved. */
    public DoubleProperty tokenPriceProperty() {
        return tokenPrice;
    }

    public StringProperty currencyProperty() {
        return currency;
    }

    /** The network's state as last read; null before the first read. */
    public ReadOnlyObjectProperty<Standing> standingProperty() {
        return standing.getReadOnlyProperty();
    }

    /** Says where the network stands (any thread). */
    public void setStanding(Standing s) {
        onFx(() -> standing.set(s));
    }

    /** The hotkey's free balance on the followed ledger in rao, as last read; -1 while unknown. */
    public ReadOnlyLongProperty balanceProperty() {
        return balance.getReadOnlyProperty();
    }

    /** Says what the ledger reported as the balance (any thread); -1: unknown. */
    public void setBalance(long rao) {
        onFx(() -> balance.set(rao));
    }

    /** Sets the identity (on the FX thread, from any thread). */
    public void setIdentity(Identity id) {
        if (id != null) {
            String ledger = id.ledgerId();
            Background.writes().execute(() -> ctx.settings().put(LEDGER, ledger));
        }
        onFx(() -> identity.set(id));
    }

    /**
     * Says that epoch {@code epoch} of ledger {@code ledgerId} is stored (any thread). Another ledger than the last
     * one named starts over from its epoch, so the property is always the followed ledger's newest epoch.
     */
    public void epochStored(String ledgerId, long epoch) {
        onFx(() -> {
            if (!ledgerId.equals(storedLedger)) {
                storedLedger = ledgerId;
                storedEpoch.set(epoch);
            } else {
                storedEpoch.set(Math.max(storedEpoch.get(), epoch));
            }
        });
    }

    /**
     * Whether {@code epoch} of {@code ledgerId} is newer than any epoch of it announced so far (FX thread). The
     * store holds an epoch a moment before the FX thread hears of it; a screen that read the store in that moment
     * waits for the announcement, so that it never shows an epoch the status bar does not know yet.
     */
    public boolean unannounced(String ledgerId, long epoch) {
        return ledgerId.equals(storedLedger) && epoch > storedEpoch.get();
    }

    /** Says that a submission changed in the store (any thread). */
    public void submissionsChanged() {
        onFx(() -> submissionsVersion.set(submissionsVersion.get() + 1));
    }

    /** The key-derivation cost for new wallets: the memory-hard default. */
    public dev.distillery.network.miner.KdfParams kdf() {
        return dev.distillery.network.miner.KdfParams.DEFAULT;
    }

    private boolean loading;

    /**
     * Opens the wallet used last time (locked: only its public part is read), in the background; once per app
     * run. A wallet file that vanished or is damaged is left out and the user picks or creates another.
     */
    public void loadRemembered() {
        if (loading || wallet.get() != null) {
            return;
        }
        loading = true;
        java.nio.file.Path folder = walletFolder();
        Background.tasks().execute(() -> {
            String name = ctx.settings().get(WALLET, "");
            dev.distillery.network.miner.Wallet w = null;
            try {
                if (!name.isBlank()) {
                    w = dev.distillery.network.miner.Wallet.open(folder, name);
                } else {
                    var all = dev.distillery.network.miner.Wallet.list(folder);
                    if (all.size() == 1) {
                        w = dev.distillery.network.miner.Wallet.open(folder, all.get(0).name());
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(MinerAccount.class).warn("The wallet used last time ({}) could not "
                        + "be opened: {}", name, e.getMessage());
            }
            dev.distillery.network.miner.Wallet found = w;
            String ledger = ctx.settings().get(LEDGER, "");
            if (found != null) {
                onFx(() -> {
                    if (wallet.get() == null) {
                        wallet.set(found);
                    }
                    if (identity.get() == null && !ledger.isBlank()) {
                        identity.set(new Identity(ledger, found.name(), found.ss58()));
                    }
                });
            }
        });
    }

    ShellContext context() {
        return ctx;
    }

    private static void onFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
