package dev.distillery.network.miner;

import java.nio.file.Path;

/** What can be shown about a wallet without its password: its name, public address and file. */
public record WalletInfo(String name, String ss58, Path file) {
}
