#!/bin/sh
# i18n: every message licpack prints exists in Chinese and in English.
#
# With --lang zh nothing English may leak: every finding code explained, every
# --help, and a set of error situations (no folder, a bad option, an unknown
# template or region, a folder that does not exist, a bad date, init and
# batch mistakes, an incomplete folder checked and built, a batch run). With
# --lang en, no Chinese, except in what is data: file names, the company's
# name, template and material titles and aliases (which the templates write
# in Chinese), quoted text.
#
# What counts as a leak is defined in tests/e2e/py/i18n.py: in Chinese text,
# ASCII is allowed inside quotes, as options, file names, paths, numbers,
# acronyms and metavariables in capitals, and as the ids listed in $o/ids
# (finding codes, template, region, material and command ids, option values,
# format names, the units dpi and MiB, the program names licpack and
# fontconfig, and iPhone, which packet/check.c's advice on HEIC names).
#
# Known and accepted: the English detail that msg_lib() keeps in parentheses
# after a Chinese sentence for library errors it has no pattern for (a
# template file's schema errors, libzip, libharu, qpdf): not tested here.
. "$(dirname "$0")/lib.sh"

e2e_init i18n
o=$E2E_OUT
PY="python3 tests/e2e/py/i18n.py"
TODAY="--today 2026-11-28"

# run NAME EXPECTED-EXIT ARGS...: into $o/NAME/, stdout and stderr together in out
run() {
	_name=$1 _exit=$2
	shift 2
	mkdir -p "$o/$_name"
	run_licpack "$o/$_name" "$@"
	cat "$o/$_name/stdout" "$o/$_name/stderr" >"$o/$_name/out"
	[ "$_exit" = - ] || same_exit "$_name" "$_exit" "$RC"
}

# zh FILE / en FILE: an output to check in that language (all are checked
# at the end, in one go: the file names say which run they are)
: >"$o/zh-files"
: >"$o/en-files"
zh() { echo "$1" >>"$o/zh-files"; }
en() { echo "$1" >>"$o/en-files"; }
# check_all KIND LIST [OPTIONS...]
check_all() {
	_kind=$1 _list=$2
	shift 2
	[ -s "$_list" ] || return 0
	# shellcheck disable=SC2046  # file names without blanks (tests/out/...)
	$PY "$_kind" "$@" $(cat "$_list") >"$o/leaks-$_kind" || {
		e2e_fail "$(cut -d: -f1 "$o/leaks-$_kind" | sort -u | wc -l) output(s) with $_kind leaks:"
		sed 's/^/    /' "$o/leaks-$_kind" | head -n 40
	}
}

# The applicant folders, copied: no command may write into samples/.
mkdir -p "$o/root"
cp -R samples/icp-renewal-complete samples/icp-renewal-incomplete "$o/root/" || exit 3
DONE=$o/root/icp-renewal-complete
TODO=$o/root/icp-renewal-incomplete

# ---- what may stay ASCII in Chinese, and what is data ----
"$LICPACK" templates list --format json --lang en >"$o/templates.json" || e2e_fail "templates list --format json"
"$LICPACK" templates list --lang en | awk '{ print $1 }' >"$o/template-ids"
for t in $(cat "$o/template-ids"); do
	"$LICPACK" templates show "$t" --format json --lang en >"$o/show-$t.json" || e2e_fail "templates show $t"
	for r in $("$LICPACK" templates regions "$t" | awk '{ print $1 }'); do
		"$LICPACK" templates show "$t" --region "$r" --format json --lang en >"$o/show-$t-$r.json" ||
			e2e_fail "templates show $t --region $r"
	done
done
{
	"$LICPACK" --list-commands
	"$LICPACK" explain --lang en | awk 'NF && $1 !~ /^'\''/ { print $1 }'
	cat "$o/template-ids"
	"$LICPACK" templates regions | awk '{ print $1 }'
	printf '%s\n' licpack fontconfig text json html roff zh en ascii list show regions lint jpeg png pdf dpi MiB iPhone
	ls "$o/root"
	# material ids
	python3 -c '
import glob, json, sys
for p in glob.glob(sys.argv[1] + "/show-*.json"):
    for m in json.load(open(p, encoding="utf-8"))["materials"]:
        print(m["id"])
' "$o" | sort -u
} >"$o/ids"
python3 - "$o" >"$o/data" <<'EOF' || e2e_fail "cannot gather the data strings"
import glob, json, os, sys
out = sys.argv[1]
data = set()
for p in glob.glob(os.path.join(out, "show-*.json")):
    with open(p, encoding="utf-8") as f:
        d = json.load(f)
    for k in ("title", "purpose", "region_title"):
        data.update((d[k] or {}).values())
    # the sources a template cites are its data too, in whatever language they are
    data.update(d.get("sources", []))
    data.update(r.split(": ", 1)[1] for r in d.get("rule_sources", []))
    for m in d["materials"]:
        data.update(m["title"].values())
        data.update(m["aliases"])
        data.update(m.get("sources", []))
# the folders' files and company names
for root, dirs, files in os.walk(os.path.join(out, "root")):
    for name in files:
        data.add(name)
        if name == "packet.json":
            with open(os.path.join(root, name), encoding="utf-8") as f:
                p = json.load(f)
            data.add(p.get("company", {}).get("name", ""))
# literals the --help texts show as they are printed or named: the cover's mark, a packet name
data.update(["材料不全 / INCOMPLETE", "01_营业执照副本.jpg"])
for d in sorted(x for x in data if x):
    print(d)
EOF
[ "$(wc -l <"$o/template-ids")" -eq 21 ] || e2e_fail "expected 21 templates, got $(wc -l <"$o/template-ids")"

# ---- every finding code, explained in both languages ----
codes=$("$LICPACK" explain --lang en | awk 'NF && $1 !~ /^'\''/ { print $1 }')
: >"$o/explain-zh-files"
: >"$o/explain-en-files"
[ "$(echo "$codes" | wc -l)" -ge 40 ] || e2e_fail "explain lists only $(echo "$codes" | wc -l) codes"
for c in $(e2e_sample 4 $codes); do
	run "explain-$c-zh" 0 explain "$c" --lang zh
	run "explain-$c-en" 0 explain "$c" --lang en
	# the Chinese explanation: Chinese, and nothing English but the code
	# and the ids; the English one: no Chinese at all (no data in either)
	echo "$o/explain-$c-zh/out" >>"$o/explain-zh-files"
	echo "$o/explain-$c-en/out" >>"$o/explain-en-files"
	grep -q "^$c（" "$o/explain-$c-zh/out" || e2e_fail "explain $c --lang zh: no heading line '$c（...）'"
	grep -q "^$c (" "$o/explain-$c-en/out" || e2e_fail "explain $c --lang en: no heading line '$c (...)'"
	grep -q '处理办法：' "$o/explain-$c-zh/out" || e2e_fail "explain $c --lang zh: no fix"
	grep -q 'How to fix: ' "$o/explain-$c-en/out" || e2e_fail "explain $c --lang en: no fix"
done
for l in zh en; do
	run "explain-list-$l" 0 explain --lang "$l"
	$l "$o/explain-list-$l/out"
	run "explain-all-$l" 0 explain --all --lang "$l"
	run "explain-unknown-$l" 2 explain nope --lang "$l"
	$l "$o/explain-unknown-$l/out"
	grep -q "licpack explain" "$o/explain-unknown-$l/out" || e2e_fail "explain nope --lang $l: no pointer to 'licpack explain'"
done

# ---- --help, and the same with LANG=zh_CN.UTF-8 instead of --lang ----
for l in zh en; do
	run "help-main-$l" 0 --help --lang "$l"
	$l "$o/help-main-$l/out"
	for c in $("$LICPACK" --list-commands); do
		run "help-$c-$l" 0 "$c" --help --lang "$l"
		$l "$o/help-$c-$l/out"
	done
done
mkdir -p "$o/help-locale"
LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8 run_licpack "$o/help-locale" check --help
cmp -s "$o/help-locale/stdout" "$o/help-check-zh/stdout" || e2e_fail "LANG=zh_CN.UTF-8 check --help is not the Chinese help"
LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8 run_licpack "$o/help-locale" check
grep -q '^licpack: 没有指定文件夹' "$o/help-locale/stderr" || e2e_fail "LANG=zh_CN.UTF-8 check: the error is not Chinese: $(cat "$o/help-locale/stderr")"

# ---- error situations and reports, in both languages ----
for l in zh en; do
	run "no-folder-$l" 2 check --lang "$l"
	run "two-folders-$l" 2 check "$DONE" "$TODO" --lang "$l"
	run "bad-option-$l" 2 check "$DONE" --frobnicate --lang "$l"
	run "bad-short-option-$l" 2 check "$DONE" -Z --lang "$l"
	run "no-value-$l" 2 check "$DONE" --lang "$l" --template
	run "bad-format-$l" 2 check "$DONE" --format xml --lang "$l"
	run "bad-today-$l" 2 check "$DONE" --today 2026-02-30 --lang "$l"
	run "unknown-template-$l" 2 check "$DONE" --template nope --lang "$l" $TODAY
	run "unknown-region-$l" 2 check "$DONE" --region mars --lang "$l" $TODAY
	run "no-such-folder-$l" 3 check "$o/nonexistent" --lang "$l" $TODAY
	run "folder-is-a-file-$l" 3 check "$DONE/packet.json" --template icp-renewal --lang "$l" $TODAY
	run "not-a-command-$l" 2 frobnicate --lang "$l"
	run "incomplete-$l" 1 check "$TODO" --lang "$l" $TODAY
	run "complete-$l" 0 check "$DONE" --lang "$l" $TODAY
	run "build-incomplete-$l" 1 build "$TODO" -o "$o/packet-$l" --lang "$l" $TODAY
	run "build-inside-$l" 2 build "$DONE" -o "$DONE" --lang "$l" $TODAY
	run "build-bad-name-$l" 2 build "$DONE" --name ../x --lang "$l" $TODAY
	run "build-bad-font-$l" 3 build "$DONE" -o "$o/packet-$l" --font "$DONE/packet.json" --lang "$l" $TODAY
	run "init-no-template-$l" 2 init "$o/new-$l" --lang "$l"
	run "init-not-empty-$l" 2 init "$DONE" --template icp-renewal --lang "$l"
	run "init-unknown-template-$l" 2 init "$o/new-$l" --template nope --lang "$l"
	run "init-$l" 0 init "$o/new-$l" --template icp-renewal --lang "$l"
	run "init-scans-exists-$l" 2 init "$DONE" --from-scans --lang "$l"
	run "init-scans-nowhere-$l" 2 init "$o/nonexistent" --from-scans --lang "$l"
	run "init-force-alone-$l" 2 init "$o/new-force-$l" --template icp-renewal --force --lang "$l"
	run "init-scans-region-$l" 2 init "$o/root" --from-scans --region mars --lang "$l"
	mkdir -p "$o/scans-$l"
	TESSDATA_PREFIX=$o/nonexistent run "init-scans-nodata-$l" 3 init "$o/scans-$l" --from-scans --lang "$l"
	run "batch-no-root-$l" 2 batch --lang "$l"
	run "batch-no-output-$l" 2 batch "$o/root" --lang "$l"
	run "batch-bad-jobs-$l" 2 batch "$o/root" -o "$o/batch-$l" -j 0 --lang "$l"
	run "batch-bad-shard-$l" 2 batch "$o/root" -o "$o/batch-$l" --shard 3/2 --lang "$l"
	run "batch-$l" 1 batch "$o/root" -o "$o/batch-$l" --check-only -j 1 --lang "$l" $TODAY
	run "batch-rerun-$l" 1 batch "$o/root" -o "$o/batch-$l" --check-only -j 1 --lang "$l" $TODAY
	run "batch-merge-none-$l" 2 batch-merge --lang "$l"
	run "batch-merge-missing-$l" 3 batch-merge "$o/nonexistent" --lang "$l"
	run "templates-verb-$l" 2 templates frobnicate --lang "$l"
	run "templates-show-unknown-$l" 2 templates show nope --lang "$l"
	run "templates-show-$l" 0 templates show icp-renewal --region jiangsu --lang "$l"
	run "templates-list-$l" 0 templates list --lang "$l"
	run "templates-regions-$l" 0 templates regions --lang "$l"
	run "templates-lint-missing-$l" 3 templates lint "$o/nonexistent.json" --lang "$l"
	run "templates-dir-missing-$l" 3 templates list --templates "$o/nonexistent" --lang "$l"
	run "templates-lint-syntax-$l" 2 templates lint tests/data/e2e/templates/syntax-error.json --lang "$l"
	for n in no-folder two-folders bad-option bad-short-option no-value bad-format bad-today unknown-template \
		unknown-region no-such-folder folder-is-a-file not-a-command incomplete complete build-incomplete \
		build-inside build-bad-name build-bad-font init-no-template init-not-empty init-unknown-template init \
		init-scans-exists init-scans-nowhere init-force-alone init-scans-nodata init-scans-region batch-no-root \
		batch-no-output batch-bad-jobs batch-bad-shard batch batch-rerun batch-merge-none batch-merge-missing \
		templates-verb templates-show-unknown templates-show templates-list templates-regions \
		templates-lint-missing templates-dir-missing templates-lint-syntax; do
		$l "$o/$n-$l/out"
	done
done
check_all zh "$o/explain-zh-files" --ids "$o/ids"
check_all en "$o/explain-en-files"
check_all zh "$o/zh-files" --ids "$o/ids" --data "$o/data"
check_all en "$o/en-files" --data "$o/data"

# the Chinese errors say what is wrong with what, and how to go on
grep -q "^licpack: 没有指定文件夹" "$o/no-folder-zh/out" || e2e_fail "no-folder-zh: $(cat "$o/no-folder-zh/out")"
grep -q "^请运行 'licpack check --help' 查看用法。" "$o/no-folder-zh/out" || e2e_fail "no-folder-zh: no pointer to --help"
grep -q "^licpack: 未知选项 '--frobnicate'" "$o/bad-option-zh/out" || e2e_fail "bad-option-zh: $(cat "$o/bad-option-zh/out")"
grep -q "^licpack: 没有模板 'nope'（可用的模板：" "$o/unknown-template-zh/out" || e2e_fail "unknown-template-zh: $(cat "$o/unknown-template-zh/out")"
grep -q "^licpack: 无法读取 '$o/nonexistent'（文件或文件夹不存在）" "$o/no-such-folder-zh/out" ||
	e2e_fail "no-such-folder-zh: $(cat "$o/no-such-folder-zh/out")"
grep -q '黑白（灰度）图像，请用彩色重新扫描' "$o/incomplete-zh/out" || e2e_fail "incomplete-zh: no advice on the greyscale scan"
grep -q '材料不全，未生成材料包' "$o/build-incomplete-zh/out" || e2e_fail "build-incomplete-zh: $(cat "$o/build-incomplete-zh/stderr")"
grep -q '^\[[12]/2\] icp-renewal-incomplete：材料不全（' "$o/batch-zh/out" || e2e_fail "batch-zh: no progress line in Chinese"
grep -q '^共 2 个申请人：' "$o/batch-zh/out" || e2e_fail "batch-zh: no Chinese summary line"
grep -q '已是最新，跳过' "$o/batch-rerun-zh/out" || e2e_fail "batch-rerun-zh: no Chinese 'skipped' line"
# and the English ones stay as they were
grep -q "^licpack: no folder given" "$o/no-folder-en/out" || e2e_fail "no-folder-en: $(cat "$o/no-folder-en/out")"
grep -q "^licpack: cannot read '$o/nonexistent': No such file or directory" "$o/no-such-folder-en/out" ||
	e2e_fail "no-such-folder-en: $(cat "$o/no-such-folder-en/out")"

e2e_finish
