#!/bin/sh
# templates_lint: the shipped template library, end to end. Every
# templates/*.json lints clean; `templates list` offers exactly the twenty
# templates of issue 4, each with its Chinese title; every template shows,
# plain and with every region overlay (text and --format json); a broken
# template fails lint with the field path; and the table in
# templates/README.md is up to date (templates/table.sh --check).
. "$(dirname "$0")/lib.sh"

DATA=tests/data/e2e/templates_lint
e2e_init templates_lint
o=$E2E_OUT


# lint: every shipped file, abstract bases included (each region resolved too)
for f in $(e2e_sample 4 templates/*.json); do
	n=lint-$(basename "$f" .json)
	run "$n" 0 templates lint "$f" && no_stderr "$n"
	printf '%s: ok\n' "$f" >"$o/$n/expected"
	same_text "$n" "$o/$n/expected" "$o/$n/stdout"
done

# list: exactly the twenty, sorted, each "id<spaces>Chinese title[  English title]"
run list 0 templates list --lang en
no_stderr list
cat >"$o/list/expected" <<'END'
callcenter-new
callcenter-renewal
cdn-new
cdn-renewal
code106-new
code95-new
edi-new
edi-renewal
icp-annual
icp-change
icp-new
icp-renewal
idc-new
idc-renewal
isp-new
isp-renewal
multiparty-new
multiparty-renewal
sp-new
sp-renewal
vas-annual
END
awk '{ print $1 }' "$o/list/stdout" >"$o/list/ids"
same_text "list ids" "$o/list/expected" "$o/list/ids"
# the second field is the Chinese title whatever --lang says
python3 -c '
import sys
for line in open(sys.argv[1], encoding="utf-8"):
    parts = line.split()
    if len(parts) < 2 or not any(ord(c) > 0x2e80 for c in parts[1]):
        print("list: no Chinese title after the id: %r" % line)
' "$o/list/stdout" >"$o/list/bad-lines"
[ -s "$o/list/bad-lines" ] && e2e_fail "$(cat "$o/list/bad-lines")"
run list-zh 0 templates list --lang zh
same_text "list --lang zh" "$o/list/stdout" "$o/list-zh/stdout"

# show: every template, plain and with every region it offers
while read -r id; do
	run "show-$id" 0 templates show "$id" --lang en && no_stderr "show-$id"
	run "json-$id" 0 templates show "$id" --format json && no_stderr "json-$id"
	regions=$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
assert t["id"] == sys.argv[2] and t["region"] is None, "not the template asked for"
assert t["materials"], "no materials"
print(" ".join(t["regions"]))
' "$o/json-$id/stdout" "$id") || { e2e_fail "show $id --format json: not the JSON of $id"; continue; }
	[ "$regions" = "beijing guangdong heilongjiang hubei jiangsu shanghai" ] ||
		e2e_fail "show $id: regions '$regions', expected the six of base-common"
	for r in $regions; do
		run "show-$id-$r" 0 templates show "$id" --region "$r" && no_stderr "show-$id-$r"
		grep -q "^region: $r " "$o/show-$id-$r/stdout" ||
			e2e_fail "show $id --region $r: no 'region: $r' line"
	done
done <"$o/list/ids"

# a region overlay in JSON: the rules it changes, the material it adds
# (issue 13: Guangdong's report and staff are for new applications, so icp-new)
run json-region 0 templates show icp-new --region guangdong --format json
python3 -c '
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
ids = [m["id"] for m in t["materials"]]
assert t["region"] == "guangdong", t["region"]
assert t["region_sourced"] is True, t["region_sourced"]
assert t["rules"]["staff_min"] == 3 and t["rules"]["domain_min_valid_days"] == 183, t["rules"]
assert ids[-1] == "network-evaluation-report", ids
staff = [m for m in t["materials"] if m["per"] == "staff"]
assert [m["id"] for m in staff] == ["staff-id-portrait", "staff-id-emblem", "staff-social-insurance"], staff
assert staff[2]["title"]["zh"] == "人员社保缴纳证明（近3个月）", staff[2]["title"]
both = t["materials"][ids.index("legal-rep-id-both")]
assert both["stands_for"] == ["legal-rep-id-portrait", "legal-rep-id-emblem"], both
' "$o/json-region/stdout" 2>"$o/json-region/assert" ||
	e2e_fail "show icp-new --region guangdong --format json: $(tail -n 1 "$o/json-region/assert")"

# lint: a broken template exits 2 and names the field, also through a base
run lint-bad-staff-role 2 templates lint "$DATA/bad-staff-role.json"
printf "licpack: %s: rules.staff_roles[1]: unknown role 'boss' (use contact, security or service)\n" \
	"$DATA/bad-staff-role.json" >"$o/lint-bad-staff-role/expected"
same_text "lint bad-staff-role.json" "$o/lint-bad-staff-role/expected" "$o/lint-bad-staff-role/stderr"
run lint-roles-not-staff 2 templates lint "$DATA/roles-not-staff.json"
printf '%s\n' "licpack: $DATA/roles-not-staff.json: material 'business-license': roles given, but it is not \"per\": \"staff\"" \
	>"$o/lint-roles-not-staff/expected"
same_text "lint roles-not-staff.json" "$o/lint-roles-not-staff/expected" "$o/lint-roles-not-staff/stderr"
for n in lint-bad-staff-role lint-roles-not-staff; do
	[ -s "$o/$n/stdout" ] && e2e_fail "$n: something on stdout"
done
# lint: one case per error it knows (issue 13), each with its exact
# message and exit 2; every-problem.json has many, and lint reports them all
# in one run, one "licpack: " line each, with its field path.
# errors/NAME.expected holds the expected stderr, with FILE for the path.
for f in "$DATA"/errors/*.json; do
	n=lint-error-$(basename "$f" .json)
	run "$n" 2 templates lint "$f" --lang en
	[ -s "$o/$n/stdout" ] && e2e_fail "$n: something on stdout"
	sed "s|FILE|$f|g" "${f%.json}.expected" >"$o/$n/expected"
	same_text "$n" "$o/$n/expected" "$o/$n/stderr"
done
# the same problems in Chinese, from the core's table of errors (no English
# sentence left, as many lines as in English: each problem once)
for f in "$DATA"/errors/every-problem.json "$DATA"/errors/merged-problems.json; do
	n=lint-zh-$(basename "$f" .json)
	run "$n" 2 templates lint "$f" --lang zh
	[ "$(wc -l <"$o/$n/stderr")" = "$(wc -l <"${f%.json}.expected")" ] ||
		e2e_fail "$n: $(wc -l <"$o/$n/stderr") lines in Chinese, $(wc -l <"${f%.json}.expected") in English"
	grep -Fv "'：" "$o/$n/stderr" >"$o/$n/not-zh" &&
		e2e_fail "$n: lines not in Chinese: $(head -n 3 "$o/$n/not-zh")"
	grep -E "unknown key|expected an?|required key|no material|is not a valid id|duplicate" "$o/$n/stderr" >"$o/$n/en" &&
		e2e_fail "$n: English left: $(head -n 3 "$o/$n/en")"
done
run lint-good-derived 0 templates lint "$DATA/good-derived.json"
no_stderr lint-good-derived

# usage
run format-bad 2 templates show icp-new --format xml
grep -q "^licpack: --format: 'xml' is not text or json" "$o/format-bad/stderr" ||
	e2e_fail "show --format xml: no message naming the format"

# the README's table is what the templates say
if LICPACK=$LICPACK sh templates/table.sh --check >"$o/table.out" 2>&1; then
	:
else
	e2e_fail "templates/README.md: the table is out of date (sh templates/table.sh):"
	sed 's/^/    /' "$o/table.out" | head -n 20
fi

e2e_finish
