// SPDX-License-Identifier: Apache-2.0
#include "core/zigbee/ota_cluster_actions.h"

namespace otalab::core::zigbee {

QString imageUpgradeStatusName(ImageUpgradeStatus s)
{
    switch (s) {
    case ImageUpgradeStatus::Normal: return QStringLiteral("Normal");
    case ImageUpgradeStatus::DownloadInProgress: return QStringLiteral("DownloadInProgress");
    case ImageUpgradeStatus::DownloadComplete: return QStringLiteral("DownloadComplete");
    case ImageUpgradeStatus::WaitingToUpgrade: return QStringLiteral("WaitingToUpgrade");
    case ImageUpgradeStatus::CountDown: return QStringLiteral("CountDown");
    case ImageUpgradeStatus::WaitForMore: return QStringLiteral("WaitForMore");
    case ImageUpgradeStatus::WaitingToUpgradeViaExternalEvent: return QStringLiteral("WaitingToUpgradeViaExternalEvent");
    }
    return QStringLiteral("0x%1").arg(int(s), 2, 16, QLatin1Char('0'));
}

QString otaEventKindName(OtaEventKind k)
{
    switch (k) {
    case OtaEventKind::QueryAnswered: return QStringLiteral("query-answered");
    case OtaEventKind::DownloadStarted: return QStringLiteral("download-started");
    case OtaEventKind::BlockServed: return QStringLiteral("block-served");
    case OtaEventKind::BlockReceived: return QStringLiteral("block-received");
    case OtaEventKind::WaitForDataSent: return QStringLiteral("wait-for-data-sent");
    case OtaEventKind::WaitForDataReceived: return QStringLiteral("wait-for-data-received");
    case OtaEventKind::RequestTimedOut: return QStringLiteral("request-timed-out");
    case OtaEventKind::DownloadFailed: return QStringLiteral("download-failed");
    case OtaEventKind::DownloadComplete: return QStringLiteral("download-complete");
    case OtaEventKind::ImageVerified: return QStringLiteral("image-verified");
    case OtaEventKind::UpgradeEndReceived: return QStringLiteral("upgrade-end-received");
    case OtaEventKind::UpgradeScheduled: return QStringLiteral("upgrade-scheduled");
    case OtaEventKind::SessionExpired: return QStringLiteral("session-expired");
    case OtaEventKind::FileInstalled: return QStringLiteral("file-installed");
    case OtaEventKind::MalformedFrame: return QStringLiteral("malformed-frame");
    }
    return QStringLiteral("unknown");
}

} // namespace otalab::core::zigbee
