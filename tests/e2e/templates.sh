#!/bin/sh
# templates: `licpack templates list | show ID | lint FILE`, end to end.
. "$(dirname "$0")/lib.sh"

DATA=tests/data/e2e/templates
e2e_init templates
o=$E2E_OUT


# list: the built-in templates, one a line; abstract ones (base-common) are not listed
run list 0 templates list --lang en
no_stderr list
for id in icp-renewal icp-new; do
	grep -Eq "^$id +[^ ]" "$o/list/stdout" || e2e_fail "list: no line for $id"
done
grep -q '^base-common' "$o/list/stdout" && e2e_fail "list: lists the abstract template base-common"

# show: the 16 materials of icp-renewal, in the template's order
run show 0 templates show icp-renewal --lang en
no_stderr show
sed -n 's/^[0-9][0-9] \([^ ]*\) .*\( (optional)\)$/\1\2/p; s/^[0-9][0-9] \([^ ]*\) [^(]*$/\1/p' \
	"$o/show/stdout" >"$o/show/materials"
cat >"$o/show/expected" <<'END'
renewal-application
business-license
legal-rep-id-portrait
legal-rep-id-emblem
domain-certificate
current-licence
undertaking
shareholder-resolution
hosting-contract
icp-filing-screenshot
credit-screenshot (optional)
articles-of-association (optional)
legal-rep-id-both (optional)
hosting-provider-licence (optional)
hosting-provider-business-license (optional)
proof-of-operation (optional)
END
same_text "show icp-renewal" "$o/show/expected" "$o/show/materials"

# each material's aliases are listed once
python3 -c '
import sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("   aliases: "):
        seen, dup = set(), []
        for a in line[12:].rstrip("\n").split(", "):
            if a in seen:
                dup.append(a)
            seen.add(a)
        if dup:
            print("show icp-renewal: aliases listed twice: %s (in: %s)" % (", ".join(dup), line.strip()))
' "$o/show/stdout" >"$o/show/alias-dups"
[ -s "$o/show/alias-dups" ] && e2e_fail "$(cat "$o/show/alias-dups")"

# show with a region overlay: the Jiangsu material comes last
run show-region 0 templates show icp-renewal --region jiangsu --lang en
grep -Eq '^17 site-evaluation-report ' "$o/show-region/stdout" ||
	e2e_fail "show --region jiangsu: no 17th material site-evaluation-report"
# an overlay with no source says so (issue 13: Shanghai's has none); a sourced one does not
run show-shanghai 0 templates show icp-renewal --region shanghai --lang en
grep -q '^  unsourced: this region.s overlay cites no source; treat it as hearsay$' "$o/show-shanghai/stdout" ||
	e2e_fail "show --region shanghai: no 'unsourced' line"
grep -q 'unsourced' "$o/show-region/stdout" && e2e_fail "show --region jiangsu: says unsourced, but Jiangsu has a source"
# show prints each rule's and each material's sources (issue 13); a derived
# template's sources of a rule replace its base's (code95 asks 1000万 of every applicant)
run show-sources 0 templates show code95-new --lang en
grep -qx '  source of prerequisite_nationwide: issue 13 item 1 (source-by-source review of the templates): a cross-regional (跨地区) call-centre licence' \
	"$o/show-sources/stdout" || e2e_fail "show code95-new: no source line for prerequisite_nationwide"
grep -q '^  source of capital_min_wan_provincial: .*100万 for one province' "$o/show-sources/stdout" &&
	e2e_fail "show code95-new: the base's source of the capital rule it overrides is still shown"
sed -n '/^01 number-application-form /,/^$/p' "$o/show-sources/stdout" |
	grep -qx '   source: issue 13 item 1 (source-by-source review of the templates)' ||
	e2e_fail "show code95-new: no source line under number-application-form"
run show-sources-json 0 templates show code95-new --format json
python3 -c '
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
assert any(s.startswith("prerequisite_min_valid_days: ") for s in t["rule_sources"]), t["rule_sources"]
assert t["materials"][0]["sources"] == ["issue 13 item 1 (source-by-source review of the templates)"], t["materials"][0]
' "$o/show-sources-json/stdout" 2>"$o/show-sources-json/assert" ||
	e2e_fail "show code95-new --format json: $(tail -n 1 "$o/show-sources-json/assert")"
# show prints what each material is read as (issue 12's `read` key), in
# text (the keys as the JSON spells them) and in JSON (null: not declared)
run show-read 0 templates show icp-new --lang en
grep -E '^[0-9]+ |^   read: ' "$o/show-read/stdout" | grep -B1 '^   read: ' | grep -v '^--' \
	| sed 's/^\([0-9][0-9]* [a-z-]*\) .*/\1/' >"$o/show-read/got"
cat >"$o/show-read/expected" <<'END'
01 application-form
   read: as=signed-form own=yes signed_within_days=10
02 business-license
   read: as=business-licence own=yes
03 legal-rep-id-portrait
   read: as=id-portrait own=yes
04 legal-rep-id-emblem
   read: as=id-emblem own=yes
10 staff-id-portrait
   read: as=id-portrait own=yes
11 staff-id-emblem
   read: as=id-emblem own=yes
17 no-dishonesty-declaration
   read: as=signed-form own=yes signed_within_days=10
18 undertaking
   read: as=signed-form own=yes signed_within_days=10
19 domain-certificate
   read: as=domain-certificate own=yes
20 hosting-contract
   read: as=signed-form own=yes
23 hosting-provider-business-license
   read: as=business-licence own=no
END
same_text "show icp-new: read" "$o/show-read/expected" "$o/show-read/got"
run show-read-zh 0 templates show icp-new --lang zh
grep -qx '   识别：as=business-licence own=否' "$o/show-read-zh/stdout" ||
	e2e_fail "show icp-new --lang zh: no 识别 line for the hosting provider's business licence"
run show-read-json 0 templates show icp-new --format json
python3 -c '
import json, sys
m = {x["id"]: x for x in json.load(open(sys.argv[1], encoding="utf-8"))["materials"]}
assert m["undertaking"]["read"] == {"as": "signed-form", "own": True, "signed_within_days": 10}, m["undertaking"]
assert m["hosting-provider-business-license"]["read"] == {"as": "business-licence", "own": False, "signed_within_days": 0}
assert m["business-plan"]["read"] is None, m["business-plan"]
' "$o/show-read-json/stdout" 2>"$o/show-read-json/assert" ||
	e2e_fail "show icp-new --format json: $(tail -n 1 "$o/show-read-json/assert")"
run show-unknown 2 templates show nope
grep -q "^licpack: unknown template 'nope'" "$o/show-unknown/stderr" ||
	e2e_fail "show nope: stderr does not name the unknown template"

# lint: every shipped template is clean
for f in templates/*.json; do
	n=lint-$(basename "$f" .json)
	run "$n" 0 templates lint "$f"
	no_stderr "$n"
	printf '%s: ok\n' "$f" >"$o/$n/expected"
	same_text "$n" "$o/$n/expected" "$o/$n/stdout"
done

# lint: a broken file exits 2 and names the field, or the line and column
run lint-bad-colour 2 templates lint "$DATA/bad-colour.json"
grep -Eq "^licpack: '?$DATA/bad-colour\.json'?: materials\[1\]\.colour: " "$o/lint-bad-colour/stderr" ||
	{ e2e_fail "lint bad-colour.json: stderr does not name materials[1].colour"; sed 's/^/    /' "$o/lint-bad-colour/stderr"; }
run lint-syntax 2 templates lint "$DATA/syntax-error.json"
grep -Eq "^licpack: '?$DATA/syntax-error\.json'?:5:3: " "$o/lint-syntax/stderr" ||
	{ e2e_fail "lint syntax-error.json: stderr does not say line 5, column 3"; sed 's/^/    /' "$o/lint-syntax/stderr"; }
for n in lint-bad-colour lint-syntax show-unknown; do
	[ -s "$o/$n/stdout" ] && e2e_fail "$n: something on stdout"
done
run lint-missing 3 templates lint "$o/no-such-file.json"

# --templates DIR adds templates
run list-extra 0 templates list --templates "$DATA/extra" --lang en
grep -Eq '^e2e-extra +端到端测试模板  End-to-end test template$' "$o/list-extra/stdout" ||
	e2e_fail "list --templates: no line for e2e-extra"
grep -Eq '^icp-renewal ' "$o/list-extra/stdout" || e2e_fail "list --templates: icp-renewal is gone"

# usage
run usage-verb 2 templates frobnicate
grep -q "^Try 'licpack templates --help'" "$o/usage-verb/stderr" || e2e_fail "templates frobnicate: no pointer to --help"
run help 0 templates --help
grep -q '^usage: licpack templates list' "$o/help/stdout" || e2e_fail "templates --help: no usage"

e2e_finish
