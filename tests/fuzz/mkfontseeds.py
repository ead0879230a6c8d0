#!/usr/bin/env python3
"""Write the seed fonts of fuzz_font into seeds/font/ (run from tests/fuzz).

Each seed is one byte (the face index fuzz_font passes to ttf_glyf_parse)
followed by a small TrueType font holding the tables the glyf reader needs
(head, maxp, loca, glyf) and those a subset program copies (hhea, hmtx with
fewer long metrics than glyphs, cvt, prep): a simple glyph, an empty one, composites
with every argument and transform form, a nested composite and a cycle of
composites that name each other. Variants: short and long loca, and a
collection (ttcf) of two faces read as face 1.
"""
import os
import struct

ARGS_WORDS, SCALE, MORE, XY_SCALE, TWO_BY_TWO = 0x1, 0x8, 0x20, 0x40, 0x80


def simple():
    # one contour of three on-curve points, 16-bit coordinates
    return (struct.pack(">hhhhh", 1, 0, 0, 100, 100) + struct.pack(">HH", 2, 0)
            + bytes([1, 1, 1]) + struct.pack(">hhh", 0, 100, 0) + struct.pack(">hhh", 0, 0, 100))


def composite(parts):
    out = struct.pack(">hhhhh", -1, 0, 0, 100, 100)
    for i, (gid, flags) in enumerate(parts):
        if i < len(parts) - 1:
            flags |= MORE
        out += struct.pack(">HH", flags, gid)
        out += b"\0" * (4 if flags & ARGS_WORDS else 2)
        if flags & SCALE:
            out += struct.pack(">h", 0x4000)
        elif flags & XY_SCALE:
            out += struct.pack(">hh", 0x4000, 0x4000)
        elif flags & TWO_BY_TWO:
            out += struct.pack(">hhhh", 0x4000, 0, 0, 0x4000)
    return out


GLYPHS = [
    simple(),                                         # 0 .notdef
    b"",                                              # 1 space: no outline
    simple(),                                         # 2
    composite([(2, ARGS_WORDS), (2, SCALE)]),         # 3
    composite([(3, 0), (2, XY_SCALE), (2, TWO_BY_TWO)]),  # 4: nested
    composite([(6, 0)]),                              # 5 -> 6
    composite([(5, 0)]),                              # 6 -> 5: a cycle
]


def font(long_loca, base=0):
    glyf, loca = b"", []
    for g in GLYPHS:
        loca.append(len(glyf))
        glyf += g + b"\0" * (len(g) % 2)  # short loca needs even offsets
    loca.append(len(glyf))
    loca_b = b"".join(struct.pack(">I" if long_loca else ">H", o if long_loca else o // 2) for o in loca)
    head = bytearray(54)
    struct.pack_into(">I", head, 0, 0x00010000)
    struct.pack_into(">I", head, 12, 0x5F0F3CF5)
    struct.pack_into(">H", head, 18, 1000)
    struct.pack_into(">h", head, 50, 1 if long_loca else 0)
    maxp = struct.pack(">IH", 0x00005000, len(GLYPHS))
    # four long metrics, then left side bearings alone for the rest
    n_long = 4
    hhea = bytearray(36)
    struct.pack_into(">I", hhea, 0, 0x00010000)
    struct.pack_into(">H", hhea, 34, n_long)
    hmtx = b"".join(struct.pack(">Hh", 500 + i, i) for i in range(n_long))
    hmtx += b"".join(struct.pack(">h", -i) for i in range(len(GLYPHS) - n_long))
    cvt = struct.pack(">hhh", 1, 2, 3)
    prep = bytes([0xB0, 0x01])  # PUSHB[0] 1
    tables = [(b"cvt ", cvt), (b"glyf", glyf), (b"head", bytes(head)), (b"hhea", bytes(hhea)),
              (b"hmtx", hmtx), (b"loca", loca_b), (b"maxp", maxp), (b"prep", prep)]
    off = base + 12 + 16 * len(tables)
    dirent, data = b"", b""
    for tag, t in tables:
        dirent += tag + struct.pack(">III", 0, off + len(data), len(t))
        data += t + b"\0" * (-len(t) % 4)
    return struct.pack(">IHHHH", 0x00010000, len(tables), 128, 3, 0) + dirent + data


def ttc():
    first = font(False, 20)
    second = font(True, 20 + len(first))
    return b"ttcf" + struct.pack(">III", 0x00010000, 2, 20) + struct.pack(">I", 20 + len(first)) + first + second


os.makedirs("seeds/font", exist_ok=True)
for name, index, data in (("short-loca", 0, font(False)), ("long-loca", 0, font(True)), ("collection", 1, ttc())):
    with open(os.path.join("seeds/font", name + ".ttf"), "wb") as f:
        f.write(bytes([index]) + data)
