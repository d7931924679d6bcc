// SPDX-License-Identifier: Apache-2.0
// The OCF fleet's images: MCUboot files built once, their verdicts cached.
#include "sim/ocf/ocfimages.h"

#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_verifier.h"

#include <QtEndian>

#include <algorithm>

namespace otalab::sim {

namespace core_mcuboot = core::mcuboot;

namespace {

// Body bytes from a label (not the run's seed): a sweep over seeds sends the same file.
QByteArray generateBody(std::uint32_t size, const QString& label)
{
    std::uint64_t x = 0xcbf29ce484222325ull;
    for (const QChar ch : label)
        x = (x ^ ch.unicode()) * 0x100000001b3ull;
    QByteArray bytes(qsizetype(size), Qt::Uninitialized);
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        bytes[i] = char(x >> 56);
    }
    return bytes;
}

int compareVersions(const core_mcuboot::ImageVersion& a, const core_mcuboot::ImageVersion& b)
{
    if (a.major != b.major)
        return a.major < b.major ? -1 : 1;
    if (a.minor != b.minor)
        return a.minor < b.minor ? -1 : 1;
    if (a.revision != b.revision)
        return a.revision < b.revision ? -1 : 1;
    return 0;
}

QString shortVersion(const core_mcuboot::ImageVersion& v)
{
    return QStringLiteral("%1.%2.%3").arg(v.major).arg(v.minor).arg(v.revision);
}

} // namespace

QString ocfImageVariantName(OcfImageVariant variant)
{
    static const char* const names[kOcfImageVariantCount] = {"release", "tampered", "wrong-key", "downgrade", "replay", "fails-self-test",
                                                             "does-not-boot"};
    return QString::fromLatin1(names[int(variant)]);
}

Result<OcfImages> OcfImages::create(std::uint32_t bodyBytes, const QString& version, const QString& runningVersion)
{
    OcfImages images;
    images.m_bodyBytes = bodyBytes;
    const auto next = core_mcuboot::ImageVersion::parse(version);
    if (!next)
        return fail(Error::at(-1, QStringLiteral("image.version"), QStringLiteral("\"%1\": %2").arg(version, next.error().message)));
    const auto running = core_mcuboot::ImageVersion::parse(runningVersion);
    if (!running)
        return fail(Error::at(-1, QStringLiteral("image.runningVersion"), QStringLiteral("\"%1\": %2").arg(runningVersion, running.error().message)));
    if (compareVersions(*next, *running) <= 0)
        return fail(Error::at(-1, QStringLiteral("image.version"),
                              QStringLiteral("%1 is not newer than the running %2: the devices refuse it (no downgrade)").arg(version, runningVersion)));
    images.m_version = shortVersion(*next);
    images.m_running = shortVersion(*running);
    auto trusted = core::crypto::PKey::generate(core::crypto::KeyType::Ed25519);
    auto other = core::crypto::PKey::generate(core::crypto::KeyType::Ed25519);
    if (!trusted || !other)
        return fail(trusted ? other.error() : trusted.error());
    images.m_trusted = *trusted;
    images.m_other = *other;
    if (auto ok = images.ensure(OcfImageVariant::Release); !ok)
        return fail(ok.error());
    return images;
}

Result<void> OcfImages::ensure(OcfImageVariant variant)
{
    auto& slot = m_images[std::size_t(variant)];
    if (slot)
        return {};
    using V = OcfImageVariant;
    auto version = *core_mcuboot::ImageVersion::parse(m_version);
    const auto running = *core_mcuboot::ImageVersion::parse(m_running);
    if (variant == V::Replay)
        version = running;
    if (variant == V::Downgrade) {
        version = running;
        version.build = 0;
        if (version.revision > 0)
            --version.revision;
        else if (version.minor > 0)
            --version.minor;
        else if (version.major > 0)
            --version.major;
        else
            return fail(Error{QStringLiteral("attack downgrade: the running version %1 has no lower version").arg(m_running)});
    }
    core_mcuboot::ImageCreateOptions options;
    options.padHeader = true;
    options.version = version;
    options.securityCounterAuto = true;
    options.signingKey = variant == V::WrongKey ? m_other : m_trusted;
    const QString label = shortVersion(version) + QLatin1Char('-') + ocfImageVariantName(variant == V::Tampered ? V::Release : variant);
    auto file = core_mcuboot::createImage(generateBody(m_bodyBytes, label), options);
    if (!file)
        return fail(file.error());
    OcfImage image;
    image.bytes = std::move(*file);
    if (variant == V::Tampered) {
        const qsizetype at = core_mcuboot::kHeaderSize + qsizetype(m_bodyBytes / 2);
        image.bytes[at] = char(image.bytes[at] ^ 0x5a);   // one byte of the body changed after signing
    }
    image.version = shortVersion(version);
    image.path = variant == V::Release ? QStringLiteral("fw/%1").arg(image.version)
                                       : QStringLiteral("fw/%1-%2").arg(image.version, ocfImageVariantName(variant));
    for (const QString& segment : image.path.split(QLatin1Char('/')))
        image.segments.push_back(segment.toUtf8());
    std::uint32_t tag = 0x811c9dc5u;
    for (const QChar ch : image.path)
        tag = (tag ^ ch.unicode()) * 0x01000193u;
    image.etag = QByteArray(4, Qt::Uninitialized);
    qToBigEndian(tag, image.etag.data());

    // The verdict a device's validate() gives: hash + signature by the trusted key
    // (MCUboot bootutil's check), then version and security counter not lower than the
    // running image's, and strictly newer (a replay of the running image is refused).
    const auto parsed = core_mcuboot::parseImage(image.bytes);
    if (!parsed) {
        image.verdict = fail(Error{QStringLiteral("not an MCUboot image: %1").arg(parsed.error().message)});
    } else {
        const auto report = core_mcuboot::verifyImage(*parsed, {m_trusted});
        const bool signatureOk = !report.signatures.empty() &&
                                 std::any_of(report.signatures.begin(), report.signatures.end(), [](const core_mcuboot::SignatureCheck& c) {
                                     return c.verdict == core_mcuboot::SignatureVerdict::Valid;
                                 });
        std::uint32_t counter = 0;
        if (const auto* tlv = parsed->findAny(core_mcuboot::TlvSecurityCounter); tlv && tlv->value.size() == 4)
            counter = qFromLittleEndian<std::uint32_t>(tlv->value.constData());
        const QString v = shortVersion(parsed->header.version);
        if (!report.hash.valid)
            image.verdict = fail(Error{QStringLiteral("SHA-256 of the image does not match its SHA256 TLV (image altered after signing)")});
        else if (!signatureOk)
            image.verdict = fail(Error{QStringLiteral("signature does not verify with the trusted key (%1)")
                                           .arg(report.signatures.empty() ? QStringLiteral("no signature") : report.signatures.front().detail)});
        else if (compareVersions(parsed->header.version, running) < 0)
            image.verdict = fail(Error{QStringLiteral("version %1 is older than the running %2 (downgrade refused)").arg(v, m_running)});
        else if (compareVersions(parsed->header.version, running) == 0)
            image.verdict = fail(Error{QStringLiteral("version %1 is the one running (replay refused)").arg(v)});
        else if (counter < running.autoSecurityCounter())
            image.verdict = fail(Error{QStringLiteral("security counter %1 below the running image's %2").arg(counter).arg(running.autoSecurityCounter())});
        else
            image.verdict = core::ocf::SwUpdateImageInfo{v, counter, std::uint64_t(image.bytes.size())};
    }
    slot = std::move(image);
    return {};
}

const OcfImage* OcfImages::image(OcfImageVariant variant) const
{
    const auto& slot = m_images[std::size_t(variant)];
    return slot ? &*slot : nullptr;
}

std::optional<OcfImageVariant> OcfImages::variantAt(const QString& uriPath) const
{
    for (int k = 0; k < kOcfImageVariantCount; ++k)
        if (m_images[std::size_t(k)] && m_images[std::size_t(k)]->path == uriPath)
            return OcfImageVariant(k);
    return std::nullopt;
}

std::optional<OcfImageVariant> OcfImages::variantOf(const core::ocf::CoapMessage& request) const
{
    for (int k = 0; k < kOcfImageVariantCount; ++k) {
        const auto& image = m_images[std::size_t(k)];
        if (!image)
            continue;
        qsizetype segment = 0;
        bool match = true;
        for (const core::ocf::CoapOption& o : request.options) {
            if (o.number != core::ocf::coap_option::UriPath)
                continue;
            if (segment >= image->segments.size() || o.value != image->segments[segment]) {
                match = false;
                break;
            }
            ++segment;
        }
        if (match && segment == image->segments.size())
            return OcfImageVariant(k);
    }
    return std::nullopt;
}

Result<core::ocf::SwUpdateImageInfo> OcfImages::readHeader(QByteArrayView first)
{
    if (first.size() < core_mcuboot::kHeaderSize)
        return fail(Error::at(first.size(), QStringLiteral("header"), QStringLiteral("%1 bytes: an MCUboot header is 32 bytes").arg(first.size())));
    const auto* p = reinterpret_cast<const uchar*>(first.data());
    if (qFromLittleEndian<std::uint32_t>(p) != core_mcuboot::kImageMagic)
        return fail(Error::at(0, QStringLiteral("header.magic"), QStringLiteral("expected the MCUboot magic 0x96f3b83d")));
    core::ocf::SwUpdateImageInfo info;
    info.version = QStringLiteral("%1.%2.%3").arg(p[20]).arg(p[21]).arg(qFromLittleEndian<std::uint16_t>(p + 22));
    info.sizeBytes = qFromLittleEndian<std::uint16_t>(p + 8) + std::uint64_t(qFromLittleEndian<std::uint32_t>(p + 12));
    return info;
}

} // namespace otalab::sim
