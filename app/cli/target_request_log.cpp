// SPDX-License-Identifier: Apache-2.0
// One-line descriptions of SMP requests and answers for `otalab-cli target serve`.
#include "app/cli/target_request_log.h"

#include "core/smp/smp_error.h"
#include "core/smp/smp_groups.h"
#include "core/smp/smp_messages.h"
#include "core/smp/smp_packet.h"

namespace otalab::cli {

using namespace core::smp;

namespace {

QString hex4(const QByteArray& hash)
{
    return QString::fromLatin1(hash.left(4).toHex());
}

QString osRequest(const Packet& p)
{
    switch (p.header.command) {
    case os::Echo: {
        auto text = parseEchoRequest(p.payload);
        QString shown = text ? *text : QString();
        if (shown.size() > 40)
            shown = shown.left(40) + QStringLiteral("…");
        return QStringLiteral("os echo \"%1\"").arg(shown);
    }
    case os::Reset: {
        auto force = parseResetRequest(p.payload);
        return force && *force ? QStringLiteral("os reset force") : QStringLiteral("os reset");
    }
    case os::McumgrParams:
        return QStringLiteral("os mcumgr params");
    case os::Info: {
        auto format = parseOsInfoRequest(p.payload);
        return format && !format->isEmpty() ? QStringLiteral("os info format=%1").arg(*format) : QStringLiteral("os info");
    }
    default:
        return {};
    }
}

QString imageRequest(const Packet& p)
{
    const bool write = p.header.op == Op::Write;
    switch (p.header.command) {
    case image::State: {
        if (!write)
            return QStringLiteral("image state read");
        auto w = parseImageStateWriteRequest(p.payload);
        if (!w)
            return QStringLiteral("image state write (%1)").arg(w.error().message);
        QString text = w->confirm ? QStringLiteral("image confirm") : QStringLiteral("image test");
        if (w->hash)
            text += QStringLiteral(" hash=") + hex4(*w->hash);
        return text;
    }
    case image::Upload: {
        auto chunk = parseUploadRequest(p.payload);
        if (!chunk)
            return QStringLiteral("image upload (%1)").arg(chunk.error().message);
        QString text = QStringLiteral("image upload off=%1 len=%2").arg(chunk->offset).arg(chunk->data.size());
        if (chunk->totalLength)
            text += QStringLiteral(" total=%1").arg(*chunk->totalLength);
        if (chunk->image)
            text += QStringLiteral(" image=%1").arg(*chunk->image);
        if (!chunk->sha.isEmpty())
            text += QStringLiteral(" sha=") + hex4(chunk->sha);
        if (chunk->upgrade)
            text += QStringLiteral(" upgrade");
        return text;
    }
    case image::Erase: {
        auto slot = parseImageEraseRequest(p.payload);
        return slot && *slot ? QStringLiteral("image erase slot=%1").arg(**slot) : QStringLiteral("image erase");
    }
    case image::SlotInfo:
        return QStringLiteral("image slot info");
    default:
        return {};
    }
}

} // namespace

QString describeSmpRequest(QByteArrayView bytes)
{
    auto packet = decodePacket(bytes);
    if (!packet) {
        auto header = decodeHeader(bytes);
        if (!header)
            return QStringLiteral("garbled request (%1 bytes)").arg(bytes.size());
        return QStringLiteral("%1 (undecodable: %2)").arg(commandName(header->group, header->command),
                                                          packet.error().toString());
    }
    QString text;
    if (packet->header.group == std::uint16_t(Group::Os))
        text = osRequest(*packet);
    else if (packet->header.group == std::uint16_t(Group::Image))
        text = imageRequest(*packet);
    if (text.isEmpty())
        text = QStringLiteral("%1 (%2)").arg(commandName(packet->header.group, packet->header.command),
                                             opName(packet->header.op));
    if (packet->header.version == ProtocolVersion::V1)
        text += QStringLiteral(" [v1]");
    return text;
}

QString describeSmpAnswer(const QList<QByteArray>& responses)
{
    if (responses.isEmpty())
        return QStringLiteral("no answer");
    auto packet = decodePacket(responses.first());
    if (!packet)
        return QStringLiteral("answer (%1 bytes)").arg(responses.first().size());
    if (auto error = responseError(packet->payload))
        return errorName(*error);
    if (packet->header.group == std::uint16_t(Group::Image) && packet->header.command == image::Upload) {
        auto upload = parseUploadResponse(packet->payload);
        if (upload) {
            QString text = QStringLiteral("off=%1").arg(upload->nextOffset);
            if (upload->match)
                text += *upload->match ? QStringLiteral(" match") : QStringLiteral(" MISMATCH");
            return text;
        }
    }
    return QStringLiteral("ok");
}

} // namespace otalab::cli
