// SPDX-License-Identifier: Apache-2.0
// Image integrity code computation and verification.
#include "core/zigbee/ota_integrity.h"

#include "core/zigbee/ota_file.h"

namespace otalab::core::zigbee {

namespace {

// Verification tries them in this order; the first match names the convention.
constexpr IntegrityConvention kConventions[] = {IntegrityConvention::BeforeElement, IntegrityConvention::BeforeData,
                                                IntegrityConvention::DevelcoLength16, IntegrityConvention::QorvoCrc32};

// Bytes of the image below which DevelcoLength16 equals BeforeElement (2^16 bits).
constexpr qint64 kAesMmoShortFormLimit = 8192;

QString algorithmName(IntegrityConvention c)
{
    switch (c) {
    case IntegrityConvention::QorvoCrc32: return QStringLiteral("zero-padded CRC-32");
    case IntegrityConvention::DevelcoLength16: return QStringLiteral("AES-MMO with a 16-bit length field");
    default: return QStringLiteral("AES-MMO");
    }
}

QString rangeText(IntegrityConvention c)
{
    switch (c) {
    case IntegrityConvention::BeforeData: return QStringLiteral("up to the 0x0003 element's data");
    case IntegrityConvention::DevelcoLength16:
        return QStringLiteral("up to the 0x0003 element, bit length padded modulo 2^16 as Develco's files do");
    default: return QStringLiteral("up to the 0x0003 element");
    }
}

} // namespace

QString integrityConventionName(IntegrityConvention c)
{
    switch (c) {
    case IntegrityConvention::BeforeElement: return QStringLiteral("before-element");
    case IntegrityConvention::BeforeData: return QStringLiteral("before-data");
    case IntegrityConvention::QorvoCrc32: return QStringLiteral("qorvo-crc32");
    case IntegrityConvention::DevelcoLength16: return QStringLiteral("develco-len16");
    }
    return {};
}

std::uint32_t crc32(QByteArrayView data)
{
    std::uint32_t crc = 0xffffffffu;
    for (char byte : data) {
        crc ^= std::uint8_t(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

Result<IntegrityConvention> integrityConventionFromName(const QString& name)
{
    for (IntegrityConvention c : kConventions)
        if (integrityConventionName(c) == name)
            return c;
    return fail(QStringLiteral("unknown integrity convention '%1' (expected before-element, before-data, qorvo-crc32 "
                               "or develco-len16)").arg(name));
}

Result<AesMmoDigest> integrityDigest(QByteArrayView image, qint64 elementOffset, IntegrityConvention c)
{
    const qint64 end = elementOffset + (c == IntegrityConvention::BeforeData ? kSubElementHeaderSize : 0);
    if (elementOffset < 0 || end > image.size())
        return fail(QStringLiteral("integrity range [0, 0x%1) is outside the image").arg(end, 0, 16));
    if (c == IntegrityConvention::QorvoCrc32) {
        const std::uint32_t crc = crc32(image.first(end));
        AesMmoDigest code{};
        for (int i = 0; i < 4; ++i)
            code[12 + i] = std::uint8_t(crc >> (8 * i));
        return code;
    }
    return aesMmoHash(image.first(end), c == IntegrityConvention::DevelcoLength16 ? AesMmoLengthField::Truncated16
                                                                                  : AesMmoLengthField::Spec);
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
    AesMmoDigest specDigest{};  // before-element, what a spec-conforming client computes
    for (IntegrityConvention c : kConventions) {
        if (c == IntegrityConvention::QorvoCrc32 && stored.first(12) != QByteArray(12, '\0'))
            continue;  // not CRC-shaped: do not list a CRC as the "actual" value
        if (c == IntegrityConvention::DevelcoLength16 && elementOffset - start < kAesMmoShortFormLimit)
            continue;  // the same hash as before-element: nothing new to try or to list
        auto digest = integrityDigest(image, elementOffset - start, c);
        if (!digest) {
            out.state = image::CheckState::Unchecked;
            out.detail = digest.error().message;
            return out;
        }
        if (c == IntegrityConvention::BeforeElement)
            specDigest = *digest;
        const qint64 end = elementOffset + (c == IntegrityConvention::BeforeData ? kSubElementHeaderSize : 0);
        if (toByteArray(*digest) == stored) {
            out.state = image::CheckState::Valid;
            out.matched = c;
            out.detail = QStringLiteral("%1 over [0x%2, 0x%3) matches (%4 convention: %5)")
                             .arg(c == IntegrityConvention::QorvoCrc32 ? QStringLiteral("CRC-32") : algorithmName(c))
                             .arg(start, 0, 16).arg(end, 0, 16).arg(integrityConventionName(c), rangeText(c));
            if (c == IntegrityConvention::DevelcoLength16)
                out.warning = QStringLiteral("image integrity code uses non-standard AES-MMO padding (develco-len16, as in "
                                             "Develco's files): the bit length is stored in 16 bits modulo 2^16, where "
                                             "the Zigbee spec (B.6) uses 32 bits from 8192 bytes on; a client hashing per "
                                             "the spec computes %1")
                                  .arg(toHex(specDigest));
            return out;
        }
        computed += QStringLiteral("%1%2 over [0x%3, 0x%4) is %5").arg(computed.isEmpty() ? QString() : QStringLiteral(", "))
                        .arg(algorithmName(c)).arg(start, 0, 16).arg(end, 0, 16).arg(toHex(*digest));
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
