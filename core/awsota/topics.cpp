// SPDX-License-Identifier: Apache-2.0
#include "core/awsota/topics.h"

#include <QStringList>

namespace otalab::core::awsota {
namespace {

const QString kPrefix = QStringLiteral("$aws/things/");

bool allowedChar(QChar c, bool colonAllowed)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u == '-'
        || (colonAllowed && u == ':');
}

Result<void> validateName(const QString& what, const QString& name, int maxLen, bool colonAllowed)
{
    const QString allowed = colonAllowed ? QStringLiteral("[a-zA-Z0-9:_-]") : QStringLiteral("[a-zA-Z0-9_-]");
    if (name.isEmpty())
        return fail(Error::at(-1, what, QStringLiteral("empty (expected 1..%1 characters of %2)").arg(maxLen).arg(allowed)));
    if (name.size() > maxLen)
        return fail(Error::at(-1, what, QStringLiteral("%1 characters is too long (at most %2)").arg(name.size()).arg(maxLen)));
    for (qsizetype i = 0; i < name.size(); ++i)
        if (!allowedChar(name[i], colonAllowed))
            return fail(Error::at(i, what, QStringLiteral("character '%1' at %2 is not one of %3")
                                               .arg(name[i]).arg(i).arg(allowed)));
    return {};
}

QString thingBase(const QString& thing) { return kPrefix + thing; }

} // namespace

Result<void> validateThingName(const QString& thing) { return validateName(QStringLiteral("thingName"), thing, 128, true); }
Result<void> validateJobId(const QString& jobId) { return validateName(QStringLiteral("jobId"), jobId, 64, false); }
Result<void> validateStreamName(const QString& stream) { return validateName(QStringLiteral("streamId"), stream, 128, false); }

QString Topics::jobsNotifyNext(const QString& thing) { return thingBase(thing) + QStringLiteral("/jobs/notify-next"); }
QString Topics::jobsGetNext(const QString& thing) { return thingBase(thing) + QStringLiteral("/jobs/$next/get"); }
QString Topics::jobsGetNextAccepted(const QString& thing) { return jobsGetNext(thing) + QStringLiteral("/accepted"); }
QString Topics::jobsGetNextRejected(const QString& thing) { return jobsGetNext(thing) + QStringLiteral("/rejected"); }
QString Topics::jobUpdate(const QString& thing, const QString& jobId)
{
    return thingBase(thing) + QStringLiteral("/jobs/") + jobId + QStringLiteral("/update");
}
QString Topics::jobUpdateAccepted(const QString& thing, const QString& jobId) { return jobUpdate(thing, jobId) + QStringLiteral("/accepted"); }
QString Topics::jobUpdateRejected(const QString& thing, const QString& jobId) { return jobUpdate(thing, jobId) + QStringLiteral("/rejected"); }
QString Topics::streamGet(const QString& thing, const QString& stream)
{
    return thingBase(thing) + QStringLiteral("/streams/") + stream + QStringLiteral("/get/cbor");
}
QString Topics::streamData(const QString& thing, const QString& stream)
{
    return thingBase(thing) + QStringLiteral("/streams/") + stream + QStringLiteral("/data/cbor");
}
QString Topics::streamRejected(const QString& thing, const QString& stream)
{
    return thingBase(thing) + QStringLiteral("/streams/") + stream + QStringLiteral("/rejected/cbor");
}

std::optional<ParsedTopic> parseTopic(const QString& topic)
{
    if (!topic.startsWith(kPrefix))
        return std::nullopt;
    const QStringList parts = topic.mid(kPrefix.size()).split(QLatin1Char('/'));
    // parts[0] = thing, parts[1] = "jobs" | "streams", ...
    if (parts.size() < 3 || !validateThingName(parts[0]))
        return std::nullopt;
    ParsedTopic out;
    out.thing = parts[0];
    const QString& area = parts[1];
    if (area == QLatin1String("jobs")) {
        if (parts.size() == 3 && parts[2] == QLatin1String("notify-next")) {
            out.kind = TopicKind::JobsNotifyNext;
            return out;
        }
        if (parts[2] == QLatin1String("$next")) {
            if (parts.size() < 4 || parts[3] != QLatin1String("get") || parts.size() > 5)
                return std::nullopt;
            if (parts.size() == 4)
                out.kind = TopicKind::JobsGetNext;
            else if (parts[4] == QLatin1String("accepted"))
                out.kind = TopicKind::JobsGetNextAccepted;
            else if (parts[4] == QLatin1String("rejected"))
                out.kind = TopicKind::JobsGetNextRejected;
            else
                return std::nullopt;
            return out;
        }
        if (parts.size() < 4 || parts.size() > 5 || parts[3] != QLatin1String("update") || !validateJobId(parts[2]))
            return std::nullopt;
        out.jobId = parts[2];
        if (parts.size() == 4)
            out.kind = TopicKind::JobUpdate;
        else if (parts[4] == QLatin1String("accepted"))
            out.kind = TopicKind::JobUpdateAccepted;
        else if (parts[4] == QLatin1String("rejected"))
            out.kind = TopicKind::JobUpdateRejected;
        else
            return std::nullopt;
        return out;
    }
    if (area == QLatin1String("streams")) {
        if (parts.size() != 5 || parts[4] != QLatin1String("cbor") || !validateStreamName(parts[2]))
            return std::nullopt;
        out.stream = parts[2];
        if (parts[3] == QLatin1String("get"))
            out.kind = TopicKind::StreamGet;
        else if (parts[3] == QLatin1String("data"))
            out.kind = TopicKind::StreamData;
        else if (parts[3] == QLatin1String("rejected"))
            out.kind = TopicKind::StreamRejected;
        else
            return std::nullopt;
        return out;
    }
    return std::nullopt;
}

} // namespace otalab::core::awsota
