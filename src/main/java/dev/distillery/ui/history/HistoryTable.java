package dev.distillery.ui.history;

import dev.distillery.store.HistoryStore;
import dev.distillery.store.HistoryStore.Filter;
import dev.distillery.store.HistoryStore.Page;
import dev.distillery.store.HistoryStore.Table;
import dev.distillery.ui.common.Background;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javafx.animation.PauseTransition;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * One table of the History screen: a search field (debounced), date range and the table's own filters, the count
 * of what matched, the rows (queried off the FX thread, at most {@link HistoryStore#DEFAULT_LIMIT}), Open for the
 * drill-down and Export CSV for every matching row.
 */
final class HistoryTable<T> extends VBox {
    final Table table;
    final TableView<T> view = new TableView<>();
    final TextField search = new TextField();
    final DatePicker from = new DatePicker();
    final DatePicker to = new DatePicker();
    final Label count = new Label(" ");
    final Button open = new Button("Open", new FontIcon("mdi2a-arrow-right-circle-outline"));
    final Button export = new Button("Export CSV…", new FontIcon("mdi2f-file-delimited-outline"));
    private final String noun;
    private final HistoryStore store;
    private final BiFunction<HistoryStore, Filter, Page<T>> loader;
    private final Supplier<Filter> base;
    /** Search, this table's own filters and the dates, wrapping onto a second line in a narrow window. */
    private final FlowPane filters = new FlowPane(8, 8);
    private final HBox dates = new HBox(8);
    private final List<UnaryOperator<Filter>> extras = new ArrayList<>();
    private final List<Runnable> resets = new ArrayList<>();
    private final PauseTransition debounce = new PauseTransition(Duration.millis(300));
    private final Label placeholder = new Label();
    private int generation;
    private Consumer<T> onOpen = t -> { };
    private Consumer<Page<T>> afterLoad;

    HistoryTable(String id, Table table, String noun, HistoryStore store,
                 BiFunction<HistoryStore, Filter, Page<T>> loader, Supplier<Filter> base) {
        this.table = table;
        this.noun = noun;
        this.store = store;
        this.loader = loader;
        this.base = base;
        getStyleClass().add("history-table");
        setSpacing(8);
        view.setId("history-" + id + "-table");
        search.setId("history-" + id + "-search");
        count.setId("history-" + id + "-count");
        open.setId("history-" + id + "-open");
        export.setId("history-" + id + "-export");
        from.setId("history-" + id + "-from");
        to.setId("history-" + id + "-to");
        count.getStyleClass().add("history-count");

        search.setPromptText("Search " + noun);
        search.setPrefColumnCount(14);
        open.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        export.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        search.getStyleClass().add("history-search");
        search.textProperty().addListener((o, was, now) -> debounce.playFromStart());
        debounce.setOnFinished(e -> reload());
        from.setPromptText("From");
        to.setPromptText("To");
        from.setPrefWidth(125);
        to.setPrefWidth(125);
        // whole or on the next line, never "F" and "T": the bar wraps in narrow windows
        for (Region r : List.of(search, from, to)) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        from.setTooltip(new Tooltip("Only rows on or after this day"));
        to.setTooltip(new Tooltip("Only rows on or before this day"));
        from.valueProperty().addListener((o, was, now) -> reload());
        to.valueProperty().addListener((o, was, now) -> reload());
        resets.add(() -> {
            search.clear();
            from.setValue(null);
            to.setValue(null);
        });
        filters.setAlignment(Pos.CENTER_LEFT);
        filters.setPrefWrapLength(200);
        filters.setMinWidth(0);
        filters.getStyleClass().add("history-filters");

        open.setDisable(true);
        open.setTooltip(new Tooltip("Show where the selected row came from (or double-click it)"));
        open.setOnAction(e -> {
            T item = view.getSelectionModel().getSelectedItem();
            if (item != null) {
                onOpen.accept(item);
            }
        });
        export.setTooltip(new Tooltip("Save every row that matches the search and filters (not only those shown) "
                + "as a CSV file"));
        export.setOnAction(e -> chooseExportFile());
        view.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> open.setDisable(now == null));
        view.setRowFactory(tv -> {
            TableRow<T> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
                    onOpen.accept(row.getItem());
                }
            });
            return row;
        });
        view.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        placeholder.getStyleClass().add("hint");
        placeholder.setWrapText(true);
        view.setPlaceholder(placeholder);
        VBox.setVgrow(view, Priority.ALWAYS);

        // search, filters and dates wrap onto a second line when the window is narrow; Open and Export stay right
        dates.getChildren().setAll(from, new Label("–"), to);
        dates.setAlignment(Pos.CENTER_LEFT);
        dates.setMinWidth(Region.USE_PREF_SIZE);
        filters.getChildren().setAll(search, dates);
        HBox.setHgrow(filters, Priority.ALWAYS);
        HBox bar = new HBox(8, filters, open, export);
        bar.setAlignment(Pos.TOP_LEFT);
        bar.getStyleClass().add("history-bar");
        getChildren().addAll(bar, view, count);
    }

    /** Adds a filter control; {@code apply} puts its value in the filter, {@code reset} clears it. */
    void addFilter(Node control, UnaryOperator<Filter> apply, Runnable reset) {
        if (control instanceof Region r) {
            r.setMinWidth(Region.USE_PREF_SIZE); // "All", "Only mine" whole
        }
        filters.getChildren().add(filters.getChildren().indexOf(dates), control);
        extras.add(apply);
        resets.add(reset);
    }

    void onOpen(Consumer<T> action) {
        onOpen = action;
    }

    /**
     * A column of text; numeric columns are right-aligned. It never gets narrower than its title, a date or (for
     * narrow columns) its preferred width; a value that still does not fit is whole in the cell's tooltip.
     */
    TableColumn<T, String> column(String title, Function<T, String> value, double width, boolean numeric) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                boolean none = empty || text == null || text.isEmpty();
                setText(none ? null : text);
                setTooltip(none ? null : new Tooltip(text));
            }
        });
        c.setPrefWidth(width);
        // dates ("2026-12-07 04:35") stay whole at 118; a title like "Your incentive" too
        c.setMinWidth(Math.max(width >= 130 ? 118 : Math.min(width, 80), dev.distillery.ui.common.Labels.columnTitleWidth(title)));
        c.setSortable(false); // the order is the store's: newest first, over all rows and not just the page
        if (numeric) {
            c.getStyleClass().add("numeric");
        }
        view.getColumns().add(c);
        return c;
    }

    /** The filter of what the search, dates and this table's own controls select. */
    Filter filter() {
        Filter f = base.get().withText(search.getText());
        LocalDate a = from.getValue();
        LocalDate b = to.getValue();
        ZoneId zone = ZoneId.systemDefault();
        Instant start = a == null ? null : a.atStartOfDay(zone).toInstant();
        Instant end = b == null ? null : b.plusDays(1).atStartOfDay(zone).toInstant();
        f = f.withRange(start, end);
        for (UnaryOperator<Filter> x : extras) {
            f = x.apply(f);
        }
        return f;
    }

    boolean filtered() {
        Filter f = filter();
        return (f.text() != null && !f.text().isBlank()) || f.from() != null || f.to() != null
                || f.state() != null || f.validator() != null;
    }

    /** Queries again in the background; a newer reload's answer wins over an older one. */
    Task<Page<T>> reload() {
        debounce.stop();
        Filter f = filter();
        boolean narrowed = filtered();
        int gen = ++generation;
        Task<Page<T>> task = Jobs.task("Reading the " + noun + " history", () -> loader.apply(store, f));
        task.setOnSucceeded(e -> {
            if (gen != generation) {
                return;
            }
            Page<T> page = task.getValue();
            T selected = view.getSelectionModel().getSelectedItem();
            view.getItems().setAll(page.rows());
            if (selected != null && view.getItems().contains(selected)) {
                view.getSelectionModel().select(selected);
            }
            count.setText(countText(page));
            placeholder.setText(narrowed ? "No " + noun + " match the search and filters."
                    : "No " + noun + " stored yet.");
            Consumer<Page<T>> after = afterLoad;
            afterLoad = null;
            if (after != null) {
                after.accept(page);
            }
        });
        return Background.run(task);
    }

    private String countText(Page<T> page) {
        if (page.truncated()) {
            return "Showing the newest " + HistoryFormat.count(page.rows().size()) + " of "
                    + HistoryFormat.count(page.total()) + " " + noun + " (Export CSV saves all of them)";
        }
        return page.total() == 1 ? "1 row" : HistoryFormat.count(page.total()) + " " + noun;
    }

    /**
     * Selects and shows the first row matching {@code which}; when no shown row does, clears the search and
     * filters, reads again and tries once more.
     */
    void reveal(Predicate<T> which) {
        if (select(which)) {
            return;
        }
        resets.forEach(Runnable::run);
        afterLoad = page -> select(which);
        reload();
    }

    private boolean select(Predicate<T> which) {
        for (T item : view.getItems()) {
            if (which.test(item)) {
                view.getSelectionModel().select(item);
                view.scrollTo(item);
                return true;
            }
        }
        return false;
    }

    private void chooseExportFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export " + noun + " as CSV");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV files", "*.csv"));
        chooser.setInitialFileName("distillery-" + noun.replace(' ', '-') + "-" + LocalDate.now() + ".csv");
        var file = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (file != null) {
            export(file.toPath());
        }
    }

    /**
     * Writes every row the current search and filters select to {@code file} as CSV, in the background; the file
     * appears whole or not at all.
     */
    Task<Long> export(Path file) {
        Filter f = filter();
        Task<Long> task = Jobs.task("Exporting " + noun + " to " + file, () -> {
                Path part = file.resolveSibling(file.getFileName() + ".part");
                long n;
                try (Writer w = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                    n = store.export(table, f, w);
                }
                try {
                    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
                }
                return n;
        });
        export.setDisable(true);
        task.setOnSucceeded(e -> {
            export.setDisable(false);
            count.setText("Exported " + HistoryFormat.count(task.getValue()) + " " + noun + " to " + file);
        });
        task.runningProperty().addListener((o, was, now) -> {
            if (!now) {
                export.setDisable(false);
            }
        });
        return Background.run(task);
    }
}
