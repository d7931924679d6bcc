// SPDX-License-Identifier: Apache-2.0
// OtaAgent data plane: GetStream requests with the bitmap, the request timer and its
// momentum, block ingestion and the file's close / activation (ota.c initFileHandler,
// requestDataHandler, processDataHandler, processDataBlock, ingestDataBlockCleanup), and
// the flash record for resuming (persist / restore).
#include "core/awsota/otaagent.h"
#include "core/awsota/topics.h"

#include <QCborMap>
#include <QCborValue>

namespace otalab::core::awsota {

namespace {
QString hex8(std::uint32_t v) { return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0')); }
} // namespace

std::uint32_t OtaAgent::blocksTotal() const { return m_bitmap ? m_bitmap->blockCount() : 0; }

std::uint32_t OtaAgent::blocksReceived() const
{
    return m_bitmap ? m_bitmap->blockCount() - m_bitmap->missingCount() : 0;
}

// initFileTransfer_Mqtt + initFileHandler: subscribe the stream's data topic, then ask.
void OtaAgent::openTransfer(qint64 nowMs, AgentActions& out)
{
    if (!m_dataSubscribed) {
        out.push_back(AgentSubscribe{dataTopic(), 0});
        m_dataSubscribed = true;
    }
    m_momentum = 0;
    setState(nowMs, OtaState::RequestingFileBlock, OtaEvent::CreateFile, out);
    requestBlocks(nowMs, OtaEvent::RequestFileBlock, out);
}

// requestDataHandler: arm the request timer and send GetStream while the momentum allows;
// past it, abort the job (FAILED "aborted: 0x0000000e") and stop the agent.
void OtaAgent::requestBlocks(qint64 nowMs, OtaEvent event, AgentActions& out)
{
    if (!m_bitmap || !m_file || m_bitmap->complete())
        return;
    if (m_momentum < m_config.maxRequestMomentum) {
        armTimer(nowMs, AgentTimer::Request, out);
        GetStreamRequest request;
        request.fileId = m_file->fileId;
        request.blockSize = m_config.blockSize;
        request.numberOfBlocks = m_config.blocksPerRequest;
        // The library sends offset 0 and the whole bitmap (≤ 128 bytes). Bigger files (a
        // lab extension, maxBitmapBytes > 128) send the window holding the first gap.
        auto window = m_bitmap->fitsOneRequest()
                        ? BlockBitmap::Window{0, m_bitmap->bytes()}
                        : m_bitmap->windowFrom(m_bitmap->firstMissing().value_or(0), int(kMaxBitmapBytes));
        request.offset = window.offset;
        request.bitmap = std::move(window.bitmap);
        out.push_back(AgentPublish{StreamRequest{m_config.thingName, m_streamName, std::move(request)}, 0});
        ++m_counters.streamRequests;
        ++m_momentum;
        m_blocksToReceive = m_config.blocksPerRequest;
        setState(nowMs, OtaState::WaitingForFileBlock, event, out);
        return;
    }
    const std::uint32_t unanswered = m_momentum;
    m_momentum = 0;
    failWithReason(nowMs, ImageState::Aborted, std::uint32_t(OtaErr::MomentumAbort),
                   QStringLiteral("job %1: %2 block requests unanswered (%3 ms each): aborted")
                       .arg(m_jobId).arg(unanswered).arg(m_config.requestTimeoutMs),
                   out);
    // Shutdown: the agent stops (start() again to restart it).
    cancelTimer(AgentTimer::SelfTest, out);
    out.push_back(AgentUnsubscribe{notifyNextTopic()});
    setState(nowMs, OtaState::ShuttingDown, OtaEvent::Shutdown, out);
    setState(nowMs, OtaState::Stopped, OtaEvent::Shutdown, out);
}

Result<void> OtaAgent::onDataBlock(qint64 nowMs, const StreamDataBlock& block, AgentActions& out)
{
    if (block.blockSize != std::uint32_t(block.payload.size()))
        return refuse(Error::at(-1, QStringLiteral("l"), QStringLiteral("block %1: l is %2 but the payload has %3 bytes")
                                                             .arg(block.blockId).arg(block.blockSize).arg(block.payload.size())));
    return onDataBlock(nowMs, block.fileId, block.blockId, QByteArrayView(block.payload), out);
}

// A block that fails the job (IngestResultBlockOutOfRange / WriteBlockFailed / BadData):
// PAL Rejected, FAILED "0x<main>: 0x<sub>" (main 0xe0: close was never called).
Result<void> OtaAgent::failBlock(qint64 nowMs, std::uint32_t main, std::uint32_t sub, const QString& words,
                                 AgentActions& out)
{
    (void)m_pal->setPlatformImageState(ImageState::Rejected);
    failWithVal(nowMs, main, sub, words, out);
    setState(nowMs, OtaState::WaitingForJob, OtaEvent::CloseFile, out);
    return refuse(Error::plain(words));
}

Result<void> OtaAgent::onDataBlock(qint64 nowMs, std::uint32_t fileId, std::uint32_t blockId, QByteArrayView payload,
                                   AgentActions& out)
{
    if ((m_state != OtaState::WaitingForFileBlock && m_state != OtaState::RequestingFileBlock) || !m_bitmap || !m_file)
        return refuse(Error::plain(QStringLiteral("block %1 ignored: no download in progress (%2)")
                                       .arg(blockId).arg(otaStateName(m_state))));
    if (fileId != m_file->fileId)
        return refuse(Error::at(-1, QStringLiteral("f"), QStringLiteral("block %1 is for file id %2, the job's file is %3")
                                                             .arg(blockId).arg(fileId).arg(m_file->fileId)));
    // decodeAndStoreDataBlock: any data for the file restarts the request timer.
    armTimer(nowMs, AgentTimer::Request, out);

    // validateDataBlock: every block but the last exactly blockSize, the last the rest.
    const std::uint32_t total = m_bitmap->blockCount();
    const std::uint32_t uninit = std::uint32_t(PalStatus::Uninitialized);
    if (blockId >= total)
        return failBlock(nowMs, uninit, 0,
                         QStringLiteral("block id %1 is past the end of the file (%2 blocks)").arg(blockId).arg(total), out);
    const std::uint32_t last = total - 1;
    const std::uint32_t expected = blockId < last ? m_config.blockSize : m_file->fileSize - last * m_config.blockSize;
    if (std::uint32_t(payload.size()) != expected)
        return failBlock(nowMs, uninit, 0,
                         QStringLiteral("block %1 has %2 bytes, expected %3%4")
                             .arg(blockId).arg(payload.size()).arg(expected)
                             .arg(blockId < last ? QString() : QStringLiteral(" (the last block)")),
                         out);
    if (!m_bitmap->isWanted(blockId)) {
        ++m_counters.duplicateBlocks;  // IngestResultDuplicate_Continue: ignored
        return {};
    }
    if (auto written = m_pal->writeBlock(*m_file, blockId * m_config.blockSize, payload); !written)
        return failBlock(nowMs, uninit, 0,
                         QStringLiteral("writing block %1 failed: %2").arg(blockId).arg(written.error().toString()), out);
    m_bitmap->markReceived(blockId);
    ++m_counters.blocksAccepted;
    m_momentum = 0;
    const std::uint32_t received = total - m_bitmap->missingCount();
    out.push_back(AgentProgress{blockId, received, total});

    if (m_bitmap->complete()) {
        finishFile(nowMs, out);
        return {};
    }
    if (received == 1 || received % m_config.statusUpdateFrequency == 0)
        publishUpdate(JobExecutionStatus::InProgress,
                      QJsonObject{{QStringLiteral("receive"), QStringLiteral("%1/%2").arg(received).arg(total)}}, 0, out);
    if (m_blocksToReceive > 1) {
        --m_blocksToReceive;
    } else {
        requestBlocks(nowMs, OtaEvent::RequestFileBlock, out);
    }
    return {};
}

// ingestDataBlockCleanup + processDataHandler(FileComplete) + closeFileHandler, then the
// application's Activate callback (OTA_ActivateNewImage).
void OtaAgent::finishFile(qint64 nowMs, AgentActions& out)
{
    cancelTimer(AgentTimer::Request, out);
    setState(nowMs, OtaState::ClosingFile, OtaEvent::CloseFile, out);
    auto closed = m_pal->closeFile(*m_file);
    m_fileOpen = false;  // closed either way: closeTransfer must not abort it
    if (!closed) {
        const PalError& e = closed.error();
        (void)m_pal->setPlatformImageState(ImageState::Rejected);
        m_imageState = ImageState::Rejected;
        failWithVal(nowMs, std::uint32_t(e.status), e.subStatus & 0xffffffu,
                    QStringLiteral("job %1: %2").arg(m_jobId, e.toString()), out);
        setState(nowMs, OtaState::WaitingForJob, OtaEvent::CloseFile, out);
        return;
    }
    const bool firmware = !m_file->fileType || *m_file->fileType == m_config.firmwareFileType;
    if (!firmware) {
        // Not a firmware image: the job is done (SUCCEEDED "accepted  v<fileType>").
        const QString reason = QStringLiteral("accepted  v") + AppVersion32::fromWord(*m_file->fileType).toString();
        publishUpdate(JobExecutionStatus::Succeeded,
                      QJsonObject{{QStringLiteral("reason"), reason},
                                  {QStringLiteral("updatedBy"),
                                   QStringLiteral("  v") + AppVersion32::fromWord(m_updaterVersion).toString()}},
                      1, out);
        endJob(nowMs, JobExecutionStatus::Succeeded, reason,
               QStringLiteral("job %1: file of type %2 received and verified").arg(m_jobId).arg(*m_file->fileType), out);
        setState(nowMs, OtaState::WaitingForJob, OtaEvent::CloseFile, out);
        return;
    }
    publishUpdate(JobExecutionStatus::InProgress,
                  QJsonObject{{QStringLiteral("self_test"), QStringLiteral("ready")},
                              {QStringLiteral("updatedBy"), hex8(m_config.appFirmwareVersion.word())}},
                  1, out);
    const OtaFileInfo file = *m_file;
    closeTransfer(out);
    // The job stays the device's until the self-test confirms it; the download is done.
    m_bitmap.reset();
    setState(nowMs, OtaState::WaitingForJob, OtaEvent::CloseFile, out);
    if (auto activated = m_pal->activateNewImage(file); !activated) {
        (void)m_pal->setPlatformImageState(ImageState::Rejected);
        m_imageState = ImageState::Rejected;
        failWithVal(nowMs, std::uint32_t(activated.error().status), activated.error().subStatus & 0xffffffu,
                    QStringLiteral("job %1: %2").arg(m_jobId, activated.error().toString()), out);
        return;
    }
    reboot(RebootReason::Activate, out);
}

QByteArray OtaAgent::persist() const
{
    if (m_jobId.isEmpty() || !m_file || !m_bitmap || m_bitmap->complete())
        return {};
    QCborMap map;
    map.insert(QStringLiteral("job"), m_jobId);
    map.insert(QStringLiteral("stream"), m_streamName);
    map.insert(QStringLiteral("path"), m_file->filePath);
    map.insert(QStringLiteral("size"), qint64(m_file->fileSize));
    map.insert(QStringLiteral("fileid"), qint64(m_file->fileId));
    map.insert(QStringLiteral("cert"), m_file->certFile);
    map.insert(QStringLiteral("sig"), m_file->signature);
    if (m_file->fileType)
        map.insert(QStringLiteral("type"), qint64(*m_file->fileType));
    map.insert(QStringLiteral("bitmap"), m_bitmap->serialise());
    return map.toCborValue().toCbor();
}

Result<void> OtaAgent::restore(QByteArrayView record)
{
    if (m_state != OtaState::Init && m_state != OtaState::Stopped)
        return fail(Error::plain(QStringLiteral("restore: the agent is running (%1); restore before start").arg(otaStateName(m_state))));
    QCborParserError error{};
    const QCborValue value = QCborValue::fromCbor(record.toByteArray(), &error);
    if (error.error != QCborError::NoError)
        return fail(Error::at(error.offset, {}, QStringLiteral("resume record is not CBOR: ") + error.errorString()));
    if (!value.isMap())
        return fail(Error::at(0, {}, QStringLiteral("resume record is not a CBOR map")));
    const QCborMap map = value.toMap();
    auto text = [&](const char* key, bool required) -> Result<QString> {
        const QCborValue v = map.value(QLatin1StringView(key));
        if (v.isUndefined() && !required)
            return QString();
        if (!v.isString())
            return fail(Error::at(-1, QString::fromLatin1(key), QStringLiteral("missing or not text")));
        return v.toString();
    };
    auto number = [&](const char* key) -> Result<std::uint32_t> {
        const QCborValue v = map.value(QLatin1StringView(key));
        if (!v.isInteger() || v.toInteger() < 0 || v.toInteger() > 0xffffffffLL)
            return fail(Error::at(-1, QString::fromLatin1(key), QStringLiteral("missing or not an unsigned 32-bit integer")));
        return std::uint32_t(v.toInteger());
    };
    auto job = text("job", true);
    if (!job) return fail(job.error());
    if (auto ok = validateJobId(*job); !ok) return fail(Error::at(-1, QStringLiteral("job"), ok.error().message));
    auto stream = text("stream", true);
    if (!stream) return fail(stream.error());
    if (auto ok = validateStreamName(*stream); !ok) return fail(Error::at(-1, QStringLiteral("stream"), ok.error().message));
    OtaFileInfo file;
    auto path = text("path", false);
    if (!path) return fail(path.error());
    file.filePath = *path;
    auto cert = text("cert", false);
    if (!cert) return fail(cert.error());
    file.certFile = *cert;
    auto size = number("size");
    if (!size) return fail(size.error());
    file.fileSize = *size;
    auto fileId = number("fileid");
    if (!fileId) return fail(fileId.error());
    file.fileId = *fileId;
    if (map.contains(QLatin1StringView("type"))) {
        auto type = number("type");
        if (!type) return fail(type.error());
        file.fileType = *type;
    }
    const QCborValue sig = map.value(QLatin1StringView("sig"));
    if (!sig.isByteArray())
        return fail(Error::at(-1, QStringLiteral("sig"), QStringLiteral("missing or not bytes")));
    file.signature = sig.toByteArray();
    const QCborValue bits = map.value(QLatin1StringView("bitmap"));
    if (!bits.isByteArray())
        return fail(Error::at(-1, QStringLiteral("bitmap"), QStringLiteral("missing or not bytes")));
    auto bitmap = BlockBitmap::restore(bits.toByteArray());
    if (!bitmap)
        return fail(Error::at(bitmap.error().offset, QStringLiteral("bitmap"), bitmap.error().message));
    if (file.fileSize == 0 || bitmap->blockCount() != BlockBitmap::blocksForFile(file.fileSize, m_config.blockSize))
        return fail(Error::at(-1, QStringLiteral("bitmap"),
                              QStringLiteral("%1 blocks, but %2 bytes in blocks of %3 need %4")
                                  .arg(bitmap->blockCount()).arg(file.fileSize).arg(m_config.blockSize)
                                  .arg(BlockBitmap::blocksForFile(file.fileSize, m_config.blockSize))));
    m_jobId = *job;
    m_streamName = *stream;
    m_file = std::move(file);
    m_bitmap = std::move(*bitmap);
    m_fileOpen = false;
    return {};
}

} // namespace otalab::core::awsota
