#!/bin/sh
# Zalando's Fashion-MNIST IDX files (the standard 60k/10k split) into $1 (default ~/.cache/nnsym/datasets/fashion-mnist-zalando),
# from Debian's dataset-fashion-mnist package: the copy in the apt cache if there is one, else `apt-get download`.
# The package is not installed; its four .gz files are only extracted.
set -eu
dest=${1:-$HOME/.cache/nnsym/datasets/fashion-mnist-zalando}
if [ -f "$dest/t10k-labels-idx1-ubyte.gz" ]; then echo "$dest"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
deb=$(ls /var/cache/apt/archives/dataset-fashion-mnist_*_all.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then (cd "$tmp" && apt-get download dataset-fashion-mnist >/dev/null) && deb=$(ls "$tmp"/dataset-fashion-mnist_*_all.deb | head -n 1); fi
dpkg-deb -x "$deb" "$tmp/x"
mkdir -p "$dest"
cp "$tmp"/x/usr/share/datasets/fashion-mnist/*-ubyte.gz "$dest"/
echo "$dest"
