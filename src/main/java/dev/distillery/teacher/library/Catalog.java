package dev.distillery.teacher.library;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.distillery.model.TeacherException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The list of ready-made teachers, read from {@code dev/distillery/teacher/catalog.json}. Entries are
 * checked when loaded: unique ids, a resource for built-in ones, an https URL for remote ones, and
 * hashes that are either null or 64 hex digits.
 */
public final class Catalog {
    /** Where the catalog lives on the class path. */
    public static final String RESOURCE = "/dev/distillery/teacher/catalog.json";

    private final List<CatalogEntry> entries;

    private Catalog(List<CatalogEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The catalog shipped with the app. */
    public static Catalog load() {
        try (InputStream in = Catalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new TeacherException("The model catalog " + RESOURCE + " is missing from this installation.");
            }
            return read(in);
        } catch (IOException e) {
            throw new TeacherException("Could not read the model catalog: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and checks a catalog: {@code {"entries": [ {...}, ... ]}}.
     *
     * @throws TeacherException naming the first bad entry
     */
    public static Catalog read(InputStream in) throws IOException {
        Document doc = Json.mapper().readValue(in, new TypeReference<Document>() { });
        List<CatalogEntry> entries = doc.entries() == null ? List.of() : doc.entries();
        Set<String> ids = new HashSet<>();
        for (CatalogEntry e : entries) {
            check(e);
            if (!ids.add(e.id())) {
                throw new TeacherException("The model catalog lists " + e.id() + " twice.");
            }
        }
        return new Catalog(entries);
    }

    /** Every entry, in catalog order (built-in ones first). */
    public List<CatalogEntry> entries() {
        return entries;
    }

    public Optional<CatalogEntry> find(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    private record Document(int version, List<CatalogEntry> entries) {
    }

    private static void check(CatalogEntry e) {
        String where = "Catalog entry " + (e.id() == null ? "(no id)" : e.id());
        if (e.id() == null || e.id().isBlank() || e.name() == null || e.name().isBlank()) {
            throw new TeacherException(where + " needs an id and a name.");
        }
        if (CatalogEntry.BUILTIN.equals(e.source())) {
            if (e.resource() == null || !e.resource().startsWith("/") || e.url() != null) {
                throw new TeacherException(where + " is built in and needs an absolute resource and no url.");
            }
        } else if (CatalogEntry.URL.equals(e.source())) {
            if (e.url() == null || e.resource() != null) {
                throw new TeacherException(where + " is remote and needs a url and no resource.");
            }
            try {
                URI uri = new URI(e.url());
                if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new TeacherException(where + " needs an https URL: " + e.url());
                }
            } catch (URISyntaxException ex) {
                throw new TeacherException(where + " has a malformed URL: " + e.url(), ex);
            }
        } else {
            throw new TeacherException(where + " has source '" + e.source() + "'; use 'builtin' or 'url'.");
        }
        if (e.sha256() != null && !e.sha256().equals(e.sha256().toLowerCase(Locale.ROOT))) {
            throw new TeacherException(where + " has an upper-case SHA-256; write it in lower case.");
        }
        try {
            Hashing.normalize(e.sha256());
        } catch (IllegalArgumentException ex) {
            throw new TeacherException(where + ": " + ex.getMessage(), ex);
        }
        if (e.sizeBytes() != null && e.sizeBytes() <= 0) {
            throw new TeacherException(where + " has a size that is not positive.");
        }
    }
}
