"""Does a text leak the other language? Used by tests/e2e/i18n.sh.

    python3 i18n.py zh [--ids FILE] [--data FILE] [--no-han-ok] TEXT-FILE...
    python3 i18n.py en [--data FILE] TEXT-FILE...

Prints every leak as "FILE:LINE: why: the line" and exits 1 when there is one.

zh: the text must contain Chinese, and no English word may remain once what
is allowed to be ASCII is taken out. Allowed, in this order:
  1. data, given with --data (one string a line: file names, company and
     material titles, aliases, which are what the user or the template wrote),
     removed wherever it occurs;
  2. quoted text: '...', "...", `...`, “...” (file names, commands, values);
  3. then, token by token (a token is a run of printable ASCII between
     spaces or Chinese text, surrounding punctuation stripped), a token with
     no letter; an option (-x, --long-name); a token holding a digit
     (1654x2339, v1, A4, SHA-256) or one of / . _ = | * @ (paths, file names,
     domains, JSON keys, key=value, zh|en); surrounding punctuation
     stripped, a token whose letters are all
     capitals (JPEG, PDF, ICP, DIR, YYYY-MM-DD: acronyms and metavariables);
     a token listed in --ids (codes, template, region, material and command
     ids, option values, format names, units, program names).
  Anything else with two or more letters is an English word: a leak.
en: no Chinese character may remain once --data strings and quoted text
('...', "...", “...”) are taken out.
"""
import re
import sys

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
QUOTED_ZH = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|“[^”\n]*”")
QUOTED_EN = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|“[^”\n]*”")
# printable ASCII but for , and ; which separate tokens ("jpeg,png,pdf")
TOKEN = re.compile(r"[!-+\--:<-~]+")
STRIP = "()[]{}<>,;:!?'\"`"


def load(path):
    if not path:
        return []
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def remove_data(line, data):
    # longest first, so that a title is not cut by a shorter one inside it
    for d in data:
        if d and d in line:
            line = line.replace(d, " ")
    return line


def token_ok(tok, ids):
    if re.search(r"[0-9/._=|*@]", tok):
        return True
    t = tok.strip(STRIP)
    if not re.search(r"[A-Za-z]", t):
        return True
    if t.startswith("-"):
        return True
    letters = re.sub(r"[^A-Za-z]", "", t)
    if letters.isupper():
        return True
    if t in ids or t.lower() in ids:
        return True
    return len(letters) < 2


def check_zh(path, ids, data, han_required):
    bad = []
    with open(path, encoding="utf-8", errors="replace") as f:
        text = ANSI.sub("", f.read())
    if han_required and not HAN.search(text):
        bad.append("%s: no Chinese at all" % path)
    for n, line in enumerate(text.split("\n"), 1):
        rest = QUOTED_ZH.sub(" ", remove_data(line, data))
        words = [t for t in TOKEN.findall(rest) if not token_ok(t, ids)]
        if words:
            bad.append("%s:%d: English %s: %s" % (path, n, " ".join(repr(w) for w in words), line))
    return bad


def check_en(path, data):
    bad = []
    with open(path, encoding="utf-8", errors="replace") as f:
        text = ANSI.sub("", f.read())
    for n, line in enumerate(text.split("\n"), 1):
        rest = QUOTED_EN.sub(" ", remove_data(line, data))
        han = HAN.findall(rest)
        if han:
            bad.append("%s:%d: Chinese %r: %s" % (path, n, "".join(han), line))
    return bad


def main(argv):
    mode, args = argv[1], argv[2:]
    ids_file = data_file = None
    han_required = True
    files = []
    i = 0
    while i < len(args):
        if args[i] == "--ids":
            ids_file = args[i + 1]
            i += 2
        elif args[i] == "--data":
            data_file = args[i + 1]
            i += 2
        elif args[i] == "--no-han-ok":
            han_required = False
            i += 1
        else:
            files.append(args[i])
            i += 1
    ids = set(load(ids_file))
    data = sorted(set(load(data_file)), key=len, reverse=True)
    bad = []
    for f in files:
        bad += check_zh(f, ids, data, han_required) if mode == "zh" else check_en(f, data)
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
