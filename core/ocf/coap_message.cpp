// SPDX-License-Identifier: Apache-2.0
// RFC 7252 §3 codec; see coap_message.h for the wire shape and the error contract.
#include "core/ocf/coap_message.h"

#include <algorithm>
#include <numeric>

namespace otalab::core::ocf {

namespace {

constexpr std::size_t kHeaderBytes = 4;
constexpr std::size_t kMaxTokenBytes = 8;
constexpr std::uint32_t kMaxOptionNumber = 65535;
constexpr std::size_t kMaxOptionValueBytes = 65535 + 269;   // 14-nibble extension maximum
constexpr std::uint8_t kPayloadMarker = 0xff;

// Extra bytes a delta or length needs after the option header byte (RFC 7252 §3.1).
std::size_t extensionBytes(std::uint32_t value)
{
    if (value < 13)
        return 0;
    if (value < 269)
        return 1;
    return 2;
}

std::uint8_t nibbleFor(std::uint32_t value)
{
    if (value < 13)
        return std::uint8_t(value);
    return value < 269 ? 13 : 14;
}

void appendExtension(QByteArray& out, std::uint32_t value)
{
    if (value < 13)
        return;
    if (value < 269) {
        out.append(char(value - 13));
        return;
    }
    const std::uint32_t v = value - 269;
    out.append(char((v >> 8) & 0xff));
    out.append(char(v & 0xff));
}

// Option indices in ascending number order, repeats kept in their given order.
std::vector<std::size_t> sortedOptionOrder(const std::vector<CoapOption>& options)
{
    std::vector<std::size_t> order(options.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return options[a].number < options[b].number; });
    return order;
}

QString hex(QByteArrayView bytes) { return QString::fromLatin1(bytes.toByteArray().toHex()); }

QString optionField(std::size_t index, const char* part)
{
    return QStringLiteral("options[%1].%2").arg(index).arg(QLatin1String(part));
}

// Reads a delta or length nibble's extension at `pos` (advanced past it).
Result<std::uint32_t> readExtended(QByteArrayView data, std::size_t& pos, std::uint8_t nibble, std::size_t index,
                                   const char* part)
{
    if (nibble < 13)
        return nibble;
    const std::size_t need = nibble == 13 ? 1 : 2;
    if (pos + need > std::size_t(data.size()))
        return fail(Error::at(qint64(pos), optionField(index, part),
                              QStringLiteral("truncated: nibble %1 needs %2 extension byte(s), %3 left")
                                  .arg(nibble)
                                  .arg(need)
                                  .arg(std::size_t(data.size()) - pos)));
    const auto* p = reinterpret_cast<const std::uint8_t*>(data.data()) + pos;
    pos += need;
    if (nibble == 13)
        return std::uint32_t(p[0]) + 13;
    return ((std::uint32_t(p[0]) << 8) | p[1]) + 269;
}

} // namespace

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

// --- BlockOption ---------------------------------------------------------------------

Result<std::uint8_t> BlockOption::szxForSize(std::uint32_t size)
{
    for (std::uint8_t szx = 0; szx <= 6; ++szx)
        if ((16u << szx) == size)
            return szx;
    return fail(Error::at(-1, QStringLiteral("block.size"),
                          QStringLiteral("block size %1: expected 16, 32, 64, 128, 256, 512 or 1024").arg(size)));
}

Result<BlockOption> BlockOption::fromValue(std::uint32_t value)
{
    if (value > 0xffffff)
        return fail(Error::at(-1, QStringLiteral("block.num"),
                              QStringLiteral("block value 0x%1: expected at most 3 bytes (NUM < 2^20)")
                                  .arg(value, 0, 16)));
    BlockOption block;
    block.szx = std::uint8_t(value & 0x7);
    if (block.szx == 7)
        return fail(Error::at(-1, QStringLiteral("block.szx"),
                              QStringLiteral("SZX 7 is reserved: expected 0..6 (16..1024 bytes)")));
    block.more = (value & 0x8) != 0;
    block.num = value >> 4;
    return block;
}

// --- CoapMessage options -------------------------------------------------------------

std::vector<QByteArray> CoapMessage::optionValues(std::uint16_t number) const
{
    std::vector<QByteArray> values;
    for (const CoapOption& o : options)
        if (o.number == number)
            values.push_back(o.value);
    return values;
}

const CoapOption* CoapMessage::option(std::uint16_t number) const
{
    for (const CoapOption& o : options)
        if (o.number == number)
            return &o;
    return nullptr;
}

void CoapMessage::removeOption(std::uint16_t number)
{
    std::erase_if(options, [number](const CoapOption& o) { return o.number == number; });
}

void CoapMessage::addOption(std::uint16_t number, QByteArray value)
{
    const auto at = std::upper_bound(options.begin(), options.end(), number,
                                     [](std::uint16_t n, const CoapOption& o) { return n < o.number; });
    options.insert(at, CoapOption{number, std::move(value)});
}

std::optional<std::uint32_t> CoapMessage::uintOption(std::uint16_t number) const
{
    const CoapOption* o = option(number);
    if (o == nullptr || o->value.size() > 4)
        return std::nullopt;
    std::uint32_t value = 0;
    for (char c : o->value)
        value = (value << 8) | std::uint8_t(c);
    return value;
}

void CoapMessage::setUintOption(std::uint16_t number, std::uint32_t value)
{
    removeOption(number);
    QByteArray bytes;
    for (int shift = 24; shift >= 0; shift -= 8)
        if (!bytes.isEmpty() || ((value >> shift) & 0xff) != 0)
            bytes.append(char((value >> shift) & 0xff));
    addOption(number, std::move(bytes));
}

QString CoapMessage::uriPath() const
{
    QStringList segments;
    for (const CoapOption& o : options)
        if (o.number == coap_option::UriPath)
            segments.append(QString::fromUtf8(o.value));
    return segments.join(QLatin1Char('/'));
}

void CoapMessage::setUriPath(QStringView path)
{
    removeOption(coap_option::UriPath);
    for (QStringView segment : path.split(QLatin1Char('/'), Qt::SkipEmptyParts))
        addOption(coap_option::UriPath, segment.toUtf8());
}

QStringList CoapMessage::uriQueries() const
{
    QStringList queries;
    for (const CoapOption& o : options)
        if (o.number == coap_option::UriQuery)
            queries.append(QString::fromUtf8(o.value));
    return queries;
}

void CoapMessage::addUriQuery(QStringView query) { addOption(coap_option::UriQuery, query.toUtf8()); }

std::optional<std::uint16_t> CoapMessage::contentFormat() const
{
    const auto value = uintOption(coap_option::ContentFormat);
    if (!value || *value > 0xffff)
        return std::nullopt;
    return std::uint16_t(*value);
}

namespace {
std::optional<Result<BlockOption>> blockOption(const CoapMessage& message, std::uint16_t number, const char* name)
{
    const CoapOption* o = message.option(number);
    if (o == nullptr)
        return std::nullopt;
    if (o->value.size() > 3)
        return Result<BlockOption>(fail(Error::at(-1, QLatin1String(name),
                                                  QStringLiteral("%1-byte value: expected 0..3 bytes")
                                                      .arg(o->value.size()))));
    auto block = BlockOption::fromValue(*message.uintOption(number));
    if (!block) {
        block.error().field = QLatin1String(name) + QLatin1Char('.') + block.error().field.section(QLatin1Char('.'), 1);
        return Result<BlockOption>(fail(block.error()));
    }
    return Result<BlockOption>(*block);
}
} // namespace

std::optional<Result<BlockOption>> CoapMessage::block1() const
{
    return blockOption(*this, coap_option::Block1, "Block1");
}

std::optional<Result<BlockOption>> CoapMessage::block2() const
{
    return blockOption(*this, coap_option::Block2, "Block2");
}

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

// --- encode / decode -----------------------------------------------------------------

std::size_t encodedSize(const CoapMessage& message)
{
    std::size_t size = kHeaderBytes + std::size_t(message.token.size());
    std::uint32_t previous = 0;
    for (std::size_t i : sortedOptionOrder(message.options)) {
        const CoapOption& o = message.options[i];
        const std::uint32_t delta = o.number - previous;
        size += 1 + extensionBytes(delta) + extensionBytes(std::uint32_t(o.value.size())) + std::size_t(o.value.size());
        previous = o.number;
    }
    if (!message.payload.isEmpty())
        size += 1 + std::size_t(message.payload.size());
    return size;
}

Result<QByteArray> encode(const CoapMessage& message)
{
    if (std::size_t(message.token.size()) > kMaxTokenBytes)
        return fail(Error::at(-1, QStringLiteral("token"),
                              QStringLiteral("%1-byte token: expected 0..8 bytes").arg(message.token.size())));
    QByteArray out;
    out.reserve(qsizetype(encodedSize(message)));
    out.append(char(0x40 | (std::uint8_t(message.type) << 4) | message.token.size()));
    out.append(char(message.code));
    out.append(char(message.messageId >> 8));
    out.append(char(message.messageId & 0xff));
    out.append(message.token);
    std::uint32_t previous = 0;
    for (std::size_t i : sortedOptionOrder(message.options)) {
        const CoapOption& o = message.options[i];
        const auto length = std::size_t(o.value.size());
        if (length > kMaxOptionValueBytes)
            return fail(Error::at(-1, optionField(i, "length"),
                                  QStringLiteral("option %1 value of %2 bytes: expected at most 65804")
                                      .arg(o.number)
                                      .arg(length)));
        const std::uint32_t delta = o.number - previous;
        out.append(char((nibbleFor(delta) << 4) | nibbleFor(std::uint32_t(length))));
        appendExtension(out, delta);
        appendExtension(out, std::uint32_t(length));
        out.append(o.value);
        previous = o.number;
    }
    if (!message.payload.isEmpty()) {
        out.append(char(kPayloadMarker));
        out.append(message.payload);
    }
    return out;
}

Result<CoapMessage> decode(QByteArrayView datagram)
{
    const auto size = std::size_t(datagram.size());
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(datagram.data());
    if (size < kHeaderBytes)
        return fail(Error::at(qint64(size), QStringLiteral("header"),
                              QStringLiteral("%1-byte datagram: expected at least the 4-byte header").arg(size)));
    const int version = bytes[0] >> 6;
    if (version != 1)
        return fail(Error::at(0, QStringLiteral("header.version"),
                              QStringLiteral("version %1: expected 1").arg(version)));
    CoapMessage message;
    message.type = CoapType((bytes[0] >> 4) & 0x3);
    const std::size_t tokenLength = bytes[0] & 0xf;
    if (tokenLength > kMaxTokenBytes)
        return fail(Error::at(0, QStringLiteral("header.tokenLength"),
                              QStringLiteral("TKL %1 is reserved: expected 0..8").arg(tokenLength)));
    message.code = bytes[1];
    message.messageId = std::uint16_t((bytes[2] << 8) | bytes[3]);
    if (message.code == coap_code::Empty) {   // RFC 7252 §4.1: nothing after the message id
        if (tokenLength != 0)
            return fail(Error::at(0, QStringLiteral("header.tokenLength"),
                                  QStringLiteral("an empty message (0.00) with TKL %1: expected 0").arg(tokenLength)));
        if (size != kHeaderBytes)
            return fail(Error::at(qint64(kHeaderBytes), QStringLiteral("empty message"),
                                  QStringLiteral("an empty message (0.00) followed by %1 byte(s): expected none")
                                      .arg(size - kHeaderBytes)));
        return message;
    }
    if (kHeaderBytes + tokenLength > size)
        return fail(Error::at(qint64(kHeaderBytes), QStringLiteral("token"),
                              QStringLiteral("truncated: TKL %1 but %2 byte(s) left")
                                  .arg(tokenLength)
                                  .arg(size - kHeaderBytes)));
    message.token = QByteArray(datagram.data() + kHeaderBytes, qsizetype(tokenLength));

    std::size_t pos = kHeaderBytes + tokenLength;
    std::uint32_t number = 0;
    for (std::size_t index = 0; pos < size; ++index) {
        const std::size_t headerAt = pos;
        const std::uint8_t header = bytes[pos++];
        if (header == kPayloadMarker) {
            if (pos == size)
                return fail(Error::at(qint64(headerAt), QStringLiteral("payload marker"),
                                      QStringLiteral("a payload marker at the end: expected a payload after it")));
            message.payload = QByteArray(datagram.data() + pos, qsizetype(size - pos));
            break;
        }
        const std::uint8_t deltaNibble = header >> 4;
        const std::uint8_t lengthNibble = header & 0xf;
        if (deltaNibble == 15)
            return fail(Error::at(qint64(headerAt), optionField(index, "delta"),
                                  QStringLiteral("delta nibble 15 is reserved outside the payload marker 0xFF: "
                                                 "expected 0..14")));
        if (lengthNibble == 15)
            return fail(Error::at(qint64(headerAt), optionField(index, "length"),
                                  QStringLiteral("length nibble 15 is reserved: expected 0..14")));
        const auto delta = readExtended(datagram, pos, deltaNibble, index, "delta");
        if (!delta)
            return fail(delta.error());
        const auto length = readExtended(datagram, pos, lengthNibble, index, "length");
        if (!length)
            return fail(length.error());
        if (number + *delta > kMaxOptionNumber)
            return fail(Error::at(qint64(headerAt), optionField(index, "number"),
                                  QStringLiteral("option number %1 + delta %2 = %3: expected at most 65535")
                                      .arg(number)
                                      .arg(*delta)
                                      .arg(number + *delta)));
        number += *delta;
        if (*length > size - pos)
            return fail(Error::at(qint64(pos), optionField(index, "value"),
                                  QStringLiteral("option %1 value of %2 bytes runs past the end: %3 byte(s) left")
                                      .arg(number)
                                      .arg(*length)
                                      .arg(size - pos)));
        message.options.push_back(CoapOption{std::uint16_t(number), QByteArray(datagram.data() + pos, qsizetype(*length))});
        pos += *length;
    }
    return message;
}

// --- constructors --------------------------------------------------------------------

CoapMessage makeRequest(CoapType type, std::uint8_t method, std::uint16_t messageId, QByteArray token,
                        QStringView uriPath)
{
    CoapMessage message;
    message.type = type;
    message.code = method;
    message.messageId = messageId;
    message.token = std::move(token);
    message.setUriPath(uriPath);
    return message;
}

CoapMessage makeResponse(const CoapMessage& request, std::uint8_t code, std::uint16_t messageId)
{
    CoapMessage message;
    message.type = request.type == CoapType::NonConfirmable ? CoapType::NonConfirmable : CoapType::Acknowledgement;
    message.code = code;
    message.messageId = messageId;
    message.token = request.token;
    return message;
}

CoapMessage makeEmptyAck(std::uint16_t messageId)
{
    CoapMessage message;
    message.type = CoapType::Acknowledgement;
    message.code = coap_code::Empty;
    message.messageId = messageId;
    return message;
}

CoapMessage makeReset(std::uint16_t messageId)
{
    CoapMessage message;
    message.type = CoapType::Reset;
    message.code = coap_code::Empty;
    message.messageId = messageId;
    return message;
}

} // namespace otalab::core::ocf
