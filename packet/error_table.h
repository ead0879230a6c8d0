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
/* the build: packet_pdf.c */
LP_ERROR(PDF_ARGS, "invalid arguments", "参数无效")
LP_ERROR(PDF_MEMORY_COVER_ONLY, "invalid arguments: only the cover is written to memory", "参数无效：只有封面可以写入内存")
LP_ERROR(PDF_NO_FONT, "no font given for the PDF", "未指定 PDF 所用的字体")
LP_ERROR(PDF_NO_MATERIAL, "file '{1}' has no material", "文件 '{1}' 没有对应的材料")
LP_ERROR(PDF_NEW_PAGE, "cannot add a page to the PDF", "无法向 PDF 添加页面")
LP_ERROR(PDF_HASH, "cannot hash the PDF", "无法计算 PDF 的哈希值")
LP_ERROR(PDF_WRITE_COVER, "cannot write 'the cover': {e}", "无法写入封面（{e}）")
LP_ERROR(PDF_SAVE, "cannot save the PDF", "无法保存 PDF")
LP_ERROR(PDF_BUILD, "cannot build the PDF", "无法生成 PDF")
/* the PDF materials and the merge: merge.c ({i}: qpdf's own text) */
LP_ERROR(PDF_QPDF, "{1}", "{1}")
LP_ERROR(PDF_QPDF_FAILED, "qpdf failed", "qpdf 出错")
LP_ERROR(PDF_INCLUDE, "cannot include '{1}': {i}", "无法放入 '{1}'（{i}）")
LP_ERROR(PDF_COPY_PAGE, "cannot copy page {1} of '{2}': {i}", "无法复制 '{2}' 的第 {1} 页（{i}）")
LP_ERROR(PDF_READ_DRAWN, "cannot read back the drawn pages: {i}", "无法读回已绘制的页面（{i}）")
LP_ERROR(PDF_FOOTER, "cannot add the footer to a page: {i}", "无法给页面加上页脚（{i}）")
LP_ERROR(PDF_BOOKMARKS, "cannot add the bookmarks: {i}", "无法添加书签（{i}）")
LP_ERROR(PDF_INFO, "cannot set the document info: {i}", "无法设置文档信息（{i}）")
LP_ERROR(PDF_OUTLINE_INFO, "cannot add the bookmarks and document info", "无法添加书签和文档信息")
LP_ERROR(PDF_PAGE_COUNT, "the PDF has {1} pages, {2} expected", "PDF 有 {1} 页，应为 {2} 页")
LP_ERROR(PDF_WRITE_PDF, "cannot write the PDF: {i}", "无法生成 PDF（{i}）")
/* the image pages: pages.c, png_pass.c */
LP_ERROR(PDF_FILE, "'{1}': {i}", "'{1}'：{i}")
LP_ERROR(PDF_JPEG_KIND, "'{1}': this kind of JPEG (frame type SOF{2}, {3}-bit, {4} components) cannot go into a PDF unchanged; save it again as an ordinary (baseline) JPEG",
	 "'{1}'：这种 JPEG（帧类型 SOF{2}，{3} 位，{4} 个颜色分量）无法原样放入 PDF：请把它另存为普通（baseline）JPEG")
LP_ERROR(PDF_TOO_LARGE, "'{1}': too large for the PDF", "'{1}'：图片过大，无法放入 PDF")
LP_ERROR(PDF_JPEG, "'{1}': cannot put the JPEG into the PDF", "'{1}'：无法把该 JPEG 放入 PDF")
LP_ERROR(PDF_ICC, "'{1}': cannot put its colour profile into the PDF", "'{1}'：无法把它的颜色配置文件放入 PDF")
LP_ERROR(PDF_NO_SIZE, "'{1}': the image has no size", "'{1}'：图片没有尺寸信息")
LP_ERROR(PNG_DECODE_PDF, "cannot decode the PNG: {1}", "无法解码 PNG 图片（{1}）")
LP_ERROR(PNG_LAYOUT, "cannot decode the PNG: unexpected layout after expansion", "无法解码 PNG 图片（展开后的像素排列出乎意料）")
LP_ERROR(PNG_TOO_LARGE, "cannot decode the PNG: image too large", "无法解码 PNG 图片（图片过大）")
LP_ERROR(PNG_NOMEM, "cannot decode the PNG: out of memory", "无法解码 PNG 图片（内存不足）")
LP_ERROR(PNG_DECODED_HPDF, "libharu cannot take the decoded PNG", "libharu 无法接收解码后的 PNG 图片")
LP_ERROR(PNG_PASS, "cannot put the PNG into the PDF", "无法把该 PNG 放入 PDF")
/* the upload folder's files: upload_write.c */
LP_ERROR(UPLOAD_RENDER, "cannot render page {1} of '{2}'", "无法渲染 '{2}' 的第 {1} 页")
LP_ERROR(UPLOAD_COPY, "cannot make the upload copy of '{1}': {i}", "无法生成 '{1}' 的上传文件（{i}）")
LP_ERROR(UPLOAD_MAKE, "cannot make '{1}': {i}", "无法生成 '{1}'（{i}）")
LP_ERROR(UPLOAD_HPDF, "cannot make '{1}': libharu error 0x{2}", "无法生成 '{1}'（libharu 错误 0x{2}）")
LP_ERROR(UPLOAD_TOO_BIG, "cannot make '{1}' smaller than {2} bytes ({3})", "无法把 '{1}' 压缩到 {2} 字节以内（得到 {3} 字节）")
LP_ERROR(UPLOAD_MISSING, "cannot make '{1}'", "无法生成 '{1}'")
/* libharu's errors while drawing: where ({i}: what libharu said) */
LP_ERROR(PDF_DRAW_FILE, "cannot draw the PDF ({1}): {i}", "无法绘制 PDF（{1}）：{i}")
LP_ERROR(PDF_DRAW_COVER, "cannot draw the PDF (cover): {i}", "无法绘制 PDF（封面）：{i}")
LP_ERROR(PDF_DRAW_COVER_PAGE, "cannot draw the PDF (cover page): {i}", "无法绘制 PDF（封面页）：{i}")
LP_ERROR(PDF_DRAW_NEW_PAGE, "cannot draw the PDF (new page): {i}", "无法绘制 PDF（新页面）：{i}")
LP_ERROR(PDF_DRAW_WATERMARK, "cannot draw the PDF (watermark): {i}", "无法绘制 PDF（水印）：{i}")
LP_ERROR(PDF_DRAW_BOOKMARKS, "cannot draw the PDF (bookmarks): {i}", "无法绘制 PDF（书签）：{i}")
LP_ERROR(PDF_DRAW_SETUP, "cannot draw the PDF (setting up): {i}", "无法绘制 PDF（初始化）：{i}")
LP_ERROR(PDF_DRAW_DRAWING, "cannot draw the PDF (drawing): {i}", "无法绘制 PDF（绘制页面）：{i}")
LP_ERROR(PDF_DRAW_SAVING, "cannot draw the PDF (saving): {i}", "无法绘制 PDF（保存）：{i}")
/* what libharu said (drawing, fonts): its error number {1} (hex) and detail {2} */
LP_ERROR(HPDF_NOMEM, "out of memory (libharu 0x{1}, detail {2})", "内存不足（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_JPEG, "invalid JPEG data (libharu 0x{1}, detail {2})", "JPEG 数据无效（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_JPEG_FORMAT, "unsupported JPEG format (libharu 0x{1}, detail {2})", "不支持的 JPEG 格式（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_IMAGE, "invalid image (libharu 0x{1}, detail {2})", "图片无效（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_RANGE, "value out of range (libharu 0x{1}, detail {2})", "数值超出范围（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_EOF, "unexpected end of stream (libharu 0x{1}, detail {2})", "数据流意外结束（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_STREAM, "invalid stream (libharu 0x{1}, detail {2})", "数据流无效（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_IO, "I/O error (libharu 0x{1}, detail {2})", "读写错误（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF, "libharu error (libharu 0x{1}, detail {2})", "libharu 出错（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_LICENCE, "the font's licence forbids embedding (libharu 0x{1}, detail {2})",
	 "字体的许可不允许嵌入 PDF（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_NO_FACE, "no such font in the collection (libharu 0x{1}, detail {2})", "字体集中没有这个字体（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_NOT_TTC, "not a font collection (libharu 0x{1}, detail {2})", "不是字体集文件（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_CMAP, "no usable Unicode character map (libharu 0x{1}, detail {2})",
	 "没有可用的 Unicode 字符映射表（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_TTF, "invalid TrueType data (libharu 0x{1}, detail {2})", "TrueType 数据无效（libharu 0x{1}，详情 {2}）")
LP_ERROR(HPDF_TTF_TABLE, "a required TrueType table is missing (libharu 0x{1}, detail {2})",
	 "缺少必需的 TrueType 表（libharu 0x{1}，详情 {2}）")
/* the font: font.c (--font PATH and the font fontconfig found) */
LP_ERROR(FONT_OPEN, "cannot open font '{1}': {e}", "无法打开字体 '{1}'（{e}）")
LP_ERROR(FONT_READ, "cannot read font '{1}': {e}", "无法读取字体 '{1}'（{e}）")
LP_ERROR(FONT_NOT_REGULAR, "cannot read font '{1}': not a regular file", "无法读取字体 '{1}'（不是普通文件）")
LP_ERROR(FONT_TOO_LARGE, "cannot read font '{1}': larger than {2} MiB", "无法读取字体 '{1}'（超过 {2} MiB）")
LP_ERROR(FONT_TOO_SHORT, "cannot use font '{1}': not a TrueType font (too short)",
	 "无法使用字体 '{1}'（不是 TTF/TTC 字体文件（文件过短））")
LP_ERROR(FONT_NOT_TRUETYPE, "cannot use font '{1}': not a TrueType font", "无法使用字体 '{1}'（不是 TTF/TTC 字体文件）")
LP_ERROR(FONT_CFF, "cannot use font '{1}': CFF outlines (OpenType/CFF), which libharu cannot embed",
	 "无法使用字体 '{1}'（是 CFF 轮廓的 OTF 字体，无法嵌入 PDF（请改用 TTF/TTC 字体））")
LP_ERROR(FONT_NO_FACE, "cannot use font '{1}': font collection has no font number {2}",
	 "无法使用字体 '{1}'（字体集中没有第 {2} 号字体）")
LP_ERROR(FONT_SINGLE_FACE, "cannot use font '{1}': font number {2} asked of a single font",
	 "无法使用字体 '{1}'（单个字体文件中没有第 {2} 号字体（只有第 0 号））")
LP_ERROR(FONT_NO_GLYPHS, "cannot use font '{1}': font has no glyphs", "无法使用字体 '{1}'（字体中没有字形）")
LP_ERROR(FONT_NO_TABLE, "cannot use font '{1}': no '{2}' table", "无法使用字体 '{1}'（字体缺少 '{2}' 表）")
LP_ERROR(FONT_BAD_HEAD, "cannot use font '{1}': invalid 'head' table (units per em {2})",
	 "无法使用字体 '{1}'（字体的 'head' 表无效（units per em 为 {2}））")
LP_ERROR(FONT_BAD_HHEA, "cannot use font '{1}': invalid 'hhea' table ({2} metrics for {3} glyphs)",
	 "无法使用字体 '{1}'（字体的 'hhea' 表无效（{3} 个字形却有 {2} 项水平度量））")
LP_ERROR(FONT_CMAP_SHORT, "cannot use font '{1}': invalid 'cmap' table (format 4 map cut short)",
	 "无法使用字体 '{1}'（字体的 'cmap' 表无效（格式 4 的映射不完整））")
LP_ERROR(FONT_CMAP_END, "cannot use font '{1}': invalid 'cmap' table (its last segment does not end at U+FFFF)",
	 "无法使用字体 '{1}'（字体的 'cmap' 表无效（最后一段不在 U+FFFF 结束））")
LP_ERROR(FONT_CMAP_PAST, "cannot use font '{1}': invalid 'cmap' table (U+{2} reads past its glyph ids)",
	 "无法使用字体 '{1}'（字体的 'cmap' 表无效（U+{2} 的字形编号超出了字形编号数组））")
LP_ERROR(FONT_CMAP_GLYPH, "cannot use font '{1}': invalid 'cmap' table (U+{2} maps to glyph {3} of {4})",
	 "无法使用字体 '{1}'（字体的 'cmap' 表无效（U+{2} 映射到第 {3} 号字形，而字体只有 {4} 个字形））")
LP_ERROR(FONT_NOT_EMBEDDED, "cannot use font '{1}': libharu did not load it as an embedded TrueType font",
	 "无法使用字体 '{1}'（libharu 未能把它作为可嵌入的 TrueType 字体加载）")
LP_ERROR(FONT_REPLACED, "cannot use font '{1}': libharu read a different face ({2} glyphs; expected {3}); was the file replaced?",
	 "无法使用字体 '{1}'（libharu 读到的是另一个字体：{2} 个字形，应为 {3} 个；文件是否被替换了？）")
LP_ERROR(FONT_LIBHARU, "cannot use font '{1}': {i}", "无法使用字体 '{1}'（{i}）")

/* ---- end ---- */
