// SPDX-License-Identifier: Apache-2.0
// `image create zigbee` and the Zigbee half of `image sign`: build / sign Zigbee OTA files.
#include "app/cli/commands.h"

#include "core/crypto/pkey.h"
#include "core/zigbee/crypto_suite.h"
#include "core/zigbee/eui64.h"
#include "core/zigbee/file_version.h"
#include "core/zigbee/ota_builder.h"
#include "core/zigbee/ota_names.h"
#include "core/zigbee/ota_parser.h"
#include "core/zigbee/ota_signature.h"

namespace otalab::cli {
namespace {

namespace zb = core::zigbee;

struct Failure {
    QString message;
    int code;
};

template <typename T>
using CliResult = std::expected<T, Failure>;

std::unexpected<Failure> usage(QString message) { return std::unexpected(Failure{std::move(message), ExitUsage}); }

CliResult<quint64> number(const QCommandLineParser& p, const QString& option, quint64 max)
{
    auto v = parseUnsigned(p.value(option), option, max);
    if (!v)
        return usage(v.error().message);
    return *v;
}

// "TAG:FILE" → element with the file's bytes.
CliResult<zb::SubElement> elementFromArg(const QString& arg)
{
    const qsizetype colon = arg.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return usage(QStringLiteral("--element: '%1' is not TAG:FILE (e.g. 0xf001:extra.bin)").arg(arg));
    auto tag = parseUnsigned(arg.left(colon), QStringLiteral("element"), 0xffff);
    if (!tag)
        return usage(tag.error().message);
    auto data = readFile(arg.mid(colon + 1));
    if (!data)
        return std::unexpected(Failure{data.error().message, ExitIo});
    return zb::SubElement{std::uint16_t(*tag), *data, std::nullopt, -1};
}

// Signing key + signer IEEE from --sign-key/--key and --signer-ieee.
CliResult<std::pair<core::crypto::PKey, zb::SignOptions>> signingInputs(const QCommandLineParser& p, const QString& keyOption,
                                                                         const QString& ieeeOption, const QString& issuerOption)
{
    if (!p.isSet(ieeeOption))
        return usage(QStringLiteral("--%1 is required with --%2 (the signer's EUI64)").arg(ieeeOption, keyOption));
    auto signer = zb::parseEui64(p.value(ieeeOption), QStringLiteral("--") + ieeeOption);
    if (!signer)
        return usage(signer.error().message);
    zb::SignOptions options{*signer, 0};
    if (p.isSet(issuerOption)) {
        auto issuer = zb::parseEui64(p.value(issuerOption), QStringLiteral("--") + issuerOption);
        if (!issuer)
            return usage(issuer.error().message);
        options.issuerIeee = *issuer;
    }
    auto key = core::crypto::PKey::fromFile(p.value(keyOption));
    if (!key)
        return std::unexpected(Failure{key.error().message, ExitIo});
    if (auto suite = zb::suiteForKey(*key); !suite)
        return usage(QStringLiteral("--%1: %2").arg(keyOption, suite.error().message));
    if (!key->hasPrivate())
        return usage(QStringLiteral("--%1: %2 holds no private key").arg(keyOption, p.value(keyOption)));
    return std::pair{*key, options};
}

QString summary(const QString& path, const QByteArray& bytes)
{
    const zb::OtaParseResult parsed = zb::parseOtaFile(bytes);
    const zb::OtaHeader& h = parsed.file.header;
    QStringList tags;
    for (const zb::SubElement& e : parsed.file.elements)
        tags << QStringLiteral("0x%1").arg(e.tag, 4, 16, QLatin1Char('0'));
    return QStringLiteral("wrote %1: %2 bytes, manufacturer 0x%3, image type 0x%4 (%5), file version 0x%6 (%7), elements %8\n")
        .arg(path).arg(bytes.size()).arg(h.manufacturerCode, 4, 16, QLatin1Char('0')).arg(h.imageType, 4, 16, QLatin1Char('0'))
        .arg(zb::imageTypeName(h.imageType)).arg(h.fileVersion, 8, 16, QLatin1Char('0'))
        .arg(zb::FileVersion{h.fileVersion}.toString(), tags.join(QLatin1Char(' ')));
}

struct CreateOptions {
    QCommandLineOption in{QStringLiteral("in"), QStringLiteral("Raw firmware binary for the upgrade image element (tag 0x0000)."), QStringLiteral("file")};
    QCommandLineOption out{QStringLiteral("out"), QStringLiteral("OTA file to write."), QStringLiteral("file")};
    QCommandLineOption manufacturer{QStringLiteral("manufacturer"), QStringLiteral("Manufacturer code (u16, e.g. 0x1234)."), QStringLiteral("code")};
    QCommandLineOption imageType{QStringLiteral("image-type"),
                                 QStringLiteral("Image type (u16): manufacturer specific up to 0xffbf, 0xffc0 security credential, "
                                                "0xffc1 configuration, 0xffc2 log (these three need --destination), 0xffc3 picture."),
                                 QStringLiteral("type")};
    QCommandLineOption fileVersion{QStringLiteral("file-version"),
                                   QStringLiteral("File version (u32: app release, app build, stack release, stack build; e.g. 0x10053519)."),
                                   QStringLiteral("version")};
    QCommandLineOption stackVersion{QStringLiteral("stack-version"),
                                    QStringLiteral("ZigBee stack version: 0 2006, 1 2007, 2 PRO (default), 3 IP."), QStringLiteral("n"),
                                    QStringLiteral("2")};
    QCommandLineOption headerString{QStringLiteral("header-string"), QStringLiteral("Header string (UTF-8, at most 32 bytes)."), QStringLiteral("text")};
    QCommandLineOption securityCredential{QStringLiteral("security-credential-version"),
                                          QStringLiteral("Security credential version (u8: 0 SE 1.0, 1 SE 1.1, 2 SE 2.0); sets field control bit 0."),
                                          QStringLiteral("n")};
    QCommandLineOption destination{QStringLiteral("destination"),
                                   QStringLiteral("Upgrade file destination EUI64 (00:11:22:33:44:55:66:77); sets field control bit 1."),
                                   QStringLiteral("eui64")};
    QCommandLineOption hwMin{QStringLiteral("hw-min"), QStringLiteral("Minimum hardware version (u16: version << 8 | revision); needs --hw-max; sets bit 2."), QStringLiteral("hw")};
    QCommandLineOption hwMax{QStringLiteral("hw-max"), QStringLiteral("Maximum hardware version (u16); needs --hw-min."), QStringLiteral("hw")};
    QCommandLineOption element{QStringLiteral("element"),
                               QStringLiteral("Extra sub-element TAG:FILE after the upgrade image (e.g. 0xf001:blob.bin). Repeatable."),
                               QStringLiteral("tag:file")};
    QCommandLineOption integrity{QStringLiteral("integrity"), QStringLiteral("Append an image integrity code element (0x0003, AES-MMO).")};
    QCommandLineOption integrityConvention{QStringLiteral("integrity-convention"),
                                           QStringLiteral("What the integrity code holds: AES-MMO up to the 0x0003 tag (before-element, "
                                                          "default) or up to its data (before-data), Qorvo's zero-padded "
                                                          "CRC-32 (qorvo-crc32), or AES-MMO up to the tag with Develco's "
                                                          "16-bit length padding (develco-len16)."),
                                           QStringLiteral("name"), QStringLiteral("before-element")};
    QCommandLineOption signKey{QStringLiteral("sign-key"),
                               QStringLiteral("Sign with this private key PEM: sect163k1 → crypto suite 1, sect283k1 → suite 2."),
                               QStringLiteral("pem")};
    QCommandLineOption signerIeee{QStringLiteral("signer-ieee"), QStringLiteral("Signer EUI64 for the signature and certificate (with --sign-key)."),
                                  QStringLiteral("eui64")};
    QCommandLineOption issuerIeee{QStringLiteral("issuer-ieee"), QStringLiteral("Certificate issuer EUI64 (default 00:00:00:00:00:00:00:00)."),
                                  QStringLiteral("eui64")};
};

CliResult<zb::OtaBuildSpec> specFromOptions(const QCommandLineParser& p, const CreateOptions& o)
{
    for (const QCommandLineOption* required : {&o.in, &o.out, &o.manufacturer, &o.imageType, &o.fileVersion})
        if (!p.isSet(*required))
            return usage(QStringLiteral("--%1 is required (see --help)").arg(required->names().first()));
    zb::OtaBuildSpec spec;
    zb::OtaHeader& h = spec.header;
    auto manufacturer = number(p, QStringLiteral("manufacturer"), 0xffff);
    auto imageType = number(p, QStringLiteral("image-type"), 0xffff);
    auto fileVersion = number(p, QStringLiteral("file-version"), 0xffffffff);
    auto stack = number(p, QStringLiteral("stack-version"), 0xffff);
    for (const auto* r : {&manufacturer, &imageType, &fileVersion, &stack})
        if (!*r)
            return std::unexpected(r->error());
    h.manufacturerCode = std::uint16_t(*manufacturer);
    h.imageType = std::uint16_t(*imageType);
    h.fileVersion = std::uint32_t(*fileVersion);
    h.stackVersion = std::uint16_t(*stack);
    h.headerString = p.value(o.headerString).toUtf8();
    if (h.headerString.size() > zb::kHeaderStringSize)
        return usage(QStringLiteral("--header-string is %1 bytes in UTF-8; at most 32 fit").arg(h.headerString.size()));
    if (p.isSet(o.securityCredential)) {
        auto v = number(p, QStringLiteral("security-credential-version"), 0xff);
        if (!v)
            return std::unexpected(v.error());
        h.securityCredentialVersion = std::uint8_t(*v);
    }
    if (p.isSet(o.destination)) {
        auto d = zb::parseEui64(p.value(o.destination), QStringLiteral("--destination"));
        if (!d)
            return usage(d.error().message);
        h.upgradeFileDestination = *d;
    }
    if (p.isSet(o.hwMin) != p.isSet(o.hwMax))
        return usage(QStringLiteral("--hw-min and --hw-max go together"));
    if (p.isSet(o.hwMin)) {
        auto lo = number(p, QStringLiteral("hw-min"), 0xffff);
        auto hi = number(p, QStringLiteral("hw-max"), 0xffff);
        if (!lo || !hi)
            return std::unexpected(!lo ? lo.error() : hi.error());
        if (*lo > *hi)
            return usage(QStringLiteral("--hw-min %1 is above --hw-max %2").arg(p.value(o.hwMin), p.value(o.hwMax)));
        h.hardwareVersions = zb::HardwareVersionRange{std::uint16_t(*lo), std::uint16_t(*hi)};
    }
    if (zb::imagetype::isDeviceSpecific(h.imageType) && !h.upgradeFileDestination)
        return usage(QStringLiteral("image type 0x%1 (%2) is a device-specific file: give --destination EUI64")
                         .arg(h.imageType, 4, 16, QLatin1Char('0')).arg(zb::imageTypeName(h.imageType)));
    if (p.isSet(o.integrity)) {
        auto c = zb::integrityConventionFromName(p.value(o.integrityConvention));
        if (!c)
            return usage(c.error().message);
        spec.integrityCode = *c;
    }
    for (const QString& arg : p.values(o.element)) {
        auto e = elementFromArg(arg);
        if (!e)
            return std::unexpected(e.error());
        spec.extraElements.push_back(*e);
    }
    auto firmware = readFile(p.value(o.in));
    if (!firmware)
        return std::unexpected(Failure{firmware.error().message, ExitIo});
    spec.firmware = *firmware;
    return spec;
}

} // namespace

int zigbeeCreateCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    CreateOptions o;
    parser.addOptions({o.in, o.out, o.manufacturer, o.imageType, o.fileVersion, o.stackVersion, o.headerString,
                       o.securityCredential, o.destination, o.hwMin, o.hwMax, o.element, o.integrity, o.integrityConvention,
                       o.signKey, o.signerIeee, o.issuerIeee});
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Build a Zigbee OTA Upgrade file (ZCL cluster 0x0019) from a raw firmware binary.\n"
                                                "Header length, field control and total image size are computed. Numbers are "
                                                "decimal or 0x-hex.")))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().first()), ExitUsage);
    auto spec = specFromOptions(parser, o);
    if (!spec)
        return reportError(io, spec.error().message, spec.error().code);
    std::optional<std::pair<core::crypto::PKey, zb::SignOptions>> signing;
    if (parser.isSet(o.signKey)) {
        auto s = signingInputs(parser, QStringLiteral("sign-key"), QStringLiteral("signer-ieee"), QStringLiteral("issuer-ieee"));
        if (!s)
            return reportError(io, s.error().message, s.error().code);
        signing = *s;
    } else if (parser.isSet(o.signerIeee)) {
        return reportError(io, QStringLiteral("--signer-ieee needs --sign-key"), ExitUsage);
    }
    auto bytes = zb::buildOtaFile(*spec);
    if (!bytes)
        return reportError(io, bytes.error().toString(), ExitUsage);
    if (signing) {
        auto signedBytes = zb::signOtaFile(*bytes, signing->first, signing->second);
        if (!signedBytes)
            return reportError(io, signedBytes.error().toString(), ExitInvalid);
        bytes = std::move(signedBytes);
    }
    if (auto w = writeFileAtomic(parser.value(o.out), *bytes); !w)
        return reportError(io, w.error().message, ExitIo);
    io.out << summary(parser.value(o.out), *bytes);
    io.out.flush();
    return ExitOk;
}

int zigbeeSignCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption key(QStringList{QStringLiteral("k"), QStringLiteral("key")},
                                 QStringLiteral("Private key PEM: sect163k1 → crypto suite 1 (tags 0x0001/0x0002), "
                                                "sect283k1 → crypto suite 2 (tags 0x0005/0x0006)."),
                                 QStringLiteral("pem"));
    const QCommandLineOption signer(QStringLiteral("signer-ieee"), QStringLiteral("Signer EUI64 (signature element and certificate subject)."),
                                    QStringLiteral("eui64"));
    const QCommandLineOption issuer(QStringLiteral("issuer-ieee"), QStringLiteral("Certificate issuer EUI64 (default 00:00:00:00:00:00:00:00)."),
                                    QStringLiteral("eui64"));
    const QCommandLineOption out(QStringList{QStringLiteral("o"), QStringLiteral("out")},
                                 QStringLiteral("Signed file to write (may equal the input)."), QStringLiteral("file"));
    parser.addOptions({key, signer, issuer, out});
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Zigbee OTA file to sign."));
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Sign a Zigbee OTA file: removes old signature/certificate elements, appends a "
                                                "certificate and an ECDSA signature over the AES-MMO digest of the file, updates "
                                                "the total image size (and re-seals an image integrity code).\n"
                                                "The certificate is a lab blob with the Smart Energy layout holding the signer's "
                                                "public key; verify with 'image verify --key PUBLIC.pem'.")))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected exactly one OTA file (see --help)"), ExitUsage);
    if (!parser.isSet(key))
        return reportError(io, QStringLiteral("--key is required (sect163k1 or sect283k1 private key PEM)"), ExitUsage);
    if (!parser.isSet(out))
        return reportError(io, QStringLiteral("--out is required (where to write the signed file)"), ExitUsage);
    auto inputs = signingInputs(parser, QStringLiteral("key"), QStringLiteral("signer-ieee"), QStringLiteral("issuer-ieee"));
    if (!inputs)
        return reportError(io, inputs.error().message, inputs.error().code);
    auto data = readFile(parser.positionalArguments().first());
    if (!data)
        return reportError(io, data.error().message, ExitIo);
    auto signedBytes = zb::signOtaFile(*data, inputs->first, inputs->second);
    if (!signedBytes)
        return reportError(io, signedBytes.error().toString(), ExitInvalid);
    if (auto w = writeFileAtomic(parser.value(out), *signedBytes); !w)
        return reportError(io, w.error().message, ExitIo);
    const auto suite = zb::suiteForKey(inputs->first);
    io.out << summary(parser.value(out), *signedBytes).chopped(1) << ", signed with "
           << QLatin1String(zb::suiteInfo(*suite).name) << " by " << zb::formatEui64(inputs->second.signerIeee) << "\n";
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
