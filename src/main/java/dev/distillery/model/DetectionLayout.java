package dev.distillery.model;

/** The two common YOLO output layouts, and whether boxes still need the grid decode. */
public enum DetectionLayout {
    /**
     * [1, N, 5 + C] with N = Σ (size / stride)² over strides 8/16/32 (one prediction per cell), as
     * YOLOX exports it: x, y are offsets in grid cells, w, h are log-sizes; objectness and class
     * scores are already probabilities. Decode: cx = (x + gx)·s, cy = (y + gy)·s, w = eʷ·s, h = eʰ·s.
     */
    ROWS_GRID,
    /** [1, N, 5 + C] with boxes already in input pixels (cx, cy, w, h), objectness, classes (YOLOv5/v7). */
    ROWS_DECODED,
    /** [1, 4 + C, N]: cx, cy, w, h in input pixels then class scores, no objectness (YOLOv8/11). */
    COLUMNS
}
