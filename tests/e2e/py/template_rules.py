"""One case per template rule that issue 13 corrected: a folder the old rule
judged wrongly, checked for exactly what the corrected rule says.

Each case starts from the complete folder of its template (the one
template_folders.py builds from `templates show --format json`, which passes
`check`), changes packet.json or the files, and compares the exit code and
the findings that the change added (code, severity, material) with the
expected ones, exactly. A case named after the correction it tests.

Run by tests/e2e/templates_rules.sh with LICPACK, LICPACK_WRAP and MKFIXTURE
in the environment; prints one line per case and exits 1 when any failed.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import template_folders as tf  # noqa: E402  (the folder builder)

OUT = os.path.join("tests", "out", "e2e", "templates_rules")
failures = []


def check(folder, *extra):
    rc, out, err = tf.licpack("check", folder, "--format", "json", "--lang", "en",
                              "--today", tf.TODAY, *extra)
    if not out:
        return rc, None, err
    return rc, [(x["code"], x["severity"], x["material"]) for x in json.loads(out)["findings"]], err


def edit_json(folder, change):
    path = os.path.join(folder, "packet.json")
    with open(path, encoding="utf-8") as f:
        pj = json.load(f)
    change(pj)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(pj, f, ensure_ascii=False, indent=1)


def remove_material(folder, t, mid):
    """Delete the files written for material mid (named after its title)."""
    titles = [m["title"]["zh"] for m in t["materials"] if m["id"] == mid]
    if not titles:
        raise LookupError(f"the template has no material '{mid}'")
    title = titles[0]
    for name in os.listdir(folder):
        if name.startswith(title + "_"):
            os.remove(os.path.join(folder, name))


def add_file(folder, name, variant=900):
    subprocess.run([tf.MKFIXTURE, "jpeg", os.path.join(folder, name), "1240x1754", "--dpi", "300",
                    "--variant", str(variant), "--seal"], check=True)


def run_case(name, tid, change, want_rc, want, args=()):
    rc, out, err = tf.licpack("templates", "show", tid, "--format", "json")
    if rc != 0:
        failures.append(name)
        print(f"FAIL: {name}: templates show {tid}: exit {rc}: {err.strip()}")
        return
    t = json.loads(out)
    folder = os.path.join(OUT, name)
    tf.make_folder(t, folder)
    rc, base, err = check(folder, *args)
    if base is None:
        failures.append(name)
        print(f"FAIL: {name}: complete folder: exit {rc}: {err.strip()}")
        return
    try:
        change(folder, t)
    except LookupError as e:
        failures.append(name)
        print(f"FAIL: {name}: {e}")
        return
    rc, got, err = check(folder, *args)
    if got is None:
        failures.append(name)
        print(f"FAIL: {name}: exit {rc}, no report: {err.strip()}")
        return
    added = list(got)
    for x in base:
        if x in added:
            added.remove(x)
    if rc != want_rc or sorted(added, key=str) != sorted(want, key=str):
        failures.append(name)
        print(f"FAIL: {name}: exit {rc} (expected {want_rc}), added findings {added}, expected {want}")
    else:
        print(f"ok    {name}")


def case_code95_prerequisite_nationwide():
    # 95/96 numbers are nationwide: a provincial call-centre licence is not enough
    run_case("code95-prerequisite-nationwide", "code95-new",
             lambda d, t: edit_json(d, lambda pj: pj["prerequisite"].update(coverage="provincial")),
             1, [("prerequisite", "error", "prerequisite-licence")])


def case_code95_capital_1000():
    # 1000万 whatever company.coverage says (the old template asked 100万 for provincial)
    run_case("code95-capital-1000", "code95-new",
             lambda d, t: edit_json(d, lambda pj: pj["company"].update(capital_wan=500, coverage="provincial")),
             1, [("capital-low", "error", None)])


def case_code95_number_form():
    # the licence application form does not stand in for the 码号 use application form
    def change(d, t):
        remove_material(d, t, "number-application-form")
        add_file(d, "电信业务经营许可申请表.jpg")
    run_case("code95-number-form", "code95-new", change,
             1, [("missing", "error", "number-application-form"), ("unrecognized", "warning", None)])


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, fn in sorted(globals().items()):
        if name.startswith("case_"):
            fn()
    print(f"{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
