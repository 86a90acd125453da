package dev.distillery.teacher.library;

import dev.distillery.core.DataDirectory;
import dev.distillery.store.DuplicateTeacherException;
import dev.distillery.store.TeacherRow;
import dev.distillery.store.TeacherStore;
import dev.distillery.model.ModelInfo;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's teachers: ONNX files kept content-addressed in {@code <data>/models/<sha256>.onnx},
 * each with a row in the database.
 *
 * <p>Every import works on a private copy ({@code models/.incoming/*.part}, or
 * {@code models/downloads/*.part} for URLs) whose SHA-256 is computed while it is written. A file
 * already in the library is recognised by that hash and not added twice. Otherwise the copy is
 * handed to the {@link ModelValidator}; only when it passes is it moved (atomically, same folder
 * tree) to its final name and registered. On any failure or cancel the copy is deleted and nothing
 * is registered.
 */
public final class ModelLibrary {
    /** Sub-folder of {@code models/} for copies being imported. */
    public static final String INCOMING = ".incoming";
    /** Sub-folder of {@code models/} for downloads in progress. */
    public static final String DOWNLOADS = "downloads";
    private static final Logger LOG = LoggerFactory.getLogger(ModelLibrary.class);
    private static final int MAX_NAME = 200;
    private static final int MAX_FILE_NAME = 500;

    private final Path models;
    private final TeacherStore store;
    private final ModelValidator validator;
    private final Downloader downloader;

    /** A library that downloads with a default {@link Downloader}. */
    public ModelLibrary(DataDirectory data, TeacherStore store, ModelValidator validator) {
        this(data, store, validator, new Downloader());
    }

    public ModelLibrary(DataDirectory data, TeacherStore store, ModelValidator validator, Downloader downloader) {
        this.models = Objects.requireNonNull(data, "data").models();
        this.store = Objects.requireNonNull(store, "store");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.downloader = Objects.requireNonNull(downloader, "downloader");
    }

    /**
     * Imports a file the user picked. The original is only read.
     *
     * @throws TeacherException   when the file cannot be read or the validator rejects it
     * @throws CancelledException when cancelled
     */
    public ImportResult importFile(Path source, ImportListener listener, Cancellation cancellation) {
        Objects.requireNonNull(source, "source");
        ImportListener l = listener == null ? ImportListener.NONE : listener;
        Cancellation c = cancellation == null ? Cancellation.none() : cancellation;
        if (!Files.isRegularFile(source)) {
            throw new TeacherException("There is no file " + source + ".");
        }
        String fileName = source.getFileName().toString();
        Path part = newPart(INCOMING);
        try {
            l.stage(ImportListener.Stage.COPYING);
            Copied copied;
            try (InputStream in = Files.newInputStream(source)) {
                copied = copy(in, Files.size(source), part, l, c, "The import of " + fileName);
            } catch (NoSuchFileException e) {
                throw new TeacherException("There is no file " + source + ".", e);
            } catch (IOException e) {
                throw new TeacherException("Could not copy " + source + " into the library: " + e.getMessage(), e);
            }
            return register(part, copied, Teacher.Source.FILE, source.toAbsolutePath().normalize().toString(),
                    fileName, null, l, c);
        } finally {
            Downloader.deleteQuietly(part);
        }
    }

    /**
     * Downloads a model and imports it. When the expected SHA-256 is given and already in the
     * library, nothing is downloaded.
     *
     * @param expectedSha256 the published SHA-256, or null ("checksum not published")
     * @param expectedSize   the published size, or -1
     * @param displayName    the name to show, or null for the file name without ".onnx"
     * @throws TeacherException   when the download fails, does not verify, or the validator rejects it
     * @throws CancelledException when cancelled
     */
    public ImportResult importUrl(URI url, String expectedSha256, long expectedSize, String displayName,
                                  ImportListener listener, Cancellation cancellation) {
        Objects.requireNonNull(url, "url");
        ImportListener l = listener == null ? ImportListener.NONE : listener;
        Cancellation c = cancellation == null ? Cancellation.none() : cancellation;
        String expected = Hashing.normalize(expectedSha256);
        if (expected != null) {
            Optional<TeacherRow> existing = store.findBySha(expected);
            if (existing.isPresent()) {
                return new ImportResult(toTeacher(existing.get()), true);
            }
        }
        Path part = newPart(DOWNLOADS);
        try {
            l.stage(ImportListener.Stage.DOWNLOADING);
            DownloadResult result = downloader.download(url, part, expected, expectedSize, l, c);
            return register(part, new Copied(result.size(), result.sha256()), Teacher.Source.URL, url.toString(),
                    fileNameOf(url), displayName, l, c);
        } finally {
            Downloader.deleteQuietly(part);
        }
    }

    /** Imports a model shipped inside the app's jars, e.g. {@code /models/ch_PP-OCRv4_det_infer.onnx}. */
    public ImportResult importResource(String classpathResource, String displayName) {
        return importResource(classpathResource, displayName, null, ImportListener.NONE, Cancellation.none());
    }

    /**
     * Imports a model shipped inside the app's jars.
     *
     * @param expectedSha256 the SHA-256 the catalog lists, or null
     * @throws TeacherException when the resource is missing, differs from the catalog, or is rejected
     */
    public ImportResult importResource(String classpathResource, String displayName, String expectedSha256,
                                       ImportListener listener, Cancellation cancellation) {
        Objects.requireNonNull(classpathResource, "classpathResource");
        ImportListener l = listener == null ? ImportListener.NONE : listener;
        Cancellation c = cancellation == null ? Cancellation.none() : cancellation;
        String expected = Hashing.normalize(expectedSha256);
        String resource = classpathResource.startsWith("/") ? classpathResource : "/" + classpathResource;
        String fileName = resource.substring(resource.lastIndexOf('/') + 1);
        Path part = newPart(INCOMING);
        try (InputStream in = ModelLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new TeacherException("The built-in model " + resource + " is missing from this installation. "
                        + "Reinstall Distillery, or import the model from a file.");
            }
            l.stage(ImportListener.Stage.COPYING);
            Copied copied = copy(in, -1, part, l, c, "The import of " + fileName);
            if (expected != null && !expected.equals(copied.sha256())) {
                throw new TeacherException("The built-in model " + resource + " has SHA-256 " + copied.sha256()
                        + " but the catalog expects " + expected + "; it was not imported.");
            }
            return register(part, copied, Teacher.Source.BUILTIN, resource, fileName, displayName, l, c);
        } catch (IOException e) {
            throw new TeacherException("Could not read the built-in model " + resource + ": " + e.getMessage(), e);
        } finally {
            Downloader.deleteQuietly(part);
        }
    }

    /** Imports a catalog entry: copies a built-in one, downloads (and verifies) a remote one. */
    public ImportResult importCatalogEntry(CatalogEntry entry, ImportListener listener, Cancellation cancellation) {
        if (entry.isBuiltin()) {
            return importResource(entry.resource(), entry.name(), entry.sha256(), listener, cancellation);
        }
        return importUrl(URI.create(entry.url()), entry.sha256(), entry.sizeBytes() == null ? -1 : entry.sizeBytes(),
                entry.name(), listener, cancellation);
    }

    /** All teachers, newest import first. */
    public List<Teacher> list() {
        return store.list().stream().map(this::toTeacher).toList();
    }

    public Optional<Teacher> get(long id) {
        return store.findById(id).map(this::toTeacher);
    }

    /** The teacher with this SHA-256, if it is in the library. */
    public Optional<Teacher> findBySha256(String sha256) {
        return store.findBySha(Hashing.normalize(sha256)).map(this::toTeacher);
    }

    /** Where the teacher's model file is. */
    public Path fileOf(Teacher teacher) {
        return fileFor(teacher.sha256());
    }

    /**
     * Removes a teacher: its file, then its row.
     *
     * @return false when there was no such teacher
     * @throws TeacherException when the file cannot be deleted (the entry is then kept)
     */
    public boolean delete(long id) {
        Optional<TeacherRow> row = store.findById(id);
        if (row.isEmpty()) {
            return false;
        }
        Path file = fileFor(row.get().sha256());
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new TeacherException("Could not delete " + file + " (" + e.getMessage() + "). Close anything "
                    + "that is using this teacher and try again.", e);
        }
        boolean deleted = store.delete(id);
        LOG.info("Deleted teacher {} ({})", id, file.getFileName());
        return deleted;
    }

    /**
     * Replaces a teacher's profile (the user's edits). When the labels change, their source becomes "user".
     *
     * @return the updated teacher
     * @throws TeacherException when there is no such teacher
     */
    public Teacher updateProfile(long id, TeacherProfile profile) {
        Objects.requireNonNull(profile, "profile");
        Teacher current = require(id);
        String labelsSource = current.profile().labels().equals(profile.labels()) ? current.labelsSource() : "user";
        store.updateProfile(id, Json.write(profile), taskOf(profile), labelsSource);
        return require(id);
    }

    /** Changes the display name. */
    public Teacher rename(long id, String name) {
        require(id);
        store.rename(id, clip(name.strip(), MAX_NAME));
        return require(id);
    }

    /**
     * Stores the latest benchmark of a teacher (JSON written by the benchmark code), or clears it with null.
     *
     * @throws TeacherException when there is no such teacher
     */
    public void saveBenchmark(long id, String json) {
        if (!store.updateBench(id, checkJson(json))) {
            throw noSuch(id);
        }
    }

    /**
     * Stores the latest evaluation of a teacher (JSON written by the evaluation code), or clears it with null.
     *
     * @throws TeacherException when there is no such teacher
     */
    public void saveEvaluation(long id, String json) {
        if (!store.updateEval(id, checkJson(json))) {
            throw noSuch(id);
        }
    }

    /**
     * Deletes copies and downloads left behind by an import that was killed (power cut, crash).
     * Call once at start-up, before any import runs.
     *
     * @return how many files were deleted
     */
    public int deleteLeftovers() {
        int n = 0;
        for (String sub : List.of(INCOMING, DOWNLOADS)) {
            Path dir = models.resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "*.part")) {
                for (Path p : parts) {
                    Downloader.deleteQuietly(p);
                    n++;
                }
            } catch (IOException e) {
                LOG.warn("Could not clean {}: {}", dir, e.getMessage());
            }
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------

    private record Copied(long size, String sha256) {
    }

    /** Moves a verified copy into place and registers it, or finds that it is already there. */
    private ImportResult register(Path part, Copied copied, Teacher.Source source, String sourceRef, String fileName,
                                  String displayName, ImportListener l, Cancellation c) {
        Optional<TeacherRow> existing = store.findBySha(copied.sha256());
        if (existing.isPresent()) {
            LOG.info("{} is already in the library as teacher {}", fileName, existing.get().id());
            return new ImportResult(toTeacher(existing.get()), true);
        }
        String what = "The import of " + fileName;
        c.check(what);
        l.stage(ImportListener.Stage.VALIDATING);
        ModelValidator.Validated v;
        try {
            v = validator.validate(part);
        } catch (TeacherException | CancelledException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TeacherException(fileName + " could not be checked: " + e.getMessage(), e);
        }
        c.check(what);
        l.stage(ImportListener.Stage.REGISTERING);
        Path target = fileFor(copied.sha256());
        boolean moved = false;
        boolean keep = false;
        try {
            move(part, target);
            moved = true;
            TeacherRow row = new TeacherRow(0, copied.sha256(), nameFor(displayName, fileName),
                    clip(fileName, MAX_FILE_NAME), copied.size(), source.code(), sourceRef, Instant.now(),
                    taskOf(v.profile()), Json.write(v.info()), Json.write(v.profile()), v.labelsSource(), null, null);
            long id;
            try {
                id = store.insert(row);
            } catch (DuplicateTeacherException race) {
                // The same file was imported concurrently and won; the file in place has the same bytes.
                keep = true;
                return new ImportResult(toTeacher(store.findBySha(copied.sha256()).orElseThrow()), true);
            }
            keep = true;
            LOG.info("Imported {} as teacher {} ({} bytes, sha256 {})", fileName, id, copied.size(), copied.sha256());
            return new ImportResult(require(id), false);
        } catch (IOException e) {
            throw new TeacherException("Could not move " + fileName + " into the library folder " + models + ": "
                    + e.getMessage(), e);
        } finally {
            if (moved && !keep) {
                Downloader.deleteQuietly(target);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Copies a stream to {@code part}, hashing and reporting progress; checks the cancellation per chunk. */
    private static Copied copy(InputStream in, long total, Path part, DownloadListener l, Cancellation c, String what)
            throws IOException {
        MessageDigest digest = Hashing.sha256();
        ProgressThrottle progress = new ProgressThrottle(l);
        byte[] buffer = new byte[64 * 1024];
        long done = 0;
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                done += n;
                progress.transferred(n);
                c.check(what);
                progress.report(done, total, false);
            }
        }
        progress.report(done, total >= 0 ? total : done, true);
        return new Copied(done, Hashing.hex(digest));
    }

    private Path newPart(String sub) {
        Path dir = models.resolve(sub);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TeacherException("Cannot create " + dir + ": " + e.getMessage()
                    + ". Check the permissions of the data folder.", e);
        }
        return dir.resolve(UUID.randomUUID() + ".part");
    }

    private Path fileFor(String sha256) {
        return models.resolve(sha256 + ".onnx");
    }

    private Teacher require(long id) {
        return get(id).orElseThrow(() -> noSuch(id));
    }

    private static TeacherException noSuch(long id) {
        return new TeacherException("There is no teacher " + id + " in the library (it may have been deleted).");
    }

    private Teacher toTeacher(TeacherRow r) {
        return new Teacher(r.id(), r.sha256(), r.name(), r.fileName(), r.sizeBytes(), Teacher.Source.ofCode(r.source()),
                r.sourceRef(), r.importedAt(), Json.read(r.infoJson(), ModelInfo.class),
                Json.read(r.profileJson(), TeacherProfile.class), r.labelsSource(), r.benchJson(), r.evalJson());
    }

    private static String taskOf(TeacherProfile profile) {
        return profile.task() == null || profile.task().kind() == null ? "UNKNOWN" : profile.task().kind().name();
    }

    private static String checkJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not valid JSON: " + e.getMessage(), e);
        }
        return json;
    }

    /** The display name: the one given, else the file name without ".onnx". */
    static String nameFor(String displayName, String fileName) {
        if (displayName != null && !displayName.isBlank()) {
            return clip(displayName.strip(), MAX_NAME);
        }
        String name = fileName;
        if (name.toLowerCase(Locale.ROOT).endsWith(".onnx") && name.length() > 5) {
            name = name.substring(0, name.length() - 5);
        }
        return clip(name.isBlank() ? "model" : name, MAX_NAME);
    }

    /** The last path segment of a URL, decoded; "model.onnx" when there is none. */
    static String fileNameOf(URI url) {
        String path = url.getRawPath();
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            return "model.onnx";
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        return URLDecoder.decode(last, StandardCharsets.UTF_8);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
