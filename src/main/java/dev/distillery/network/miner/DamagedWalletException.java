package dev.distillery.network.miner;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A wallet file that is not a readable, intact wallet: malformed, truncated, or with a header field
 * that no longer matches the rest of the file. The message names the file and what is wrong, never a
 * secret.
 */
public final class DamagedWalletException extends IOException {
    private static final long serialVersionUID = 1L;

    public DamagedWalletException(Path file, String reason) {
        super("The wallet file " + file + " is damaged (" + reason + ") and cannot be opened. "
                + "Nothing was changed; restore it from a backup.");
    }
}
