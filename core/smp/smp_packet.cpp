// SPDX-License-Identifier: Apache-2.0
// SMP packet encoding/decoding (header + one CBOR map) and a readable rendering for logs.
#include "core/smp/smp_packet.h"

#include "core/smp/smp_groups.h"

#include <QCborArray>
#include <QCborStreamReader>
#include <QCborValue>

namespace otalab::core::smp {

QByteArray encodePacket(Header header, const QCborMap& payload)
{
    const QByteArray cbor = QCborValue(payload).toCbor();
    Q_ASSERT(cbor.size() <= 0xffff);
    header.length = std::uint16_t(cbor.size());
    return encodeHeader(header) + cbor;
}

Result<Packet> decodePacket(QByteArrayView bytes)
{
    auto header = decodeHeader(bytes);
    if (!header)
        return fail(header.error());
    const qsizetype expected = kHeaderSize + qsizetype(header->length);
    if (bytes.size() < expected)
        return fail(Error::at(bytes.size(), QStringLiteral("payload"),
                              QStringLiteral("truncated packet: the header announces %1 payload bytes, only %2 present")
                                  .arg(header->length).arg(bytes.size() - kHeaderSize)));
    if (bytes.size() > expected)
        return fail(Error::at(expected, QStringLiteral("payload"),
                              QStringLiteral("%1 trailing bytes after the %2-byte payload the header announces")
                                  .arg(bytes.size() - expected).arg(header->length)));
    Packet packet;
    packet.header = *header;
    if (header->length == 0)
        return packet;   // some clients send reads with no payload at all: an empty map

    const QByteArray payload = bytes.sliced(kHeaderSize).toByteArray();
    QCborStreamReader reader(payload);
    if (reader.type() != QCborStreamReader::Map)
        return fail(Error::at(kHeaderSize, QStringLiteral("payload"),
                              QStringLiteral("the payload is not a CBOR map (first byte 0x%1)")
                                  .arg(std::uint8_t(payload[0]), 2, 16, QLatin1Char('0'))));
    const QCborValue value = QCborValue::fromCbor(reader);
    if (const auto err = reader.lastError(); err != QCborError::NoError)
        return fail(Error::at(kHeaderSize + reader.currentOffset(), QStringLiteral("payload"),
                              QStringLiteral("bad CBOR: %1").arg(err.toString())));
    if (!value.isMap())
        return fail(Error::at(kHeaderSize, QStringLiteral("payload"), QStringLiteral("the payload is not a CBOR map")));
    if (reader.currentOffset() != payload.size())
        return fail(Error::at(kHeaderSize + reader.currentOffset(), QStringLiteral("payload"),
                              QStringLiteral("%1 bytes after the CBOR map inside the payload")
                                  .arg(payload.size() - reader.currentOffset())));
    packet.payload = value.toMap();
    return packet;
}

std::optional<int> announcedPacketSize(QByteArrayView bytes)
{
    if (bytes.size() < kHeaderSize)
        return std::nullopt;
    return kHeaderSize + ((int(std::uint8_t(bytes[2])) << 8) | int(std::uint8_t(bytes[3])));
}

namespace {

constexpr int kDescribeLimit = 400;

void describeValue(const QCborValue& v, QString& out, int depth)
{
    if (out.size() > kDescribeLimit)
        return;
    switch (v.type()) {
    case QCborValue::Integer: out += QString::number(v.toInteger()); break;
    case QCborValue::ByteArray: {
        const QByteArray b = v.toByteArray();
        if (b.size() <= 8)
            out += QStringLiteral("h'%1'").arg(QString::fromLatin1(b.toHex()));
        else
            out += QStringLiteral("<%1 bytes>").arg(b.size());
        break;
    }
    case QCborValue::String: out += QLatin1Char('"') + v.toString().left(80) + QLatin1Char('"'); break;
    case QCborValue::False: out += QStringLiteral("false"); break;
    case QCborValue::True: out += QStringLiteral("true"); break;
    case QCborValue::Null: out += QStringLiteral("null"); break;
    case QCborValue::Double: out += QString::number(v.toDouble()); break;
    case QCborValue::Array: {
        if (depth > 8) { out += QStringLiteral("[...]"); break; }
        out += QLatin1Char('[');
        bool first = true;
        for (const QCborValue& e : v.toArray()) {
            if (!first) out += QStringLiteral(", ");
            first = false;
            describeValue(e, out, depth + 1);
            if (out.size() > kDescribeLimit) break;
        }
        out += QLatin1Char(']');
        break;
    }
    case QCborValue::Map: {
        if (depth > 8) { out += QStringLiteral("{...}"); break; }
        out += QLatin1Char('{');
        bool first = true;
        const QCborMap m = v.toMap();
        for (auto it = m.constBegin(); it != m.constEnd(); ++it) {
            if (!first) out += QStringLiteral(", ");
            first = false;
            if (it.key().isString())
                out += it.key().toString().left(40);
            else
                describeValue(it.key(), out, depth + 1);
            out += QStringLiteral(": ");
            describeValue(it.value(), out, depth + 1);
            if (out.size() > kDescribeLimit) break;
        }
        out += QLatin1Char('}');
        break;
    }
    default: out += QStringLiteral("<%1>").arg(int(v.type())); break;
    }
}

} // namespace

QString describePacket(const Packet& packet)
{
    const Header& h = packet.header;
    QString out = QStringLiteral("v%1 %2 %3 seq %4 ")
                      .arg(h.version == ProtocolVersion::V2 ? 2 : 1)
                      .arg(opName(h.op), commandName(h.group, h.command))
                      .arg(h.sequence);
    describeValue(QCborValue(packet.payload), out, 0);
    if (out.size() > kDescribeLimit)
        out = out.left(kDescribeLimit) + QStringLiteral("...");
    return out;
}

} // namespace otalab::core::smp
