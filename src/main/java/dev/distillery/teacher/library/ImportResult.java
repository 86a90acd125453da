package dev.distillery.teacher.library;

/**
 * The outcome of an import.
 *
 * @param teacher        the library entry
 * @param alreadyPresent true when a model with the same SHA-256 was already in the library; that
 *                       entry is returned unchanged and the new copy was discarded
 */
public record ImportResult(Teacher teacher, boolean alreadyPresent) {
}
