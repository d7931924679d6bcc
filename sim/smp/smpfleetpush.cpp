// SPDX-License-Identifier: Apache-2.0
// SmpFleetPush: forwarding to UpgradeOperation and reading its steps off its output.
#include "sim/smp/smpfleetpush.h"

#include "core/smp/smp_groups.h"
#include "core/smp/smp_header.h"

#include <QCborStreamReader>

namespace otalab::sim {

using core::smp::OperationOutput;

std::optional<SmpUploadChunkPeek> peekUploadChunk(QByteArrayView packet)
{
    if (packet.size() <= core::smp::kHeaderSize)
        return std::nullopt;
    const auto* b = reinterpret_cast<const std::uint8_t*>(packet.data());
    const int op = b[0] & 0x07;
    const int group = (b[4] << 8) | b[5];
    if (op != int(core::smp::Op::Write) || group != int(core::smp::Group::Image) || b[7] != core::smp::image::Upload)
        return std::nullopt;
    QCborStreamReader reader(packet.data() + core::smp::kHeaderSize, packet.size() - core::smp::kHeaderSize);
    if (!reader.isMap() || !reader.enterContainer())
        return std::nullopt;
    SmpUploadChunkPeek peek;
    bool haveOffset = false;
    while (reader.lastError() == QCborError::NoError && reader.hasNext()) {
        if (!reader.isString())
            return std::nullopt;
        QString key;
        auto part = reader.readString();
        while (part.status == QCborStreamReader::Ok) {
            key += part.data;
            part = reader.readString();
        }
        if (part.status == QCborStreamReader::Error)
            return std::nullopt;
        if (key == QLatin1String("off") && reader.isUnsignedInteger()) {
            peek.offset = qint64(reader.toUnsignedInteger());
            haveOffset = true;
            reader.next();
        } else if (key == QLatin1String("data") && reader.isByteArray() && reader.isLengthKnown()) {
            peek.length = qint64(reader.length());
            reader.next();
        } else {
            reader.next();
        }
    }
    if (!haveOffset)
        return std::nullopt;
    return peek;
}

SmpFleetPush::SmpFleetPush(QByteArray file, core::smp::UpgradeOptions options, SmpFleetPushListener& listener,
                           std::size_t board)
    : m_upgrade(std::move(file), std::move(options)), m_listener(listener), m_board(board)
{
}

void SmpFleetPush::start(std::int64_t nowMs, OperationOutput& out)
{
    m_upgrade.start(nowMs, out);
    after(out);
}

void SmpFleetPush::onPacket(std::int64_t nowMs, QByteArrayView packet, OperationOutput& out)
{
    m_upgrade.onPacket(nowMs, packet, out);
    after(out);
}

void SmpFleetPush::onTimer(std::int64_t nowMs, OperationOutput& out)
{
    m_upgrade.onTimer(nowMs, out);
    after(out);
}

void SmpFleetPush::onLinkDown(std::int64_t nowMs, OperationOutput& out)
{
    m_upgrade.onLinkDown(nowMs, out);
    after(out);
}

void SmpFleetPush::onLinkUp(std::int64_t nowMs, OperationOutput& out)
{
    m_upgrade.onLinkUp(nowMs, out);
    after(out);
}

void SmpFleetPush::cancel(std::int64_t nowMs, OperationOutput& out)
{
    m_upgrade.cancel(nowMs, out);
    after(out);
}

void SmpFleetPush::enter(SmpPushState step)
{
    if (step == m_step)
        return;
    m_step = step;
    m_listener.onPushStep(m_board, step);
}

void SmpFleetPush::after(OperationOutput& out)
{
    if (isFinished())
        return;
    // Phases in the order they were reported; the upload's own progress carries the bytes.
    for (const core::smp::Progress& p : out.progress) {
        const QString& phase = p.phase;
        if (phase == QLatin1String("upload")) {
            enter(SmpPushState::Uploading);
            m_listener.onPushProgress(m_board, p.done);
        } else if (phase == QLatin1String("read state")) {
            enter(SmpPushState::ReadingState);
        } else if (phase == QLatin1String("test")) {
            enter(SmpPushState::Testing);
        } else if (phase == QLatin1String("reset")) {
            enter(SmpPushState::Resetting);
        } else if (phase == QLatin1String("waiting for the board")) {
            enter(SmpPushState::WaitingForBoot);
        } else if (phase == QLatin1String("check")) {
            enter(SmpPushState::CheckingBoot);
        } else if (phase == QLatin1String("confirm")) {
            enter(SmpPushState::Confirming);
        }
    }
    // The upload step reports no phase before its first answer (the board erases the
    // slot first): its first chunk marks it.
    for (const QByteArray& packet : out.packets) {
        if (const auto chunk = peekUploadChunk(packet)) {
            enter(SmpPushState::Uploading);
            m_listener.onPushChunk(m_board, chunk->offset, chunk->length);
        }
    }
    if (m_upgrade.isFinished()) {
        if (const auto& problem = m_upgrade.failure())
            finishWith(*problem);
        else
            finish();
        m_listener.onPushFinished(m_board);
    }
}

} // namespace otalab::sim
