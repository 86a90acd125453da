package dev.distillery.store;

import dev.distillery.core.Csv;
import dev.distillery.core.Sha256;
import dev.distillery.store.NetworkStore.Share;
import dev.distillery.store.NetworkStore.Submission;
import dev.distillery.store.NetworkStore.SubmissionEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Everything the app kept, read back for the History screen: runs, the students they exported, submissions,
 * epoch reports and earnings, searched and filtered in SQL (newest first, at most a page of rows plus the total
 * that matched), exported to CSV as a stream, and the links between them: an earning to its epoch report, to the
 * submission that was the miner's current one at that epoch, to the student file, to the run that exported it.
 *
 * <p>Network rows are always read for one ledger id, so two networks never mix. Amounts are rao (1 τ = 1e9 rao).
 * Read-only: the tables belong to {@link RunStore} and {@link NetworkStore}.
 */
public final class HistoryStore {
    /** Rows a page holds unless asked otherwise. */
    public static final int DEFAULT_LIMIT = 1000;

    /** The tables of the History screen. */
    public enum Table { RUNS, STUDENTS, SUBMISSIONS, EPOCHS, EARNINGS }

    /**
     * What to show. Every part is optional (null: no filter) and a table ignores the parts it has no column for.
     *
     * @param text      words searched (case-insensitive, substring) in the table's text columns
     * @param state     a run's status or a submission's state, exactly
     * @param validator a submission's validator, exactly
     * @param from      rows at or after this instant (runs: created; students: exported; network: received)
     * @param to        rows before this instant
     * @param ledgerId  the network whose rows are read; without one the network tables are empty
     * @param hotkey    only this hotkey's rows (submissions, earnings) and its share (epochs); null: every UID
     */
    public record Filter(String text, String state, String validator, Instant from, Instant to, String ledgerId,
                         String hotkey) {
        public static Filter none() {
            return new Filter(null, null, null, null, null, null, null);
        }

        public Filter withText(String t) {
            return new Filter(t, state, validator, from, to, ledgerId, hotkey);
        }

        public Filter withState(String s) {
            return new Filter(text, s, validator, from, to, ledgerId, hotkey);
        }

        public Filter withValidator(String v) {
            return new Filter(text, state, v, from, to, ledgerId, hotkey);
        }

        public Filter withRange(Instant f, Instant t) {
            return new Filter(text, state, validator, f, t, ledgerId, hotkey);
        }

        public Filter withLedger(String ledger, String key) {
            return new Filter(text, state, validator, from, to, ledger, key);
        }
    }

    /** Up to a limit of the rows that matched, and how many matched in all. */
    public record Page<T>(List<T> rows, long total) {
        public Page {
            rows = List.copyOf(rows);
        }

        public boolean truncated() {
            return total > rows.size();
        }
    }

    /** A distillation run, without its request and report texts. */
    public record RunItem(long id, String name, Instant createdAt, Instant updatedAt, String teacherName,
                          String teacherSha256, String preset, String status, int epochsDone, Double bestMetric,
                          String studentPath, String phase) {
    }

    /**
     * A student a run exported. {@code sizeBytes} is null when the file is gone; {@code submissions} counts the
     * submissions of that file (by path).
     */
    public record StudentItem(long runId, String runName, Instant exportedAt, String teacherName, String preset,
                              String path, Long sizeBytes, Double bestMetric, int submissions) {
    }

    /**
     * An epoch report of a ledger with, when a hotkey was given and held a UID then, that hotkey's share (else the
     * share fields are null).
     */
    public record EpochItem(String ledgerId, long epoch, long block, long totalEmission, long ownerEmission,
                            Instant receivedAt, int uids, Integer uid, String hotkey, Double incentive,
                            Double dividends, Long emission) {
    }

    /** What one UID earned in one epoch. */
    public record EarningItem(String ledgerId, long epoch, int uid, String hotkey, double incentive, double dividends,
                              long emission, Instant receivedAt) {
    }

    /** An epoch report with every UID's share. */
    public record EpochReport(NetworkStore.EpochRow epoch, List<Share> shares) {
        public EpochReport {
            shares = List.copyOf(shares);
        }
    }

    /** A student file as found on disk now; {@code sha256} and {@code sizeBytes} are null when it is gone. */
    public record StudentFile(String path, boolean exists, Long sizeBytes, String sha256) {
    }

    /**
     * Where something came from: earning → epoch → submission (and its timeline) → student → run. Any link may be
     * null: the start of the trail is further down (a trail from a run has only the run), or a link was not found.
     */
    public record Trail(EarningItem earning, EpochReport epoch, Submission submission, List<SubmissionEvent> events,
                        StudentFile student, RunItem run) {
        public Trail {
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    private final Jdbi jdbi;
    /** SHA-256 of files already read, by path, size and modification time. */
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    HistoryStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    // ---- tables -------------------------------------------------------------------------------------------------

    public Page<RunItem> runs(Filter f, int limit) {
        return page(RUNS, f, limit);
    }

    public Page<StudentItem> students(Filter f, int limit) {
        return page(STUDENTS, f, limit);
    }

    public Page<Submission> submissions(Filter f, int limit) {
        return page(SUBMISSIONS, f, limit);
    }

    public Page<EpochItem> epochs(Filter f, int limit) {
        return page(EPOCHS, f, limit);
    }

    public Page<EarningItem> earnings(Filter f, int limit) {
        return page(EARNINGS, f, limit);
    }

    /**
     * Writes every row the filter selects (no limit), newest first, as CSV with a header line, streaming from the
     * database. Dates are ISO-8601 with the local offset; amounts in τ (9 decimals) and rao.
     *
     * @return the number of rows written (the header not counted)
     */
    public long export(Table table, Filter f, Appendable out) {
        Spec<?> spec = spec(table);
        return export(spec, f, out);
    }

    private <T> long export(Spec<T> spec, Filter f, Appendable out) {
        Csv.row(out, spec.header);
        Where w = spec.where.apply(f);
        if (w == null) {
            return 0;
        }
        return jdbi.withHandle(h -> {
            Query q = w.bind(h.createQuery("SELECT " + spec.columns + " " + w.sql() + " ORDER BY " + spec.order));
            q.setFetchSize(500);
            long[] n = {0};
            q.map(spec.mapper).useStream(rows -> rows.forEach(r -> {
                Csv.row(out, spec.csv.apply(r));
                n[0]++;
            }));
            return n[0];
        });
    }

    /** Whether anything at all is kept: a run, a submission or an epoch report of any ledger. */
    public boolean hasAnything() {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM distill_runs) "
                + "OR EXISTS (SELECT 1 FROM submissions) OR EXISTS (SELECT 1 FROM network_epochs)")
                .mapTo(Boolean.class).one());
    }

    /** Ledger ids with stored epochs or submissions, the most recently active first. */
    public List<String> ledgers() {
        return jdbi.withHandle(h -> h.createQuery("SELECT ledger_id FROM (SELECT ledger_id, received_at AS t "
                        + "FROM network_epochs UNION ALL SELECT ledger_id, created_at FROM submissions) "
                        + "GROUP BY ledger_id ORDER BY MAX(t) DESC, ledger_id")
                .mapTo(String.class).list());
    }

    /** The validators a ledger's submissions went to, by name. */
    public List<String> validators(String ledgerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT validator FROM submissions WHERE ledger_id = :l "
                        + "ORDER BY validator")
                .bind("l", ledgerId).mapTo(String.class).list());
    }

    /** The states a ledger's submissions are in, by name. */
    public List<String> submissionStates(String ledgerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT state FROM submissions WHERE ledger_id = :l "
                        + "ORDER BY state")
                .bind("l", ledgerId).mapTo(String.class).list());
    }

    // ---- links --------------------------------------------------------------------------------------------------

    public Optional<RunItem> run(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS + " FROM distill_runs r WHERE r.id = :id")
                .bind("id", id).map(HistoryStore::runItem).findOne());
    }

    public Optional<Submission> submission(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + SUBMISSION_COLUMNS + " FROM submissions s "
                        + "WHERE s.submission_id = :id")
                .bind("id", id).map(HistoryStore::submissionItem).findOne());
    }

    /** A submission's timeline, oldest first. */
    public List<SubmissionEvent> events(String submissionId) {
        return new NetworkStore(jdbi).events(submissionId);
    }

    /** One epoch report with all its shares (by UID). */
    public Optional<EpochReport> epochReport(String ledgerId, long epoch) {
        Optional<NetworkStore.EpochRow> row = jdbi.withHandle(h -> h.createQuery("SELECT ledger_id, epoch, block, "
                        + "total_emission, owner_emission, received_at FROM network_epochs "
                        + "WHERE ledger_id = :l AND epoch = :e")
                .bind("l", ledgerId).bind("e", epoch)
                .map((rs, ctx) -> new NetworkStore.EpochRow(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), instant(rs, 6)))
                .findOne());
        return row.map(r -> new EpochReport(r, new NetworkStore(jdbi).shares(ledgerId, epoch)));
    }

    /** What a hotkey earned in an epoch, if it held a UID then. */
    public Optional<EarningItem> earning(String ledgerId, long epoch, String hotkey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + EARNING_COLUMNS + " FROM network_earnings n "
                        + "JOIN network_epochs e ON e.ledger_id = n.ledger_id AND e.epoch = n.epoch "
                        + "WHERE n.ledger_id = :l AND n.epoch = :e AND n.hotkey = :k ORDER BY n.uid LIMIT 1")
                .bind("l", ledgerId).bind("e", epoch).bind("k", hotkey)
                .map(HistoryStore::earningItem).findOne());
    }

    /**
     * The submission that was the hotkey's current one at an epoch: its latest submission on that ledger scored in
     * that epoch or before, or made before the epoch's report was received.
     */
    public Optional<Submission> submissionAt(String ledgerId, String hotkey, long epoch) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + SUBMISSION_COLUMNS + " FROM submissions s "
                        + "WHERE s.ledger_id = :l AND s.hotkey = :k AND (s.epoch <= :e OR s.created_at <= "
                        + "(SELECT received_at FROM network_epochs WHERE ledger_id = :l AND epoch = :e)) "
                        + "ORDER BY s.created_at DESC, s.submission_id DESC LIMIT 1")
                .bind("l", ledgerId).bind("k", hotkey).bind("e", epoch)
                .map(HistoryStore::submissionItem).findOne());
    }

    /**
     * The run that exported a student: the newest whose {@code student_path} is that path, else the newest whose
     * student file (still on disk, of that size when known) has that SHA-256.
     */
    public Optional<RunItem> runForStudent(String path, String sha256, Long sizeBytes) {
        if (path != null) {
            Optional<RunItem> byPath = jdbi.withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS
                            + " FROM distill_runs r WHERE r.student_path = :p ORDER BY r.updated_at DESC, r.id DESC "
                            + "LIMIT 1")
                    .bind("p", path).map(HistoryStore::runItem).findOne());
            if (byPath.isPresent()) {
                return byPath;
            }
        }
        if (sha256 == null || sha256.isBlank()) {
            return Optional.empty();
        }
        List<RunItem> candidates = jdbi.withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS
                        + " FROM distill_runs r WHERE r.student_path IS NOT NULL ORDER BY r.updated_at DESC, r.id DESC")
                .map(HistoryStore::runItem).list());
        for (RunItem r : candidates) {
            StudentFile f = file(r.studentPath(), sizeBytes);
            if (f.sha256() != null && f.sha256().equalsIgnoreCase(sha256.strip())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** A student file as it is on disk now, with its SHA-256 (read once per size and modification time). */
    public StudentFile studentFile(String path) {
        return file(path, null);
    }

    /** The trail back from what a hotkey earned in an epoch (the epoch alone when it held no UID then). */
    public Trail trailFromEarning(String ledgerId, long epoch, String hotkey) {
        EarningItem earning = hotkey == null ? null : earning(ledgerId, epoch, hotkey).orElse(null);
        EpochReport report = epochReport(ledgerId, epoch).orElse(null);
        Submission s = hotkey == null ? null : submissionAt(ledgerId, hotkey, epoch).orElse(null);
        Trail rest = s == null ? new Trail(null, null, null, null, null, null) : trailFrom(s);
        return new Trail(earning, report, rest.submission(), rest.events(), rest.student(), rest.run());
    }

    /** The trail back from a submission: its timeline, its student, the run that exported it. */
    public Trail trailFromSubmission(String submissionId) {
        return submission(submissionId).map(this::trailFrom)
                .orElse(new Trail(null, null, null, null, null, null));
    }

    /** A run, and its student file when it exported one. */
    public Trail trailFromRun(long runId) {
        RunItem run = run(runId).orElse(null);
        StudentFile f = run == null || run.studentPath() == null ? null : studentFile(run.studentPath());
        return new Trail(null, null, null, null, f, run);
    }

    private Trail trailFrom(Submission s) {
        StudentFile f = s.studentPath() == null ? null : studentFile(s.studentPath());
        RunItem run = runForStudent(s.studentPath(), s.modelSha256(), s.sizeBytes()).orElse(null);
        if (f == null && run != null && run.studentPath() != null) {
            f = studentFile(run.studentPath());
        }
        return new Trail(null, null, s, events(s.id()), f, run);
    }

    private static StudentFile file(String path, Long expectedSize) {
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            return new StudentFile(path, false, null, null);
        }
        try {
            if (!Files.isRegularFile(p)) {
                return new StudentFile(path, false, null, null);
            }
            long size = Files.size(p);
            if (expectedSize != null && expectedSize != size) {
                return new StudentFile(path, true, size, null);
            }
            String key = p.toAbsolutePath() + "|" + size + "|" + Files.getLastModifiedTime(p).toMillis();
            String sha = HASHES.get(key);
            if (sha == null) {
                sha = Sha256.hex(p);
                HASHES.put(key, sha);
            }
            return new StudentFile(path, true, size, sha);
        } catch (IOException e) {
            return new StudentFile(path, false, null, null);
        }
    }

    // ---- the tables' SQL ----------------------------------------------------------------------------------------

    static final String RUN_COLUMNS = "r.id, r.name, r.created_at, r.updated_at, r.teacher_name, r.teacher_sha256, "
            + "r.preset, r.status, r.epochs_done, r.best_metric, r.student_path, r.phase";
    static final String SUBMISSION_COLUMNS = "s.submission_id, s.ledger_id, s.validator, s.hotkey, s.model_sha256, "
            + "s.student_path, s.state, s.score, s.quality, s.p95_ms, s.size_bytes, s.reason, s.epoch, s.created_at, "
            + "s.updated_at";
    static final String EARNING_COLUMNS = "n.ledger_id, n.epoch, n.uid, n.hotkey, n.incentive, n.dividends, "
            + "n.emission, e.received_at";

    /** How one table is read: its FROM/WHERE for a filter (null: no rows), columns, order, mapping and CSV. */
    private record Spec<T>(String columns, Function<Filter, Where> where, String order, RowMapper<T> mapper,
                           List<String> header, Function<T, List<Object>> csv) {
    }

    private static final Spec<RunItem> RUNS = new Spec<>(RUN_COLUMNS,
            f -> new Where("FROM distill_runs r")
                    .search(f.text(), "r.name", "r.teacher_name", "r.preset", "r.status", "r.phase")
                    .eq("r.status", f.state())
                    .range("r.created_at", f.from(), f.to()),
            "r.created_at DESC, r.id DESC", HistoryStore::runItem,
            List.of("run_id", "name", "created_at", "updated_at", "teacher", "teacher_sha256", "preset", "status",
                    "epochs", "best_metric", "student_path", "phase"),
            r -> list(r.id(), r.name(), date(r.createdAt()), date(r.updatedAt()), r.teacherName(),
                    r.teacherSha256(), r.preset(), r.status(), r.epochsDone(), r.bestMetric(), r.studentPath(),
                    r.phase()));

    private static final Spec<StudentItem> STUDENTS = new Spec<>("r.id, r.name, r.updated_at, r.teacher_name, "
            + "r.preset, r.student_path, r.best_metric, "
            + "(SELECT COUNT(*) FROM submissions s WHERE s.student_path = r.student_path)",
            f -> new Where("FROM distill_runs r").and("r.student_path IS NOT NULL")
                    .search(f.text(), "r.name", "r.teacher_name", "r.preset", "r.student_path")
                    .range("r.updated_at", f.from(), f.to()),
            "r.updated_at DESC, r.id DESC",
            (rs, ctx) -> new StudentItem(rs.getLong(1), rs.getString(2), instant(rs, 3), rs.getString(4),
                    rs.getString(5), rs.getString(6), size(rs.getString(6)), rs.getObject(7, Double.class),
                    rs.getInt(8)),
            List.of("run_id", "run_name", "exported_at", "teacher", "preset", "path", "size_bytes", "best_metric",
                    "submissions"),
            s -> list(s.runId(), s.runName(), date(s.exportedAt()), s.teacherName(), s.preset(), s.path(),
                    s.sizeBytes(), s.bestMetric(), s.submissions()));

    private static final Spec<Submission> SUBMISSIONS = new Spec<>(SUBMISSION_COLUMNS,
            f -> f.ledgerId() == null ? null : new Where("FROM submissions s").eq("s.ledger_id", f.ledgerId())
                    .eq("s.hotkey", f.hotkey())
                    .search(f.text(), "s.submission_id", "s.validator", "s.model_sha256", "s.student_path",
                            "s.state", "s.reason", "s.hotkey")
                    .eq("s.state", f.state())
                    .eq("s.validator", f.validator())
                    .range("s.created_at", f.from(), f.to()),
            "s.created_at DESC, s.submission_id DESC", HistoryStore::submissionItem,
            List.of("submission_id", "ledger_id", "validator", "hotkey", "model_sha256", "student_path", "state",
                    "score", "quality", "p95_ms", "size_bytes", "reason", "epoch", "created_at", "updated_at"),
            s -> list(s.id(), s.ledgerId(), s.validator(), s.hotkey(), s.modelSha256(), s.studentPath(), s.state(),
                    s.score(), s.quality(), s.p95Ms(), s.sizeBytes(), s.reason(), s.epoch(), date(s.createdAt()),
                    date(s.updatedAt())));

    private static final Spec<EpochItem> EPOCHS = new Spec<>("e.ledger_id, e.epoch, e.block, e.total_emission, "
            + "e.owner_emission, e.received_at, (SELECT COUNT(*) FROM network_earnings x WHERE x.ledger_id = "
            + "e.ledger_id AND x.epoch = e.epoch), n.uid, n.hotkey, n.incentive, n.dividends, n.emission",
            f -> f.ledgerId() == null ? null : new Where("FROM network_epochs e LEFT JOIN network_earnings n ON "
                    + "n.ledger_id = e.ledger_id AND n.epoch = e.epoch AND n.hotkey = :mine", "mine", f.hotkey())
                    .eq("e.ledger_id", f.ledgerId())
                    .search(f.text(), "CAST(e.epoch AS VARCHAR)", "CAST(e.block AS VARCHAR)")
                    .range("e.received_at", f.from(), f.to()),
            "e.epoch DESC, n.uid",
            (rs, ctx) -> new EpochItem(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    instant(rs, 6), rs.getInt(7), rs.getObject(8, Integer.class), rs.getString(9),
                    rs.getObject(10, Double.class), rs.getObject(11, Double.class), rs.getObject(12, Long.class)),
            List.of("ledger_id", "epoch", "block", "received_at", "uids", "total_emission_tau", "owner_emission_tau",
                    "uid", "hotkey", "incentive", "dividends", "emission_tau", "emission_rao"),
            e -> list(e.ledgerId(), e.epoch(), e.block(), date(e.receivedAt()), e.uids(), tau(e.totalEmission()),
                    tau(e.ownerEmission()), e.uid(), e.hotkey(), e.incentive(), e.dividends(), tau(e.emission()),
                    e.emission()));

    private static final Spec<EarningItem> EARNINGS = new Spec<>(EARNING_COLUMNS,
            f -> f.ledgerId() == null ? null : new Where("FROM network_earnings n JOIN network_epochs e ON "
                    + "e.ledger_id = n.ledger_id AND e.epoch = n.epoch").eq("n.ledger_id", f.ledgerId())
                    .eq("n.hotkey", f.hotkey())
                    .search(f.text(), "n.hotkey", "CAST(n.epoch AS VARCHAR)", "CAST(n.uid AS VARCHAR)")
                    .range("e.received_at", f.from(), f.to()),
            "n.epoch DESC, n.uid", HistoryStore::earningItem,
            List.of("ledger_id", "epoch", "received_at", "uid", "hotkey", "incentive", "dividends", "emission_tau",
                    "emission_rao"),
            e -> list(e.ledgerId(), e.epoch(), date(e.receivedAt()), e.uid(), e.hotkey(), e.incentive(),
                    e.dividends(), tau(e.emission()), e.emission()));

    private static Spec<?> spec(Table t) {
        return switch (t) {
            case RUNS -> RUNS;
            case STUDENTS -> STUDENTS;
            case SUBMISSIONS -> SUBMISSIONS;
            case EPOCHS -> EPOCHS;
            case EARNINGS -> EARNINGS;
        };
    }

    /** The CSV header of a table. */
    public static List<String> header(Table t) {
        return spec(t).header();
    }

    private <T> Page<T> page(Spec<T> spec, Filter f, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        Where w = spec.where.apply(f);
        if (w == null) {
            return new Page<>(List.of(), 0);
        }
        return jdbi.inTransaction(h -> {
            long total = w.bind(h.createQuery("SELECT COUNT(*) " + w.sql())).mapTo(Long.class).one();
            List<T> rows = total == 0 ? List.of() : w.bind(h.createQuery("SELECT " + spec.columns + " " + w.sql()
                            + " ORDER BY " + spec.order + " LIMIT :limit"))
                    .bind("limit", limit).map(spec.mapper).list();
            return new Page<>(rows, total);
        });
    }

    /** A FROM clause and the conditions added to it, with their values. */
    private static final class Where {
        private final StringBuilder sql;
        private final Map<String, Object> binds = new LinkedHashMap<>();
        private boolean first = true;

        Where(String from) {
            sql = new StringBuilder(from);
        }

        Where(String from, String name, Object value) {
            this(from);
            binds.put(name, value);
        }

        Where and(String condition) {
            sql.append(first ? " WHERE " : " AND ").append(condition);
            first = false;
            return this;
        }

        Where eq(String column, Object value) {
            if (value == null || (value instanceof String s && s.isBlank())) {
                return this;
            }
            String name = "p" + binds.size();
            binds.put(name, value);
            return and(column + " = :" + name);
        }

        Where range(String column, Instant from, Instant to) {
            if (from != null) {
                String name = "p" + binds.size();
                binds.put(name, from.atOffset(ZoneOffset.UTC));
                and(column + " >= :" + name);
            }
            if (to != null) {
                String name = "p" + binds.size();
                binds.put(name, to.atOffset(ZoneOffset.UTC));
                and(column + " < :" + name);
            }
            return this;
        }

        /** Every word of the text in one of the columns (case-insensitive substrings; % and _ taken literally; '!' escapes them, as Jdbi's parser mangles a backslash in a literal). */
        Where search(String text, String... columns) {
            if (text == null || text.isBlank()) {
                return this;
            }
            for (String word : text.strip().toLowerCase(Locale.ROOT).split("\\s+")) {
                String name = "p" + binds.size();
                binds.put(name, "%" + word.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
                List<String> ors = new ArrayList<>();
                for (String c : columns) {
                    ors.add("LOWER(" + c + ") LIKE :" + name + " ESCAPE '!'");
                }
                and("(" + String.join(" OR ", ors) + ")");
            }
            return this;
        }

        String sql() {
            return sql.toString();
        }

        Query bind(Query q) {
            binds.forEach((k, v) -> {
                if (v == null) {
                    q.bindByType(k, null, String.class);
                } else {
                    q.bind(k, v);
                }
            });
            return q;
        }
    }

    // ---- mapping ------------------------------------------------------------------------------------------------

    private static RunItem runItem(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new RunItem(rs.getLong(1), rs.getString(2), instant(rs, 3), instant(rs, 4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getObject(10, Double.class),
                rs.getString(11), rs.getString(12));
    }

    private static Submission submissionItem(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws SQLException {
        return new Submission(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getObject(8, Double.class), rs.getObject(9, Double.class),
                rs.getObject(10, Double.class), rs.getObject(11, Long.class), rs.getString(12),
                rs.getObject(13, Long.class), instant(rs, 14), instant(rs, 15));
    }

    private static EarningItem earningItem(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws SQLException {
        return new EarningItem(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getDouble(5),
                rs.getDouble(6), rs.getLong(7), instant(rs, 8));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Long size(String path) {
        try {
            Path p = Path.of(path);
            return Files.isRegularFile(p) ? Files.size(p) : null;
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }

    private static List<Object> list(Object... values) {
        List<Object> l = new ArrayList<>(values.length);
        for (Object v : values) {
            l.add(v);
        }
        return l;
    }

    private static String date(Instant t) {
        return t == null ? null : t.atZone(ZoneId.systemDefault()).toOffsetDateTime().toString();
    }

    /** Rao as τ with all nine decimals. */
    static String tau(Long rao) {
        return rao == null ? null : BigDecimal.valueOf(rao, 9).toPlainString();
    }
}
