// SPDX-License-Identifier: Apache-2.0
// CoAP names for logs: message types, registered codes, CoapMessage::summary().
#include "core/ocf/coap_message.h"

namespace otalab::core::ocf {

QString coapTypeName(CoapType type)
{
    switch (type) {
    case CoapType::Confirmable: return QStringLiteral("CON");
    case CoapType::NonConfirmable: return QStringLiteral("NON");
    case CoapType::Acknowledgement: return QStringLiteral("ACK");
    case CoapType::Reset: return QStringLiteral("RST");
    }
    return QStringLiteral("?");
}

namespace {
// Registered names (IANA "CoAP Method Codes" and "CoAP Response Codes": RFC 7252, 7959,
// 8132, 8516, 8768); nullptr for an unassigned code.
const char* coapCodeName(std::uint8_t code)
{
    switch (code) {
    case 0x00: return "Empty";
    case 0x01: return "GET";
    case 0x02: return "POST";
    case 0x03: return "PUT";
    case 0x04: return "DELETE";
    case 0x05: return "FETCH";
    case 0x06: return "PATCH";
    case 0x07: return "iPATCH";
    case 0x41: return "Created";
    case 0x42: return "Deleted";
    case 0x43: return "Valid";
    case 0x44: return "Changed";
    case 0x45: return "Content";
    case 0x5f: return "Continue";
    case 0x80: return "Bad Request";
    case 0x81: return "Unauthorized";
    case 0x82: return "Bad Option";
    case 0x83: return "Forbidden";
    case 0x84: return "Not Found";
    case 0x85: return "Method Not Allowed";
    case 0x86: return "Not Acceptable";
    case 0x88: return "Request Entity Incomplete";
    case 0x89: return "Conflict";
    case 0x8c: return "Precondition Failed";
    case 0x8d: return "Request Entity Too Large";
    case 0x8f: return "Unsupported Content-Format";
    case 0x96: return "Unprocessable Entity";
    case 0x9d: return "Too Many Requests";
    case 0xa0: return "Internal Server Error";
    case 0xa1: return "Not Implemented";
    case 0xa2: return "Bad Gateway";
    case 0xa3: return "Service Unavailable";
    case 0xa4: return "Gateway Timeout";
    case 0xa5: return "Proxying Not Supported";
    case 0xa8: return "Hop Limit Reached";
    default: return nullptr;
    }
}

QString codeNumber(std::uint8_t code)
{
    return QStringLiteral("%1.%2").arg(coap_code::codeClass(code)).arg(coap_code::codeDetail(code), 2, 10, QChar('0'));
}
} // namespace

QString coapCodeText(std::uint8_t code)
{
    const char* name = coapCodeName(code);
    if (name == nullptr)
        return codeNumber(code);
    return codeNumber(code) + QLatin1Char(' ') + QLatin1String(name);
}

namespace {
QString hex(QByteArrayView bytes) { return QString::fromLatin1(bytes.toByteArray().toHex()); }
} // namespace

QString CoapMessage::summary() const
{
    QString line = coapTypeName(type) + QLatin1Char(' ');
    if (isRequest() && coapCodeName(code) != nullptr)
        line += QLatin1String(coapCodeName(code));
    else
        line += coapCodeText(code);
    line += QStringLiteral(" mid=0x%1").arg(messageId, 4, 16, QChar('0'));
    if (!token.isEmpty())
        line += QStringLiteral(" tok=") + hex(token);
    const QString path = uriPath();
    if (!path.isEmpty())
        line += QStringLiteral(" /") + path;
    const QStringList queries = uriQueries();
    if (!queries.isEmpty())
        line += QLatin1Char('?') + queries.join(QLatin1Char('&'));
    if (const auto obs = observe())
        line += QStringLiteral(" Observe:%1").arg(*obs);
    const auto describeBlock = [&](const char* name, const std::optional<Result<BlockOption>>& block) {
        if (!block)
            return;
        if (*block)
            line += QStringLiteral(" %1:%2/%3/%4")
                        .arg(QLatin1String(name))
                        .arg((*block)->num)
                        .arg((*block)->more ? 1 : 0)
                        .arg((*block)->size());
        else
            line += QStringLiteral(" %1:invalid").arg(QLatin1String(name));
    };
    describeBlock("Block1", block1());
    describeBlock("Block2", block2());
    if (const auto size2 = uintOption(coap_option::Size2))
        line += QStringLiteral(" Size2:%1").arg(*size2);
    if (const CoapOption* etag = option(coap_option::ETag))
        line += QStringLiteral(" ETag:") + hex(etag->value);
    line += QStringLiteral(" (%1 B)").arg(payload.size());
    return line;
}

} // namespace otalab::core::ocf
