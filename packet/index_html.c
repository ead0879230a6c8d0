/*
 * index_html: the batch index page (index_html.h).
 *
 * Read from summary.json rather than from the run itself, so that a batch,
 * a re-run that skipped applicants and a batch-merge of shards all make the
 * same page from the same rows.
 */
#include "packet/index_html.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/jsontext.h"
#include "packet/report_html.h"

/* Sorting and filtering; the table is whole without it. */
static const char index_script[] =
	"(function(){\n"
	"var t=document.getElementById('applicants'),tb=t.tBodies[0],rows=[].slice.call(tb.rows);\n"
	"var heads=t.tHead.rows[0].cells,st={sort:-1,order:'asc',q:''};\n"
	"var box=document.createElement('input');box.type='search';box.id='filter';\n"
	"box.placeholder=t.getAttribute('data-filter');t.parentNode.insertBefore(box,t);\n"
	"function val(r,k){var c=r.cells[k],v=c.getAttribute('data-v');"
	"return v!==null?Number(v):c.textContent.toLowerCase();}\n"
	"function apply(){var q=st.q.toLowerCase(),n=0,k=st.sort,d=st.order==='desc'?-1:1;\n"
	"if(k>=0){rows.sort(function(a,b){var x=val(a,k),y=val(b,k);return (x<y?-1:x>y?1:0)*d;});"
	"rows.forEach(function(r){tb.appendChild(r);});}\n"
	"rows.forEach(function(r){var m=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!m;if(m)n++;});\n"
	"document.getElementById('shown').textContent=n+' / '+rows.length;}\n"
	"[].forEach.call(heads,function(h,i){h.className+=' sortable';h.addEventListener('click',function(){"
	"st.order=(st.sort===i&&st.order==='asc')?'desc':'asc';st.sort=i;apply();});});\n"
	"box.addEventListener('input',function(){st.q=box.value;apply();});\n"
	"var p=new URLSearchParams(location.hash.slice(1));\n"
	"[].forEach.call(heads,function(h,i){if(h.getAttribute('data-k')===p.get('sort'))st.sort=i;});\n"
	"if(p.get('order')==='desc')st.order='desc';\n"
	"if(p.get('q')){st.q=p.get('q');box.value=st.q;}\n"
	"apply();})();\n";

/* <a href="PATH">text</a>, the path percent-encoded; text alone when path is NULL. */
static void link(FILE *f, const char *path, const char *text)
{
	char *u = path ? html_url_path(path) : NULL;

	if (u) {
		fprintf(f, "<a href=\"%s\">", u);
		html_put(f, text);
		fputs("</a>", f);
	} else {
		html_put(f, path ? text : "—");
	}
	free(u);
}

static void put_row(FILE *f, const cJSON *row, lp_lang lg)
{
	const char *app = json_get_str(row, "applicant"), *company = json_get_str(row, "company");
	const char *status = json_get_str(row, "status"), *report = json_get_str(row, "report");
	int errors = json_get_int(row, "errors"), warnings = json_get_int(row, "warnings");
	const cJSON *missing = cJSON_GetObjectItemCaseSensitive(row, "missing"), *m;
	int zh = lg == LANG_ZH, rank;
	char *rhtml = NULL;

	rank = !status ? 0 : strcmp(status, "failed") == 0 ? 0 : strcmp(status, "incomplete") == 0 ? 1 : 2;
	if (report && app)
		rhtml = malloc(strlen(app) + sizeof "/report.html");
	if (rhtml)
		sprintf(rhtml, "%s/report.html", app);
	fprintf(f, "<tr class=\"s-%s\"><td>", rank == 0 ? "failed" : rank == 1 ? "incomplete" : "complete");
	link(f, rhtml, company ? company : (app ? app : ""));
	fputs("</td><td>", f);
	html_put(f, app);
	fprintf(f, "</td><td data-v=\"%d\">%s</td><td data-v=\"%d\">%d</td><td data-v=\"%d\">%d</td><td>", rank,
		rank == 0 ? (zh ? "失败" : "failed") : rank == 1 ? (zh ? "材料不全" : "incomplete") : (zh ? "材料齐全" : "complete"),
		errors, errors, warnings, warnings);
	cJSON_ArrayForEach(m, missing) {
		if (!cJSON_IsString(m))
			continue;
		fputs(m == missing->child ? "<code>" : ", <code>", f);
		html_put(f, m->valuestring);
		fputs("</code>", f);
	}
	fputs("</td><td>", f);
	link(f, rhtml, "report.html");
	fputs("</td><td>", f);
	link(f, json_get_str(row, "packet"), "PDF");
	fputs(" ", f);
	link(f, json_get_str(row, "zip"), "zip");
	fputs("</td></tr>\n", f);
	free(rhtml);
}

static void put_counts(FILE *f, const cJSON *root, lp_lang lg)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "counts");
	const char *shard = json_get_str(root, "shard");

	fputs("<p id=\"counts\" class=\"status\">", f);
	if (lg == LANG_ZH)
		fprintf(f, "共 %d 个申请人：%d 个材料齐全，%d 个材料不全，%d 个失败",
			json_get_int(c, "applicants"), json_get_int(c, "complete"), json_get_int(c, "incomplete"),
			json_get_int(c, "failed"));
	else
		fprintf(f, "%d applicants: %d complete, %d incomplete, %d failed",
			json_get_int(c, "applicants"), json_get_int(c, "complete"), json_get_int(c, "incomplete"),
			json_get_int(c, "failed"));
	fputs(" <span id=\"shown\"></span></p>\n", f);
	if (shard) {
		fprintf(f, "<p>%s", lg == LANG_ZH ? "分片 " : "shard ");
		html_put(f, shard);
		fputs("</p>\n", f);
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "interrupted")))
		fprintf(f, "<p class=\"status bad\">%s</p>\n",
			lg == LANG_ZH ? "本次运行中途停止，列表不完整" : "the run was interrupted: the list is not complete");
}

char *index_html(const char *summary_json, size_t len, lp_lang lang, lp_err *err)
{
	cJSON *root = cJSON_ParseWithLength(summary_json, len);
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(root, "applicants"), *row;
	char *out = NULL;
	size_t olen = 0;
	FILE *f;
	int zh = lang == LANG_ZH, bad;

	if (!cJSON_IsArray(rows)) {
		lp_fail(err, LP_E_INDEX_NOT_SUMMARY);
		cJSON_Delete(root);
		return NULL;
	}
	if (!(f = open_memstream(&out, &olen))) {
		lp_nomem(err);
		cJSON_Delete(root);
		return NULL;
	}
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		   "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<title>%s</title>\n<style>\n%s"
		   "th.sortable{cursor:pointer}th.sortable:hover{background:#e6e6e6}"
		   "#filter{margin:.5em 0;padding:.3em;width:20em}\n"
		   "tr.s-complete td:nth-child(3){color:#185c18}tr.s-incomplete td:nth-child(3),"
		   "tr.s-failed td:nth-child(3){color:#8a1111}\n</style>\n</head>\n<body>\n<h1>%s</h1>\n",
		zh ? "licpack 批量检查" : "licpack batch", html_style, zh ? "批量检查结果" : "Batch results");
	put_counts(f, root, lang);
	fprintf(f, "<table id=\"applicants\" data-filter=\"%s\">\n<thead><tr>"
		   "<th data-k=\"company\">%s</th><th data-k=\"applicant\">%s</th><th data-k=\"status\">%s</th>"
		   "<th data-k=\"errors\">%s</th><th data-k=\"warnings\">%s</th><th data-k=\"missing\">%s</th>"
		   "<th data-k=\"report\">%s</th><th data-k=\"packet\">%s</th></tr></thead>\n<tbody>\n",
		zh ? "筛选（公司、文件夹、状态……）" : "filter (company, folder, status...)", zh ? "申请单位" : "Company",
		zh ? "文件夹" : "Folder", zh ? "状态" : "Status", zh ? "错误" : "Errors", zh ? "警告" : "Warnings",
		zh ? "缺少的材料" : "Missing materials", zh ? "报告" : "Report", zh ? "材料包" : "Packet");
	cJSON_ArrayForEach(row, rows)
		put_row(f, row, lang);
	fprintf(f, "</tbody>\n</table>\n<script>\n%s</script>\n</body>\n</html>\n", index_script);
	bad = ferror(f);
	cJSON_Delete(root);
	if (fclose(f) != 0 || bad) {
		free(out);
		lp_nomem(err);
		return NULL;
	}
	return out;
}
