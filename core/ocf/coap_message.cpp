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
