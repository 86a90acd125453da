package dev.distillery.ui;

import dev.distillery.boot.AppSession;
import dev.distillery.core.ComputeThreads;
import dev.distillery.store.SettingsStore;
import dev.distillery.ui.common.Background;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.stage.Window;

/** What every screen may use: the session, navigation, and the shell's shared state. */
public final class ShellContext {
    private final AppSession session;
    private final Navigator navigator = new Navigator();
    private final IntegerProperty computeThreads;
    private final StringProperty networkStatus = new SimpleStringProperty(this, "networkStatus", "Not connected");
    private Window window;
    private java.util.function.Function<Screen, ScreenPane> views;
    private dev.distillery.teacher.TeacherService teachers;
    private dev.distillery.distill.DistillService distill;
    private dev.distillery.ui.network.NetworkFeed network;
    private dev.distillery.ui.miner.MinerAccount miner;

    public ShellContext(AppSession session) {
        this.session = session;
        this.computeThreads = new SimpleIntegerProperty(this, "computeThreads",
                ComputeThreads.resolve(session.settings().getInt(ComputeThreads.SETTING)));
    }

    public AppSession session() {
        return session;
    }

    public SettingsStore settings() {
        return session.settings();
    }

    public Navigator navigator() {
        return navigator;
    }

    /** CPU threads the user allows for inference and training. */
    public IntegerProperty computeThreadsProperty() {
        return computeThreads;
    }

    public void setComputeThreads(int n) {
        int v = Math.max(1, Math.min(n, ComputeThreads.available()));
        computeThreads.set(v);
        Background.writes().execute(() -> session.settings().put(ComputeThreads.SETTING, v));
    }

    /** The stored int8-precision mode (auto, on, off); the command line or a system property may override it. */
    public dev.distillery.core.Int8Precision.Mode int8Precision() {
        return dev.distillery.core.Int8Precision.storedMode();
    }

    /** Stores the int8-precision mode; sessions made from now on follow it. */
    public void setInt8Precision(dev.distillery.core.Int8Precision.Mode mode) {
        dev.distillery.core.Int8Precision.useStored(java.util.Optional.of(mode.text()));
        Background.writes().execute(() -> session.settings().put(dev.distillery.core.Int8Precision.SETTING, mode.text()));
    }

    /** One-line network state for the status bar; the Network screen will drive it. */
    public StringProperty networkStatusProperty() {
        return networkStatus;
    }

    /** The teacher library and tools, opened on first use. */
    public synchronized dev.distillery.teacher.TeacherService teachers() {
        if (teachers == null) {
            teachers = new dev.distillery.teacher.TeacherService(session.dataDirectory(), session.database(),
                    computeThreads::get);
        }
        return teachers;
    }

    /**
     * Distillation runs, opened on first use. The first call also marks runs whose process died as
     * INTERRUPTED (a database query), so make it from a background task.
     */
    public synchronized dev.distillery.distill.DistillService distill() {
        if (distill == null) {
            distill = new dev.distillery.distill.DistillService(session.dataDirectory(), session.database(), teachers());
            distill.markInterrupted();
        }
        return distill;
    }

    /** The app's link to the network (the embedded devnet by default), created on first use. */
    public synchronized dev.distillery.ui.network.NetworkFeed network() {
        if (network == null) {
            network = new dev.distillery.ui.network.NetworkFeed(this);
        }
        return network;
    }

    /** The user's identity on the network and the signals the miner screens refresh on; created on first use. */
    public synchronized dev.distillery.ui.miner.MinerAccount miner() {
        if (miner == null) {
            miner = new dev.distillery.ui.miner.MinerAccount(this);
        }
        return miner;
    }

    /** Stops what the shell started (the devnet); at app exit. */
    public synchronized void close() {
        if (network != null) {
            network.close();
        }
    }

    /** The screen's view (created on first use), to act on it from another screen; shows nothing by itself. */
    public ScreenPane view(Screen screen) {
        if (views == null) {
            throw new IllegalStateException("no main window yet");
        }
        return views.apply(screen);
    }

    void setViews(java.util.function.Function<Screen, ScreenPane> views) {
        this.views = views;
    }

    private java.util.function.Consumer<ChallengePrefill> distillHandler;

    /** Shows the Distill screen with its New run wizard filled in for a challenge. */
    public void distillFor(ChallengePrefill prefill) {
        navigator.go(Screen.DISTILL);
        if (distillHandler != null) {
            distillHandler.accept(prefill);
        }
    }

    void setDistillHandler(java.util.function.Consumer<ChallengePrefill> handler) {
        this.distillHandler = handler;
    }

    private java.util.function.BiConsumer<String, java.nio.file.Path> liveHandler;

    /** Shows the Live screen with a student and the teacher it was distilled from side by side. */
    public void tryLive(String teacherSha256, java.nio.file.Path student) {
        navigator.go(Screen.LIVE);
        if (liveHandler != null) {
            liveHandler.accept(teacherSha256, student);
        }
    }

    void setLiveHandler(java.util.function.BiConsumer<String, java.nio.file.Path> handler) {
        this.liveHandler = handler;
    }

    /** Opens the Submit dialog for a student file (local preview first, then commit and upload). */
    public void submitStudent(java.nio.file.Path student) {
        dev.distillery.ui.network.SubmitDialog.open(this, student);
    }

    public Window window() {
        return window;
    }

    void setWindow(Window window) {
        this.window = window;
    }
}
