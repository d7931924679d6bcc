// SPDX-License-Identifier: Apache-2.0
// Image upload: parameters, first chunk, pipelined stream, rewind, resume, retries.
#include "core/smp/client_upload.h"

#include "core/smp/smp_groups.h"

#include <QCryptographicHash>
#include <algorithm>
#include <cmath>

namespace otalab::core::smp {

namespace {

QString seconds(std::int64_t ms)
{
    return QString::number(double(ms) / 1000.0, 'f', ms % 1000 == 0 ? 0 : 1);
}

// What uploading the same file again will do. Only the board knows: Zephyr's img_mgmt
// keeps the upload offset and sha in RAM (g_img_mgmt_state), so a board that restarted
// since (reset, power cut, crash) takes the upload from 0 even though the bytes stay in
// its slot; one that kept running answers the offset it holds.
QString retryPromise(qint64 acknowledged)
{
    return QStringLiteral("uploading again resumes from %1 if the board still holds its upload state (it has not "
                          "restarted since); a board that restarted starts again from 0")
        .arg(acknowledged);
}

} // namespace

UploadOperation::UploadOperation(QByteArray image, UploadOptions options)
    : m_image(std::move(image)), m_options(std::move(options))
{
}

void UploadOperation::start(std::int64_t nowMs, OperationOutput& out)
{
    if (m_image.isEmpty()) {
        fail(QStringLiteral("the image file is empty: nothing to upload"), out);
        return;
    }
    if (quint64(m_image.size()) > 0xffffffffULL) {
        fail(QStringLiteral("the image is larger than 4 GiB, which SMP cannot address"), out);
        return;
    }
    m_sha = QCryptographicHash::hash(m_image, QCryptographicHash::Sha256);
    m_startMs = nowMs;
    m_progress.reset(nowMs, 0, m_image.size());
    if (m_options.knownParams) {
        applyParams(m_options.knownParams, out);
        if (!isFinished())
            sendFirst(nowMs, out);
        return;
    }
    sendParams(nowMs, out);
}

void UploadOperation::sendParams(std::int64_t nowMs, OperationOutput& out)
{
    m_phase = Phase::Params;
    m_paramsSequence = m_requester.send(nowMs, paramsRequest(), m_options.paramsPolicy, out);
    schedule(out);
}

void UploadOperation::applyParams(const std::optional<McumgrParams>& params, OperationOutput& out)
{
    m_packetLimit = std::min(m_options.maxPacketBytes, kMaxPacketSize);
    if (params && params->bufSize > 0)
        m_requester.limitPackets(boardBufferLimit(params->bufSize));
    if (m_requester.packetLimit().isSet())   // the tightest of the link's (told by the driver) and the board's
        m_packetLimit = std::min(m_packetLimit, m_requester.packetLimit().maxBytes);
    m_window = std::max(1, m_options.window.value_or(params && params->bufCount > 1 ? int(params->bufCount) - 1 : 1));
    UploadChunk first;
    first.totalLength = std::uint32_t(m_image.size());
    first.sha = m_sha;
    if (uploadChunkCapacity(m_packetLimit, first) < 1) {
        fail(QStringLiteral("packets of %1 bytes cannot carry image data: raise the transport's packet size or the "
                            "board's CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE")
                 .arg(m_packetLimit),
             out);
        return;
    }
    out.log.append(QStringLiteral("%1; uploading %2 bytes in packets of up to %3 bytes, %4 in flight")
                       .arg(params ? QStringLiteral("the board has %1 buffers of %2 bytes")
                                         .arg(params->bufCount)
                                         .arg(params->bufSize)
                                   : QStringLiteral("the board does not report its buffers"))
                       .arg(m_image.size())
                       .arg(m_packetLimit)
                       .arg(m_window));
}

void UploadOperation::sendFirst(std::int64_t nowMs, OperationOutput& out)
{
    m_phase = Phase::First;
    dropInFlight();
    UploadChunk chunk;
    chunk.offset = 0;
    chunk.totalLength = std::uint32_t(m_image.size());
    if (m_options.image != 0)
        chunk.image = m_options.image;
    chunk.sha = m_sha;
    chunk.upgrade = m_options.upgrade;
    const qint64 length = std::min<qint64>(uploadChunkCapacity(m_packetLimit, chunk), m_image.size());
    chunk.data = m_image.left(length);
    InFlight entry;
    entry.sequence = m_requester.send(nowMs, uploadRequest(chunk), RequestPolicy{m_options.firstChunkTimeoutMs, 0}, out);
    entry.offset = 0;
    entry.length = length;
    entry.predictedAfter = length;
    entry.first = true;
    m_inFlight.append(entry);
    ++m_stats.chunksSent;
    if (m_highestSent > 0)
        ++m_stats.chunksResent;
    m_highestSent = std::max(m_highestSent, length);
    m_nextOffset = length;
    schedule(out);
}

void UploadOperation::fillWindow(std::int64_t nowMs, OperationOutput& out)
{
    while (m_phase == Phase::Stream && m_inFlight.size() < m_window && m_nextOffset < m_image.size())
        sendChunk(nowMs, m_nextOffset, out);
    schedule(out);
}

void UploadOperation::sendChunk(std::int64_t nowMs, qint64 offset, OperationOutput& out)
{
    UploadChunk chunk;
    chunk.offset = std::uint32_t(offset);
    const qint64 length = std::min<qint64>(uploadChunkCapacity(m_packetLimit, chunk), m_image.size() - offset);
    chunk.data = m_image.mid(offset, length);
    InFlight entry;
    entry.ahead = int(m_inFlight.size());
    entry.sequence = m_requester.send(nowMs, uploadRequest(chunk), RequestPolicy{chunkTimeoutMs(entry.ahead), 0}, out);
    entry.offset = offset;
    entry.length = length;
    entry.predictedAfter = offset + length;
    m_inFlight.append(entry);
    ++m_stats.chunksSent;
    if (offset < m_highestSent)
        ++m_stats.chunksResent;
    m_highestSent = std::max(m_highestSent, offset + length);
    m_nextOffset = offset + length;
}

void UploadOperation::onPacket(std::int64_t nowMs, QByteArrayView packet, OperationOutput& out)
{
    if (isFinished() || m_phase == Phase::Paused) {
        schedule(out);
        return;
    }
    const auto reply = m_requester.take(nowMs, packet, out);
    if (!reply) {
        schedule(out);
        return;
    }
    if (m_phase == Phase::Params && m_paramsSequence && reply->sequence == *m_paramsSequence) {
        m_paramsSequence.reset();
        std::optional<McumgrParams> params;
        if (reply->error) {
            out.log.append(QStringLiteral("the board does not report MCUmgr parameters (%1); sending one chunk at a time")
                               .arg(errorName(*reply->error)));
        } else if (auto parsed = parseParamsResponse(reply->payload)) {
            params = *parsed;
        } else {
            out.log.append(QStringLiteral("the board's MCUmgr parameters are not understood (%1); sending one chunk "
                                          "at a time")
                               .arg(parsed.error().toString()));
        }
        applyParams(params, out);
        if (!isFinished())
            sendFirst(nowMs, out);
        return;
    }
    if (indexOfSequence(reply->sequence) >= 0)
        onUploadReply(nowMs, *reply, out);
    schedule(out);
}

void UploadOperation::onUploadReply(std::int64_t nowMs, const Reply& reply, OperationOutput& out)
{
    // The board answers in order: requests sent before this one that got no answer are
    // lost (the request or its answer); the board's offset below tells which.
    const int index = indexOfSequence(reply.sequence);
    for (int i = 0; i < index; ++i)
        m_requester.forget(m_inFlight[i].sequence);
    const InFlight entry = m_inFlight[index];
    m_inFlight.remove(0, index + 1);

    if (reply.error) {
        fail(entry.first ? QStringLiteral("the board refused the image: %1").arg(describeError(*reply.error))
                         : QStringLiteral("the board refused the chunk at offset %1: %2")
                               .arg(entry.offset)
                               .arg(describeError(*reply.error)),
             out);
        return;
    }
    // Transports check integrity (CRC, UDP checksum, BLE link layer), so an answer that
    // makes no sense is rare; ignore two, as if lost, then believe the board.
    const auto parsed = parseUploadResponse(reply.payload);
    const qint64 total = m_image.size();
    const bool implausible = !parsed || qint64(parsed->nextOffset) > total;
    if (implausible && ++m_implausibleAnswers < 3) {
        out.log.append(QStringLiteral("ignored a damaged upload answer (%1)")
                           .arg(parsed ? QStringLiteral("offset %1 of a %2-byte image").arg(parsed->nextOffset).arg(total)
                                       : parsed.error().toString()));
        if (entry.first)
            sendFirst(nowMs, out);
        else
            fillWindow(nowMs, out);
        return;
    }
    if (!parsed) {
        fail(QStringLiteral("the board's answer to the upload is not understood: %1").arg(parsed.error().toString()),
             out);
        return;
    }
    const qint64 boardOffset = parsed->nextOffset;
    if (boardOffset > total) {
        fail(QStringLiteral("the board reports holding %1 bytes of this %2-byte image: it is receiving another file; "
                            "erase the secondary slot and upload again")
                 .arg(boardOffset)
                 .arg(total),
             out);
        return;
    }
    if (!entry.first && !entry.doomed)
        sampleRtt(nowMs - reply.sentAtMs, entry.ahead);

    if (boardOffset == 0) {
        ++m_stats.restarts;
        if (m_stats.restarts > m_options.maxRestarts) {
            fail(QStringLiteral("the board went back to offset 0 %1 times: it keeps restarting the upload; check its "
                                "log (flash errors, another client uploading)")
                     .arg(m_stats.restarts),
                 out);
            return;
        }
        out.log.append(QStringLiteral("the board answered offset 0 at %1 of %2 bytes: it restarted the upload; "
                                      "sending the first chunk again")
                           .arg(m_acked)
                           .arg(total));
        m_requester.forgetAll();
        m_acked = 0;
        reportProgress(nowMs, out);
        sendFirst(nowMs, out);
        return;
    }
    if (boardOffset > m_acked)
        m_timeoutsInARow = 0;

    if (entry.first) {
        if (boardOffset > entry.length) {
            ++m_stats.resumes;
            out.log.append(QStringLiteral("the board already holds %1 of %2 bytes of this image (same SHA-256): "
                                          "resuming there")
                               .arg(boardOffset)
                               .arg(total));
        } else if (m_acked > boardOffset) {
            out.log.append(QStringLiteral("the board kept no upload state for this image (it was reset?): sending "
                                          "it again from offset %1")
                               .arg(boardOffset));
        }
        m_acked = boardOffset;
        m_phase = Phase::Stream;
        replan(boardOffset, 0);
    } else {
        m_acked = boardOffset;
        if (boardOffset != entry.predictedAfter) {
            ++m_stats.rewinds;
            out.log.append(QStringLiteral("the board expects offset %1 (predicted %2): continuing from there")
                               .arg(boardOffset)
                               .arg(entry.predictedAfter));
            replan(boardOffset, 0);
        }
    }
    reportProgress(nowMs, out);

    if (boardOffset == total) {
        if (parsed->match && !*parsed->match) {
            fail(QStringLiteral("the board's SHA-256 of the received image does not match the file: the data was "
                                "damaged on the way; upload again"),
                 out);
            return;
        }
        m_requester.forgetAll();
        dropInFlight();
        m_phase = Phase::Done;
        out.log.append(QStringLiteral("upload complete: %1 bytes in %2 s, %3 chunks sent (%4 again), %5 timeouts")
                           .arg(total)
                           .arg(seconds(nowMs - m_startMs))
                           .arg(m_stats.chunksSent)
                           .arg(m_stats.chunksResent)
                           .arg(m_stats.timeouts));
        out.wakeAtMs = std::nullopt;
        finish();
        return;
    }
    fillWindow(nowMs, out);
}

void UploadOperation::replan(qint64 boardOffset, int fromIndex)
{
    // The board processes what is still in flight in order, accepting only the chunk
    // that starts where it is.
    qint64 at = boardOffset;
    for (int i = fromIndex; i < m_inFlight.size(); ++i) {
        InFlight& e = m_inFlight[i];
        if (e.offset == at) {
            e.doomed = false;
            e.predictedAfter = at + e.length;
            at = e.predictedAfter;
        } else {
            e.doomed = true;
            e.predictedAfter = at;
        }
    }
    m_nextOffset = at;
}

void UploadOperation::onTimer(std::int64_t nowMs, OperationOutput& out)
{
    if (isFinished()) {
        schedule(out);
        return;
    }
    if (m_phase == Phase::Paused) {
        if (nowMs >= m_pausedUntilMs) {
            fail(QStringLiteral("the link did not come back within %1 s; the board acknowledged %2 of %3 bytes: "
                                "%4")
                     .arg(seconds(m_options.linkPatienceMs))
                     .arg(m_acked)
                     .arg(m_image.size())
                     .arg(retryPromise(m_acked)),
                 out);
            return;
        }
        schedule(out);
        return;
    }
    const QList<Expired> expired = m_requester.expire(nowMs, out);
    for (const Expired& e : expired) {
        if (m_paramsSequence && e.sequence == *m_paramsSequence) {
            fail(QStringLiteral("the board did not answer the MCUmgr parameters request (%1 attempts, %2 ms each): "
                                "check that it runs an SMP server on this connection and the connection settings")
                     .arg(e.attempts)
                     .arg(e.timeoutMs),
                 out);
            return;
        }
        const int index = indexOfSequence(e.sequence);
        if (index < 0)
            continue;
        if (m_inFlight[index].doomed) {
            m_inFlight.removeAt(index);
            continue;
        }
        onChunkTimeout(nowMs, e, out);
        return;
    }
    fillWindow(nowMs, out);
}

void UploadOperation::onChunkTimeout(std::int64_t nowMs, const Expired& expired, OperationOutput& out)
{
    const InFlight entry = m_inFlight[indexOfSequence(expired.sequence)];
    ++m_stats.timeouts;
    ++m_timeoutsInARow;
    if (m_timeoutsInARow > m_options.retries) {
        fail(QStringLiteral("the board stopped answering at %1 of %2 bytes (%3 tries without progress, the last "
                            "waited %4 ms): check the connection and the board; %5")
                 .arg(m_acked)
                 .arg(m_image.size())
                 .arg(m_timeoutsInARow)
                 .arg(expired.timeoutMs)
                 .arg(retryPromise(m_acked)),
             out);
        return;
    }
    out.log.append(QStringLiteral("no answer for the chunk at offset %1 within %2 ms; sending again from %3 "
                                  "(retry %4 of %5)")
                       .arg(entry.offset)
                       .arg(expired.timeoutMs)
                       .arg(m_acked)
                       .arg(m_timeoutsInARow)
                       .arg(m_options.retries));
    m_requester.forgetAll();
    dropInFlight();
    // A slower link than estimated: wait longer next time.
    m_backoff = std::min(m_backoff * 2, 8);
    if (entry.first) {
        sendFirst(nowMs, out);
        return;
    }
    m_nextOffset = m_acked;
    fillWindow(nowMs, out);
}

void UploadOperation::sampleRtt(std::int64_t rttMs, int ahead)
{
    const double rtt = double(std::max<std::int64_t>(rttMs, 1));
    const double perChunk = rtt / double(ahead + 1);
    m_backoff = 1;
    if (m_srtt <= 0) {
        m_srtt = perChunk;
        m_rttvar = perChunk / 2;
        m_minRtt = rtt;
        return;
    }
    m_minRtt = std::min(m_minRtt, rtt);
    m_rttvar = 0.75 * m_rttvar + 0.25 * std::abs(m_srtt - perChunk);
    m_srtt = 0.875 * m_srtt + 0.125 * perChunk;
}

int UploadOperation::chunkTimeoutMs(int ahead) const
{
    const double ceiling = std::max(m_options.minChunkTimeoutMs, m_options.firstChunkTimeoutMs);
    double timeout = m_srtt <= 0 ? double(m_options.chunkTimeoutMs) * (ahead + 1)
                                 : m_minRtt + (ahead + 1) * (m_srtt + 4 * m_rttvar);
    timeout = std::clamp<double>(std::ceil(timeout), m_options.minChunkTimeoutMs, ceiling);
    return int(std::min(timeout * m_backoff, ceiling));
}

void UploadOperation::onLinkDown(std::int64_t nowMs, OperationOutput& out)
{
    if (isFinished() || m_phase == Phase::Paused || m_phase == Phase::Idle) {
        schedule(out);
        return;
    }
    m_pausedPhase = m_phase == Phase::Params ? Phase::Params : Phase::First;
    m_phase = Phase::Paused;
    m_requester.forgetAll();
    dropInFlight();
    m_paramsSequence.reset();
    m_pausedUntilMs = nowMs + m_options.linkPatienceMs;
    out.log.append(QStringLiteral("the link went down at %1 of %2 bytes; waiting up to %3 s for it to come back")
                       .arg(m_acked)
                       .arg(m_image.size())
                       .arg(seconds(m_options.linkPatienceMs)));
    out.progress.append(m_progress.progress(QStringLiteral("waiting for the link")));
    schedule(out);
}

void UploadOperation::onLinkUp(std::int64_t nowMs, OperationOutput& out)
{
    if (isFinished() || m_phase != Phase::Paused) {
        schedule(out);
        return;
    }
    if (m_pausedPhase == Phase::Params) {
        out.log.append(QStringLiteral("the link is back; asking for the MCUmgr parameters again"));
        sendParams(nowMs, out);
        return;
    }
    out.log.append(QStringLiteral("the link is back; resuming the upload where the board is: asking it by the "
                                  "image's SHA-256 (it acknowledged %1 bytes; if it restarted meanwhile, it starts "
                                  "again from 0)")
                       .arg(m_acked));
    sendFirst(nowMs, out);
}

void UploadOperation::cancel(std::int64_t /*nowMs*/, OperationOutput& out)
{
    if (isFinished())
        return;
    fail(QStringLiteral("aborted"), out);
}

void UploadOperation::reportProgress(std::int64_t nowMs, OperationOutput& out)
{
    m_progress.update(nowMs, m_acked);
    out.progress.append(m_progress.progress(QStringLiteral("upload")));
}

void UploadOperation::fail(const QString& message, OperationOutput& out)
{
    m_requester.forgetAll();
    dropInFlight();
    m_phase = Phase::Done;
    out.wakeAtMs = std::nullopt;
    finishWith(Error::plain(message));
}

void UploadOperation::schedule(OperationOutput& out)
{
    if (isFinished())
        out.wakeAtMs = std::nullopt;
    else if (m_phase == Phase::Paused)
        out.wakeAtMs = m_pausedUntilMs;
    else
        out.wakeAtMs = m_requester.nextDeadline();
}

void UploadOperation::dropInFlight()
{
    for (const InFlight& e : m_inFlight)
        m_requester.forget(e.sequence);
    m_inFlight.clear();
}

int UploadOperation::indexOfSequence(std::uint8_t sequence) const
{
    for (int i = 0; i < m_inFlight.size(); ++i)
        if (m_inFlight[i].sequence == sequence)
            return i;
    return -1;
}

} // namespace otalab::core::smp
