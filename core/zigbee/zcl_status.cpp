// SPDX-License-Identifier: Apache-2.0
#include "core/zigbee/zcl_status.h"

#include "core/common/bytes.h"

namespace otalab::core::zigbee {

QString zclStatusName(ZclStatus status)
{
    switch (status) {
    case ZclStatus::Success: return QStringLiteral("SUCCESS");
    case ZclStatus::Failure: return QStringLiteral("FAILURE");
    case ZclStatus::NotAuthorized: return QStringLiteral("NOT_AUTHORIZED");
    case ZclStatus::MalformedCommand: return QStringLiteral("MALFORMED_COMMAND");
    case ZclStatus::UnsupClusterCommand: return QStringLiteral("UNSUP_COMMAND");
    case ZclStatus::Abort: return QStringLiteral("ABORT");
    case ZclStatus::InvalidImage: return QStringLiteral("INVALID_IMAGE");
    case ZclStatus::WaitForData: return QStringLiteral("WAIT_FOR_DATA");
    case ZclStatus::NoImageAvailable: return QStringLiteral("NO_IMAGE_AVAILABLE");
    case ZclStatus::RequireMoreImage: return QStringLiteral("REQUIRE_MORE_IMAGE");
    }
    return hex(std::uint8_t(status), 2);
}

} // namespace otalab::core::zigbee
