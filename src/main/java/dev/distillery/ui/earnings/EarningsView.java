package dev.distillery.ui.earnings;

import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.EmptyState;
import java.util.List;

/** Balance, emission per epoch and the earnings charts of the user's hotkey. */
public final class EarningsView extends ScreenPane {
    public EarningsView(ShellContext ctx) {
        super(Screen.EARNINGS, "What your hotkey earned, per epoch, per day and in all");
        setBody(new EmptyState("mdi2c-cash-multiple", "No earnings yet",
                "Validators score your submitted students every epoch and the ledger pays emissions by those "
                        + "scores. Each epoch's earnings are stored on this machine as they arrive.",
                List.of("See your balance and what each epoch paid",
                        "Chart earnings per epoch, per day and in total, in tokens or your currency",
                        "Compare score and incentive over time for each model you submitted"),
                "Next step: create a wallet and submit a student on the Network screen.",
                List.of(Actions.goTo(ctx, Screen.NETWORK, "Go to Network", true))));
    }
}
