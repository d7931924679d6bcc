// SPDX-License-Identifier: Apache-2.0
#include "sim/report/htmlpage.h"

#include "sim/report/svgchart.h"

namespace otalab::sim {

QString htmlPageStart(const QString& title, const QString& extraCss)
{
    return QStringLiteral(
               "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<title>%1</title>\n<style>\n"
               "body{font-family:'Helvetica Neue',Helvetica,Arial,'DejaVu Sans',sans-serif;color:#262626;margin:0;background:#f6f6f4}\n"
               "main{max-width:900px;margin:0 auto;padding:24px}\n"
               "h1{font-size:24px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 10px}\n"
               ".sub{color:#6b6b6b;margin:0 0 16px}\n"
               "section.card{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:16px;margin:14px 0}\n"
               "table{border-collapse:collapse;width:100%;font-size:14px}\n"
               "th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #ececec;vertical-align:top}\n"
               "th{font-weight:600;width:38%;color:#444}\n"
               "table.list th{width:auto;background:#fafafa}\n"
               "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
               ".tiles{display:flex;gap:10px;flex-wrap:wrap}\n"
               ".tile{flex:1;min-width:120px;background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:10px 12px}\n"
               ".tile b{display:block;font-size:22px}.tile span{color:#6b6b6b;font-size:13px}\n"
               "svg{width:100%;height:auto;display:block}\n"
               "%2"
               "</style>\n</head>\n<body>\n<main>\n")
        .arg(xmlEscape(title), extraCss);
}

QString htmlPageEnd()
{
    return QStringLiteral("</main>\n</body>\n</html>\n");
}

QString htmlTile(const QString& value, const QString& label, const QString& color)
{
    return QStringLiteral("<div class=\"tile\"><b style=\"color:%1\">%2</b><span>%3</span></div>\n")
        .arg(color, xmlEscape(value), xmlEscape(label));
}

} // namespace otalab::sim
