# convert_compare: mean absolute difference, per channel, between a source
# image and others of the same size, in percent of full scale; exit 1 when
# any channel's is 3 % or more (issue 14: converted pages look like the
# sources).
#   python3 convert_compare.py SOURCE.ppm OTHER.ppm|pgm|pbm... [--rotate 90]
# Binary PNM as pdfimages and pdftoppm write them (mkconvert ppm writes the
# source's). Every pixel of every third row and column is compared.
# --rotate 90 turns the source a quarter clockwise first (EXIF orientation
# 6); --bilevel makes it black and white first, as mkconvert's CCITT pages
# are (dark: the sum of the channels under 384). Prints one line per OTHER:
# "NAME r% g% b%".
import sys

STEP = 3


def read(path):
    data = open(path, "rb").read()
    magic = data[:2]
    parts = data.split(maxsplit=3 if magic == b"P4" else 4)
    w, h, px = int(parts[1]), int(parts[2]), parts[-1]
    if magic == b"P4":
        row = (w + 7) // 8
        return w, h, lambda x, y: (0, 0, 0) if px[y * row + x // 8] >> (7 - x % 8) & 1 else (255, 255, 255)
    if magic == b"P5":
        return w, h, lambda x, y: (px[y * w + x],) * 3
    return w, h, lambda x, y: tuple(px[3 * (y * w + x):3 * (y * w + x) + 3])


def main():
    args = sys.argv[1:]
    rotate, bilevel = 0, "--bilevel" in args
    if bilevel:
        args.remove("--bilevel")
    if "--rotate" in args:
        k = args.index("--rotate")
        rotate = int(args[k + 1])
        del args[k:k + 2]
    sw, sh, src = read(args[0])
    w, h = (sh, sw) if rotate == 90 else (sw, sh)
    at = (lambda x, y: src(y, sh - 1 - x)) if rotate == 90 else src
    if bilevel:
        colour = at
        at = lambda x, y: (0, 0, 0) if sum(colour(x, y)) < 384 else (255, 255, 255)
    bad = 0
    for other in args[1:]:
        ow, oh, px = read(other)
        if (ow, oh) != (w, h):
            print("%s: %dx%d, the source is %dx%d" % (other, ow, oh, w, h))
            bad = 1
            continue
        tot, n = [0, 0, 0], 0
        for y in range(0, h, STEP):
            for x in range(0, w, STEP):
                a, b = at(x, y), px(x, y)
                for c in range(3):
                    tot[c] += abs(a[c] - b[c])
                n += 1
        diff = [t / (255.0 * n) * 100 for t in tot]
        print("%s %.2f%% %.2f%% %.2f%%" % (other, diff[0], diff[1], diff[2]))
        if max(diff) >= 3.0:
            bad = 1
    sys.exit(bad)


main()
