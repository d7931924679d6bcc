// SPDX-License-Identifier: Apache-2.0
#include "core/awsota/jobexecution.h"

#include <array>

namespace otalab::core::awsota {

namespace {
constexpr std::array<const char*, kJobExecutionStatusCount> kNames = {
    "QUEUED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED",
};
} // namespace

QString jobExecutionStatusName(JobExecutionStatus status)
{
    const auto i = std::size_t(status);
    return i < kNames.size() ? QString::fromLatin1(kNames[i]) : QStringLiteral("UNKNOWN");
}

std::optional<JobExecutionStatus> jobExecutionStatusFromName(const QString& name)
{
    for (std::size_t i = 0; i < kNames.size(); ++i)
        if (name == QLatin1StringView(kNames[i]))
            return JobExecutionStatus(i);
    return std::nullopt;
}

} // namespace otalab::core::awsota
