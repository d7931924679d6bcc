// SPDX-License-Identifier: Apache-2.0
#include "core/awsota/otapal.h"

namespace otalab::core::awsota {

QString palStatusWords(PalStatus status)
{
    switch (status) {
    case PalStatus::Success: return QStringLiteral("success");
    case PalStatus::Uninitialized: return QStringLiteral("result not set by the platform");
    case PalStatus::OutOfMemory: return QStringLiteral("out of memory");
    case PalStatus::NullFileContext: return QStringLiteral("no file context");
    case PalStatus::SignatureCheckFailed: return QStringLiteral("signature check failed");
    case PalStatus::RxFileCreateFailed: return QStringLiteral("receive file create failed");
    case PalStatus::RxFileTooLarge: return QStringLiteral("receive file too large for the platform");
    case PalStatus::BootInfoCreateFailed: return QStringLiteral("boot info create failed");
    case PalStatus::BadSignerCert: return QStringLiteral("signer certificate unreadable or empty");
    case PalStatus::BadImageState: return QStringLiteral("image state out of range");
    case PalStatus::AbortFailed: return QStringLiteral("abort failed");
    case PalStatus::RejectFailed: return QStringLiteral("reject failed");
    case PalStatus::CommitFailed: return QStringLiteral("commit of the new image failed");
    case PalStatus::ActivateFailed: return QStringLiteral("activation of the new image failed");
    case PalStatus::FileAbort: return QStringLiteral("low-level file abort failed");
    case PalStatus::FileClose: return QStringLiteral("low-level file close failed");
    }
    return QStringLiteral("PAL status 0x%1").arg(unsigned(status), 2, 16, QLatin1Char('0'));
}

QString PalError::toString() const
{
    QString s = QStringLiteral("0x%1 %2").arg(word(), 8, 16, QLatin1Char('0')).arg(palStatusWords(status));
    if (!detail.isEmpty())
        s += QStringLiteral(": ") + detail;
    return s;
}

QString imageStateName(ImageState state)
{
    switch (state) {
    case ImageState::Unknown: return QStringLiteral("Unknown");
    case ImageState::Testing: return QStringLiteral("Testing");
    case ImageState::Accepted: return QStringLiteral("Accepted");
    case ImageState::Rejected: return QStringLiteral("Rejected");
    case ImageState::Aborted: return QStringLiteral("Aborted");
    }
    return QStringLiteral("Unknown");
}

QString palImageStateName(PalImageState state)
{
    switch (state) {
    case PalImageState::Unknown: return QStringLiteral("Unknown");
    case PalImageState::PendingCommit: return QStringLiteral("PendingCommit");
    case PalImageState::Valid: return QStringLiteral("Valid");
    case PalImageState::Invalid: return QStringLiteral("Invalid");
    }
    return QStringLiteral("Unknown");
}

} // namespace otalab::core::awsota
