/*
 * error_table: every error the core returns, with its English and Chinese
 * text (see packet/error.h for the placeholders). Included by error.h and
 * error.c with LP_ERROR defined; a code used in the core and missing here
 * does not compile, and tests/unit/test_error.c checks that both texts of
 * every code are there, Chinese, with the same {e} and {i}.
 */
/* a message of cmd/'s own, written there in both languages (msg_fail) */
LP_ERROR(CMD, "{1}", "{2}")

/* memory */
LP_ERROR(NOMEM, "out of memory", "内存不足")

/* files and folders: output.c, zipout.c, check.c, template_set.c, summary.c, pdf/ */
LP_ERROR(READ, "cannot read '{1}': {e}", "无法读取 '{1}'（{e}）")
LP_ERROR(READ_AGAIN, "cannot read '{1}' again: {e}", "无法再次读取 '{1}'（{e}）")
LP_ERROR(CREATE, "cannot create '{1}': {e}", "无法创建 '{1}'（{e}）")
LP_ERROR(WRITE, "cannot write '{1}': {e}", "无法写入 '{1}'（{e}）")
LP_ERROR(RENAME_INTO, "cannot rename into '{1}': {e}", "无法写入 '{1}'（{e}）")
LP_ERROR(RENAME, "cannot rename '{1}' to '{2}': {e}", "无法把 '{1}' 改名为 '{2}'（{e}）")
LP_ERROR(OPEN_DIR, "cannot open directory '{1}': {e}", "无法打开文件夹 '{1}'（{e}）")
LP_ERROR(READ_DIR, "cannot read directory '{1}': {e}", "无法读取文件夹 '{1}'（{e}）")
LP_ERROR(OPEN, "cannot open '{1}': {e}", "无法打开 '{1}'（{e}）")
LP_ERROR(RESOLVE, "cannot resolve '{1}': {e}", "无法解析路径 '{1}'（{e}）")
LP_ERROR(REMOVE, "cannot remove '{1}': {e}", "无法删除 '{1}'（{e}）")
LP_ERROR(TEMP_BESIDE, "cannot create a temporary file beside '{1}': {e}", "无法在 '{1}' 旁创建临时文件（{e}）")
LP_ERROR(CHMOD, "cannot set the mode of '{1}': {e}", "无法设置 '{1}' 的权限（{e}）")
LP_ERROR(LOCK, "cannot lock '{1}': {e}", "无法锁定 '{1}'（{e}）")
LP_ERROR(NOT_OURS, "'{1}' holds files that licpack did not write", "'{1}' 里有不是 licpack 写的文件")
LP_ERROR(NOT_FOLDER, "cannot read '{1}': not a folder", "无法读取 '{1}'（不是文件夹）")
LP_ERROR(NOT_REGULAR, "cannot read '{1}': not a regular file", "无法读取 '{1}'（不是普通文件）")
LP_ERROR(SHRANK, "cannot read '{1}': file shrank while read", "无法读取 '{1}'（读取过程中文件变小了）")
LP_ERROR(CREATE_IN, "cannot create '{1}/{2}': {e}", "无法创建 '{1}/{2}'（{e}）")
LP_ERROR(WRITE_IN, "cannot write '{1}/{2}': {e}", "无法写入 '{1}/{2}'（{e}）")
LP_ERROR(LOCK_IN, "cannot lock '{1}/{2}': {e}", "无法锁定 '{1}/{2}'（{e}）")
LP_ERROR(WRITE_NOT_OPEN, "cannot write '{1}': not open", "无法写入 '{1}'（文件未打开）")
LP_ERROR(WRITE_SHORT, "cannot write '{1}': the file is shorter than what was written",
	 "无法写入 '{1}'（文件比写入的内容短，文件不完整）")
LP_ERROR(PDF_NO_TRAILER, "cannot write '{1}': no PDF trailer at its end (the file is cut short)",
	 "无法写入 '{1}'（文件末尾没有 PDF 尾部，文件不完整）")
LP_ERROR(PDF_BAD_XREF, "cannot write '{1}': its cross-reference table is not where its trailer says",
	 "无法写入 '{1}'（交叉引用表不在文件尾部所指的位置，文件不完整）")
LP_ERROR(ZIP_NO_DIRECTORY, "cannot write '{1}': no zip directory at its end", "无法写入 '{1}'（文件末尾没有 zip 目录，文件不完整）")
LP_ERROR(PDF_READ_BACK, "cannot write '{1}': cannot read it back", "无法写入 '{1}'（无法读回）")
LP_ERROR(CREATE_NOMEM, "cannot create '{1}': out of memory", "无法创建 '{1}'（内存不足）")
LP_ERROR(CREATE_DETAIL, "cannot create '{1}': {2}", "无法创建 '{1}'（{2}）")
LP_ERROR(WRITE_NOMEM, "cannot write '{1}': out of memory", "无法写入 '{1}'（内存不足）")
LP_ERROR(WRITE_EOF, "cannot write '{1}': unexpected end of file", "无法写入 '{1}'（文件意外结束）")
LP_ERROR(WRITE_DETAIL, "cannot write '{1}': {2}", "无法写入 '{1}'（{2}）")
LP_ERROR(WRITE_BECAUSE, "cannot write '{1}': {i}", "无法写入 '{1}'：{i}")

/* the zip: zipout.c */
LP_ERROR(ZIP_NO_PATH, "cannot create zip: empty output path", "无法创建压缩包（未给出输出路径）")
LP_ERROR(ZIP_NOT_OPEN, "cannot write zip: not open", "无法写入压缩包（未打开）")
LP_ERROR(ZIP_NAME_EMPTY, "invalid entry name '': empty", "压缩包内的文件名无效（为空）")
LP_ERROR(ZIP_NAME_LONG, "invalid entry name '{1}...': longer than 65535 bytes", "压缩包内的文件名 '{1}...' 无效（超过 65535 字节）")
LP_ERROR(ZIP_NAME_CONTROL, "invalid entry name '{1}': control character or backslash",
	 "压缩包内的文件名 '{1}' 无效（含控制字符或反斜杠）")
LP_ERROR(ZIP_NAME_DIR, "invalid entry name '{1}': a directory", "压缩包内的文件名 '{1}' 无效（是文件夹）")
LP_ERROR(ZIP_NAME_PATH, "invalid entry name '{1}': not a plain relative path", "压缩包内的文件名 '{1}' 无效（不是普通的相对路径）")
LP_ERROR(ZIP_NAME_DUP, "duplicate entry name '{1}'", "压缩包内的文件名 '{1}' 重复")
LP_ERROR(ZIP_NAME_UTF8, "invalid entry name '{1}': not UTF-8", "压缩包内的文件名 '{1}' 无效（不是 UTF-8）")
LP_ERROR(ZIP_ADD, "cannot add '{1}': {2}", "无法把 '{1}' 放入压缩包（{2}）")
LP_ERROR(ZIP_ADD_NOMEM, "cannot add '{1}': out of memory", "无法把 '{1}' 放入压缩包（内存不足）")
LP_ERROR(ZIP_ADD_NOT_OPEN, "cannot add '{1}': zip not open", "无法把 '{1}' 放入压缩包（压缩包未打开）")
LP_ERROR(ZIP_ENTRY_CHANGED, "the bytes of '{1}' changed", "'{1}' 的内容变了")
LP_ERROR(ZIP_LAYOUT, "cannot write '{1}': unexpected zip layout from libzip ({2})", "无法写入 '{1}'（libzip 写出的 zip 结构出乎意料：{2}）")
LP_ERROR(ZIP_POISONED, "cannot write '{1}': an entry could not be added", "无法写入 '{1}'（有文件未能放入压缩包）")

/* ---- templates: template_*.c ---- */
LP_ERROR(TPL_EMPTY, "{1}: file is empty", "'{1}'：文件为空")
LP_ERROR(TPL_TOO_BIG, "{1}: file is larger than 1 MiB", "'{1}'：文件超过 1 MiB")
LP_ERROR(TPL_BLANK, "{1}: file holds only white space", "'{1}'：文件中只有空白字符")
LP_ERROR(TPL_UTF8, "{1}:{2}:{3}: not valid UTF-8 text (byte {4})", "'{1}' 第 {2} 行第 {3} 列：不是有效的 UTF-8 文本（字节 {4}）")
LP_ERROR(TPL_SYNTAX_NEAR, "{1}:{2}:{3}: JSON syntax error near '{4}'", "'{1}' 第 {2} 行第 {3} 列：JSON 语法错误（'{4}' 附近）")
LP_ERROR(TPL_SYNTAX_END, "{1}:{2}:{3}: JSON syntax error at end of file", "'{1}' 第 {2} 行第 {3} 列：JSON 语法错误（文件意外结束）")
LP_ERROR(TPL_SYNTAX, "{1}:{2}:{3}: JSON syntax error", "'{1}' 第 {2} 行第 {3} 列：JSON 语法错误")
LP_ERROR(TPL_TOP_OBJECT, "{1}: expected a JSON object at the top level", "'{1}'：最外层应为 JSON 对象")
LP_ERROR(TPL_EXTENDS_UNKNOWN, "{1}: extends: unknown template '{2}'", "'{1}'：extends 指向不存在的模板 '{2}'")
LP_ERROR(TPL_EXTENDS_LOOP, "{1}: extends: loop: {2}", "'{1}'：extends 构成循环（{2}）")
LP_ERROR(TPL_DUP_ID, "{1}: id: '{2}' is also the id of {3}", "'{1}'：id '{2}' 与 '{3}' 的 id 重复")
LP_ERROR(TPL_UNKNOWN, "unknown template '{1}' (known: {2})", "没有模板 '{1}'（可用的模板：{2}）")
LP_ERROR(TPL_UNKNOWN_REGION, "unknown region '{1}' for template '{2}' (known: {3})", "模板 '{2}' 没有地区 '{1}'（可用的地区：{3}）")
LP_ERROR(TPL_NO_REGIONS, "unknown region '{1}' for template '{2}' (it has no regions)", "模板 '{2}' 没有地区 '{1}'（该模板没有地区版本）")
LP_ERROR(TPL_ABSTRACT, "template '{1}' is an abstract base: use one of the templates that extend it",
	 "模板 '{1}' 是基础模板，不能直接使用：请改用继承它的模板")
/* a field of a template file: {1} the file, {2} the field's path */
LP_ERROR(TPL_UNKNOWN_KEY, "{1}: {2}: unknown key", "'{1}'：{2}：未知的键")
LP_ERROR(TPL_DUP_KEY, "{1}: {2}: duplicate key", "'{1}'：{2}：键重复")
LP_ERROR(TPL_MISSING_KEY, "{1}: {2}: required key is missing", "'{1}'：{2}：缺少必需的键")
LP_ERROR(TPL_UNKNOWN_RULE, "{1}: {2}: unknown rule", "'{1}'：{2}：未知的规则")
LP_ERROR(TPL_BOOL, "{1}: {2}: expected true or false", "'{1}'：{2}：应为 true 或 false")
LP_ERROR(TPL_STRING, "{1}: {2}: expected a string", "'{1}'：{2}：应为字符串")
LP_ERROR(TPL_NONEMPTY_STRING, "{1}: {2}: expected a non-empty string", "'{1}'：{2}：应为非空字符串")
LP_ERROR(TPL_OBJECT, "{1}: {2}: expected an object", "'{1}'：{2}：应为对象")
LP_ERROR(TPL_OBJECT_OR_FALSE, "{1}: {2}: expected an object, or false", "'{1}'：{2}：应为对象或 false")
LP_ERROR(TPL_ARRAY, "{1}: {2}: expected an array", "'{1}'：{2}：应为数组")
LP_ERROR(TPL_WHOLE_MIN, "{1}: {2}: expected a whole number >= {3}", "'{1}'：{2}：应为不小于 {3} 的整数")
LP_ERROR(TPL_TOO_LARGE, "{1}: {2}: too large (at most {3})", "'{1}'：{2}：数值过大（最大 {3}）")
LP_ERROR(TPL_BAD_ID, "{1}: {2}: '{3}' is not a valid id (use a-z, 0-9 and '-')",
	 "'{1}'：{2}：'{3}' 不是有效的 id（只能用 a-z、0-9 和 '-'）")
LP_ERROR(TPL_DUP_ITEM, "{1}: {2}: duplicate {3} '{4}'", "'{1}'：{2}：{3} '{4}' 重复")
LP_ERROR(TPL_COUNT_MAX, "{1}: {2}: must be 0 (no limit) or at least count.min ({3})",
	 "'{1}'：{2}：应为 0（不限）或不小于 count.min（{3}）")
LP_ERROR(TPL_ONE_OF, "{1}: {2}: expected one of {3}", "'{1}'：{2}：应为以下之一：{3}")
LP_ERROR(TPL_ROLE, "{1}: {2}: unknown role '{3}' (use contact, security or service)",
	 "'{1}'：{2}：未知的角色 '{3}'（可用 contact、security 或 service）")
LP_ERROR(TPL_DUP_ROLE, "{1}: {2}: duplicate role '{3}'", "'{1}'：{2}：角色 '{3}' 重复")
LP_ERROR(TPL_NO_FORMAT, "{1}: {2}: expected at least one format", "'{1}'：{2}：至少要有一种格式")
LP_ERROR(TPL_FORMAT, "{1}: {2}: unknown format '{3}' (use jpeg, png or pdf)", "'{1}'：{2}：未知的格式 '{3}'（可用 jpeg、png 或 pdf）")
LP_ERROR(TPL_READ_KIND, "{1}: {2}: unknown kind '{3}' (use {4})", "'{1}'：{2}：未知的读取类型 '{3}'（可用 {4}）")
LP_ERROR(TPL_SIGNED_ONLY, "{1}: {2}: only for \"as\": \"signed-form\", not \"{3}\"", "'{1}'：{2}：只能用于 \"as\": \"signed-form\"，不能用于 \"{3}\"")
LP_ERROR(TPL_DUP_MATERIAL, "{1}: {2}: duplicate material id '{3}'", "'{1}'：{2}：材料 id '{3}' 重复")
/* the merged template: template_resolve.c ({1} the file or the label) */
LP_ERROR(TPL_NO_REMOVE, "{1}: {2}: no material '{3}' to remove", "'{1}'：{2}：没有可删除的材料 '{3}'")
LP_ERROR(TPL_NO_PATCH, "{1}: {2}.title.zh: required key is missing (no material '{3}' to patch)",
	 "'{1}'：{2}.title.zh：缺少必需的键（没有可修改的材料 '{3}'）")
LP_ERROR(TPL_NO_ORDER, "{1}: {2}: no material '{3}' to order", "'{1}'：{2}：没有可排序的材料 '{3}'")
LP_ERROR(TPL_NO_MATERIALS, "{1}: no materials", "'{1}'：没有任何材料")
LP_ERROR(TPL_COUNT_ORDER, "{1}: material '{2}': count.max {3} is less than count.min {4}",
	 "'{1}'：材料 '{2}'：count.max {3} 小于 count.min {4}")
LP_ERROR(TPL_ROLES_NOT_STAFF, "{1}: material '{2}': roles given, but it is not \"per\": \"staff\"",
	 "'{1}'：材料 '{2}'：给了 roles，但它不是 \"per\": \"staff\"")
LP_ERROR(TPL_STANDS_FOR_NONE, "{1}: material '{2}': stands_for[{3}]: '{4}' is no material of this template",
	 "'{1}'：材料 '{2}'：stands_for[{3}]：本模板没有材料 '{4}'")
LP_ERROR(TPL_STANDS_FOR_SELF, "{1}: material '{2}': stands_for[{3}]: '{4}' is the material itself",
	 "'{1}'：材料 '{2}'：stands_for[{3}]：'{4}' 就是它自己")
LP_ERROR(TPL_STANDS_FOR_PER, "{1}: material '{2}': stands_for[{3}]: '{4}' is repeated for something else (\"per\" differs)",
	 "'{1}'：材料 '{2}'：stands_for[{3}]：'{4}' 按别的对象重复（\"per\" 不同）")
LP_ERROR(TPL_SHARED_ALIAS, "{1}: alias '{2}' of material '{3}' also names material '{4}'",
	 "'{1}'：材料 '{3}' 的别名 '{2}' 也是材料 '{4}' 的名称")

/* ---- checking a folder: check*.c, applicant.c, scan.c ---- */
LP_ERROR(NO_TEMPLATE, "'{1}': no template: give --template ID or set \"template\" in packet.json (licpack templates list)",
	 "'{1}'：未指定模板：请用 --template ID 指定，或在 packet.json 中填写 \"template\"（'licpack templates list' 列出全部模板）")
LP_ERROR(NO_TEMPLATE_JSON, "'{1}': no template: packet.json cannot be used ({2}): fix it or give --template ID",
	 "'{1}'：无法确定模板：packet.json 无法使用（{3}）：请修正它，或用 --template ID 指定")
LP_ERROR(NO_QPDF, "'{1}': cannot check its PDF files: {i}", "'{1}'：无法检查其中的 PDF 文件（{i}）")
LP_ERROR(NO_SUCH_FILE, "no such file", "没有这个文件")
LP_ERROR(NOT_READ, "'{1}' was not read when the folder was checked", "检查文件夹时未能读取 '{1}'")
LP_ERROR(CHANGED, "'{1}' changed since it was checked: check the folder again", "'{1}' 在检查之后被改动过：请重新检查该文件夹")
LP_ERROR(RECONVERT_NOMEM, "out of memory converting '{1}' again", "再次转换 '{1}' 时内存不足")
LP_ERROR(RECONVERT_DIFFERS, "'{1}' did not convert to the same bytes again: check the folder again",
	 "'{1}' 再次转换的结果与检查时不同：请重新检查该文件夹")

/* ---- images, thumbnails, uploads, conversion, summaries: packet/ ---- */
/* thumbnails and the watermark: thumb.c */
LP_ERROR(WATERMARK_FONT_LOAD, "cannot load the watermark font", "无法加载水印字体")
LP_ERROR(WATERMARK_NO_GLYPHS, "the watermark font has none of the text's glyphs", "水印字体中没有水印文字的任何字形")
LP_ERROR(WATERMARK_FONT_SIZE, "cannot size the watermark font", "无法设置水印字体的字号")
LP_ERROR(THUMB_FORMAT, "no thumbnail for {1}", "无法为 {1} 文件生成缩略图")
/* decoding and encoding pictures: imageio.c ({1}: libjpeg's or libpng's own message) */
LP_ERROR(JPEG_ENCODE, "cannot encode JPEG: {1}", "无法编码 JPEG 图片（{1}）")
LP_ERROR(JPEG_DECODE, "cannot decode JPEG: {1}", "无法解码 JPEG 图片（{1}）")
LP_ERROR(PNG_DECODE, "cannot decode PNG: {1}", "无法解码 PNG 图片（{1}）")
/* fitting a scan to an upload profile's limits: upload_fit.c */
LP_ERROR(FIT_BELOW_MIN_EDGE, "{1} pixels on the long side would be fewer than the {2} the minimum resolution needs",
	 "长边只能有 {1} 像素，少于最低分辨率所需的 {2} 像素")
LP_ERROR(FIT_TOO_LARGE, "{1} bytes at {2} pixels on the long side and quality {3} is still more than the {4} allowed",
	 "长边 {2} 像素、质量 {3} 时仍有 {1} 字节，超过允许的 {4} 字节")
LP_ERROR(FIT_NOT_IMAGE, "not an image", "不是图片")
/* upload profiles: upload_profile.c */
LP_ERROR(PROFILE_JSON, "'{1}': not valid JSON at line {2}, column {3}", "'{1}'：第 {2} 行第 {3} 列不是有效的 JSON")
LP_ERROR(PROFILE_NOT_OBJECT, "'{1}': not a JSON object", "'{1}'：不是 JSON 对象")
LP_ERROR(PROFILE_UNKNOWN_KEY, "'{1}': unknown key \"{2}\"", "'{1}'：未知的键 \"{2}\"")
LP_ERROR(PROFILE_BAD_VALUE, "'{1}': \"{2}\" is missing or not valid", "'{1}'：\"{2}\" 缺失或无效")
LP_ERROR(PROFILE_TOO_LARGE, "cannot read '{1}': larger than 64 KiB", "无法读取 '{1}'（超过 64 KiB）")
/* loading libqpdf: qpdf_lazy.c ({1}: the library's file name, {2}: dlerror()'s text) */
LP_ERROR(QPDF_LOAD, "cannot load '{1}': {2}", "无法加载 '{1}'（{2}）")
LP_ERROR(QPDF_NO_SYMBOL, "cannot load '{1}': no symbol {2}", "无法加载 '{1}'（缺少符号 {2}）")
/* the upload check: upload.c */
LP_ERROR(UNKNOWN_PORTAL, "unknown portal '{1}' (licpack portals list)", "没有门户 '{1}'（'licpack portals list' 列出全部门户）")
/* the batch index page: index_html.c */
LP_ERROR(INDEX_NOT_SUMMARY, "not a licpack summary", "不是 licpack 的汇总文件")
/* summaries: summary.c */
LP_ERROR(SUMMARY_NOT_RESULT, "'{1}' is not a licpack result file", "'{1}' 不是 licpack 的结果文件")
LP_ERROR(SUMMARY_NOT_JSON, "'{1}': not JSON", "'{1}'：不是 JSON 文件")
LP_ERROR(SUMMARY_NOT_SUMMARY, "'{1}' is not a licpack batch summary", "'{1}' 不是 'licpack batch' 写的汇总文件")
LP_ERROR(SUMMARY_SHARD_MISFIT, "'{1}': shard {2} does not fit with the others (another N, or a shard given twice)",
	 "'{1}'：分片 {2} 与其他分片对不上（N 不同，或同一分片给了两次）")
LP_ERROR(SUMMARY_WHOLE_MISFIT,
	 "'{1}': shard (all applicants) does not fit with the others (another N, or a shard given twice)",
	 "'{1}'：分片（全部申请人）与其他分片对不上（N 不同，或同一分片给了两次）")
LP_ERROR(SUMMARY_APPLICANT_INVALID, "'{1}': an applicant without a name or a status", "'{1}'：有申请人缺少名称或状态")
LP_ERROR(SUMMARY_APPLICANT_TWICE, "'{1}' is in more than one summary", "'{1}' 出现在不止一份汇总中")
LP_ERROR(SUMMARY_ROW_ORDER, "summary rows out of order at '{1}'", "汇总行的顺序有误（在 '{1}' 处）")
LP_ERROR(SUMMARY_ROW_INVALID, "a summary row without an applicant or a status", "汇总中有一行缺少申请人或状态")

/* ---- the PDF, fonts, upload files: pdf/ ---- */

/* ---- end ---- */
