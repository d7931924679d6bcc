// SPDX-License-Identifier: Apache-2.0
// The images an OCF fleet's image server offers: the release and, when a scenario asks for
// them, its bad and forged variants. Each is a real MCUboot image (core/mcuboot's
// createImage, Ed25519, imgtool's layout) built once per fleet and shared by every device;
// its verdict (what a device's validate() says) is computed once with core/mcuboot's
// verifyImage against the devices' trusted key and cached.
#pragma once

#include "core/common/error.h"
#include "core/crypto/pkey.h"
#include "core/mcuboot/image_format.h"
#include "core/ocf/swupdate_device.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>

namespace otalab::sim {

enum class OcfImageVariant : std::uint8_t {
    Release,         // the new version, signed with the trusted key
    Tampered,        // the release with body bytes changed after signing (attack tamperedImage)
    WrongKey,        // the new version signed with a key the devices do not trust (attack wrongKey)
    Downgrade,       // a version below the running one, signed with the trusted key (attack downgrade)
    Replay,          // the running version again, signed with the trusted key (attack replay)
    FailsSelfTest,   // the new version, valid, whose application fails its self-test (fault badImage)
    DoesNotBoot,     // the new version, valid, that crashes at boot (fault badImage)
};
inline constexpr int kOcfImageVariantCount = 7;
QString ocfImageVariantName(OcfImageVariant variant);   // "release", "tampered", ...

struct OcfImage {
    QByteArray bytes;                 // the whole MCUboot file (shared, never copied per device)
    QString path;                     // Uri-Path on the image server: "fw/2.0.0-tampered"
    QList<QByteArray> segments;       // its Uri-Path options: "fw", "2.0.0-tampered"
    QString version;                  // header version "2.0.0"
    QByteArray etag;                  // 4 bytes
    Result<core::ocf::SwUpdateImageInfo> verdict = fail(Error{QStringLiteral("not built")});
};

// Builds variants on demand; Release is built by create().
class OcfImages {
public:
    static Result<OcfImages> create(std::uint32_t bodyBytes, const QString& version, const QString& runningVersion);

    // Builds `variant` when missing (before the run: armFault / armAttack).
    Result<void> ensure(OcfImageVariant variant);
    const OcfImage* image(OcfImageVariant variant) const;
    // The variant served at a Uri-Path ("fw/2.0.0"), nullopt for none.
    std::optional<OcfImageVariant> variantAt(const QString& uriPath) const;
    // The same for a request's Uri-Path options, compared as bytes (no text conversion).
    std::optional<OcfImageVariant> variantOf(const core::ocf::CoapMessage& request) const;
    // MCUboot header of the first bytes of a file: version, or why it is not an image.
    static Result<core::ocf::SwUpdateImageInfo> readHeader(QByteArrayView firstBytes);
    const QString& runningVersion() const { return m_running; }

private:
    std::uint32_t m_bodyBytes = 0;
    QString m_version;
    QString m_running;
    core::crypto::PKey m_trusted;     // the devices' trusted signing key (generated per fleet)
    core::crypto::PKey m_other;       // another key (wrongKey)
    std::array<std::optional<OcfImage>, kOcfImageVariantCount> m_images;
};

} // namespace otalab::sim
