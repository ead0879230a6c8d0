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


def check(folder, today, *extra):
    rc, out, err = tf.licpack("check", folder, "--format", "json", "--lang", "en",
                              "--today", today, *extra)
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


def add_file(folder, name, variant=900, dpi="300"):
    subprocess.run([tf.MKFIXTURE, "jpeg", os.path.join(folder, name), "1240x1754", "--dpi", dpi,
                    "--variant", str(variant), "--seal"], check=True)


def run_case(name, tid, change, want_rc, want, args=(), gone=(), today=tf.TODAY):
    """want: the findings the change adds; gone: those it takes away."""
    rc, out, err = tf.licpack("templates", "show", tid, "--format", "json")
    if rc != 0:
        failures.append(name)
        print(f"FAIL: {name}: templates show {tid}: exit {rc}: {err.strip()}")
        return
    t = json.loads(out)
    folder = os.path.join(OUT, name)
    tf.make_folder(t, folder)
    rc, base, err = check(folder, tf.TODAY, *args)
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
    rc, got, err = check(folder, today, *args)
    if got is None:
        failures.append(name)
        print(f"FAIL: {name}: exit {rc}, no report: {err.strip()}")
        return
    added, removed = list(got), []
    for x in base:
        if x in added:
            added.remove(x)
        else:
            removed.append(x)
    if (rc != want_rc or sorted(added, key=str) != sorted(want, key=str) or
            sorted(removed, key=str) != sorted(gone, key=str)):
        failures.append(name)
        print(f"FAIL: {name}: exit {rc} (expected {want_rc}), added findings {added} (expected {want}),"
              f" removed {removed} (expected {list(gone)})")
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


def pj_edit(change):
    return lambda d, t: edit_json(d, change)


def case_code106_provincial_code():
    # a provincial 106 code: a provincial SP licence and 100万 are enough (the old template
    # asked 1000万 and a nationwide licence of every applicant)
    def change(pj):
        pj["company"].update(coverage="provincial", capital_wan=500, paid_in_wan=500)
        pj["prerequisite"].update(coverage="provincial")
    run_case("code106-provincial-code", "code106-new", pj_edit(change), 0, [])


def case_code106_nationwide_code():
    # a 全网 code still needs a nationwide SP licence
    run_case("code106-nationwide-code", "code106-new",
             pj_edit(lambda pj: pj["prerequisite"].update(coverage="provincial")),
             1, [("prerequisite", "error", "prerequisite-licence")])


def case_annual_after_april():
    # May: bureau practice locks the system; Art. 35 says the first quarter: a warning, not an error
    run_case("annual-after-april", "icp-annual", lambda d, t: None, 0,
             [("annual-window", "warning", None)], today="2027-05-10")


def case_annual_no_scans():
    # the annual report is filed online: a folder with no scans is not incomplete
    def change(d, t):
        for name in os.listdir(d):
            if name != "packet.json":
                os.remove(os.path.join(d, name))
    run_case("annual-no-scans", "vas-annual", change, 0, [])


def case_coverage_missing():
    # no company.coverage: assumed provincial, and said so (a warning)
    run_case("coverage-missing", "icp-new", pj_edit(lambda pj: pj["company"].pop("coverage")),
             0, [("metadata-missing", "warning", None)])


def case_staff_advised():
    # 2 staff for a new ICP licence: most bureaus ask 3, so a warning
    def change(d, t):
        def drop(pj):
            gone = pj["staff"].pop()
            for name in os.listdir(d):
                if f"_{gone['name']}_" in name:
                    os.remove(os.path.join(d, name))
        edit_json(d, drop)
    run_case("staff-advised", "icp-new", change, 0, [("staff-missing", "warning", None)])


def case_foreign_share_cap():
    run_case("foreign-share-cap", "icp-new", pj_edit(lambda pj: pj["company"].update(foreign_share=60)),
             1, [("foreign-share", "error", None)])


def case_foreign_share_edi_open():
    # e-commerce (EDI) is open beyond 50 %
    run_case("foreign-share-edi-open", "edi-new", pj_edit(lambda pj: pj["company"].update(foreign_share=80)),
             0, [])


def case_idc_paid_in_capital():
    run_case("idc-paid-in-capital", "idc-new", pj_edit(lambda pj: pj["company"].update(paid_in_wan=500)),
             1, [("capital-low", "error", None)])


def case_isp_security_system():
    # ISP now has the 552号 materials (it had nothing of its own)
    run_case("isp-security-system", "isp-new", lambda d, t: remove_material(d, t, "security-system"),
             1, [("missing", "error", "security-system")])


def case_hosting_contract_expired():
    run_case("hosting-contract-expired", "icp-renewal",
             pj_edit(lambda pj: pj["hosting"].update(expiry="2027-01-15")),
             1, [("expired", "error", "hosting-contract")])


def case_change_art28_no_registration():
    # a shareholder change (Art. 28) is approved before it is registered: no registration proof yet
    def change(d, t):
        edit_json(d, lambda pj: pj["change"].update(kind="shareholders", decision_date="2027-01-20"))
        for name in os.listdir(d):
            if name.startswith("变更登记证明"):
                os.remove(os.path.join(d, name))
    run_case("change-art28-no-registration", "icp-change", change, 0, [])


def case_change_art28_late():
    # Art. 28: 30 days from the decision, not from a registration
    run_case("change-art28-late", "icp-change",
             pj_edit(lambda pj: pj["change"].update(kind="coverage", decision_date="2026-12-01")),
             1, [("change-late", "error", None)])


def case_change_domain_form():
    # a domain change: the 网站域名变更申报表 is a material, not an unrecognized file
    run_case("change-domain-form", "icp-change", lambda d, t: add_file(d, "网站域名变更申报表.jpg", 902), 0, [])


def case_region_jiangsu_idc_renewal():
    # Jiangsu's website evaluation report is for ICP only
    run_case("region-jiangsu-idc-renewal", "idc-renewal", lambda d, t: None, 0, [],
             args=("--region", "jiangsu"))


def case_dpi_300():
    # A4 documents: 300 dpi recommended (a warning below)
    def change(d, t):
        remove_material(d, t, "business-license")
        add_file(d, "营业执照副本_p1.jpg", 903, dpi="200")
    run_case("dpi-300", "icp-renewal", change, 0, [("low-dpi", "warning", "business-license")])


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, fn in sorted(globals().items()):
        if name.startswith("case_"):
            fn()
    print(f"{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
