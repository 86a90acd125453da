package dev.distillery.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes CSV as RFC 4180 has it: fields separated by commas, records ended by CRLF, and a field that holds a
 * comma, a double quote, CR or LF enclosed in double quotes with its quotes doubled. Nulls are empty fields.
 */
public final class Csv {
    private Csv() {
    }

    /** One field, quoted when it must be. */
    public static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** Appends one record and its CRLF. */
    public static void row(Appendable out, List<?> fields) {
        try {
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(field(fields.get(i)));
            }
            out.append("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
