#!/usr/bin/env python3
"""Builds the dog / cat / other folders for the class-group benchmark from ../shared/images/imagenet_sample_1000:
held out for `distillery compare` are a third of the dog images (ImageNet 151-268) and as many other images
(a 50 % majority baseline); every other image trains (the teacher labels them all)."""
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
held_dogs = [n for i, n in enumerate(dogs) if i % 3 == 2]
held_others = {others[i * len(others) // len(held_dogs)] for i in range(len(held_dogs))}


def put(name, split, cls):
    folder = os.path.join(out, split, cls)
    os.makedirs(folder, exist_ok=True)
    shutil.copy(os.path.join(images, name), folder)


for i, n in enumerate(dogs):
    put(n, "held-out" if i % 3 == 2 else "train", "dog")
for n in cats:
    put(n, "train", "cat")
for n in others:
    put(n, "held-out" if n in held_others else "train", "other")

# a balanced set of training images (every training dog, as many training others) for the seen-data comparison
train_dogs = [n for i, n in enumerate(dogs) if i % 3 != 2]
train_others = [n for n in others if n not in held_others]
for n in train_dogs:
    put(n, "seen", "dog")
for i in range(len(train_dogs)):
    put(train_others[i * len(train_others) // len(train_dogs)], "seen", "other")
