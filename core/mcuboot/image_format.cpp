// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/image_format.h"

#include "core/common/bytes.h"

#include <QRegularExpression>
#include <QStringList>

namespace otalab::core::mcuboot {

QString tlvTypeName(std::uint16_t type)
{
    switch (type) {
    case TlvKeyHash: return QStringLiteral("KEYHASH");
    case TlvPubKey: return QStringLiteral("PUBKEY");
    case 0x03: return QStringLiteral("KEYID");
    case TlvSha256: return QStringLiteral("SHA256");
    case 0x11: return QStringLiteral("SHA384");
    case 0x12: return QStringLiteral("SHA512");
    case TlvRsa2048Pss: return QStringLiteral("RSA2048_PSS");
    case TlvEcdsaSig: return QStringLiteral("ECDSA_SIG");
    case TlvRsa3072Pss: return QStringLiteral("RSA3072_PSS");
    case TlvEd25519: return QStringLiteral("ED25519");
    case 0x25: return QStringLiteral("SIG_PURE");
    case TlvEncRsa2048: return QStringLiteral("ENC_RSA2048");
    case TlvEncKw: return QStringLiteral("ENC_KW");
    case TlvEncEc256: return QStringLiteral("ENC_EC256");
    case TlvEncX25519: return QStringLiteral("ENC_X25519");
    case 0x34: return QStringLiteral("ENC_X25519_SHA512");
    case TlvDependency: return QStringLiteral("DEPENDENCY");
    case TlvSecurityCounter: return QStringLiteral("SEC_CNT");
    case 0x60: return QStringLiteral("BOOT_RECORD");
    default: break;
    }
    return hex(type, 4);
}

QString flagsText(std::uint32_t flags)
{
    static const std::pair<std::uint32_t, const char*> names[] = {
        {FlagPic, "PIC"}, {FlagEncryptedAes128, "ENCRYPTED_AES128"}, {FlagEncryptedAes256, "ENCRYPTED_AES256"},
        {FlagNonBootable, "NON_BOOTABLE"}, {FlagRamLoad, "RAM_LOAD"}, {FlagRomFixed, "ROM_FIXED"},
        {0x200, "COMPRESSED_LZMA1"}, {0x400, "COMPRESSED_LZMA2"}, {0x800, "COMPRESSED_ARM_THUMB"}};
    QStringList parts;
    std::uint32_t rest = flags;
    for (const auto& [bit, name] : names)
        if (flags & bit) {
            parts << QString::fromLatin1(name);
            rest &= ~bit;
        }
    if (rest)
        parts << hex(rest, 8);
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(" | "));
}

bool isSignatureTlv(std::uint16_t type)
{
    return type == TlvRsa2048Pss || type == TlvEcdsaSig || type == TlvRsa3072Pss || type == TlvEd25519;
}

bool isEncryptionTlv(std::uint16_t type)
{
    return type == TlvEncRsa2048 || type == TlvEncKw || type == TlvEncEc256 || type == TlvEncX25519 || type == 0x34;
}

Result<ImageVersion> ImageVersion::parse(const QString& text)
{
    // Same grammar as imgtool/version.py: ^N(.N(.N(+N)?)?)?$
    static const QRegularExpression re(QStringLiteral("^(\\d+)(\\.(\\d+)(\\.(\\d+)(\\+(\\d+))?)?)?$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return fail(QStringLiteral("invalid version '%1', expected major.minor.revision+build with later parts optional")
                        .arg(text));
    auto part = [&](int group, quint64 max, const char* what) -> Result<quint64> {
        if (m.captured(group).isEmpty())
            return 0;
        bool ok = false;
        const quint64 v = m.captured(group).toULongLong(&ok);
        if (!ok || v > max)
            return fail(QStringLiteral("version %1 %2 does not fit (maximum %3)").arg(QLatin1String(what), m.captured(group)).arg(max));
        return v;
    };
    ImageVersion v;
    auto major = part(1, 0xff, "major");
    auto minor = part(3, 0xff, "minor");
    auto revision = part(5, 0xffff, "revision");
    auto build = part(7, 0xffffffff, "build");
    for (auto* r : {&major, &minor, &revision, &build})
        if (!*r)
            return fail(r->error());
    v.major = std::uint8_t(*major);
    v.minor = std::uint8_t(*minor);
    v.revision = std::uint16_t(*revision);
    v.build = std::uint32_t(*build);
    return v;
}

QString ImageVersion::toString() const
{
    return QStringLiteral("%1.%2.%3+%4").arg(major).arg(minor).arg(revision).arg(build);
}

} // namespace otalab::core::mcuboot
