#!/bin/sh
# seeds-convert: the seeds of fuzz_convert (tests/fuzz/seeds/convert/), small
# files of every format licpack converts, made from a 24x32 page of
# mkfixture's through mkconvert (their own libraries). Run from the
# repository root after `make build/tools/mkfixture build/tools/mkconvert`;
# the same tools give the same files.
#   sh tests/fuzz/seeds-convert.sh
set -e
F=build/tools/mkfixture
C=build/tools/mkconvert
D=tests/fuzz/seeds/convert
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$D"
"$F" png "$T/a.png" 24x32 --seal --dpi 200
"$F" png "$T/b.png" 24x32 --variant 2
"$C" heic "$T/a.png" "$D/small.heic" --quality 30
"$C" webp "$T/a.png" "$D/small.webp"
"$C" webp "$T/a.png" "$D/exif6.webp" --orientation 6
"$C" bmp "$T/a.png" "$D/small.bmp"
"$C" gif "$T/a.png" "$D/small.gif"
"$C" tiff "$D/lzw-2pages.tif" --compression lzw --dpi 200 "$T/a.png" "$T/b.png"
"$C" tiff "$D/ccitt.tif" --compression ccitt "$T/b.png"
"$C" tiff "$D/jpeg-orient8.tif" --compression jpeg --orientation 8 "$T/a.png"
"$C" tiff-pages "$D/pages-12.tif" 12
"$C" tiff-canvas "$D/canvas.tif" 70000x70000
cp "$D/small.heic" "$D/canvas.heic"
"$C" heic-canvas "$D/canvas.heic" 50000x50000
ls -l "$D"
