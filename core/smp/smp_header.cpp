// SPDX-License-Identifier: Apache-2.0
// SMP header encoding and decoding.
#include "core/smp/smp_header.h"

namespace otalab::core::smp {

QByteArray encodeHeader(const Header& header)
{
    QByteArray out(kHeaderSize, '\0');
    out[0] = char(((std::uint8_t(header.version) & 0x3) << 3) | (std::uint8_t(header.op) & 0x7));
    out[1] = char(header.flags);
    out[2] = char(header.length >> 8);
    out[3] = char(header.length & 0xff);
    out[4] = char(header.group >> 8);
    out[5] = char(header.group & 0xff);
    out[6] = char(header.sequence);
    out[7] = char(header.command);
    return out;
}

Result<Header> decodeHeader(QByteArrayView bytes)
{
    if (bytes.size() < kHeaderSize)
        return fail(Error::at(bytes.size(), QStringLiteral("header"),
                              QStringLiteral("an SMP header needs 8 bytes, only %1 present").arg(bytes.size())));
    const auto b = [&](int i) { return std::uint8_t(bytes[i]); };
    const std::uint8_t first = b(0);
    const std::uint8_t op = first & 0x7;
    const std::uint8_t version = (first >> 3) & 0x3;
    if (first & 0xe0)
        return fail(Error::at(0, QStringLiteral("header.version"),
                              QStringLiteral("reserved bits set in byte 0 (0x%1): not an SMP packet")
                                  .arg(first, 2, 16, QLatin1Char('0'))));
    if (op > 3)
        return fail(Error::at(0, QStringLiteral("header.op"),
                              QStringLiteral("op %1 is not read/write (0..3): not an SMP packet").arg(op)));
    if (version > 1)
        return fail(Error::at(0, QStringLiteral("header.version"),
                              QStringLiteral("protocol version %1 is unknown (0 = v1, 1 = v2)").arg(version)));
    Header h;
    h.version = ProtocolVersion(version);
    h.op = Op(op);
    h.flags = b(1);
    h.length = std::uint16_t((b(2) << 8) | b(3));
    h.group = std::uint16_t((b(4) << 8) | b(5));
    h.sequence = b(6);
    h.command = b(7);
    return h;
}

QString opName(Op op)
{
    switch (op) {
    case Op::Read: return QStringLiteral("read");
    case Op::ReadResponse: return QStringLiteral("read response");
    case Op::Write: return QStringLiteral("write");
    case Op::WriteResponse: return QStringLiteral("write response");
    }
    return QStringLiteral("op %1").arg(int(op));
}

} // namespace otalab::core::smp
