/*
 * finding: the list of findings and the table of finding codes.
 *
 * The code table is the one place that says which codes exist, how severe
 * each is by default, and what it means; `grep '"low-dpi"'` lands here and at
 * the check that emits it. Each row: code, severity, one-line summary (en,
 * zh), explanation (en, zh: what it means and why the bureau cares) and fix
 * (en, zh). `licpack explain` prints them; the man page's FINDING CODES
 * section is made from them (make man). In the texts, `...` marks a command
 * (the roff output sets it in bold).
 */
#include "packet/finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const finding_code finding_codes[] = {
	/* materials */
	{ "missing", SEV_ERROR,
	  "a required material has no file",
	  "缺少必需材料",
	  "The template lists this material as required and no file in the folder was matched to it (for a "
	  "per-domain or per-person material: none for the domain or person named). The bureau checks a "
	  "packet against its list of materials when it accepts an application; one missing item and the "
	  "whole application comes back.",
	  "模板要求提供这种材料，但文件夹里没有文件与之对应（按域名或按人员提供的材料："
	  "缺少所列域名或人员的那一份）。通信管理局受理时会对照材料清单逐项核对，"
	  "缺少任何一项，整份申请都会被退回。",
	  "Scan the document and put it in the folder under a name that says what it is (its Chinese title, "
	  "English name or pinyin initials, as `licpack templates show ID` lists them), or in a sub-folder "
	  "named after the material, or assign the file in packet.json under \"files\".",
	  "扫描该材料放入文件夹，文件名写明材料名称（中文名、英文名或拼音首字母，"
	  "'licpack templates show ID' 列出全部别名），或放进以材料命名的子文件夹，"
	  "或在 packet.json 的 \"files\" 中指定。" },
	{ "too-few", SEV_ERROR,
	  "fewer files than the material needs",
	  "文件数量不足",
	  "The material takes more files than were found: both sides of a document, every page of the "
	  "current licence, or one file per person. A partial copy counts as missing for the bureau.",
	  "这种材料需要的文件比找到的多：如证件的正反两面、现有许可证的每一页、"
	  "每人一份等。不完整的复印件在审核时等同于缺少。",
	  "Add the missing pages. For a material of several pages, put them in its sub-folder as p1.jpg, "
	  "p2.jpg, ... (they are ordered naturally, p2 before p10).",
	  "补齐缺少的页面。多页材料可放进其子文件夹，命名为 p1.jpg、p2.jpg……（按自然顺序排列，"
	  "p2 排在 p10 之前）。" },
	{ "too-many", SEV_ERROR,
	  "more files than the material allows",
	  "文件数量过多",
	  "More files were matched to the material than it allows, usually an old scan next to the new one, "
	  "or a file whose name also fits this material. The packet would carry both, and the reviewer "
	  "cannot tell which one counts.",
	  "与这种材料对应的文件超过了允许的数量，通常是新旧两份扫描件并存，"
	  "或另一个文件的名字也符合这种材料。材料包会把它们都放进去，审核人员无从判断以哪份为准。",
	  "Remove the extra files from the folder (move old scans elsewhere), or rename a file that belongs "
	  "to another material.",
	  "把多余的文件移出文件夹（旧扫描件放到别处），或把属于其他材料的文件改名。" },
	{ "ambiguous", SEV_WARNING,
	  "a file name matches two materials equally well",
	  "文件名同时匹配两种材料",
	  "The file name contains aliases of two different materials of the same length, so licpack cannot "
	  "tell which one the file is; it is left out of the packet rather than guessed.",
	  "文件名中同时含有两种材料的别名，且长度相同，无法判断它是哪种材料；该文件未纳入材料包，而不是靠猜测归类。",
	  "Rename the file with the full name of its material, put it in the material's sub-folder, or "
	  "assign it in packet.json under \"files\".",
	  "把文件改名为其材料的完整名称，或放进该材料的子文件夹，或在 packet.json 的 \"files\" 中指定。" },
	{ "unrecognized", SEV_WARNING,
	  "a file matches no material and is left out",
	  "文件无法识别，未纳入材料包",
	  "No material's alias appears in the file name or its sub-folder, and packet.json does not assign "
	  "it. The file is not in the packet; licpack says so rather than drop it silently, because it may "
	  "be a material under an unexpected name (IMG_0001.jpg).",
	  "文件名和所在子文件夹名中都没有任何材料的别名，packet.json 也没有指定它。"
	  "该文件不会进入材料包；licpack 明确报告，而不是悄悄忽略，因为它可能是名字不规范的某份材料（如 IMG_0001.jpg）。",
	  "Rename it with its material's name (`licpack templates show ID` lists the aliases), move it into "
	  "the material's sub-folder, assign it in packet.json, or remove it from the folder if it is not "
	  "needed.",
	  "按材料名称重命名（'licpack templates show ID' 列出全部别名），"
	  "或移入该材料的子文件夹，或在 packet.json 中指定；不需要的文件请移出文件夹。" },
	{ "person-unknown", SEV_WARNING,
	  "a per-person file does not name its person",
	  "无法判断文件对应的人员或股东",
	  "The material is provided once per staff member or shareholder, and neither the file name nor its "
	  "sub-folder contains the name of someone listed in packet.json (\"staff\", \"shareholders\"), so "
	  "licpack cannot tell whose it is.",
	  "这种材料按人员或股东分别提供，但文件名和所在子文件夹名中都没有 packet.json（\"staff\"、"
	  "\"shareholders\"）所列人员的姓名或名称，无法判断是谁的材料。",
	  "Put the person's name, as packet.json spells it, in the file name, or name the sub-folder "
	  "holding their files after them. Check that the person is listed in packet.json.",
	  "在文件名或子文件夹名中写明姓名或名称（与 packet.json 一致），如 李四/身份证人像面.jpg、"
	  "示例控股有限公司_营业执照.jpg；并确认 packet.json 中列出了此人。" },
	{ "domain-unknown", SEV_WARNING,
	  "a per-domain file does not name its domain",
	  "无法判断文件对应的域名",
	  "The material is provided once per domain (the domain certificate), and the file name names none "
	  "of the domains listed in packet.json, so licpack cannot tell which domain it proves.",
	  "这种材料按域名分别提供（如域名证书），但文件名中没有 packet.json 所列的任何域名，"
	  "无法判断它证明的是哪个域名。",
	  "Put the domain in the file name (domain-certificate_example.com.jpg) and list every domain in "
	  "packet.json under \"domains\".",
	  "在文件名中写明域名（如 域名证书_example.com.jpg），并在 packet.json 的 \"domains\" 中列出每个域名。" },
	/* files */
	{ "empty", SEV_ERROR,
	  "the file is empty (0 bytes)",
	  "文件为空（0 字节）",
	  "The file has no content at all, usually a copy or download that was interrupted. The portal "
	  "would reject it, or the reviewer would find a blank document.",
	  "文件没有任何内容，通常是复制或下载中断所致。网上系统会拒收，或审核人员看到的是空白文件。",
	  "Copy the file again from the scanner or the original source, and open it to check.",
	  "从扫描仪或原始来源重新复制该文件，并打开确认内容完整。" },
	{ "corrupt", SEV_ERROR,
	  "the file is damaged or incomplete",
	  "文件损坏或不完整",
	  "The file is truncated or damaged: a JPEG that stops before its end marker or whose image data is "
	  "cut short, damaged or missing scans, a PNG whose checksums do not match, a PDF without a valid "
	  "trailer. Viewers may show half a page (the rest grey) or nothing, and the portal or the reviewer "
	  "rejects it.",
	  "文件被截断或已损坏：JPEG 缺少结束标记或图像数据不完整、有错、缺少扫描，PNG 校验和不符，PDF 缺少有效的文件尾等。"
	  "看图软件可能只显示半页或什么也不显示，网上系统或审核人员会拒收。",
	  "Scan or export the document again; do not use a file from an interrupted transfer. Open the new "
	  "file to check that the whole page is there.",
	  "重新扫描或导出该材料，不要使用传输中断的文件；打开新文件确认整页内容完整。" },
	{ "format", SEV_ERROR,
	  "the file's format is not accepted",
	  "文件格式不被接受",
	  "The file's content (not its extension) is a format this material does not accept: HEIC/HEIF "
	  "photos from a phone, WebP, TIFF, BMP, GIF, Office documents, a kind of JPEG that cannot go into "
	  "a PDF unchanged, or a PDF where the material takes images only. The filing systems take JPEG, "
	  "PNG and PDF.",
	  "文件的实际内容（而非扩展名）是这种材料不接受的格式：手机拍摄的 HEIC/HEIF 照片、"
	  "'.webp'、TIFF、BMP、GIF、办公软件文档、无法原样放入 PDF 的特殊 JPEG，"
	  "或只收图片的材料却提供了 PDF。报送系统只接受 JPEG、PNG 和 PDF。",
	  "Convert the file as the message says: export HEIC photos as JPEG (on a phone, set the camera to "
	  "the most compatible format); print Office documents to PDF; save unusual JPEGs again as ordinary "
	  "(baseline) JPEG. Renaming the file is not enough.",
	  "按提示转换格式：HEIC 照片导出为 JPEG（手机相机设置为“兼容性最佳”）；"
	  "办公软件文档打印或导出为 PDF；特殊 JPEG 另存为普通（基线）JPEG。"
	  "仅修改扩展名无效。" },
	{ "converted", SEV_NOTICE,
	  "the file was converted for the packet",
	  "文件已为材料包转换格式",
	  "The file is in a format the filing systems do not take (a HEIC/HEIF photo, WebP, TIFF, BMP, GIF, "
	  "or an Office document), so licpack converted it: images into JPEG (quality 90) or, for black-and-"
	  "white pages and GIFs, PNG, a TIFF of several pages and Office documents into PDF. Every check was "
	  "made on the converted pixels; the packet and the zip carry the converted file, and manifest.json "
	  "names the original beside it with both SHA-256 sums. Nothing needs doing.",
	  "文件格式不被报送系统接受（HEIC/HEIF 照片、'.webp'、TIFF、BMP、GIF 或办公软件文档），"
	  "licpack 已将其转换：图片转为 JPEG（质量 90），黑白页面和 GIF 转为 PNG，多页 TIFF 和办公文档转为 PDF。"
	  "各项检查都针对转换后的图像进行；材料包和压缩包中放入转换后的文件，"
	  "manifest.json 记录原文件名及原文件和转换后文件的 SHA-256。无需处理。",
	  "Nothing; to keep the original format out of the question, scan or export as JPEG, PNG or PDF "
	  "next time.",
	  "无需处理；今后可直接扫描或导出为 JPEG、PNG 或 PDF。" },
	{ "encrypted", SEV_ERROR,
	  "the PDF needs a password",
	  "PDF 文件需要密码",
	  "The PDF is password-protected. Neither licpack nor the reviewer can open it, and it cannot be "
	  "put into the packet.",
	  "该 PDF 设有密码保护，licpack 和审核人员都无法打开，也无法放入材料包。",
	  "Open it with its password and save (or print to PDF) a copy without one.",
	  "用密码打开后，另存（或打印）为无密码的 PDF 副本。" },
	{ "repaired", SEV_WARNING,
	  "the PDF is damaged but could be repaired",
	  "PDF 文件有损坏，已可修复读取",
	  "The PDF's internal structure is damaged; licpack could read it after repairing it, but other "
	  "software, the portal among them, may not.",
	  "该 PDF 的内部结构有损坏，licpack 修复后可以读取，但其他软件（包括报送系统）未必能打开。",
	  "Open the PDF and save it again (or print it to a new PDF), then check again.",
	  "打开该 PDF 重新保存（或打印为新的 PDF），然后再次检查。" },
	{ "restricted", SEV_WARNING,
	  "the PDF is encrypted, though it opens without a password",
	  "PDF 文件已加密（无需密码即可打开）",
	  "The PDF opens without a password, but it is encrypted, usually with an owner password that "
	  "restricts printing, copying or editing. The packet's combined PDF holds its pages unencrypted; the zip "
	  "holds the file as it is, still encrypted, which the portal or a reviewer's "
	  "software may refuse or not let them print.",
	  "该 PDF 无需密码即可打开，但文件是加密的，通常设有权限密码（所有者密码），限制打印、复制或编辑。"
	  "材料包的合并 PDF 中这些页面不再加密；压缩包里则是原文件，仍然加密并受限制，"
	  "报送系统或审核人员的软件可能拒收或无法打印。",
	  "Save a copy without security (in a PDF reader: print to PDF, or remove the security settings; "
	  "`qpdf --decrypt IN OUT`) and use that copy.",
	  "另存一份不加密的副本（在 PDF 阅读器中打印为 PDF，或取消安全设置；"
	  "也可用 'qpdf --decrypt 原文件 新文件'），改用该副本。" },
	{ "too-large", SEV_ERROR,
	  "the image declares more pixels than allowed",
	  "图片像素数超过上限",
	  "The image's header declares more pixels than the limit (100 megapixels unless --max-pixels says "
	  "otherwise), or a JPEG more than 65500 pixels wide or tall, the most a PDF page can show. It is "
	  "refused before decoding, so that one huge or hostile file cannot exhaust "
	  "memory; an A4 page scanned at 300 dpi is under 9 megapixels.",
	  "图片文件头声明的像素数超过上限（默认 1 亿像素，可用 --max-pixels 调整），或 JPEG 宽或高超过 PDF 上限 65500 像素。"
	  "为避免超大或恶意文件耗尽内存，该图片未经解码即被拒绝；300 dpi 扫描的 A4 页面不到 900 万像素。",
	  "Scan again at 200 to 300 dpi, or reduce the image's size. If such an image is really wanted, "
	  "raise --max-pixels.",
	  "以 200 至 300 dpi 重新扫描，或缩小图片尺寸；确有需要时可调高 --max-pixels。" },
	{ "too-big", SEV_ERROR,
	  "the file is larger than allowed",
	  "文件大小超过上限",
	  "The file has more bytes than the material allows (the upload limit of the filing system, as the "
	  "template records it), or more than licpack reads at all; or its upload copy cannot be brought "
	  "under the portal's limit without going below the minimum resolution (a page of a material that "
	  "goes up as one PDF is held to its share of the limit).",
	  "文件字节数超过该材料允许的上限（即模板记录的报送系统上传限制），或超过 licpack 读取文件的上限；"
	  "或其上传副本在不低于最低分辨率的前提下无法缩小到上传系统的限制以内（合为一个 PDF 上传的材料，"
	  "每页按其分摊的大小计）。",
	  "Scan again at a lower resolution (200 to 300 dpi is enough) or save the JPEG with more "
	  "compression.",
	  "以较低分辨率重新扫描（200 至 300 dpi 已足够），或以更高压缩率另存 JPEG。" },
	{ "fitted", SEV_NOTICE,
	  "the upload copy of a scan is made smaller to fit the portal",
	  "上传用的副本已缩小以符合上传系统的限制",
	  "The scan has more bytes or pixels than the portal takes (the profile chosen with --portal, or the "
	  "template's own byte limit). `licpack build` writes the upload folder's copy smaller: fewer pixels, "
	  "then more compression, never below the profile's minimum resolution for the page's size (A4, or an "
	  "ID card's side). The packet's PDF and zip keep the scan as it is; the manifest lists the copy as "
	  "fitted.",
	  "扫描件的字节数或像素数超过上传系统的限制（--portal 选择的上传配置，或模板本身的字节上限）。"
	  "'licpack build' 会把 upload/ 文件夹中的副本缩小：先减少像素，再提高压缩率，"
	  "但不低于该配置对此页面尺寸（A4 或身份证一面）要求的最低分辨率。材料包的 PDF 和 ZIP 保留原扫描件；"
	  "manifest.json 将该副本标记为 fitted。",
	  "Nothing to do. To keep the scan's own bytes in the upload folder, scan at 200 to 300 dpi and save "
	  "with more compression, or give --max-file-mb when the portal takes more.",
	  "无需处理。如希望 upload/ 文件夹直接使用原扫描件，请以 200 至 300 dpi 扫描并以较高压缩率保存；"
	  "上传系统允许更大的文件时，可用 --max-file-mb 指定。" },
	{ "volume-too-big", SEV_WARNING,
	  "a material alone is larger than a volume of the PDF may be",
	  "单份材料本身已超过分册大小上限",
	  "`licpack build --max-pdf-mb N` splits the combined PDF into volumes under N MB, never splitting a "
	  "material (nor the two sides of an ID card). This material's pages alone, with the cover every volume "
	  "repeats, come to more than N MB: it is a volume of its own, over the limit, and the portal may refuse "
	  "that file.",
	  "'licpack build --max-pdf-mb N' 把合并 PDF 分成不超过 N MB 的分册，不拆分任何一份材料（身份证正反面也不分开）。"
	  "这份材料的页面加上每册都有的封面已超过 N MB：它单独成为一册，但仍超过上限，上传系统可能不接受该文件。",
	  "Scan the material again at 200 to 300 dpi with more JPEG compression, or give a larger --max-pdf-mb "
	  "when the portal takes it.",
	  "以 200 至 300 dpi 重新扫描该材料并提高 JPEG 压缩率；上传系统允许时，可调大 --max-pdf-mb。" },
	{ "too-small", SEV_ERROR,
	  "the image has too few pixels",
	  "图片分辨率过低",
	  "The image's longer side has fewer pixels than the template requires: the text and the seal would "
	  "not be legible. Thumbnails and photos sent through chat apps are often shrunk like this.",
	  "图片长边的像素数低于模板要求，文字和公章将无法辨认。缩略图和经聊天软件发送的照片常被压缩成这样。",
	  "Scan the original again at 200 to 300 dpi, and use the scanner's file, not a copy sent through a "
	  "chat app.",
	  "以 200 至 300 dpi 重新扫描原件，并使用扫描仪直接生成的文件，不要用经聊天软件转发的副本。" },
	{ "low-dpi", SEV_WARNING,
	  "the scan's resolution is below the recommendation",
	  "扫描分辨率低于建议值",
	  "The resolution recorded in the file is below what the template recommends (300 dpi for A4 documents, 200 for ID cards). It "
	  "is a warning only: the recorded value is often wrong, and the pixel count, checked by too-small, "
	  "is what matters.",
	  "文件中记录的分辨率低于模板建议值（A4 文件 300 dpi，身份证 200 dpi）。这只是警告："
	  "记录的数值常常不准，真正重要的是像素数（由 too-small 检查）。",
	  "If the page looks sharp at full size, nothing needs doing. Otherwise scan again at 300 dpi.",
	  "如果放大后页面清晰，无需处理；否则请以 300 dpi 重新扫描。" },
	{ "greyscale", SEV_ERROR,
	  "a colour copy is required",
	  "需要彩色扫描件",
	  "The material must be a colour scan (identity cards, the business licence, sealed copies) and the "
	  "file is black-and-white: either saved as greyscale, or saved in colour with every pixel grey, "
	  "which is what a scanned photocopy looks like. The bureau asks for colour so that the original "
	  "and its red seal can be seen.",
	  "这种材料须提供彩色扫描件（如身份证、营业执照、盖章复印件），而该文件是黑白的：或以灰度保存，"
	  "或虽为彩色格式但所有像素都是灰色（黑白复印件再扫描即是如此）。管理局要求彩色，以便看清原件和红色公章。",
	  "Scan the original document, not a photocopy, with the scanner set to colour.",
	  "用扫描仪的彩色模式扫描原件，不要扫描复印件。" },
	{ "seal-missing", SEV_WARNING,
	  "no red company seal was seen",
	  "未发现红色公章",
	  "The material is a copy that must bear the company seal, and no red seal was found on it. It is a "
	  "warning because the detection is a heuristic: a small or faint seal can be missed.",
	  "这种材料是须加盖公章的复印件，但没有检测到红色印章。由于检测方法是估计性的，"
	  "较小或较淡的印章可能被漏检，所以只是警告。",
	  "Stamp the copy with the company seal and scan it in colour. If the seal is there and clearly "
	  "red, the warning can be ignored.",
	  "在复印件上加盖公章后彩色扫描；如果确已盖章且印迹清晰为红色，可忽略此警告。" },
	{ "duplicate", SEV_ERROR,
	  "the same file is used twice",
	  "同一文件被重复使用",
	  "Two materials were given files with the same bytes, for example the portrait side of an ID card "
	  "used for the emblem side too. One of the two is missing in fact, and the reviewer will notice.",
	  "两种材料使用了内容完全相同的文件，例如身份证人像面同时被当作国徽面。"
	  "实际上其中一份材料是缺少的，审核人员会发现。",
	  "Scan each document, and each side of a card, separately, and check which of the two files is "
	  "misnamed.",
	  "每份材料、证件的每一面都要单独扫描，并检查两个文件中哪一个命名错了。" },
	{ "orientation", SEV_WARNING,
	  "the EXIF orientation is invalid and was ignored",
	  "EXIF 方向标记无效，已忽略",
	  "The photo's EXIF orientation tag holds a value other than 1 to 8; licpack ignores it and shows "
	  "the image as stored, which may be sideways or upside down.",
	  "照片的 EXIF 方向标记不是 1 至 8 之间的值；licpack 忽略该标记，按原样显示图片，可能是横着或倒着的。",
	  "Rotate the image upright in an image editor, save it, and check again.",
	  "用图片编辑软件把图片转正后保存，再次检查。" },
	{ "unreadable", SEV_ERROR,
	  "the file cannot be read",
	  "文件无法读取",
	  "The file exists but could not be opened or read: permissions, or a disk or network error. Its "
	  "content could not be checked.",
	  "文件存在但无法打开或读取：可能是权限问题，或磁盘、网络故障。其内容无法检查。",
	  "Check that you may read the file (chmod u+r), or copy it into the folder again.",
	  "确认有读取该文件的权限（'chmod u+r'），或重新把文件复制到文件夹中。" },
	{ "symlink", SEV_WARNING,
	  "a symbolic link leaves the folder and is refused",
	  "符号链接指向文件夹之外，已拒绝",
	  "A symbolic link in the folder points outside it (or is broken, loops, or names a folder). "
	  "licpack reads only what is inside the applicant folder, so that a packet never picks up files "
	  "from elsewhere.",
	  "文件夹中的符号链接指向文件夹之外（或已失效、循环、指向文件夹）。"
	  "licpack 只读取申请人文件夹内的内容，以免材料包混入别处的文件。",
	  "Copy the real file into the folder instead of linking to it.",
	  "把真实文件复制到文件夹中，不要使用链接。" },
	{ "not-regular", SEV_WARNING,
	  "not a regular file: skipped",
	  "不是普通文件，已跳过",
	  "The entry is a named pipe, a socket or a device, not a file; it is skipped.",
	  "该条目是命名管道、套接字或设备，不是普通文件，已跳过。",
	  "Remove it from the folder.",
	  "把它移出文件夹。" },
	/* packet.json and metadata */
	{ "packet-json", SEV_ERROR,
	  "packet.json cannot be used",
	  "packet.json 无法使用",
	  "packet.json is not valid JSON (or has text after it, a NUL, or is nested too deep), has a key "
	  "of the wrong type, a key licpack does not know or a key given twice, a value that is empty or "
	  "not UTF-8, is too large, is a link out of the folder or not a regular file, or cannot be read. "
	  "What it says cannot be relied on, so the checks that need it do not run.",
	  "packet.json 不是有效的 JSON（或 JSON 之后还有内容、含 NUL、嵌套过深），或某个键的类型不对、"
	  "是 licpack 不认识的键、重复出现，或某个值为空、不是 UTF-8 文本，或文件过大、是指向文件夹之外的"
	  "链接、不是普通文件、无法读取。其内容不可靠，依赖它的检查都无法进行。",
	  "Correct packet.json at the line, column or key the message names (quotes, commas, brackets; "
	  "UTF-8 text). `licpack init` writes a correct one to start from.",
	  "按提示的行、列或键修改 packet.json（注意引号、逗号、括号，文件须为 UTF-8 文本）。"
	  "可用 'licpack init' 生成一份正确的作为起点。" },
	{ "assignment", SEV_ERROR,
	  "a file assigned in packet.json cannot be used",
	  "packet.json 指定的文件无法使用",
	  "packet.json's \"files\" assigns a file to a material that the template does not have, or names a "
	  "path outside the folder, a file that is not there, or one licpack does not read (a link out of "
	  "the folder, a FIFO, a folder, a hidden file).",
	  "packet.json 的 \"files\" 把文件指定给了模板中没有的材料，或写了文件夹之外的路径，或所写的文件不存在，"
	  "或是 licpack 不读取的文件（指向文件夹之外的链接、管道、文件夹、隐藏文件）。",
	  "Use the material ids that `licpack templates show ID` lists, and paths relative to the applicant "
	  "folder.",
	  "使用 'licpack templates show ID' 列出的材料 ID，路径写成相对于申请人文件夹的路径。" },
	{ "metadata-missing", SEV_WARNING,
	  "applicant information is missing from packet.json",
	  "packet.json 缺少申请人信息",
	  "Details that some checks need are not in packet.json (or there is no packet.json): the company "
	  "name, registered capital, the date of a change, the prerequisite licence. Those checks are "
	  "skipped; the bureau will check them anyway.",
	  "packet.json 中缺少部分检查所需的信息（或没有 packet.json）："
	  "公司名称、注册资本、变更日期、前置许可证等。相应检查被跳过，"
	  "但管理局仍会核对这些内容。",
	  "Fill in the keys the message names. `licpack init` writes a packet.json with every key the "
	  "template needs.",
	  "填写提示中列出的键。'licpack init' 可生成包含模板所需全部键的 packet.json。" },
	{ "uscc-format", SEV_ERROR,
	  "the unified social credit code is malformed",
	  "统一社会信用代码格式错误",
	  "A unified social credit code (USCC) has 18 characters, digits and capital letters without I, O, "
	  "S, V and Z (GB 32100-2015). This one does not, so it is mistyped.",
	  "统一社会信用代码由 18 位数字和大写字母组成，不含 I、O、S、V、"
	  "Z（GB 32100-2015）。该代码不符合，应是录入有误。",
	  "Copy the code again from the business licence.",
	  "对照营业执照重新录入该代码。" },
	{ "uscc-checksum", SEV_WARNING,
	  "the unified social credit code's check character does not match",
	  "统一社会信用代码校验位不符",
	  "The last character of a unified social credit code is computed from the other seventeen; here it "
	  "does not match, which usually means a typing mistake (0 and O, 1 and I, 2 and Z). It is a "
	  "warning because a few codes that were really issued fail the check.",
	  "统一社会信用代码的最后一位由前 17 位计算得出，这里对不上，通常是录入错误（0 与 O、"
	  "1 与 I、2 与 Z 等）。由于个别实际颁发的代码也通不过校验，所以只是警告。",
	  "Compare the code with the business licence character by character. If it is exactly as printed "
	  "there, keep it.",
	  "与营业执照逐位核对；如果与执照上印的完全一致，保持不变即可。" },
	{ "idcard-format", SEV_ERROR,
	  "the ID number is malformed",
	  "身份证号码格式错误",
	  "A resident ID number has 17 digits and a check character (0-9 or X), and its digits 7 to 14 are "
	  "a real birth date. This one is not, so it is mistyped. The bureau verifies ID numbers against "
	  "the public security records.",
	  "居民身份证号码由 17 位数字加 1 位校验码（0-9 或 X）组成，第 7 至 14 位是真实的出生日期。"
	  "该号码不符合，应是录入有误。管理局会与公安信息核对身份证号码。",
	  "Copy the number again from the ID card.",
	  "对照身份证重新录入号码。" },
	{ "idcard-checksum", SEV_ERROR,
	  "the ID number's check digit does not match",
	  "身份证号码校验位不符",
	  "The last character of an ID number is computed from the other seventeen (GB 11643, ISO 7064 MOD "
	  "11-2); here it does not match, so a digit is wrong. The number is shown masked in reports.",
	  "身份证号码的最后一位由前 17 位计算得出（GB 11643，ISO 7064 MOD 11-2），"
	  "这里对不上，说明有数字录错。报告中的号码已做遮掩处理。",
	  "Correct the number in packet.json from the ID card.",
	  "对照身份证改正 packet.json 中的号码。" },
	{ "domain-syntax", SEV_ERROR,
	  "a domain name is malformed",
	  "域名格式错误",
	  "A domain in packet.json is not a valid domain name: characters that are not allowed, an empty or "
	  "overlong label, no top-level domain.",
	  "packet.json 中的某个域名格式不正确：含有不允许的字符、某一级为空或过长、缺少顶级域名等。",
	  "Write the bare domain, as registered: example.com, without http://, a path or spaces.",
	  "只写注册的域名本身，如 example.com，不要带 http://、路径或空格。" },
	{ "licence-number", SEV_ERROR,
	  "the licence number is malformed",
	  "许可证编号格式错误",
	  "A licence number has the form XB2-20212732: X the province's one-character abbreviation, then "
	  "the category (A1, B2, ...), a hyphen and 8 digits. The one in packet.json starts so and goes "
	  "wrong (a typo), is empty, or is the ICP filing number of a site ('京ICP备...'), which is not "
	  "a licence number. (Pre-2009 ICP licences read '京ICP证030173号' and are valid.)",
	  "许可证编号的格式形如 京B2-20212732：省份简称、业务类别（A1、"
	  "B2 等）、连字符和 8 位数字。packet.json 中的编号开头如此但后面有误（录入错误），或为空，"
	  "或填成了网站的ICP备案号（京ICP备……），备案号不是许可证编号。"
	  "（2009 年以前核发的 ICP 许可证编号形如 京ICP证030173号，是有效的。）",
	  "Copy the number again from the current licence.",
	  "对照现有许可证重新录入编号。" },
	{ "licence-number-unknown", SEV_WARNING,
	  "the licence number is in a form licpack does not know",
	  "许可证编号格式未知",
	  "Licence numbers documented so far read '京B2-20212732' (province, category A1/A2/B1/B2, a hyphen, "
	  "8 digits; '合字' first for foreign-invested companies; a serial -1 on some copies) or, for ICP "
	  "licences issued before 2009, '京ICP证030173号'. The one in packet.json is neither. Bureaus have "
	  "issued other forms, so this is a warning, not an error.",
	  "目前已知的许可证编号格式为 京B2-20212732（省份简称、业务类别 A1/A2/B1/B2、连字符、8 位数字；"
	  "外商投资企业前加“合字”；部分副本另有 -1 等序号），以及 2009 年以前核发的 ICP 许可证 "
	  "京ICP证030173号。packet.json 中的编号不属于这两种。各地曾核发过其他格式，所以只是警告。",
	  "Compare the number with the licence, character by character. If it is written so on the "
	  "licence, keep it.",
	  "逐字对照许可证核实编号；如果许可证上就是这样写的，保持不变即可。" },
	{ "date-format", SEV_ERROR,
	  "a date is not YYYY-MM-DD",
	  "日期格式应为 YYYY-MM-DD",
	  "A date in packet.json is not written as YYYY-MM-DD, or is not a real date (2026-02-30). Dates "
	  "decide what has expired, so they must be exact.",
	  "packet.json 中的某个日期不是 YYYY-MM-DD 格式，或不是真实存在的日期（如 2026-02-30）。"
	  "是否过期要靠日期判断，日期必须准确。",
	  "Write it as 2027-04-30. For an ID card valid without limit, write long-term.",
	  "写成 2027-04-30 这样的格式；长期有效的身份证写“长期”。" },
	{ "expired", SEV_ERROR,
	  "a document has expired",
	  "证件已过期",
	  "An expiry date in packet.json (ID card, domain, licence, prerequisite licence) is before today "
	  "(or --today). The bureau does not accept expired documents.",
	  "packet.json 中的某个有效期（身份证、域名、许可证、前置许可证）"
	  "早于今天（或 --today 指定的日期）。管理局不接受已过期的证件。",
	  "Renew the document (a new ID card, the domain's registration) and update the date and the scan. "
	  "If the date in packet.json is wrong, correct it.",
	  "先办理续期或换证（换领身份证、续费域名等），再更新日期和扫描件；"
	  "如果 packet.json 中的日期写错了，请改正。" },
	{ "expires-soon", SEV_WARNING,
	  "a document expires within the required window",
	  "证件即将到期",
	  "A document expires within the window the template sets: an ID card must stay valid for at least "
	  "90 days more, a domain or a licence for as long as the template says. The review takes weeks, "
	  "and a document that expires during it sinks the application.",
	  "某证件将在模板规定的期限内到期：身份证须至少还有 90 天有效期，"
	  "域名、许可证等按模板要求。审核需要数周，证件在审核期间过期会导致申请失败。",
	  "Renew the document first, then submit with the new one.",
	  "先办理续期或换证，再用新证件提交。" },
	{ "renewal-late", SEV_ERROR,
	  "the licence expires too soon for a renewal to be accepted",
	  "距许可证到期不足续期所需时间",
	  "A renewal must be filed at least 90 days before the current licence expires, and this one "
	  "expires sooner. A late renewal may be refused, and the service then has to stop when the licence "
	  "runs out.",
	  "续期申请须在现有许可证到期前至少 90 天提交，而该许可证的剩余有效期不足。"
	  "逾期的续期申请可能不予受理，许可证到期后业务须停止。",
	  "File the renewal at once and ask the communications administration how to proceed; once the "
	  "licence has expired, a new application (icp-new and the like) is needed.",
	  "立即提交续期申请，并向通信管理局咨询办理办法；许可证过期后须重新申请（如 icp-new 等模板）。" },
	{ "unfilled", SEV_ERROR,
	  "packet.json still holds a placeholder",
	  "packet.json 中仍有未填写的占位内容",
	  "A value in packet.json is still a placeholder written by `licpack init` (\"<...>\"). It is "
	  "treated as absent.",
	  "packet.json 中仍有 'licpack init' 写入的占位内容（\"<...>\"），按未填写处理。",
	  "Replace it with the real value, or delete the key if it does not apply.",
	  "换成真实内容；不适用的键请删除。" },
	{ "staff-missing", SEV_ERROR,
	  "a required staff member is not listed",
	  "缺少所需的人员信息",
	  "The template requires staff with certain roles (contact person, security officer, customer "
	  "service) or a minimum number of them, and packet.json's \"staff\" does not list them.",
	  "模板要求提供特定角色的人员（联系人、安全负责人、客服负责人等）"
	  "或一定人数，而 packet.json 的 \"staff\" 中没有列出。",
	  "Add each person to \"staff\" with role, name, id_number and id_expiry, and put their ID card "
	  "scans in the folder.",
	  "在 \"staff\" 中为每人填写 \"role\"、\"name\"、\"id_number\" 和 \"id_expiry\"，"
	  "并把其身份证扫描件放入文件夹。" },
	{ "capital-low", SEV_ERROR,
	  "the registered capital is below the minimum",
	  "注册资本低于最低要求",
	  "The registered capital in packet.json (company.capital_wan, in units of 10,000 yuan) is below "
	  "the minimum the licence requires for the coverage applied for (provincial or nationwide).",
	  "packet.json 中的注册资本（company.capital_wan，单位万元）低于所申请经营范围（省内或全国）"
	  "对该许可证的最低要求。",
	  "If the figure is wrong, correct it from the business licence. Otherwise the capital has to be "
	  "raised (and registered) before applying, or the application made for a smaller coverage.",
	  "如果数字填错了，请对照营业执照改正；否则须先增资并办理登记，或改为申请较小的经营范围。" },
	{ "annual-window", SEV_WARNING,
	  "outside the annual-report window",
	  "不在年报填报期内",
	  "Every holder of a value-added telecom licence files an annual report online in the licence "
	  "system. The regulation (MIIT Order No. 42, Art. 35) says the first quarter; the April make-up period "
	  "and the lock from 1 May are the bureaus' practice, not the regulation, so this is a warning.",
	  "每个增值电信业务经营许可证持有者都要在许可系统中在线填报年报。规定（工信部令第42号第三十五条）"
	  "只说第一季度；4 月补报、5 月 1 日起锁定是各通信管理局的做法，并非规定本身，因此这只是警告。",
	  "In April, file at once. From May, ask the communications administration how to file the "
	  "missed report.",
	  "4 月内请立即补报；5 月起请向通信管理局咨询如何补报。" },
	{ "change-late", SEV_ERROR,
	  "the change was not filed within the time limit",
	  "变更申请已超过时限",
	  "A change must be filed within the days the template sets (30). Art. 29 changes (company name, "
	  "legal representative, registered capital) count from their registration (change.date); Art. 28 "
	  "changes (the operating entity, shareholders, coverage) need approval before they take effect and "
	  "count from the company's decision (change.decision_date). packet.json's change.kind says which.",
	  "变更须在模板规定的天数（30 天）内申请。第二十九条的变更（公司名称、法定代表人、注册资本）"
	  "从登记之日（change.date）起算；第二十八条的变更（经营主体、股东、业务覆盖范围）须经批准方可生效，"
	  "从公司作出决定之日（change.decision_date）起算。packet.json 的 change.kind 说明属于哪一类。",
	  "File the change at once and be ready to explain the delay; check change.kind and the dates.",
	  "立即提交变更申请，并准备好对延误的说明；同时核对 change.kind 和日期是否正确。" },
	{ "foreign-share", SEV_ERROR,
	  "the foreign share is above the cap",
	  "外资股比超过上限",
	  "Foreign investors may hold at most 50 % of a company with a value-added telecom licence "
	  "(the State Council's provisions on foreign-invested telecom enterprises); e-commerce (EDI), multi-party communication, store-and-forward and "
	  "call-centre services are open beyond that. company.foreign_share in packet.json is above the "
	  "template's cap.",
	  "外国投资者在增值电信企业中的出资比例最高为 50%（外商投资电信企业管理规定）；"
	  "在线数据处理与交易处理（电子商务）、多方通信、存储转发和呼叫中心业务不受此限。"
	  "packet.json 的 company.foreign_share 超过了模板的上限。",
	  "Check company.foreign_share against the articles of association; above the cap, the licence "
	  "cannot be granted for this service.",
	  "对照公司章程核对 company.foreign_share；超过上限时不能取得该业务的许可。" },
	{ "prerequisite", SEV_ERROR,
	  "the prerequisite licence does not qualify",
	  "前置许可证不符合要求",
	  "The application rests on another licence (for example a call-centre licence for a 95 number), "
	  "and the one in packet.json's \"prerequisite\" is of the wrong kind, not nationwide when it must "
	  "be, or does not stay valid long enough.",
	  "本申请须以另一张许可证为前提（例如申请 95 号码须持有呼叫中心许可证），"
	  "而 packet.json 的 \"prerequisite\" 所填许可证类型不对、"
	  "要求全国范围却不是，或剩余有效期不够。",
	  "Check prerequisite.kind, prerequisite.coverage and prerequisite.expiry against the licence "
	  "itself; if it does not qualify, obtain or renew the required licence first.",
	  "对照该许可证核对 prerequisite.kind、prerequisite.coverage 和 prerequisite.expiry；"
	  "如确不符合，须先取得或续期所需的许可证。" },
	/* what the scans say (packet/read_check.c) */
	{ "content-mismatch", SEV_ERROR,
	  "a value read from a scan differs from packet.json or another document",
	  "扫描件上识别出的内容与 packet.json 或其他材料不一致",
	  "A value read from the scan and validated (a check character that fits, a date that exists) "
	  "differs from the one packet.json gives or from the same value on another document: the "
	  "business licence of another company, an old ID card, a domain certificate for another domain. "
	  "The portal demands that what is typed in matches the documents exactly; a mismatch sends the "
	  "application back. Only validated reads raise this: a garbled read never does.",
	  "从扫描件上识别并经过校验（校验位正确、日期真实存在）的内容，与 packet.json "
	  "所填或其他材料上的同一内容不一致：例如别家公司的营业执照、旧身份证、别的域名的证书。"
	  "申报系统要求填写内容与材料“完全一致”，不一致会被退回补正。只有校验通过的识别结果才会报此错误，"
	  "识别不清的内容不会。",
	  "Look at the scan and at packet.json: put in the right document, or correct the value in "
	  "packet.json.",
	  "核对扫描件与 packet.json：换上正确的材料，或改正 packet.json 中的值。" },
	{ "content-unconfirmed", SEV_WARNING,
	  "what this document should say could not be read",
	  "无法识别出该材料应有的内容",
	  "licpack reads each scan to confirm it is the right document with the right values; for this "
	  "one the expected value could not be read (a poor scan, a page over the time allowed, too many "
	  "pixels). Nothing is wrong for certain, but nothing was confirmed either.",
	  "licpack 会识别每份扫描件，确认材料和内容是否正确；这一份未能识别出应有的内容"
	  "（扫描质量差、单页识别超时或像素过多）。不一定有错，但也未能确认。",
	  "Check the document by eye; a sharper, upright scan at 200-300 dpi is usually read.",
	  "请人工核对该材料；以 200-300 dpi 正向清晰扫描通常即可识别。" },
	{ "wrong-document", SEV_ERROR,
	  "the file's name says one material, its content another",
	  "文件名与内容不符：实际是另一种材料",
	  "The file was matched to a material by its name, but what it says is another document (an ID "
	  "card saved as yyzz.jpg). The packet would carry the wrong document under that title.",
	  "该文件按文件名对应到某种材料，但其内容是另一种材料（例如身份证存成了“营业执照.jpg”）。"
	  "材料包会在该标题下放入错误的材料。",
	  "Rename the file after what it is, and put the right scan under this material.",
	  "按实际内容重命名该文件，并为该材料放入正确的扫描件。" },
	{ "upside-down", SEV_ERROR,
	  "the scan is upside down",
	  "扫描件上下颠倒",
	  "Orientation detection says the page is turned 180°. The portal asks for upright scans; an "
	  "upside-down page is a common reason for sending an application back. The packet's PDF shows it upright (the manifest "
	  "says so); the file in the folder is left as it is.",
	  "方向检测显示页面旋转了 180°。申报系统要求正向扫描，上下颠倒是常见的补正原因。"
	  "材料包 PDF 中已将其摆正（manifest.json 中有记录），文件夹中的原文件不作改动。",
	  "Scan the page again the right way up (or turn the file in an image editor) before uploading it "
	  "to the portal.",
	  "上传申报系统前，请正向重新扫描（或用图片编辑软件旋转该文件）。" },
	{ "rotated", SEV_WARNING,
	  "the scan lies on its side",
	  "扫描件横置（旋转了 90°）",
	  "Orientation detection says the page is turned 90°. The packet's PDF shows it upright (the "
	  "manifest says so); the file in the folder is left as it is.",
	  "方向检测显示页面旋转了 90°。材料包 PDF 中已将其摆正（manifest.json 中有记录），"
	  "文件夹中的原文件不作改动。",
	  "Turn the file upright before uploading it to the portal.",
	  "上传申报系统前请将该文件转正。" },
	{ "signed-too-early", SEV_ERROR,
	  "a form written for this application is dated too early",
	  "为本次申请填写的表格签署日期过早",
	  "Forms written for this application (the application form, the undertaking; the template says "
	  "which) must be signed no earlier than the template's window (10 days) before submission. The "
	  "date read is the latest date written on the page, compared with the build date (--today).",
	  "为本次申请填写的表格（申请表、承诺书等，由模板规定）的签署日期不得早于提交前的规定天数"
	  "（10 天）。识别的是页面上最晚的书写日期，与生成日期（--today）比较。",
	  "Have the form signed and dated again, and scan it anew.",
	  "请重新签署并填写日期，再重新扫描。" },
	{ "illegible", SEV_WARNING,
	  "the scan's text is hard to read",
	  "扫描件文字难以辨认",
	  "Text recognition was very unsure of what the page says (a low mean confidence): the scan is "
	  "blurred, too dark or too small. A reviewer may not read it either.",
	  "文字识别对该页内容把握很低（平均置信度低）：扫描件模糊、过暗或过小。审核人员也可能看不清。",
	  "Scan it again, sharper, at 200-300 dpi, in good light.",
	  "请在光线良好时以 200-300 dpi 重新清晰扫描。" },
	{ "read-unavailable", SEV_WARNING,
	  "the scans were not read: the language data is missing",
	  "未识别扫描件：缺少识别语言数据",
	  "licpack reads the scans with tesseract's Chinese and English language data and its orientation "
	  "data; they are not installed, so the content checks (wrong document, values against "
	  "packet.json, upside-down pages, signature dates) were not made. Every other check was.",
	  "licpack 使用 'tesseract' 的中文、英文识别数据和方向检测数据识别扫描件；这些数据未安装，"
	  "因此未做内容检查（材料错放、内容与 packet.json 是否一致、页面颠倒、签署日期）。其他检查照常进行。",
	  "Install them: `apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng` (or `make "
	  "deps`), or give --no-read to say the scans are not to be read.",
	  "请用 'make deps' 安装识别数据（'tesseract-ocr-chi-sim'、'tesseract-ocr-eng'），"
	  "或用 --no-read 表示不识别扫描件。" },
	{ "not-read", SEV_NOTICE,
	  "a PDF's content was not read: its first page is not a plain scan",
	  "未识别 PDF 内容：其首页不是单纯的扫描图像",
	  "licpack reads a PDF when its pages are scans, each page one scanned image (what a scanner or a "
	  "phone's scanning app makes). The first page of this one draws text, drawings or several "
	  "images, so the content checks its material asks for (the right document, the values against "
	  "packet.json, the signature date) were not made. Nothing is wrong for certain.",
	  "PDF 的每页若为一幅扫描图像（扫描仪或手机扫描软件生成），licpack 会识别其内容。该文件首页含文字、"
	  "图形或多幅图像，因此未做该材料要求的内容检查（材料是否正确、内容与 packet.json 是否一致、签署日期）。"
	  "不一定有错。",
	  "Check the document by eye; or give its scan (a JPEG, or a PDF made of the scans alone) to have "
	  "it read.",
	  "请人工核对该材料；或提供其扫描件（JPEG，或仅由扫描图像组成的 PDF）以便识别。" },
};
const size_t n_finding_codes = sizeof finding_codes / sizeof finding_codes[0];

const finding_code *finding_code_find(const char *code)
{
	size_t i;

	for (i = 0; i < n_finding_codes; i++)
		if (strcmp(finding_codes[i].code, code) == 0)
			return &finding_codes[i];
	return NULL;
}

static char *dup_or_null(const char *s, int *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*failed = 1;
	return d;
}

int findings_add_sev(finding_list *l, const char *code, severity sev, const char *material,
		     const char *file, char *msg_en, char *msg_zh)
{
	finding *f;
	int failed = 0;

	if (!msg_en || !msg_zh)
		goto fail;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		finding *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			goto fail;
		l->v = v;
		l->cap = cap;
	}
	f = &l->v[l->n];
	f->code = code;
	f->sev = sev;
	f->material = dup_or_null(material, &failed);
	f->file = dup_or_null(file, &failed);
	f->msg_en = msg_en;
	f->msg_zh = msg_zh;
	if (failed) {
		free(f->material);
		free(f->file);
		goto fail;
	}
	l->n++;
	return 0;
fail:
	free(msg_en);
	free(msg_zh);
	return -1;
}

int findings_add(finding_list *l, const char *code, const char *material, const char *file,
		 char *msg_en, char *msg_zh)
{
	const finding_code *fc = finding_code_find(code);

	/* An unknown code is a programming error; keep it visible as an error. */
	return findings_add_sev(l, fc ? fc->code : code, fc ? fc->sev : SEV_ERROR, material, file,
				msg_en, msg_zh);
}

const char *severity_name(severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "notice";
}

int findings_name(const finding_list *l, const char *code, const char *file)
{
	for (size_t k = 0; k < l->n; k++)
		if (!strcmp(l->v[k].code, code) && l->v[k].file && !strcmp(l->v[k].file, file))
			return 1;
	return 0;
}

size_t findings_count(const finding_list *l, severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->v[i].sev == sev;
	return n;
}

void findings_release(finding_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].material);
		free(l->v[i].file);
		free(l->v[i].msg_en);
		free(l->v[i].msg_zh);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
