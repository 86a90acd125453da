package dev.distillery.network.ledger;

import dev.distillery.store.Database;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Child process for {@link LedgerKillTest}: runs epochs as fast as it can until killed. */
public final class LedgerLoopChild {
    private LedgerLoopChild() {
    }

    public static void main(String[] args) {
        Database db = Database.openLedger(Path.of(args[0]));
        Ledger l = new Ledger(db.ledger(), new Ledger.Config(10, 64, 5, 8, 5000, 0.5, 0.1, 1.0, 1.0, 0.18, "owner"));
        for (int i = 0; i < 4; i++) {
            l.register("v" + i, "c", 10 + i);
        }
        for (int i = 0; i < 40; i++) {
            l.register("m" + i, "c", 0);
        }
        Random r = new Random(1);
        long block = l.block();
        while (true) {
            block += 10;
            for (int i = 0; i < 4; i++) {
                Map<Integer, Double> w = new HashMap<>();
                for (int j = 4; j < 44; j++) {
                    w.put(j, r.nextDouble());
                }
                l.setWeights("v" + i, w);
            }
            l.advanceTo(block);
            System.out.println("epoch " + db.ledger().meta().epoch());
        }
    }
}
