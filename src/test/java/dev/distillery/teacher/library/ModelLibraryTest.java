package dev.distillery.teacher.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.core.DataDirectory;
import dev.distillery.store.Database;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ModelLibraryTest {
    static final String PPOCR_V4_DET = "/models/ch_PP-OCRv4_det_infer.onnx";

    @TempDir
    Path tmp;
    DataDirectory data;
    Database db;
    ModelLibrary library;

    @BeforeEach
    void open() {
        data = DataDirectory.open(tmp.resolve("data"));
        db = Database.open(data.databaseBase());
        library = new ModelLibrary(data, db.teachers(), TestModels.ortValidator(),
                new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(20)));
    }

    @AfterEach
    void close() {
        db.close();
    }

    Path write(String name, byte[] bytes) throws Exception {
        Path f = tmp.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** Files under models/ other than the registered teachers' own files. */
    List<Path> strayFiles() throws Exception {
        List<Path> registered = library.list().stream().map(library::fileOf).toList();
        return TestModels.filesUnder(data.models()).stream().filter(p -> !registered.contains(p)).toList();
    }

    @Test
    void importsAFileAndKnowsItTheSecondTime() throws Exception {
        byte[] model = TestModels.paddedClassifier(7, 1000);
        Path source = write("Tiny Classifier.onnx", model);
        List<ImportListener.Stage> stages = new CopyOnWriteArrayList<>();
        ImportListener listener = new ImportListener() {
            @Override
            public void stage(Stage stage) {
                stages.add(stage);
            }
        };
        ImportResult first = library.importFile(source, listener, new Cancellation());
        assertThat(first.alreadyPresent()).isFalse();
        Teacher t = first.teacher();
        assertThat(t.name()).isEqualTo("Tiny Classifier");
        assertThat(t.fileName()).isEqualTo("Tiny Classifier.onnx");
        assertThat(t.sha256()).isEqualTo(TestModels.sha256(model));
        assertThat(t.sizeBytes()).isEqualTo(model.length);
        assertThat(t.source()).isEqualTo(Teacher.Source.FILE);
        assertThat(t.sourceRef()).isEqualTo(source.toAbsolutePath().toString());
        assertThat(t.profile().task().kind()).isEqualTo(TaskKind.CLASSIFICATION);
        assertThat(t.profile().labels()).containsExactly("red", "green", "blue");
        assertThat(t.labelsSource()).isEqualTo("metadata");
        assertThat(t.info().inputs()).singleElement().satisfies(in -> assertThat(in.name()).isEqualTo("image"));
        assertThat(library.fileOf(t)).isEqualTo(data.models().resolve(t.sha256() + ".onnx"));
        assertThat(Files.readAllBytes(library.fileOf(t))).isEqualTo(model);
        assertThat(stages).containsExactly(ImportListener.Stage.COPYING, ImportListener.Stage.VALIDATING,
                ImportListener.Stage.REGISTERING);

        Path copy = write("same bytes, other name.onnx", model);
        ImportResult second = library.importFile(copy, null, null);
        assertThat(second.alreadyPresent()).isTrue();
        assertThat(second.teacher()).isEqualTo(t);
        assertThat(library.list()).containsExactly(t);
        assertThat(strayFiles()).isEmpty();
        assertThat(source).exists(); // the original is only read
    }

    @Test
    void aRejectedFileLeavesNothingBehind() throws Exception {
        byte[] junk = new byte[300_000];
        new Random(3).nextBytes(junk);
        Path source = write("junk.onnx", junk);
        assertThatThrownBy(() -> library.importFile(source, null, null))
                .isInstanceOf(TeacherException.class)
                .hasMessageContaining("ONNX Runtime");
        assertThat(library.list()).isEmpty();
        assertThat(TestModels.filesUnder(data.models())).isEmpty();
    }

    @Test
    void aMissingFileHasAClearMessage() {
        Path missing = tmp.resolve("nope.onnx");
        assertThatThrownBy(() -> library.importFile(missing, null, null))
                .isInstanceOf(TeacherException.class).hasMessage("There is no file " + missing + ".");
    }

    @Test
    void cancellingAnImportLeavesNothingBehind() throws Exception {
        Path source = write("big.onnx", TestModels.paddedClassifier(9));
        Cancellation cancel = new Cancellation();
        assertThatThrownBy(() -> library.importFile(source, new ImportListener() {
            @Override
            public void progress(long done, long total, double rate) {
                cancel.cancel();
            }
        }, cancel)).isInstanceOf(CancelledException.class);
        assertThat(library.list()).isEmpty();
        assertThat(TestModels.filesUnder(data.models())).isEmpty();
    }

    @Test
    void importsTheBuiltInTextDetector() throws Exception {
        CatalogEntry entry = Catalog.load().find("ppocr-v4-det").orElseThrow();
        ImportResult r = library.importResource(PPOCR_V4_DET, null);
        Teacher t = r.teacher();
        assertThat(r.alreadyPresent()).isFalse();
        assertThat(t.source()).isEqualTo(Teacher.Source.BUILTIN);
        assertThat(t.sourceRef()).isEqualTo(PPOCR_V4_DET);
        assertThat(t.name()).isEqualTo("ch_PP-OCRv4_det_infer");
        assertThat(t.sha256()).isEqualTo(entry.sha256());
        assertThat(t.sizeBytes()).isEqualTo(entry.sizeBytes());
        assertThat(Files.size(library.fileOf(t))).isEqualTo(entry.sizeBytes());
        assertThat(t.profile().task().kind()).isEqualTo(TaskKind.DENSE);
        // through the catalog the second time: recognised, not copied again
        ImportResult again = library.importCatalogEntry(entry, null, null);
        assertThat(again.alreadyPresent()).isTrue();
        assertThat(again.teacher().id()).isEqualTo(t.id());
        assertThat(strayFiles()).isEmpty();
    }

    @Test
    void aMissingBuiltInHasAClearMessage() {
        assertThatThrownBy(() -> library.importResource("/models/not-there.onnx", null))
                .isInstanceOf(TeacherException.class)
                .hasMessageContaining("/models/not-there.onnx is missing from this installation");
    }

    @Test
    void deleteRemovesRowAndFile() throws Exception {
        Teacher a = library.importFile(write("a.onnx", TestModels.paddedClassifier(1, 100)), null, null).teacher();
        Teacher b = library.importFile(write("b.onnx", TestModels.paddedClassifier(2, 100)), null, null).teacher();
        assertThat(library.delete(a.id())).isTrue();
        assertThat(library.get(a.id())).isEmpty();
        assertThat(library.fileOf(a)).doesNotExist();
        assertThat(library.fileOf(b)).exists();
        assertThat(library.list()).extracting(Teacher::id).containsExactly(b.id());
        assertThat(library.delete(a.id())).isFalse();
    }

    @Test
    void importsFromAUrl() throws Exception {
        byte[] model = TestModels.paddedClassifier(11);
        String sha = TestModels.sha256(model);
        try (TestServer server = new TestServer((ex, n) -> TestServer.sendAll(ex, model, "\"e\""))) {
            List<ImportListener.Stage> stages = new CopyOnWriteArrayList<>();
            List<Long> progress = new CopyOnWriteArrayList<>();
            ImportResult r = library.importUrl(server.uri("/zoo/mobile%20net.onnx"), sha, model.length, null,
                    new ImportListener() {
                        @Override
                        public void stage(Stage stage) {
                            stages.add(stage);
                        }

                        @Override
                        public void progress(long done, long total, double rate) {
                            progress.add(done);
                        }
                    }, new Cancellation());
            Teacher t = r.teacher();
            assertThat(t.name()).isEqualTo("mobile net");
            assertThat(t.fileName()).isEqualTo("mobile net.onnx");
            assertThat(t.source()).isEqualTo(Teacher.Source.URL);
            assertThat(t.sourceRef()).isEqualTo(server.uri("/zoo/mobile%20net.onnx").toString());
            assertThat(t.sha256()).isEqualTo(sha);
            assertThat(stages).containsExactly(ImportListener.Stage.DOWNLOADING, ImportListener.Stage.VALIDATING,
                    ImportListener.Stage.REGISTERING);
            assertThat(progress).isNotEmpty().last().isEqualTo((long) model.length);

            // known checksum already in the library: no second download
            ImportResult again = library.importUrl(server.uri("/zoo/mobile%20net.onnx"), sha, -1, "x", null, null);
            assertThat(again.alreadyPresent()).isTrue();
            assertThat(server.requestCount()).isEqualTo(1);
        }
        assertThat(strayFiles()).isEmpty();
    }

    @Test
    void aDownloadWithTheWrongChecksumRegistersNothing() throws Exception {
        byte[] model = TestModels.paddedClassifier(12);
        String wrong = "ab".repeat(32);
        try (TestServer server = new TestServer((ex, n) -> TestServer.sendAll(ex, model, null))) {
            assertThatThrownBy(() -> library.importUrl(server.uri("/m.onnx"), wrong, -1, "M", null, null))
                    .isInstanceOf(TeacherException.class)
                    .hasMessageContaining("but the catalog expects " + wrong);
        }
        assertThat(library.list()).isEmpty();
        assertThat(TestModels.filesUnder(data.models())).isEmpty();
    }

    @Test
    void aDownloadThatIsNotAModelRegistersNothing() throws Exception {
        byte[] html = "<html>Sign in to continue</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (TestServer server = new TestServer((ex, n) -> TestServer.sendAll(ex, html, null))) {
            assertThatThrownBy(() -> library.importUrl(server.uri("/m.onnx"), null, -1, null, null, null))
                    .isInstanceOf(TeacherException.class);
        }
        assertThat(library.list()).isEmpty();
        assertThat(TestModels.filesUnder(data.models())).isEmpty();
    }

    @Test
    void a404RegistersNothing() throws Exception {
        try (TestServer server = new TestServer((ex, n) -> ex.sendResponseHeaders(404, -1))) {
            assertThatThrownBy(() -> library.importUrl(server.uri("/gone.onnx"), null, -1, null, null, null))
                    .isInstanceOf(TeacherException.class)
                    .hasMessageStartingWith("The server answered 404 Not Found for " + server.uri("/gone.onnx"));
        }
        assertThat(library.list()).isEmpty();
        assertThat(TestModels.filesUnder(data.models())).isEmpty();
    }

    @Test
    void profileBenchmarkEvaluationAndNameAreKept() throws Exception {
        Teacher t = library.importFile(write("m.onnx", TestModels.paddedClassifier(5, 100)), null, null).teacher();
        TeacherProfile edited = new TeacherProfile(t.profile().task(), t.profile().preprocessing().withSize(32, 32),
                List.of("cat", "dog", "bird"));
        Teacher updated = library.updateProfile(t.id(), edited);
        assertThat(updated.profile()).isEqualTo(edited);
        assertThat(updated.labelsSource()).isEqualTo("user");
        library.saveBenchmark(t.id(), "{\"msPerImage\":1.5}");
        library.saveEvaluation(t.id(), "{\"top1\":0.5}");
        library.rename(t.id(), "My teacher");
        Teacher read = library.get(t.id()).orElseThrow();
        assertThat(read.profile()).isEqualTo(edited);
        assertThat(read.info()).isEqualTo(t.info());
        assertThat(read.benchJson()).isEqualTo("{\"msPerImage\":1.5}");
        assertThat(read.evalJson()).isEqualTo("{\"top1\":0.5}");
        assertThat(read.name()).isEqualTo("My teacher");
        assertThatThrownBy(() -> library.saveBenchmark(t.id(), "{not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> library.saveBenchmark(t.id() + 100, "{}")).isInstanceOf(TeacherException.class);
    }

    @Test
    void leftoversOfAKilledImportAreCleanedUp() throws Exception {
        Path incoming = Files.createDirectories(data.models().resolve(ModelLibrary.INCOMING));
        Path downloads = Files.createDirectories(data.models().resolve(ModelLibrary.DOWNLOADS));
        Files.write(incoming.resolve("a.part"), new byte[10]);
        Files.write(downloads.resolve("b.part"), new byte[10]);
        assertThat(library.deleteLeftovers()).isEqualTo(2);
        assertThat(TestModels.filesUnder(data.models())).isEmpty();
    }

    @Test
    void defaultNames() {
        assertThat(ModelLibrary.nameFor(null, "resnet50-v1-12.onnx")).isEqualTo("resnet50-v1-12");
        assertThat(ModelLibrary.nameFor("  ", "Model.ONNX")).isEqualTo("Model");
        assertThat(ModelLibrary.nameFor("Given", "x.onnx")).isEqualTo("Given");
        assertThat(ModelLibrary.nameFor(null, "weights.bin")).isEqualTo("weights.bin");
        assertThat(ModelLibrary.fileNameOf(java.net.URI.create("https://h/a/b%20c.onnx?x=1"))).isEqualTo("b c.onnx");
        assertThat(ModelLibrary.fileNameOf(java.net.URI.create("https://h/"))).isEqualTo("model.onnx");
    }
}
