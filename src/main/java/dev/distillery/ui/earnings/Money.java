package dev.distillery.ui.earnings;

import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/** Token and currency amounts as the Earnings screen writes them, and the price/currency the user types. */
public final class Money {
    /** rao per token (τ). */
    public static final double RAO_PER_TOKEN = 1e9;
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    private Money() {
    }

    public static double tokens(long rao) {
        return rao / RAO_PER_TOKEN;
    }

    /** "12.3456 τ" (4 decimals; a tiny non-zero amount reads "< 0.0001 τ"). */
    public static String tokenText(long rao) {
        double t = tokens(rao);
        if (t != 0 && Math.abs(t) < 0.00005) {
            return (t < 0 ? "> -" : "< ") + "0.0001 τ";
        }
        return String.format(Locale.ROOT, "%,.4f τ", t);
    }

    /** "$4.94", "€4.94", "CHF 4.94"; a code Java does not know is written after the amount: "4.94 XYZ". */
    public static String fiatText(double amount, String currency) {
        if (amount != 0 && Math.abs(amount) < 0.005) {
            return "< " + fiatText(0.01, currency);
        }
        try {
            NumberFormat f = NumberFormat.getCurrencyInstance(Locale.US);
            f.setCurrency(Currency.getInstance(currency));
            f.setMinimumFractionDigits(2);
            f.setMaximumFractionDigits(2);
            return f.format(amount).replace('\u00a0', ' ');
        } catch (IllegalArgumentException | NullPointerException e) {
            return String.format(Locale.ROOT, "%,.2f %s", amount, currency);
        }
    }

    /** "12.3456 τ ≈ $4.94" with a price, "12.3456 τ" without (price 0). */
    public static String both(long rao, double price, String currency) {
        return price > 0 ? tokenText(rao) + " ≈ " + fiatText(tokens(rao) * price, currency) : tokenText(rao);
    }

    /**
     * The price the user typed: blank is 0 (tokens only); a decimal comma is accepted; empty when it is not a
     * number ≥ 0.
     */
    public static OptionalDouble parsePrice(String text) {
        String s = text == null ? "" : text.strip().replace(" ", "");
        if (s.isEmpty()) {
            return OptionalDouble.of(0);
        }
        if (s.indexOf('.') < 0) {
            s = s.replace(',', '.');
        } else {
            s = s.replace(",", "");
        }
        if (!s.matches("\\d*\\.?\\d*") || s.equals(".")) {
            return OptionalDouble.empty();
        }
        double v = Double.parseDouble(s);
        return Double.isFinite(v) && v < 1e12 ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    /** A 3-letter currency code (case ignored), upper-cased; null when it is not one. */
    public static String parseCurrency(String text) {
        String s = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        return CODE.matcher(s).matches() ? s : null;
    }
}
