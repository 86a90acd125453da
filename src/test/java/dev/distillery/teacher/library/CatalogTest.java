package dev.distillery.teacher.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.model.TaskKind;
import dev.distillery.model.TeacherException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogTest {
    final Catalog catalog = Catalog.load();

    @Test
    void loadsWithTheExpectedEntries() {
        assertThat(catalog.entries()).extracting(CatalogEntry::id).contains("ppocr-v4-det", "ppocr-v3-det",
                "ppocr-v4-rec", "ppocr-mobile-v2-cls", "resnet50-v1-12", "efficientnet-lite4-11", "mobilenetv2-12",
                "mobilenetv2-12-int8", "yolox-nano");
        assertThat(catalog.entries()).extracting(CatalogEntry::id).doesNotHaveDuplicates();
        List<String> kinds = Arrays.stream(TaskKind.values()).map(Enum::name).toList();
        assertThat(catalog.entries()).allSatisfy(e -> {
            assertThat(kinds).contains(e.task());
            assertThat(e.name()).isNotBlank();
            assertThat(e.description()).isNotBlank();
            assertThat(e.licence()).isNotBlank();
        });
    }

    @Test
    void everyBuiltInResourceExistsAndMatchesItsSizeAndChecksum() throws Exception {
        List<CatalogEntry> builtins = catalog.entries().stream().filter(CatalogEntry::isBuiltin).toList();
        assertThat(builtins).hasSize(4);
        for (CatalogEntry e : builtins) {
            assertThat(e.sha256()).as(e.id()).isNotNull();
            assertThat(e.sizeBytes()).as(e.id()).isNotNull();
            byte[] bytes;
            try (InputStream in = CatalogTest.class.getResourceAsStream(e.resource())) {
                assertThat(in).as(e.resource()).isNotNull();
                bytes = in.readAllBytes();
            }
            assertThat((long) bytes.length).as(e.id() + " size").isEqualTo(e.sizeBytes());
            assertThat(TestModels.sha256(bytes)).as(e.id() + " sha256").isEqualTo(e.sha256());
        }
    }

    @Test
    void everyRemoteEntryHasAnHttpsUrlAndAWellFormedChecksumOrNone() {
        List<CatalogEntry> remote = catalog.entries().stream().filter(e -> !e.isBuiltin()).toList();
        assertThat(remote).isNotEmpty();
        assertThat(remote).allSatisfy(e -> {
            URI uri = URI.create(e.url());
            assertThat(uri.getScheme()).isEqualTo("https");
            assertThat(uri.getHost()).isNotBlank();
            assertThat(e.resource()).isNull();
            if (e.sha256() != null) {
                assertThat(e.sha256()).matches("[0-9a-f]{64}");
                assertThat(e.sizeBytes()).as(e.id() + ": a verified hash comes with its size").isPositive();
            }
        });
        assertThat(remote).filteredOn(e -> e.url().startsWith("https://github.com/onnx/models/"))
                .allSatisfy(e -> assertThat(e.url()).startsWith("https://github.com/onnx/models/raw/main/validated/"));
    }

    @Test
    void rejectsAnHttpUrl() {
        String json = """
                {"entries":[{"id":"x","name":"X","source":"url","task":"CLASSIFICATION","url":"http://h/x.onnx"}]}
                """;
        assertThatThrownBy(() -> Catalog.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(TeacherException.class).hasMessageContaining("https");
    }

    @Test
    void rejectsAMalformedChecksumAndDuplicates() {
        String badSha = """
                {"entries":[{"id":"x","name":"X","source":"url","url":"https://h/x.onnx","sha256":"abc"}]}
                """;
        assertThatThrownBy(() -> Catalog.read(new ByteArrayInputStream(badSha.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(TeacherException.class).hasMessageContaining("SHA-256");
        String twice = """
                {"entries":[{"id":"x","name":"X","source":"builtin","resource":"/a.onnx"},
                            {"id":"x","name":"Y","source":"builtin","resource":"/b.onnx"}]}
                """;
        assertThatThrownBy(() -> Catalog.read(new ByteArrayInputStream(twice.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(TeacherException.class).hasMessageContaining("twice");
    }
}
