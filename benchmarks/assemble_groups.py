#!/usr/bin/env python3
"""Builds the dog / cat / other folders for the class-group benchmark from ../shared/images/imagenet_sample_1000:
two thirds of the dog images (ImageNet 151-268) and as many 'other' images for training, every cat image
(281-285) for training, the remaining third of dogs and others held out for `distillery compare`."""
import os
import shutil
import sys

shared, out = sys.argv[1], sys.argv[2]
index = {}
with open(os.path.join(shared, "labels", "imagenet1k_index_wnid_name.tsv")) as f:
    for line in f:
        i, wnid, _ = line.rstrip("\n").split("\t")
        index[wnid] = int(i)
images = os.path.join(shared, "images", "imagenet_sample_1000")
dogs, cats, others = [], [], []
for name in sorted(os.listdir(images)):
    c = index.get(name.split("_")[0])
    if c is None:
        continue
    (dogs if 151 <= c <= 268 else cats if 281 <= c <= 285 else others).append(name)
picked_others = [others[i * len(others) // len(dogs)] for i in range(len(dogs))]


def put(name, split, cls):
    folder = os.path.join(out, split, cls)
    os.makedirs(folder, exist_ok=True)
    shutil.copy(os.path.join(images, name), folder)


for i, n in enumerate(dogs):
    put(n, "held-out" if i % 3 == 2 else "train", "dog")
for n in cats:
    put(n, "train", "cat")
for i, n in enumerate(picked_others):
    put(n, "held-out" if i % 3 == 2 else "train", "other")
