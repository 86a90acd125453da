package dev.distillery.network.miner;

/**
 * The password did not open the wallet. Nothing on disk was read for writing, so the user can simply
 * try again: a wrong password never locks out, deletes or modifies a wallet.
 */
public final class WrongPasswordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String walletName;

    public WrongPasswordException(String walletName) {
        super("Wrong password for wallet " + walletName + ". Nothing was changed; try again.");
        this.walletName = walletName;
    }

    public String walletName() {
        return walletName;
    }
}
