package dev.distillery.ui;

import dev.distillery.store.Database;
import java.nio.file.Path;

/** Child JVM for {@link DevnetBusyTest}: opens a devnet's ledger database, as 'distillery devnet' does, until killed. */
public final class HoldLedgerChild {
    private HoldLedgerChild() {
    }

    public static void main(String[] args) throws Exception {
        Database db = Database.openLedger(Path.of(args[0]));
        System.out.println("READY " + db);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
