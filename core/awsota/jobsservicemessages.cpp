// SPDX-License-Identifier: Apache-2.0
// The messages JobsStreamService publishes: typed → topic + bytes.
#include "core/awsota/jobsservice.h"
#include "core/awsota/topics.h"

#include <QJsonDocument>

namespace otalab::core::awsota {

QString JobNotification::topic() const
{
    return onNextGetAccepted ? Topics::jobsGetNextAccepted(thingName) : Topics::jobsNotifyNext(thingName);
}

QByteArray JobNotification::payload() const
{
    if (document)
        return encodeJobNotification(*document, timestampS, executionNumber);
    // No pending execution: AWS sends only the timestamp.
    return QJsonDocument(QJsonObject{{QStringLiteral("timestamp"), qint64(timestampS)}}).toJson(QJsonDocument::Compact);
}

QByteArrayView StreamBlock::data() const
{
    if (!image || blockSize == 0)
        return {};
    const qint64 offset = qint64(blockId) * qint64(blockSize);
    if (offset >= image->size())
        return {};
    const qint64 length = std::min<qint64>(blockSize, image->size() - offset);
    return QByteArrayView(image->constData() + offset, length);
}

QString StreamBlock::topic() const { return Topics::streamData(thingName, streamName); }

QByteArray StreamBlock::payload() const
{
    const QByteArrayView bytes = data();
    StreamDataBlock block;
    block.fileId = fileId;
    block.blockId = blockId;
    block.blockSize = std::uint32_t(bytes.size());
    block.payload = QByteArray::fromRawData(bytes.data(), bytes.size());  // encoded, not kept
    return encodeDataBlock(block);
}

qsizetype StreamBlock::encodedSize() const
{
    return qsizetype(encodedDataBlockSize(fileId, blockId, std::uint32_t(data().size())));
}

QString UpdateResponse::topic() const
{
    return accepted ? Topics::jobUpdateAccepted(thingName, jobId) : Topics::jobUpdateRejected(thingName, jobId);
}

QByteArray UpdateResponse::payload() const
{
    QJsonObject o{{QStringLiteral("timestamp"), qint64(timestampS)}};
    if (!accepted) {
        o.insert(QStringLiteral("code"), errorCode);
        o.insert(QStringLiteral("message"), message);
    }
    if (!clientToken.isEmpty())
        o.insert(QStringLiteral("clientToken"), clientToken);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString ServicePublish::topic() const
{
    return std::visit([](const auto& m) { return m.topic(); }, message);
}

QByteArray ServicePublish::payload() const
{
    return std::visit([](const auto& m) { return m.payload(); }, message);
}

} // namespace otalab::core::awsota
