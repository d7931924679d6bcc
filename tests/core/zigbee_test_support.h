// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the Zigbee OTA tests: a small valid file and byte patching.
#pragma once

#include "core/image/inspection.h"
#include "core/zigbee/ota_builder.h"

#include <QByteArray>
#include <QString>
#include <cstdint>

namespace otalab::core::zigbee::test {

inline OtaBuildSpec sampleSpec()
{
    OtaBuildSpec spec;
    spec.header.manufacturerCode = 0x1234;
    spec.header.imageType = 0x0001;
    spec.header.fileVersion = 0x10053519;
    spec.header.headerString = "OTA Lab test image";
    QByteArray fw(200, '\0');
    for (int i = 0; i < fw.size(); ++i)
        fw[i] = char(i * 7);
    spec.firmware = fw;
    return spec;
}

inline QByteArray sampleFile()
{
    auto bytes = buildOtaFile(sampleSpec());
    return bytes ? *bytes : QByteArray();
}

inline void putLe(QByteArray& b, qint64 at, std::uint64_t v, int width)
{
    for (int i = 0; i < width; ++i)
        b[at + i] = char((v >> (8 * i)) & 0xff);
}

// The first Error finding, or nullptr.
inline const image::Finding* firstError(const image::Inspection& i) { return i.firstError(); }

inline bool hasFinding(const image::Inspection& i, image::Severity s, const QString& field, qint64 offset)
{
    for (const auto& f : i.findings)
        if (f.severity == s && f.field == field && f.offset == offset)
            return true;
    return false;
}

} // namespace otalab::core::zigbee::test
