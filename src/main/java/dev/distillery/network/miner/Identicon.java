package dev.distillery.network.miner;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A small picture of a public key, so a user can tell wallets apart at a glance: from SHA-256 of the
 * key, a 5×5 grid mirrored left to right, one foreground colour and a light background. Pure data
 * (no AWT, no JavaFX): the UI builds its image from {@link #pixels}.
 */
public final class Identicon {
    public static final int GRID = 5;
    /** The background: a light, slightly warm grey (opaque RGB). */
    public static final int BACKGROUND = 0xF2F2F0;

    private final boolean[][] cells;
    private final int rgb;

    private Identicon(boolean[][] cells, int rgb) {
        this.cells = cells;
        this.rgb = rgb;
    }

    /** The identicon of a public key (any length; hotkeys are 32 bytes). */
    public static Identicon of(byte[] publicKey) {
        if (publicKey == null || publicKey.length == 0) {
            throw new IllegalArgumentException("an identicon needs a public key");
        }
        byte[] hash = sha256(publicKey);
        boolean[][] cells = new boolean[GRID][GRID];
        int half = (GRID + 1) / 2; // columns 0..2 decide, 3 and 4 mirror 1 and 0
        for (int row = 0; row < GRID; row++) {
            for (int col = 0; col < half; col++) {
                boolean on = (hash[row * half + col] & 1) == 1; // bytes 0..14, one per cell
                cells[row][col] = on;
                cells[row][GRID - 1 - col] = on;
            }
        }
        int hue = (((hash[28] & 0xFF) << 8) | (hash[29] & 0xFF)) % 360;
        double saturation = 0.45 + (hash[30] & 0xFF) / 255.0 * 0.25; // 45..70 %
        double lightness = 0.40 + (hash[31] & 0xFF) / 255.0 * 0.15; // 40..55 %: readable on the light background
        return new Identicon(cells, hsl(hue, saturation, lightness));
    }

    /** True when the cell is drawn in the foreground colour. */
    public boolean cell(int row, int col) {
        if (row < 0 || row >= GRID || col < 0 || col >= GRID) {
            throw new IndexOutOfBoundsException("cell (" + row + ", " + col + ") outside the " + GRID + "×" + GRID + " grid");
        }
        return cells[row][col];
    }

    /** The foreground colour, opaque RGB (0xRRGGBB). */
    public int rgb() {
        return rgb;
    }

    /**
     * The picture as size × size ARGB pixels, row by row (index y * size + x), every pixel opaque.
     * Cells are spread over the square as evenly as integer pixels allow.
     */
    public int[] pixels(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        int fg = 0xFF000000 | rgb;
        int bg = 0xFF000000 | BACKGROUND;
        int[] pixels = new int[size * size];
        for (int y = 0; y < size; y++) {
            int row = y * GRID / size;
            for (int x = 0; x < size; x++) {
                pixels[y * size + x] = cells[row][x * GRID / size] ? fg : bg;
            }
        }
        return pixels;
    }

    static int hsl(double hueDegrees, double s, double l) {
        double c = (1 - Math.abs(2 * l - 1)) * s;
        double h = hueDegrees / 60.0;
        double x = c * (1 - Math.abs(h % 2 - 1));
        double r;
        double g;
        double b;
        if (h < 1) {
            r = c; g = x; b = 0;
        } else if (h < 2) {
            r = x; g = c; b = 0;
        } else if (h < 3) {
            r = 0; g = c; b = x;
        } else if (h < 4) {
            r = 0; g = x; b = c;
        } else if (h < 5) {
            r = x; g = 0; b = c;
        } else {
            r = c; g = 0; b = x;
        }
        double m = l - c / 2;
        return channel(r + m) << 16 | channel(g + m) << 8 | channel(b + m);
    }

    private static int channel(double v) {
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return String.format("Identicon[#%06X]", rgb);
    }
}
