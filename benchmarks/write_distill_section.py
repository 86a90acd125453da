#!/usr/bin/env python3
"""Turns the JSON reports of benchmarks/distill.sh into the 'distill' section of docs/benchmarks.md."""
import datetime
import json
import os
import platform
import sys

out, doc = sys.argv[1], sys.argv[2]


def load(name):
    p = os.path.join(out, name)
    return json.load(open(p)) if os.path.exists(p) and os.path.getsize(p) > 0 else None


lines = [f"Measured {datetime.date.today()} on {os.cpu_count()} CPU cores ({platform.machine()}), "
         "latency p50 at batch 1 with 2 threads, teacher and student timed the same way in the same process.", ""]
lines.append("| task | teacher → student | train budget | epochs (best) | samples/s | student params | file | "
             "p50 teacher → student (ratio) | validation | fresh data | goal |")
lines.append("|---|---|---|---|---|---|---|---|---|---|---|")


def row(task, rep, cmp, budget, fresh, goal):
    lines.append(f"| {task} | {rep['teacherName']} → {rep['preset']} {rep['inputWidth']}×{rep['inputHeight']} | "
                 f"{budget} | {rep['epochs']} ({rep['bestEpoch']}) | {rep['samplesPerSecond']:.0f} | "
                 f"{rep['studentParams']:,} | {rep['studentBytes'] / 1024:.0f} KB | "
                 f"{rep['teacherP50Ms']:.2f} → {rep['studentP50Ms']:.2f} ms ({rep['studentP50Ms'] / rep['teacherP50Ms']:.2f}×) | "
                 f"{rep['metricName']} {rep['valMetric']:.3f} | {fresh} | {goal} |")


dense, dc, photos = load("dense.json"), load("dense-compare.json"), load("dense-photos.json")
if dense and dc:
    fresh = f"IoU {dc['dense']['pooledIou']:.3f} pooled, {dc['dense']['meanIou']:.3f} mean ({dc['compared']} scenes)"
    if photos:
        fresh += f"; real photos {photos['dense']['pooledIou']:.3f} (not gated)"
    row("dense text map", dense, dc, os.environ.get("DENSE_MINUTES", "10") + " min", fresh,
        "IoU ≥ 0.55, ≤ 100 k params, ≤ 0.5× latency, ≤ 1.5 MB")
cls, cc = load("direction.json"), load("direction-compare.json")
if cls and cc:
    c = cc["classification"]
    gt = c.get("groundTruth") or {}
    fresh = (f"agreement {c['agreement']:.3f} on {cc['compared']} lines (baseline {c['majorityBaseline']:.2f})"
             + (f"; accuracy student {gt['studentAccuracy']:.3f}, teacher {gt['teacherAccuracy']:.3f}" if gt else ""))
    row("text direction 0°/180°", cls, cc, os.environ.get("CLS_MINUTES", "2") + " min", fresh,
        "agreement ≥ 0.80, ≤ 0.3× latency, ≤ 200 KB")
grp, gc, gs = load("groups.json"), load("groups-compare.json"), load("groups-seen.json")
if grp and gc:
    c = gc["classification"]
    fresh = (f"held-out (new breeds): agreement {c['agreement']:.3f} on {gc['compared']} images "
             f"(baseline {c['majorityBaseline']:.2f})")
    if gs:
        s = gs["classification"]
        fresh += (f"; balanced seen images: agreement {s['agreement']:.3f} on {gs['compared']} "
                  f"(baseline {s['majorityBaseline']:.2f})")
    row("dog / cat / other (groups)", grp, gc, os.environ.get("GROUP_MINUTES", "3") + " min", fresh,
        "well above the majority baseline")
lines.append("")
for name, rep in (("dense", dense), ("direction", cls)):
    if rep and rep.get("int8"):
        q = rep["int8"]
        lines.append(f"- int8 ({name}): {q['bytes'] / 1024:.0f} KB (float {rep['studentBytes'] / 1024:.0f} KB), "
                     f"p50 {q['p50Ms']:.2f} ms (float {rep['studentP50Ms']:.2f} ms), {rep['metricName']} "
                     f"{q['valMetric']:.3f} (float {rep['valMetric']:.3f})")

begin, end = "<!-- bench:distill:begin -->", "<!-- bench:distill:end -->"
text = open(doc).read() if os.path.exists(doc) else "# Benchmarks\n"
body = begin + "\n" + "\n".join(lines) + "\n" + end
if begin in text and end in text:
    text = text[:text.index(begin)] + body + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n## Distillation (benchmarks/distill.sh)\n\n" + body + "\n"
open(doc, "w").write(text)
