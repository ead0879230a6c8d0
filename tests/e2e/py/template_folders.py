"""For every template: a complete synthetic folder built from `templates show
--format json` passes `check`; removing any one required file makes it fail,
naming that material. Also: staff materials name the missing person, and
`init` followed by `check` lists every required material and placeholder.

Run by tests/e2e/template_folders.sh with LICPACK, LICPACK_WRAP and MKFIXTURE
in the environment; prints one line per failure and exits 1 when any.
"""
import json
import os
import shutil
import subprocess
import sys

LICPACK = os.environ.get("LICPACK", "./licpack")
WRAP = os.environ.get("LICPACK_WRAP", "").split()
MKFIXTURE = os.environ.get("MKFIXTURE", "build/tools/mkfixture")
# each suite in its own scratch folder (run.sh: E2E_OUT_ROOT), as lib.sh's e2e_init
OUT = os.path.join(os.environ.get("E2E_OUT_ROOT") or os.path.join("tests", "out", "e2e"), "template_folders")
# The sanitizer suite (E2E_LANE=san) removes one required file a template,
# not each: which material goes missing is the templates' data, which the
# plain suite covers whole; the sanitizers need the path taken once.
EACH_FILE = os.environ.get("E2E_LANE") != "san"
TODAY = "2027-02-01"  # inside the annual-report window
TIMEOUT = 300 if WRAP else 60
failures = []

# Synthetic identifiers with valid check digits (GB 32100, GB 11643).
USCC = "91350200776049653A"
USCC_HOLDER = "91110000100000000R"
ID_NUMBER = "11010519491231002X"
STAFF = [("contact", "王五"), ("security", "李四"), ("service", "赵六")]


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def licpack(*args):
    p = subprocess.run(WRAP + [LICPACK] + list(args), capture_output=True, text=True, timeout=TIMEOUT)
    return p.returncode, p.stdout, p.stderr


def uscc_ok(code):
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    s = sum(alphabet.index(c) * w for c, w in zip(code[:17], weights))
    return alphabet[(31 - s % 31) % 31] == code[17]


def packet_json(t):
    rules = t["rules"]
    roles = list(rules["staff_roles"])
    for role, _ in STAFF:
        if len(roles) < max(rules["staff_min"], rules.get("staff_advised", 0), 1) and role not in roles:
            roles.append(role)
    staff = [{"role": r, "name": dict(STAFF)[r], "id_number": ID_NUMBER, "id_expiry": "2035-01-01"}
             for r in roles]
    kinds = rules["prerequisite_kinds"] or ["sp"]
    return {
        "template": t["id"],
        "company": {"name": "示例科技有限公司", "uscc": USCC, "capital_wan": 2000, "paid_in_wan": 2000,
                    "coverage": "nationwide"},
        "hosting": {"expiry": "2029-01-01"},
        "legal_rep": {"name": "张三", "id_number": ID_NUMBER, "id_expiry": "2035-01-01"},
        "licence": {"number": "浙B2-20080101", "expiry": "2028-06-30"},
        "domains": [{"name": "example.com", "expiry": "2029-01-01"}],
        "staff": staff,
        "shareholders": [{"name": "示例控股有限公司", "kind": "company", "uscc": USCC_HOLDER}],
        "change": {"date": "2027-01-20", "what": "法定代表人变更"},
        "prerequisite": {"kind": kinds[0], "number": "B2-20233776", "expiry": "2029-01-01",
                         "coverage": "nationwide"},
    }


def entities(t, m, pj):
    per = m["per"]
    if per == "domain":
        return [d["name"] for d in pj["domains"]]
    if per == "staff":
        roles = m["roles"]
        return [s["name"] for s in pj["staff"] if not roles or s["role"] in roles]
    if per == "shareholder":
        return [s["name"] for s in pj["shareholders"]]
    return [None]


def make_folder(t, folder):
    """Write the folder; return {material id: [relative paths]} of required files."""
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    pj = packet_json(t)
    with open(os.path.join(folder, "packet.json"), "w", encoding="utf-8") as f:
        json.dump(pj, f, ensure_ascii=False, indent=1)
    files = {}
    variant = 0
    for m in t["materials"]:
        if m["stands_for"]:
            continue  # one file in place of others (both ID sides): the others are written
        kind = "jpeg" if "jpeg" in m["formats"] else "png"
        ext = "jpg" if kind == "jpeg" else "png"
        for who in entities(t, m, pj):
            for k in range(max(m["count"]["min"], 1)):
                variant += 1
                name = m["title"]["zh"] + (f"_{who}" if who else "") + f"_p{k + 1}.{ext}"
                args = [MKFIXTURE, kind, os.path.join(folder, name), "1240x1754", "--dpi", "300",
                        "--variant", str(variant)]
                if m["seal"]:
                    args.append("--seal")
                subprocess.run(args, check=True)
                if m["required"]:
                    files.setdefault(m["id"], []).append(name)
    return files


def findings(stdout):
    return json.loads(stdout)["findings"]


def check_template(tid):
    rc, out, err = licpack("templates", "show", tid, "--format", "json")
    if rc != 0:
        fail(f"{tid}: templates show exit {rc}: {err.strip()}")
        return
    t = json.loads(out)
    folder = os.path.join(OUT, tid)
    files = make_folder(t, folder)
    rc, out, err = licpack("check", folder, "--format", "json", "--lang", "en", "--today", TODAY)
    if rc != 0:
        fail(f"{tid}: complete folder: exit {rc}, expected 0: " +
             "; ".join(f"{x['code']} {x['material']} {x['file']}" for x in findings(out)) if out else err)
        return
    extra = [x for x in findings(out) if x["severity"] == "error"]
    if extra:
        fail(f"{tid}: complete folder has errors: {extra}")
    # remove each required file in turn
    for mid, names in list(files.items())[:None if EACH_FILE else 1]:
        for name in names[:1]:
            path = os.path.join(folder, name)
            aside = path + ".aside"
            os.rename(path, os.path.join(OUT, "aside"))
            try:
                rc, out, err = licpack("check", folder, "--format", "json", "--lang", "en", "--today", TODAY)
            finally:
                os.rename(os.path.join(OUT, "aside"), path)
            got = [x for x in findings(out)] if out else []
            named = [x for x in got if x["code"] in ("missing", "too-few") and x["material"] == mid]
            if rc != 1 or not named:
                fail(f"{tid}: without '{name}': exit {rc}, findings {[(x['code'], x['material']) for x in got]};"
                     f" expected missing/too-few for {mid}")
            del aside


def check_staff():
    """cdn-new with three staff members, the third with no files."""
    rc, out, _ = licpack("templates", "show", "cdn-new", "--format", "json")
    t = json.loads(out)
    folder = os.path.join(OUT, "staff-third-missing")
    make_folder(t, folder)
    pj = json.load(open(os.path.join(folder, "packet.json"), encoding="utf-8"))
    names = [s["name"] for s in pj["staff"]]
    if len(names) < 3:
        fail(f"cdn-new: expected at least 3 staff in the generated packet.json, got {names}")
        return
    third = names[2]
    removed = sorted(f for f in os.listdir(folder) if f"_{third}_" in f)
    for f in removed:
        os.remove(os.path.join(folder, f))
    rc, out, _ = licpack("check", folder, "--format", "json", "--lang", "en", "--today", TODAY)
    missing = sorted((x["material"], x["message"]) for x in findings(out) if x["code"] == "missing")
    staff_mats = sorted(m["id"] for m in t["materials"] if m["per"] == "staff")
    if rc != 1 or sorted(m for m, _ in missing) != staff_mats or not all(third in msg for _, msg in missing):
        fail(f"staff: removed {removed}; expected missing {staff_mats} naming {third}, got exit {rc} {missing}")


def check_init():
    folder = os.path.join(OUT, "init")
    if os.path.exists(folder):
        shutil.rmtree(folder)
    rc, out, err = licpack("init", folder, "--template", "icp-renewal")
    if rc != 0:
        fail(f"init: exit {rc}: {err}")
        return
    rc, out, err = licpack("check", folder, "--format", "json", "--lang", "en", "--today", TODAY)
    report = json.loads(out)
    required = sorted(m["id"] for m in report["materials"] if m["required"])
    missing = sorted(x["material"] for x in report["findings"] if x["code"] == "missing")
    unfilled = [x for x in report["findings"] if x["code"] == "unfilled"]
    if rc != 1 or missing != required or len(unfilled) < 5:
        fail(f"init then check: exit {rc}, missing {missing} (expected {required}), {len(unfilled)} unfilled")
    before = sorted(os.listdir(folder))
    rc, _, err = licpack("init", folder, "--template", "icp-renewal")
    if rc != 2 or sorted(os.listdir(folder)) != before or "not empty" not in err:
        fail(f"init on a non-empty folder: exit {rc} ({err.strip()}), expected 2 and no change")


def main():
    os.makedirs(OUT, exist_ok=True)
    rc, out, _ = licpack("templates", "list")
    ids = [line.split()[0] for line in out.splitlines() if line.strip()]
    if len(ids) != 21:
        fail(f"templates list: {len(ids)} ids, expected 21")
    if not uscc_ok(USCC) or not uscc_ok(USCC_HOLDER):
        fail("test data: a USCC check character is wrong")
    for tid in ids:
        check_template(tid)
    check_staff()
    check_init()
    print(f"{len(ids)} templates, {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
