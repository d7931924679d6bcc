// SPDX-License-Identifier: Apache-2.0
// Request size limits of links and boards.
#include "core/smp/packet_limit.h"

#include <algorithm>

namespace otalab::core::smp {

PacketLimit tighterLimit(const PacketLimit& current, const PacketLimit& other)
{
    if (!other.isSet())
        return current;
    if (!current.isSet() || other.maxBytes < current.maxBytes)
        return other;
    return current;
}

PacketLimit boardBufferLimit(std::uint32_t bufSize)
{
    const int usable = int(std::max<qint64>(1, qint64(bufSize) - kBoardBufferReserve));
    return PacketLimit{usable,
                       QStringLiteral("the board takes packets of at most %1 bytes (its SMP buffers are %2 bytes, "
                                      "buf_size in its MCUmgr parameters, less %3 for serial framing): send less, or "
                                      "build the board with a larger CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE")
                           .arg(usable)
                           .arg(bufSize)
                           .arg(kBoardBufferReserve)};
}

std::optional<Error> oversizedRequest(const QString& what, qsizetype bytes, const PacketLimit& limit)
{
    if (!limit.isSet() || bytes <= limit.maxBytes)
        return std::nullopt;
    return Error::plain(QStringLiteral("the %1 request is %2 bytes but %3; nothing was sent")
                            .arg(what, QString::number(bytes), limit.text));
}

} // namespace otalab::core::smp
