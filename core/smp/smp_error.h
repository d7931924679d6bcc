// SPDX-License-Identifier: Apache-2.0
// SMP error responses. v1: {"rc": n} with an MGMT_ERR code; v2: {"err": {"group": g, "rc": n}}
// with a group-specific code (image group: IMG_MGMT_ERR_*, os group: OS_MGMT_ERR_*).
// rc 0 (or no rc/err) means success.
#pragma once

#include <QCborMap>
#include <QString>
#include <optional>

namespace otalab::core::smp {

enum class MgmtErr : int {
    Ok = 0, Unknown = 1, NoMem = 2, Inval = 3, Timeout = 4, NoEnt = 5, BadState = 6,
    MsgSize = 7, NotSup = 8, Corrupt = 9, Busy = 10, AccessDenied = 11,
    UnsupportedTooOld = 12, UnsupportedTooNew = 13,
};

struct DeviceError {
    int rc = 0;
    std::optional<int> group;   // set for the v2 form: rc is then the group's own code
    QString reason;             // "rsn" text some servers add, else empty
};

// The error a response payload carries, or nullopt for success.
std::optional<DeviceError> responseError(const QCborMap& payload);
// v1 error payload {"rc": rc} / v2 {"err": {"group": group, "rc": rc}} (server side).
QCborMap errorPayloadV1(MgmtErr rc);
QCborMap errorPayloadV2(std::uint16_t group, int rc);

// "MGMT_ERR_EBADSTATE" / "IMG_MGMT_ERR_NO_FREE_SLOT" / "rc 99".
QString errorName(const DeviceError& error);
// One sentence a user can act on: what the board refused and what to do next,
// e.g. "the board has no free slot for the image (IMG_MGMT_ERR_NO_FREE_SLOT): erase the
// secondary slot or confirm the running image first".
QString describeError(const DeviceError& error);

} // namespace otalab::core::smp
