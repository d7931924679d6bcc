// SPDX-License-Identifier: Apache-2.0
#include "core/image/inspection.h"

#include "core/mcuboot/image_inspect.h"
#include "core/zigbee/ota_inspect.h"

#include <QJsonArray>

namespace otalab::core::image {
namespace {

QJsonObject nodeToJson(const Node& node)
{
    QJsonObject o{{QStringLiteral("name"), node.name},
                  {QStringLiteral("label"), node.label},
                  {QStringLiteral("value"), node.value},
                  {QStringLiteral("offset"), node.offset},
                  {QStringLiteral("size"), node.size}};
    if (node.problem)
        o.insert(QStringLiteral("problem"), true);
    if (!node.children.empty()) {
        QJsonArray children;
        for (const Node& c : node.children)
            children.append(nodeToJson(c));
        o.insert(QStringLiteral("children"), children);
    }
    return o;
}

QJsonObject badgeToJson(const Badge& b)
{
    return {{QStringLiteral("state"), checkStateName(b.state)}, {QStringLiteral("detail"), b.detail}};
}

} // namespace

QString formatName(Format format)
{
    switch (format) {
    case Format::ZigbeeOta: return QStringLiteral("Zigbee OTA file");
    case Format::Mcuboot: return QStringLiteral("MCUboot image");
    case Format::Unknown: break;
    }
    return QStringLiteral("unknown");
}

QString checkStateName(CheckState state)
{
    switch (state) {
    case CheckState::Absent: return QStringLiteral("absent");
    case CheckState::Valid: return QStringLiteral("valid");
    case CheckState::Invalid: return QStringLiteral("invalid");
    case CheckState::Unchecked: return QStringLiteral("unchecked");
    }
    return {};
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Error: return QStringLiteral("error");
    }
    return {};
}

bool Inspection::isValid() const
{
    if (firstError())
        return false;
    for (const Badge* b : {&integrity, &signature, &encryption})
        if (b->state == CheckState::Invalid)
            return false;
    return format != Format::Unknown;
}

const Finding* Inspection::firstError() const
{
    for (const Finding& f : findings)
        if (f.severity == Severity::Error)
            return &f;
    return nullptr;
}

void Inspection::error(QString field, qint64 offset, QString message)
{
    findings.push_back({Severity::Error, std::move(field), offset, std::move(message)});
}

void Inspection::warning(QString field, qint64 offset, QString message)
{
    findings.push_back({Severity::Warning, std::move(field), offset, std::move(message)});
}

QJsonObject Inspection::toJson() const
{
    QJsonArray list;
    for (const Finding& f : findings)
        list.append(QJsonObject{{QStringLiteral("severity"), severityName(f.severity)},
                                {QStringLiteral("field"), f.field},
                                {QStringLiteral("offset"), f.offset},
                                {QStringLiteral("message"), f.message}});
    return {{QStringLiteral("format"), image::formatName(format)},
            {QStringLiteral("size"), bytes.size()},
            {QStringLiteral("valid"), isValid()},
            {QStringLiteral("integrity"), badgeToJson(integrity)},
            {QStringLiteral("signature"), badgeToJson(signature)},
            {QStringLiteral("encryption"), badgeToJson(encryption)},
            {QStringLiteral("findings"), list},
            {QStringLiteral("tree"), nodeToJson(root)}};
}

Format detectFormat(QByteArrayView data)
{
    static const char mcubootMagic[] = {'\x3d', '\xb8', '\xf3', '\x96'};  // 0x96f3b83d LE
    static const char zigbeeMagic[] = {'\x1e', '\xf1', '\xee', '\x0b'};   // 0x0BEEF11E LE
    if (data.size() >= 4 && data.first(4) == QByteArrayView(mcubootMagic, 4))
        return Format::Mcuboot;
    if (data.first(std::min<qsizetype>(data.size(), 1024)).indexOf(QByteArrayView(zigbeeMagic, 4)) >= 0)
        return Format::ZigbeeOta;
    return Format::Unknown;
}

Inspection inspect(const QByteArray& data, const VerifyOptions& options)
{
    switch (detectFormat(data)) {
    case Format::ZigbeeOta: return zigbee::inspectOtaFile(data, options);
    case Format::Mcuboot: return mcuboot::inspectImage(data, options);
    case Format::Unknown: break;
    }
    Inspection result;
    result.bytes = data;
    result.formatName = formatName(Format::Unknown);
    result.format = Format::Unknown;
    result.root.name = QStringLiteral("file");
    result.root.label = QStringLiteral("File");
    result.root.value = QStringLiteral("%1 bytes").arg(data.size());
    result.root.offset = 0;
    result.root.size = data.size();
    result.error(QStringLiteral("magic"), 0,
                 data.isEmpty() ? QStringLiteral("file is empty")
                                : QStringLiteral("not a Zigbee OTA file (identifier 0x0BEEF11E) nor an MCUboot image "
                                                 "(magic 0x96f3b83d); first bytes are %1")
                                      .arg(QString::fromLatin1(data.first(std::min<qsizetype>(8, data.size())).toHex(' '))));
    return result;
}

} // namespace otalab::core::image
