package dev.distillery.teacher.library;

import java.nio.file.Path;

/**
 * A finished, verified download.
 *
 * @param file     the file written
 * @param size     its size in bytes
 * @param sha256   its SHA-256, 64 lower-case hex digits
 * @param attempts how many requests it took (1 when nothing was interrupted)
 */
public record DownloadResult(Path file, long size, String sha256, int attempts) {
}
