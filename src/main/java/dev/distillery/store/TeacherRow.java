package dev.distillery.store;

import java.time.Instant;

/**
 * One row of the {@code teachers} table, as stored. The JSON columns are plain strings here: the
 * teacher library maps them to its records, so this package knows nothing about teachers.
 *
 * @param id           database id; ignored by {@link TeacherStore#insert}
 * @param sha256       SHA-256 of the model file, 64 lower-case hex digits (the file is {@code models/<sha256>.onnx})
 * @param name         display name, editable
 * @param fileName     the original file name
 * @param sizeBytes    file size in bytes
 * @param source       {@link #SOURCE_FILE}, {@link #SOURCE_URL} or {@link #SOURCE_BUILTIN}
 * @param sourceRef    where it came from: a path, a URL or a class-path resource
 * @param importedAt   when it was imported
 * @param task         the task kind's name (CLASSIFICATION, DETECTION, ...)
 * @param infoJson     the model's declared facts, as JSON
 * @param profileJson  how to run it and read its answers, as JSON
 * @param labelsSource where the labels came from ("metadata", "catalog", "user", "none", ...)
 * @param benchJson    the latest benchmark, as JSON, or null
 * @param evalJson     the latest evaluation, as JSON, or null
 */
public record TeacherRow(long id, String sha256, String name, String fileName, long sizeBytes, String source,
                         String sourceRef, Instant importedAt, String task, String infoJson, String profileJson,
                         String labelsSource, String benchJson, String evalJson) {
    public static final String SOURCE_FILE = "file";
    public static final String SOURCE_URL = "url";
    public static final String SOURCE_BUILTIN = "builtin";

    /** The same row with another id (what {@link TeacherStore#insert} hands back). */
    public TeacherRow withId(long newId) {
        return new TeacherRow(newId, sha256, name, fileName, sizeBytes, source, sourceRef, importedAt, task, infoJson,
                profileJson, labelsSource, benchJson, evalJson);
    }
}
