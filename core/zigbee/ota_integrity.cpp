// SPDX-License-Identifier: Apache-2.0
// Image integrity code computation and verification.
#include "core/zigbee/ota_integrity.h"

#include "core/zigbee/ota_file.h"

namespace otalab::core::zigbee {

QString integrityConventionName(IntegrityConvention c)
{
    return c == IntegrityConvention::BeforeElement ? QStringLiteral("before-element") : QStringLiteral("before-data");
}

Result<IntegrityConvention> integrityConventionFromName(const QString& name)
{
    for (IntegrityConvention c : {IntegrityConvention::BeforeElement, IntegrityConvention::BeforeData})
        if (integrityConventionName(c) == name)
            return c;
    return fail(QStringLiteral("unknown integrity convention '%1' (expected before-element or before-data)").arg(name));
}

Result<AesMmoDigest> integrityDigest(QByteArrayView image, qint64 elementOffset, IntegrityConvention c)
{
    const qint64 end = elementOffset + (c == IntegrityConvention::BeforeData ? kSubElementHeaderSize : 0);
    if (elementOffset < 0 || end > image.size())
        return fail(QStringLiteral("integrity range [0, 0x%1) is outside the image").arg(end, 0, 16));
    return aesMmoHash(image.first(end));
}

IntegrityResult verifyIntegrityCode(QByteArrayView file, qint64 start, qint64 elementOffset, QByteArrayView stored,
                                    QString* mismatchMessage)
{
    IntegrityResult out;
    if (stored.size() != 16) {
        out.state = image::CheckState::Invalid;
        out.detail = QStringLiteral("integrity code is %1 bytes, expected 16 (AES-MMO)").arg(stored.size());
        if (mismatchMessage)
            *mismatchMessage = out.detail;
        return out;
    }
    const QByteArrayView image = file.sliced(start);
    QString computed;
    for (IntegrityConvention c : {IntegrityConvention::BeforeElement, IntegrityConvention::BeforeData}) {
        auto digest = integrityDigest(image, elementOffset - start, c);
        if (!digest) {
            out.state = image::CheckState::Unchecked;
            out.detail = digest.error().message;
            return out;
        }
        const qint64 end = elementOffset + (c == IntegrityConvention::BeforeData ? kSubElementHeaderSize : 0);
        if (toByteArray(*digest) == stored) {
            out.state = image::CheckState::Valid;
            out.matched = c;
            out.detail = QStringLiteral("AES-MMO over [0x%1, 0x%2) matches (%3 convention: %4)")
                             .arg(start, 0, 16).arg(end, 0, 16).arg(integrityConventionName(c),
                                  c == IntegrityConvention::BeforeElement ? QStringLiteral("up to the 0x0003 element")
                                                                          : QStringLiteral("up to the 0x0003 element's data"));
            return out;
        }
        computed += QStringLiteral("%1AES-MMO over [0x%2, 0x%3) is %4").arg(computed.isEmpty() ? QString() : QStringLiteral(", "))
                        .arg(start, 0, 16).arg(end, 0, 16).arg(toHex(*digest));
    }
    out.state = image::CheckState::Invalid;
    out.detail = QStringLiteral("integrity code mismatch at 0x%1").arg(elementOffset, 0, 16);
    if (mismatchMessage)
        *mismatchMessage = QStringLiteral("image integrity code of the element at 0x%1 does not match: expected %2 (stored), "
                                          "actual %3")
                               .arg(elementOffset, 0, 16).arg(QString::fromLatin1(stored.toByteArray().toHex()), computed);
    return out;
}

} // namespace otalab::core::zigbee
