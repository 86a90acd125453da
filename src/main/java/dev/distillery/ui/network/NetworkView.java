package dev.distillery.ui.network;

import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.EmptyState;
import java.util.List;

/** The network: challenge, submissions, metagraph and earnings. */
public final class NetworkView extends ScreenPane {
    public NetworkView(ShellContext ctx) {
        super(Screen.NETWORK, "Submit students to validators and follow your scores and earnings");
        setBody(new EmptyState("mdi2l-lan-disconnect", "Not connected",
                "Validators score the students miners submit: agreement with the teacher, CPU latency and size. "
                        + "Every epoch the network turns their scores into token emissions. A local devnet, with a "
                        + "ledger, two validators and simulated competitors, will run inside the app so you can "
                        + "practise offline.",
                List.of("See the challenge: its teacher, latency budget, size cap and leaderboard",
                        "Submit a student and follow it: uploaded, queued, evaluating, scored",
                        "Read the metagraph and your emission epoch by epoch"),
                "Next step: you need a student to submit. Distill one first.",
                List.of(Actions.goTo(ctx, Screen.DISTILL, "Go to Distill", true))));
    }
}
