// SPDX-License-Identifier: Apache-2.0
// FileVersion rendering.
#include "core/zigbee/file_version.h"

namespace otalab::core::zigbee {
namespace {

QString release(std::uint8_t b) { return QStringLiteral("%1.%2").arg(b >> 4, 0, 16).arg(b & 0xf, 0, 16); }
QString build(std::uint8_t b) { return QStringLiteral("%1").arg(b, 2, 16, QLatin1Char('0')); }

} // namespace

QString FileVersion::toString() const
{
    return QStringLiteral("app %1 build %2, stack %3 build %4")
        .arg(release(applicationRelease()), build(applicationBuild()), release(stackRelease()), build(stackBuild()));
}

} // namespace otalab::core::zigbee
