#!/usr/bin/env bash
# make-samples.sh — regenerate the synthetic applicant folders in samples/.
#
#   samples/icp-renewal-complete/    a complete, clean ICP licence renewal folder
#   samples/icp-renewal-incomplete/  the same company with planted problems (see README.md)
#
# Everything here is FICTITIOUS: 示例科技有限公司 / Example Tech Co., Ltd., legal
# representative 张三, and every page is marked "样本 SAMPLE". The identifiers are the public
# textbook examples with valid check characters (USCC 91350200776049653A, ID 11010519491231002X).
#
# Needs: bash, ImageMagick 6 `convert`, the WenQuanYi Micro Hei font, python3 (stdlib only:
# seal geometry and the PDF writer, since ImageMagick's PDF coder is disabled by policy on Debian),
# and build/tools/mkdoc (`make build/tools/mkdoc`): the documents licpack reads (business licence,
# ID card sides, domain certificates, the licence's first page, the signed forms) are laid out and
# lettered by mkdoc with the values of packet.json, so that they read as what they claim to be
# (issue 12); seals, watermarks and JPEG compression are added here as before.
# Deterministic: the same tools give the same bytes on every run (no dates, no randomness).
set -euo pipefail
export LC_ALL=C.UTF-8 TZ=UTC SOURCE_DATE_EPOCH=0

HERE=$(cd "$(dirname "$0")" && pwd)
FONT=${FONT:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}
[ -f "$FONT" ] || { echo "make-samples: font not found: $FONT (apt-get install fonts-wqy-microhei)" >&2; exit 2; }
command -v convert >/dev/null || { echo "make-samples: ImageMagick convert not found" >&2; exit 2; }
command -v python3 >/dev/null || { echo "make-samples: python3 not found" >&2; exit 2; }
MKDOC=${MKDOC:-$HERE/../build/tools/mkdoc}
[ -x "$MKDOC" ] || { echo "make-samples: $MKDOC not found (make build/tools/mkdoc)" >&2; exit 2; }

COMPLETE=$HERE/icp-renewal-complete
INCOMPLETE=$HERE/icp-renewal-incomplete
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# ---------------------------------------------------------------------------------------------
# Fictitious applicant data
CO='示例科技有限公司'
USCC='91350200776049653A'
REP='张三'
ID='11010519491231002X'           # the textbook example; printed whole on the card, as on a real one
LIC='浙B2-20080101'
ICP='浙ICP备2025183710号-1'
ADDR='示例省示例市示例区示例路 1 号 101 室'

# Page geometry: A4 pages are laid out at 200 dpi (W x H, the coordinates below) and saved
# scaled by 1.5 as 300-dpi scans (2481 x 3509), the resolution the templates recommend
# (issue 13); ID cards (85.6 x 54 mm) are laid out at 300 dpi.
W=1654 H=2339
A4_UP=(-resize 150%)
CW=1011 CH=638
JPEG_Q=40
BLUR=0x0.7                        # a scanner is never perfectly sharp; softer edges also cost fewer bytes

SEAL_RED='#d00000'
INK='#1a1a1a'
WM_FILL='rgba(30,80,200,0.14)'     # blue watermark: never red, so it cannot pass for a seal

# ---------------------------------------------------------------------------------------------
# python helper: seal drawing primitives (MVG) and a minimal deterministic JPEG-in-PDF writer.
cat > "$TMP/helper.py" <<'PY'
import math, struct, sys

def seal(cx, cy, r, ring, bottom, col, font):
    cx, cy, r = float(cx), float(cy), float(r)
    out = []
    sw = max(3.0, r * 0.055)
    out.append(f"push graphic-context\nstroke '{col}'\nstroke-width {sw:.1f}\nfill none\n"
               f"circle {cx:.1f},{cy:.1f} {cx + r:.1f},{cy:.1f}\npop graphic-context")
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r * 0.30 if i % 2 == 0 else r * 0.30 * 0.382
        pts.append(f"{cx + rr * math.cos(a):.1f},{cy + rr * math.sin(a):.1f}")
    out.append(f"push graphic-context\nstroke none\nfill '{col}'\npolygon {' '.join(pts)}\npop graphic-context")
    n = len(ring)
    fs = r * 0.27
    span = 250.0
    R = r - fs * 0.5 - sw * 1.6
    for i, c in enumerate(ring):
        ang = -span / 2 + span * i / (n - 1) if n > 1 else 0.0
        a = math.radians(ang)
        x = cx + R * math.sin(a)
        y = cy - R * math.cos(a)
        out.append(f"push graphic-context\nfont '{font}'\nfont-size {fs:.1f}\nfill '{col}'\n"
                   f"stroke '{col}'\nstroke-width {max(1.0, r * 0.006):.1f}\n"
                   f"translate {x:.1f},{y:.1f}\nrotate {ang:.1f}\n"
                   f"text {-fs / 2:.1f},{fs * 0.38:.1f} '{c}'\npop graphic-context")
    if bottom:
        bs = r * 0.15
        # approximate width: CJK chars ~1em, ASCII ~0.55em
        wid = sum(bs if ord(ch) > 127 else bs * 0.55 for ch in bottom)
        out.append(f"push graphic-context\nfont '{font}'\nfont-size {bs:.1f}\nfill '{col}'\nstroke none\n"
                   f"text {cx - wid / 2:.1f},{cy + r * 0.62:.1f} '{bottom}'\npop graphic-context")
    print("\n".join(out))

def jpeg_info(data):
    i = 2
    while i < len(data):
        if data[i] != 0xFF:
            raise SystemExit("bad JPEG marker")
        m = data[i + 1]
        if m in (0xD8, 0x01) or 0xD0 <= m <= 0xD7:
            i += 2
            continue
        ln = struct.unpack(">H", data[i + 2:i + 4])[0]
        if m in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h, data[i + 9]
        i += 2 + ln
    raise SystemExit("no SOF")

def pdf(out, dpi, title, *jpegs):
    dpi = float(dpi)
    objs = {}
    npages = len(jpegs)
    # 1 catalog, 2 pages, 3 info, then per page: page, content, image
    kids = []
    for k, path in enumerate(jpegs):
        data = open(path, "rb").read()
        w, h, comps = jpeg_info(data)
        pw, ph = w * 72.0 / dpi, h * 72.0 / dpi
        po, co, io = 4 + 3 * k, 5 + 3 * k, 6 + 3 * k
        kids.append(po)
        cs = "/DeviceRGB" if comps == 3 else "/DeviceGray"
        objs[io] = (f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace {cs} "
                    f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(data)} >>\nstream\n").encode() \
                   + data + b"\nendstream"
        content = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q\n".encode()
        objs[co] = f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"endstream"
        objs[po] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] "
                    f"/Resources << /XObject << /Im0 {io} 0 R >> >> /Contents {co} 0 R >>").encode()
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in kids)}] /Count {npages} >>".encode()
    objs[3] = f"<< /Title ({title}) /Producer (licpack samples/make-samples.sh) >>".encode()
    buf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = {}
    for n in sorted(objs):
        offs[n] = len(buf)
        buf += f"{n} 0 obj\n".encode() + objs[n] + b"\nendobj\n"
    xref = len(buf)
    size = max(objs) + 1
    buf += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for n in range(1, size):
        buf += f"{offs[n]:010d} 00000 n \n".encode()
    buf += f"trailer\n<< /Size {size} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    open(out, "wb").write(buf)

if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"seal": seal, "pdf": pdf}[cmd](*args)
PY

# seal CX CY R RING-TEXT BOTTOM-TEXT  -> MVG drawing primitives on stdout
seal() { python3 "$TMP/helper.py" seal "$1" "$2" "$3" "$4" "$5" "$SEAL_RED" "$FONT"; }

# ---------------------------------------------------------------------------------------------
# Drawing helpers. A page is built up in the bash array A (convert arguments).
#   begin W H BG        start a canvas
#   txt X Y SIZE TEXT   text, top-left at X,Y
#   ctr Y SIZE TEXT     text centred horizontally, top at Y
#   line X1 Y1 X2 Y2 [WIDTH] [COLOUR]
#   rect X1 Y1 X2 Y2 WIDTH COLOUR [FILL]
#   header              the "样本 SAMPLE" band across the top
#   watermark           two diagonal "样本 SAMPLE" marks
#   stamp CX CY R RING BOTTOM   a red seal
#   save_jpg OUT [QUALITY] [DPI] / save_png OUT [DPI] [COLOURS]
#                       without a DPI, save_jpg saves an A4 page: scaled to 300 dpi
begin() { A=(-size "$1x$2" "xc:$3" -font "$FONT" -fill "$INK" -stroke none -gravity NorthWest); PW=$1; }
# mkdoc KIND DPI [mkdoc options]: begin with mkdoc's rendering of a document (its own 样本 band)
mkdoc() {
    local kind=$1 dpi=$2; shift 2
    "$MKDOC" "$kind" "$TMP/page.png" --dpi "$dpi" --truth "$TMP/page.json" "$@"
    A=("$TMP/page.png" -font "$FONT" -fill "$INK" -stroke none -gravity NorthWest); PW=$W
}
txt()  { A+=(-fill "${5:-$INK}" -pointsize "$3" -annotate "+$1+$2" "$4"); }
ctr()  { A+=(-gravity North -fill "${4:-$INK}" -pointsize "$2" -annotate "+0+$1" "$3" -gravity NorthWest); }
line() { A+=(-stroke "${6:-$INK}" -strokewidth "${5:-3}" -draw "line $1,$2 $3,$4" -stroke none); }
rect() { A+=(-stroke "$6" -strokewidth "$5" -fill "${7:-none}" -draw "rectangle $1,$2 $3,$4" -stroke none -fill "$INK"); }
header() {   # a line of blue text across the top (a filled band would cost ~8 KB per page)
    A+=(-gravity North -fill 'rgb(30,70,180)' -pointsize 26
        -annotate '+0+14' '样本 SAMPLE · 虚构数据 FICTITIOUS TEST DATA · licpack'
        -gravity NorthWest -fill "$INK")
}
watermark() {   # two large diagonal "样本 SAMPLE" marks, a third of the page from each end
    local off
    A+=(-gravity Center -fill "$WM_FILL" -pointsize 240)
    for off in -390 +389; do A+=(-annotate "330x330+0$off" '样本 SAMPLE'); done
    A+=(-gravity NorthWest -fill "$INK")
}
# The seal is drawn on its own transparent layer and composited: a rotated -annotate leaves a
# transform behind in ImageMagick 6 that would displace a later -draw.
SEALN=0
stamp() {
    local r=$3 pad=20 size layer
    size=$(( 2 * (r + pad) ))
    SEALN=$(( SEALN + 1 ))
    layer=$TMP/seal$SEALN.png
    convert -size "${size}x$size" xc:none -draw "$(seal $(( r + pad )) $(( r + pad )) "$r" "$4" "$5")" "$layer"
    # Multiply, like ink: text under the seal stays readable
    A+=("$layer" -gravity NorthWest -geometry "+$(( $1 - r - pad ))+$(( $2 - r - pad ))" -compose Multiply -composite -compose Over)
}
save_jpg() {
    local up=()
    [ -z "${3:-}" ] && up=("${A4_UP[@]}")
    convert "${A[@]}" "${up[@]}" -blur "$BLUR" -strip -colorspace sRGB -density "${3:-300}" -units PixelsPerInch \
        -sampling-factor 2x2 -interlace none -quality "${2:-$JPEG_Q}" "$1"
}
save_png() {   # OUT [DPI] [COLOURS]: with COLOURS an 8-bit palette PNG, else 8-bit RGB
    local fmt=PNG24 cols=() dens=()
    if [ -n "${3:-}" ]; then fmt=PNG8; cols=(-dither None -colors "$3"); fi
    [ -n "${2:-}" ] && dens=(-density "$2" -units PixelsPerInch -define png:include-chunk=pHYs)
    convert "${A[@]}" "${cols[@]}" -depth 8 -strip "${dens[@]}" -define png:exclude-chunks=date,time \
        -define png:compression-level=9 "$fmt:$1"
}

# A form table: rows of "label|value", starting at Y, label column width LW.
form_rows() {
    local y0=$1 y=$1 lw=$2 rh=$3 size=$4; shift 4
    local x1=150 x2=$(( PW - 150 )) row label value
    line $x1 "$y" $x2 "$y" 3
    for row in "$@"; do
        label=${row%%|*}; value=${row#*|}
        txt $(( x1 + 20 )) $(( y + (rh - size) / 2 - 4 )) "$size" "$label"
        txt $(( x1 + lw + 20 )) $(( y + (rh - size) / 2 - 4 )) "$size" "$value"
        y=$(( y + rh ))
        line $x1 "$y" $x2 "$y" 3
    done
    line $x1 "$y0" $x1 "$y" 3
    line $(( x1 + lw )) "$y0" $(( x1 + lw )) "$y" 3
    line $x2 "$y0" $x2 "$y" 3
    FORM_END=$y
}

# ---------------------------------------------------------------------------------------------
# The documents. Each function writes one file. JPEG stores text expensively (about 300 bytes
# per character at this resolution), so the pages say little: enough to look like the document.

doc_renewal_form() {   # 电信业务经营许可证续期申请表 (sealed)
    mkdoc signed-form 200 --set title=电信业务经营许可证续期申请表 --set "company=$CO" \
        --set "uscc=$USCC" --set founded=2005年05月20日 --set signed_date=2026-11-28
    watermark
    stamp 1200 1450 160 "$CO" '样本'
    save_jpg "$1"
}

doc_business_licence() {   # 营业执照副本 (sealed); $2 = gray for the greyscale copy
    mkdoc business-licence 200 --set "company=$CO" --set "uscc=$USCC" --set "legal_rep=$REP" \
        --set capital=壹仟万元整 --set founded=2005年05月20日 --set 'term=2005年05月20日 至 长期' \
        --set term_until=long-term
    watermark
    stamp 1120 1760 160 '示例市市场监督管理局' '样本'
    if [ "${2:-}" = gray ]; then
        A+=(-colorspace Gray -type Grayscale)
    fi
    save_jpg "$1"
}

doc_id_portrait() {   # 身份证人像面 (front with photo), 85.6 x 54 mm at 300 dpi
    mkdoc id-portrait 300 --set "id_name=$REP" --set sex=女 --set 'birth=1949 年 12 月 31 日' \
        --set "id_number=$ID"
    A+=(-gravity Center -fill 'rgba(30,80,200,0.30)' -pointsize 150 -annotate '345x345+0+0' '样本 SAMPLE'
        -gravity NorthWest)
    save_jpg "$1" 70 300
}

doc_id_emblem() {   # 身份证国徽面 (back) — a plain red star, NOT the national emblem
    mkdoc id-emblem 300 --set id_issuer=示例市公安局示例分局 --set id_valid_from=2015-06-30 \
        --set id_valid_until=2035-06-30
    A+=(-gravity Center -fill 'rgba(30,80,200,0.30)' -pointsize 150 -annotate '345x345+0+0' '样本 SAMPLE'
        -gravity NorthWest)
    save_jpg "$1" 70 300
}

doc_domain_cert() {   # 域名注册证书 for domain $2; .jpg or .png by $1's extension
    mkdoc domain-cert 200 --set "domains=$2" --set "holder=$CO" --set reg_date=2018-05-01 \
        --set expiry=2028-05-01
    watermark
    case $1 in
        *.png) A+=("${A4_UP[@]}"); save_png "$1" 300 32 ;;
        *)     save_jpg "$1" ;;
    esac
}

doc_licence_page() {   # 增值电信业务经营许可证, page $2 (1, 2 or 10); the first by mkdoc
    if [ "$2" = 1 ]; then
        mkdoc licence 200 --set "licence_number=$LIC" --set "company=$CO" --set "legal_rep=$REP" \
            --set expiry=2027-04-30
        watermark
        stamp 1120 1760 160 '示例通信管理局样本' '样本'
        save_jpg "$1"
        return
    fi
    begin $W $H white; header
    rect 80 90 $(( W - 80 )) $(( H - 80 )) 12 'rgb(180,140,60)'
    case $2 in
    2)
        ctr 220 50 '附件：业务种类及覆盖范围'
        ctr 300 26 "$LIC 第 2 页" '#555'
        form_rows 420 760 86 30 \
            '业务种类|覆盖范围' \
            '信息服务业务（仅限互联网信息服务）|示例省' \
            '网站域名|example.com、example.cn'
        watermark
        ;;
    10)
        ctr 220 50 '特别规定事项'
        ctr 300 26 "$LIC 第 10 页" '#555'
        txt 200 440 30 '1. 持证者应当按照许可的业务种类和范围经营。'
        txt 200 520 30 '2. 有效期届满需继续经营的，应提前 90 日申请续期。'
        watermark
        ;;
    esac
    save_jpg "$1"
}

doc_undertaking() {   # 依法经营承诺书 (sealed)
    mkdoc signed-form 200 --set title=依法经营承诺书 --set "company=$CO" --set "uscc=$USCC" \
        --set founded=2005年05月20日 --set signed_date=2026-11-25
    watermark
    stamp 1200 1450 160 "$CO" '样本'
    save_jpg "$1"
}

doc_resolution_page() {   # 股东会决议, page $2 (1 or 2); page 2 bears the seal, page 1 too with $3 = sealed
    begin $W $H white; header
    if [ "$2" = 1 ]; then
        ctr 180 56 '股东会决议'
        ctr 265 26 "Shareholders' Resolution (SAMPLE)" '#444'
        txt 170 420 30 "$CO股东会于 2026 年 11 月 10 日召开，"
        txt 170 500 30 "全体股东（$REP 60%、李四 40%）出席，一致决议："
        txt 170 580 30 "一、同意申请续期许可证 $LIC；"
        txt 170 660 30 "二、授权法定代表人$REP办理续期事宜。"
        if [ "${3:-}" = sealed ]; then
            txt 170 900 30 "股东签字：$REP    李四"
            txt 1000 1160 30 "$CO（盖章）"
            txt 1000 1420 30 '2026 年 11 月 10 日'
        else
            txt 170 820 30 '（下接第 2 页）' '#555'
        fi
    else
        ctr 180 40 '股东会决议（签字页）'
        txt 170 420 30 "股东签字：$REP    李四"
        txt 1000 700 30 "$CO（盖章）"
        txt 1000 960 30 '2026 年 11 月 10 日'
    fi
    watermark
    if [ "$2" = 2 ]; then stamp 1200 710 160 "$CO" '样本'; fi
    if [ "${3:-}" = sealed ]; then stamp 1200 1170 160 "$CO" '样本'; fi
    save_jpg "$1"
}

doc_hosting_contract() {   # 服务器托管协议 (sealed by both parties)
    begin $W $H white; header
    ctr 180 56 '服务器托管服务协议'
    ctr 265 26 'Server Hosting Agreement (SAMPLE)' '#444'
    txt 170 420 30 "甲方：$CO"
    txt 170 500 30 '乙方：示例数据中心有限公司（虚构）'
    txt 170 620 30 '一、乙方为甲方托管服务器，托管网站 example.com。'
    txt 170 700 30 '二、期限：2026-01-01 至 2028-12-31。'
    txt 170 1300 30 '甲方（盖章）'
    txt 950 1300 30 '乙方（盖章）'
    txt 170 1560 30 '2025 年 12 月 20 日'
    watermark
    stamp 420 1310 160 "$CO" '合同专用章'
    stamp 1200 1310 160 '示例数据中心有限公司' '合同专用章'
    save_jpg "$1"
}

browser_chrome() {   # a 1280x800 screenshot frame: $1 = fake address bar text, $2 = page title
    begin 1280 800 white
    A+=(-fill 'rgb(222,225,230)' -draw 'rectangle 0,0 1280,84'
        -fill white -draw 'roundrectangle 120,46 1160,76 14,14'
        -fill 'rgb(150,150,150)' -draw 'circle 24,20 30,20' -draw 'circle 46,20 52,20' -draw 'circle 68,20 74,20')
    txt 140 50 18 "$1" '#333'
    txt 100 8 15 '样本 SAMPLE — 虚构截图 fictitious screenshot' '#555'
    A+=(-fill 'rgb(20,70,150)' -draw 'rectangle 0,84 1280,150')
    txt 40 100 30 "$2" white
}

doc_icp_screenshot() {
    browser_chrome 'https://beian.example/（样本 示例地址）' 'ICP/IP地址/域名信息备案管理系统（样本）'
    txt 40 180 22 '备案信息查询结果' '#222'
    local y=230 row x1=40 x2=1240
    line $x1 $y $x2 $y 1 '#bbb'
    for row in \
        "主办单位名称|$CO" \
        '主办单位性质|企业' \
        "ICP备案/许可证号|$ICP" \
        '网站名称|示例科技官网（虚构）' \
        '网站域名|example.com' \
        '审核日期|2025-06-10'; do
        A+=(-fill 'rgb(244,246,250)' -draw "rectangle $x1,$(( y + 1 )) 330,$(( y + 55 ))")
        txt 60 $(( y + 14 )) 22 "${row%%|*}" '#444'
        txt 360 $(( y + 14 )) 22 "${row#*|}" '#111'
        y=$(( y + 56 ))
        line $x1 $y $x2 $y 1 '#bbb'
    done
    A+=(-gravity Center -fill "$WM_FILL" -pointsize 130 -annotate '345x345+0+60' '样本 SAMPLE' -gravity NorthWest)
    save_png "$1" '' 32
}

doc_credit_screenshot() {
    browser_chrome 'https://gsxt.example/（样本 示例地址）' '企业信用信息公示（样本截图）'
    txt 40 180 30 "$CO" '#111'
    A+=(-fill 'rgb(40,160,90)' -draw 'roundrectangle 330,182 400,216 8,8')
    txt 343 186 20 '存续' white
    local y=250 row
    for row in \
        "统一社会信用代码|$USCC" \
        "法定代表人|$REP" \
        '成立日期|2005-05-20' \
        '登记机关|示例市市场监督管理局'; do
        txt 60 $y 22 "${row%%|*}：" '#555'
        txt 300 $y 22 "${row#*|}" '#111'
        y=$(( y + 52 ))
    done
    A+=(-gravity Center -fill "$WM_FILL" -pointsize 130 -annotate '345x345+0+60' '样本 SAMPLE' -gravity NorthWest)
    save_png "$1"
}

doc_phone_photo() {   # IMG_0001.jpg: an unrelated "phone photo" (unrecognised file)
    begin 1200 900 'rgb(120,170,220)'
    A+=(-fill 'rgb(90,150,80)' -draw 'rectangle 0,600 1200,900'
        -fill 'rgb(250,210,80)' -draw 'circle 950,200 950,290'
        -fill 'rgb(60,110,60)' -draw 'polygon 100,600 350,250 600,600'
        -fill 'rgb(80,130,70)' -draw 'polygon 400,600 700,300 1000,600')
    A+=(-gravity Center -fill 'rgba(255,255,255,0.6)' -pointsize 140 -annotate '345x345+0+0' '样本 SAMPLE' -gravity NorthWest)
    save_jpg "$1" 60 72
}

# A minimal HEIC look-alike: an ISO BMFF 'ftyp' box (major brand heic) and a stub 'meta' box.
fake_heic() {
    {
        printf '\000\000\000\030ftypheic\000\000\000\000mif1heic'
        printf '\000\000\000\040meta\000\000\000\000'
        printf '\000\000\000\024hdlr\000\000\000\000pict'
        printf 'SAMPLE-NOT-A-REAL-IMAGE\n'
    } > "$1"
}

# ---------------------------------------------------------------------------------------------
echo "make-samples: generating into $HERE" >&2
rm -rf "$COMPLETE" "$INCOMPLETE"
mkdir -p "$COMPLETE/现有许可证" "$INCOMPLETE"

# 1. complete ICP renewal folder
cat > "$COMPLETE/packet.json" <<'JSON'
{
  "template": "icp-renewal",
  "company": {"name": "示例科技有限公司", "uscc": "91350200776049653A"},
  "legal_rep": {"name": "张三", "id_number": "11010519491231002X", "id_expiry": "2035-06-30"},
  "licence": {"number": "浙B2-20080101", "expiry": "2027-04-30"},
  "domains": [
    {"name": "example.com", "expiry": "2028-05-01"},
    {"name": "example.cn", "expiry": "2028-05-01"}
  ]
}
JSON
doc_renewal_form     "$COMPLETE/01_续期申请表.jpg"
doc_business_licence "$COMPLETE/营业执照副本.jpg"
doc_id_portrait      "$COMPLETE/身份证人像面.jpg"
doc_id_emblem        "$COMPLETE/身份证国徽面.jpg"
doc_domain_cert      "$COMPLETE/域名证书_example.com.jpg" example.com
doc_domain_cert      "$COMPLETE/域名证书_example.cn.png" example.cn
doc_licence_page     "$COMPLETE/现有许可证/许可证_p1.jpg" 1
doc_licence_page     "$COMPLETE/现有许可证/许可证_p2.jpg" 2
doc_licence_page     "$COMPLETE/现有许可证/许可证_p10.jpg" 10
doc_undertaking      "$COMPLETE/依法经营承诺书(盖章).jpg"
doc_resolution_page  "$TMP/resolution_p1.jpg" 1
doc_resolution_page  "$TMP/resolution_p2.jpg" 2
python3 "$TMP/helper.py" pdf "$COMPLETE/股东会决议.pdf" 300 'SAMPLE shareholders resolution' \
    "$TMP/resolution_p1.jpg" "$TMP/resolution_p2.jpg"
doc_hosting_contract  "$COMPLETE/服务器托管协议.jpg"
doc_icp_screenshot    "$COMPLETE/ICP备案截图.png"
doc_credit_screenshot "$COMPLETE/企业信用信息公示截图.png"

# 2. incomplete folder: same company, planted problems (listed in README.md)
cat > "$INCOMPLETE/packet.json" <<'JSON'
{
  "template": "icp-renewal",
  "company": {"name": "示例科技有限公司", "uscc": "91350200776049653B"},
  "legal_rep": {"name": "张三", "id_number": "110105194912310021", "id_expiry": "2027-01-15"},
  "licence": {"number": "浙B2-20080101", "expiry": "2027-01-10"},
  "domains": [
    {"name": "example.com", "expiry": "2028-05-01"},
    {"name": "example.net", "expiry": "2026-10-01"}
  ]
}
JSON
# Each line plants one problem; README.md lists the finding each should produce.
# (no 续期申请表 at all)                                        renewal-application: missing
doc_business_licence "$INCOMPLETE/营业执照.jpg" gray            # greyscale
cp "$COMPLETE/身份证人像面.jpg" "$INCOMPLETE/身份证正面.jpg"     # the emblem side is missing
cp "$COMPLETE/身份证人像面.jpg" "$INCOMPLETE/接入协议.jpg"       # duplicate (same bytes, 2 materials)
cp "$COMPLETE/域名证书_example.com.jpg" "$INCOMPLETE/"            # none for example.net: missing
size=$(wc -c < "$COMPLETE/现有许可证/许可证_p1.jpg")               # corrupt: first half only,
head -c $(( size / 2 )) "$COMPLETE/现有许可证/许可证_p1.jpg" > "$INCOMPLETE/现有许可证.jpg"  # no EOI
fake_heic "$INCOMPLETE/承诺书.heic"                              # format (HEIC)
# too-small and low-dpi: 500x700 pixels at 72 dpi. It is sealed (a one-page version of the
# resolution) so that the seal check has nothing to add.
doc_resolution_page "$TMP/resolution_sealed.jpg" 1 sealed
convert "$TMP/resolution_sealed.jpg" -resize '500x700!' -strip -density 72 -units PixelsPerInch \
    -sampling-factor 2x2 -quality 70 "$INCOMPLETE/股东会决议.jpg"
cp "$COMPLETE/ICP备案截图.png" "$INCOMPLETE/"                     # fine
cat > "$INCOMPLETE/说明.txt" <<'TXT'
样本 SAMPLE — 这是 licpack 测试用的虚构文件，不属于任何申请材料（应列为未识别文件）。
This is a fictitious note for licpack tests; it is not an application material and should be
listed as unrecognised.
TXT
doc_phone_photo "$INCOMPLETE/IMG_0001.jpg"                       # unrecognised, like 说明.txt

echo "make-samples: done" >&2
