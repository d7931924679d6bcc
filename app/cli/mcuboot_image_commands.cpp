// SPDX-License-Identifier: Apache-2.0
// otalab-cli image create mcuboot / MCUboot signing: thin front ends over
// core/mcuboot's createImage() and signImage(). Option names follow imgtool sign.
#include "app/cli/cli.h"
#include "app/cli/commands.h"

#include "core/crypto/pkey.h"
#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_crypto.h"
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_signer.h"

#include <QRegularExpression>

namespace otalab::cli {
namespace {

namespace mcuboot = core::mcuboot;
using core::crypto::PKey;

QCommandLineOption opt(const QStringList& names, const QString& help, const QString& value = {})
{
    return value.isEmpty() ? QCommandLineOption(names, help) : QCommandLineOption(names, help, value);
}

Result<mcuboot::PublicKeyFormat> publicKeyFormat(const QString& text)
{
    if (text.isEmpty() || text == QStringLiteral("hash"))
        return mcuboot::PublicKeyFormat::Hash;
    if (text == QStringLiteral("full"))
        return mcuboot::PublicKeyFormat::Full;
    return fail(QStringLiteral("--public-key-format: '%1' is not 'hash' or 'full'").arg(text));
}

// "ID,VERSION" or imgtool's "(ID,VERSION)"; several may be given in one value.
Result<std::vector<mcuboot::Dependency>> dependencies(const QStringList& values)
{
    static const QRegularExpression one(QStringLiteral("^\\(?\\s*(\\d+)\\s*,\\s*([0-9.+]+)\\s*\\)?$"));
    static const QRegularExpression group(QStringLiteral("\\(([^)]*)\\)"));
    std::vector<mcuboot::Dependency> out;
    for (const QString& value : values) {
        QStringList items;
        for (auto it = group.globalMatch(value); it.hasNext();)
            items << it.next().captured(1);
        if (items.isEmpty())
            items << value;
        for (const QString& item : items) {
            const auto m = one.match(item.trimmed());
            if (!m.hasMatch())
                return fail(QStringLiteral("--dependency: '%1' is not ID,VERSION (e.g. 1,2.0.0+0)").arg(value));
            const uint id = m.captured(1).toUInt();
            if (id > 255)
                return fail(QStringLiteral("--dependency: image id %1 does not fit in a byte").arg(id));
            auto version = mcuboot::ImageVersion::parse(m.captured(2));
            if (!version)
                return fail(QStringLiteral("--dependency: %1").arg(version.error().message));
            out.push_back({std::uint8_t(id), *version});
        }
    }
    return out;
}

// -E FILE: a PEM P-256 key (ECIES-P256, TLV 0x32) or a 16/32-byte AES-KW key-encryption
// key (TLV 0x31), raw binary or hex text.
Result<void> loadEncryptionKey(const QString& path, mcuboot::ImageCreateOptions& o)
{
    auto bytes = readFile(path);
    if (!bytes)
        return fail(bytes.error());
    if (bytes->contains("-----BEGIN")) {
        auto key = PKey::fromPem(*bytes);
        if (!key)
            return fail(QStringLiteral("%1: %2").arg(path, key.error().message));
        auto type = key->type();
        if (!type || *type != core::crypto::KeyType::EcdsaP256)
            return fail(QStringLiteral("%1: only P-256 keys (ECIES-P256) or AES-KW key-encryption keys are supported for encryption").arg(path));
        o.eciesP256Key = *key;
        return {};
    }
    QByteArray kek = *bytes;
    const QByteArray text = bytes->trimmed();
    static const QRegularExpression hexText(QStringLiteral("^([0-9a-fA-F]{32}|[0-9a-fA-F]{64})$"));
    if (hexText.match(QString::fromLatin1(text)).hasMatch())
        kek = QByteArray::fromHex(text);
    if (kek.size() != 16 && kek.size() != 32)
        return fail(QStringLiteral("%1: neither a PEM P-256 key nor a 16- or 32-byte AES-KW key (%2 bytes)").arg(path).arg(bytes->size()));
    o.aesKwKek = kek;
    return {};
}

Result<PKey> signingKey(const QString& path)
{
    auto key = PKey::fromFile(path);
    if (!key)
        return fail(key.error());
    if (!key->hasPrivate())
        return fail(QStringLiteral("%1 is a public key; signing needs the private key").arg(path));
    if (auto t = mcuboot::signatureTlvType(*key); !t)
        return fail(QStringLiteral("%1: %2").arg(path, t.error().message));
    return key;
}

QString summary(const QString& out, const QByteArray& bytes)
{
    auto img = mcuboot::parseImage(bytes);
    if (!img)
        return QStringLiteral("wrote %1 (%2 bytes)").arg(out).arg(bytes.size());
    QStringList parts{QStringLiteral("MCUboot %1").arg(img->header.version.toString()),
                      QStringLiteral("header 0x%1").arg(img->header.hdrSize, 0, 16),
                      QStringLiteral("body %1 bytes").arg(img->header.imgSize)};
    const mcuboot::Tlv* sig = nullptr;
    for (const mcuboot::Tlv& t : img->unprotectedTlvs.tlvs)
        if (mcuboot::isSignatureTlv(t.type))
            sig = &t;
    parts << (sig ? mcuboot::signatureAlgorithmName(sig->type) + QStringLiteral(" signed (%1)").arg(
                        img->unprotectedTlvs.find(mcuboot::TlvPubKey) ? QStringLiteral("full public key") : QStringLiteral("key hash"))
                  : QStringLiteral("unsigned"));
    if (img->isEncrypted())
        parts << QStringLiteral("AES-%1 encrypted (%2)").arg(img->aesKeyBytes() * 8)
                     .arg(img->unprotectedTlvs.find(mcuboot::TlvEncKw) ? QStringLiteral("AES-KW") : QStringLiteral("ECIES-P256"));
    if (img->trailer)
        parts << QStringLiteral("padded to 0x%1%2").arg(bytes.size(), 0, 16)
                     .arg(img->trailer->imageOk == 0x01 ? QStringLiteral(", confirmed") : QString());
    return QStringLiteral("wrote %1: %2 bytes, %3").arg(out).arg(bytes.size()).arg(parts.join(QStringLiteral(", ")));
}

} // namespace

int mcubootCreateCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser p;
    const auto in = opt({QStringLiteral("i"), QStringLiteral("in")}, QStringLiteral("Raw firmware binary (imgtool INFILE)."), QStringLiteral("file"));
    const auto out = opt({QStringLiteral("o"), QStringLiteral("out")}, QStringLiteral("Image to write (imgtool OUTFILE)."), QStringLiteral("file"));
    const auto headerSize = opt({QStringLiteral("H"), QStringLiteral("header-size")},
                                QStringLiteral("Header size incl. padding, >= 32 (imgtool -H/--header-size). Required."), QStringLiteral("n"));
    const auto padHeader = opt({QStringLiteral("pad-header")},
                               QStringLiteral("Prepend header-size erased (0xff) bytes; otherwise the input must start with "
                                              "that many zeros (imgtool --pad-header)."));
    const auto version = opt({QStringLiteral("v"), QStringLiteral("version")},
                             QStringLiteral("major.minor.revision+build, later parts optional (imgtool -v). Required."), QStringLiteral("ver"));
    const auto loadAddr = opt({QStringLiteral("L"), QStringLiteral("load-addr")},
                              QStringLiteral("RAM load address; non-zero sets RAM_LOAD (imgtool -L/--load-addr)."), QStringLiteral("addr"));
    const auto key = opt({QStringLiteral("k"), QStringLiteral("key")},
                         QStringLiteral("Signing private key PEM: ECDSA P-256, Ed25519, RSA-2048/3072 (imgtool -k)."), QStringLiteral("pem"));
    const auto pkFormat = opt({QStringLiteral("public-key-format")},
                              QStringLiteral("hash (KEYHASH TLV, default) or full (PUBKEY TLV) (imgtool --public-key-format)."), QStringLiteral("fmt"));
    const auto secCnt = opt({QStringLiteral("s"), QStringLiteral("security-counter")},
                            QStringLiteral("Security counter value or 'auto' = (major<<24)+(minor<<16)+revision (imgtool -s)."), QStringLiteral("n|auto"));
    const auto dependency = opt({QStringLiteral("d"), QStringLiteral("dependency")},
                                QStringLiteral("Dependency ID,VERSION or \"(ID,VERSION)\"; repeatable (imgtool -d)."), QStringLiteral("dep"));
    const auto encrypt = opt({QStringLiteral("E"), QStringLiteral("encrypt")},
                             QStringLiteral("Encrypt: P-256 key PEM (ECIES-P256) or 16/32-byte AES-KW key file, raw or hex (imgtool -E)."),
                             QStringLiteral("file"));
    const auto aes256 = opt({QStringLiteral("aes256")}, QStringLiteral("AES-256 image key instead of AES-128 (imgtool --encrypt-keylen 256)."));
    const auto pad = opt({QStringLiteral("pad")}, QStringLiteral("Pad to --slot-size and add the trailer magic (imgtool --pad)."));
    const auto slotSize = opt({QStringLiteral("S"), QStringLiteral("slot-size")},
                              QStringLiteral("Slot size; the image + trailer must fit (imgtool -S/--slot-size)."), QStringLiteral("n"));
    const auto confirm = opt({QStringLiteral("confirm")}, QStringLiteral("With --pad: set image_ok (imgtool --confirm)."));
    const auto align = opt({QStringLiteral("align")}, QStringLiteral("Flash write alignment 1/2/4/8/16/32, default 1 (imgtool --align)."), QStringLiteral("n"));
    const auto maxSectors = opt({QStringLiteral("M"), QStringLiteral("max-sectors")},
                                QStringLiteral("Swap status sectors in the trailer, default 128 (imgtool -M/--max-sectors)."), QStringLiteral("n"));
    const auto maxAlign = opt({QStringLiteral("max-align")}, QStringLiteral("Maximum alignment 8/16/32, default max(8, align) (imgtool --max-align)."),
                              QStringLiteral("n"));
    const auto overwrite = opt({QStringLiteral("overwrite-only")}, QStringLiteral("Overwrite-only trailer (imgtool --overwrite-only)."));
    const auto nonBootable = opt({QStringLiteral("non-bootable")}, QStringLiteral("Set NON_BOOTABLE (imgtool --non-bootable)."));
    const auto erased = opt({QStringLiteral("R"), QStringLiteral("erased-val")}, QStringLiteral("Erased flash value 0 or 0xff, default 0xff (imgtool -R)."),
                            QStringLiteral("v"));
    for (const auto* o : {&in, &out, &headerSize, &padHeader, &version, &loadAddr, &key, &pkFormat, &secCnt, &dependency, &encrypt,
                          &aes256, &pad, &slotSize, &confirm, &align, &maxSectors, &maxAlign, &overwrite, &nonBootable, &erased})
        p.addOption(*o);
    if (auto stop = parseCommand(p, args, io,
                                 QStringLiteral("Build an MCUboot image from a raw binary; the same bytes as MCUboot's "
                                                "'imgtool sign' with the mirrored options.")))
        return *stop;

    auto usage = [&](const QString& message) { return reportError(io, message, ExitUsage); };
    if (!p.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()));
    for (const auto* required : {&in, &out, &headerSize, &version})
        if (!p.isSet(*required))
            return usage(QStringLiteral("--%1 is required").arg(required->names().last()));

    mcuboot::ImageCreateOptions o;
    auto hs = parseUnsigned(p.value(headerSize), QStringLiteral("header-size"), 0xffff);
    if (!hs)
        return usage(hs.error().message);
    if (*hs < 32)
        return usage(QStringLiteral("--header-size: minimum is 32 (0x20), got %1").arg(*hs));
    o.headerSize = std::uint16_t(*hs);
    o.padHeader = p.isSet(padHeader);
    auto ver = mcuboot::ImageVersion::parse(p.value(version));
    if (!ver)
        return usage(QStringLiteral("--version: ") + ver.error().message);
    o.version = *ver;
    if (p.isSet(loadAddr)) {
        auto a = parseUnsigned(p.value(loadAddr), QStringLiteral("load-addr"), 0xffffffff);
        if (!a)
            return usage(a.error().message);
        o.loadAddr = std::uint32_t(*a);
    }
    if (p.isSet(secCnt)) {
        if (p.value(secCnt).compare(QStringLiteral("auto"), Qt::CaseInsensitive) == 0)
            o.securityCounterAuto = true;
        else if (auto n = parseUnsigned(p.value(secCnt), QStringLiteral("security-counter"), 0xffffffff))
            o.securityCounter = std::uint32_t(*n);
        else
            return usage(n.error().message);
    }
    auto deps = dependencies(p.values(dependency));
    if (!deps)
        return usage(deps.error().message);
    o.dependencies = *deps;
    auto format = publicKeyFormat(p.value(pkFormat));
    if (!format)
        return usage(format.error().message);
    o.publicKeyFormat = *format;
    o.aes256 = p.isSet(aes256);
    o.pad = p.isSet(pad);
    o.confirm = p.isSet(confirm);
    o.nonBootable = p.isSet(nonBootable);
    o.trailer.overwriteOnly = p.isSet(overwrite);
    struct Num { const QCommandLineOption* option; const char* name; quint64 max; qint64* target; };
    qint64 slot = 0, alignV = 1, sectors = 128, maxAlignV = 0;
    for (const Num& n : {Num{&slotSize, "slot-size", 0xffffffff, &slot}, Num{&align, "align", 32, &alignV},
                         Num{&maxSectors, "max-sectors", 0xffff, &sectors}, Num{&maxAlign, "max-align", 32, &maxAlignV}}) {
        if (!p.isSet(*n.option))
            continue;
        auto v = parseUnsigned(p.value(*n.option), QString::fromLatin1(n.name), n.max);
        if (!v)
            return usage(v.error().message);
        *n.target = qint64(*v);
    }
    if (alignV != 1 && alignV != 2 && alignV != 4 && alignV != 8 && alignV != 16 && alignV != 32)
        return usage(QStringLiteral("--align: %1 is not 1, 2, 4, 8, 16 or 32").arg(alignV));
    if (p.isSet(maxAlign) && maxAlignV != 8 && maxAlignV != 16 && maxAlignV != 32)
        return usage(QStringLiteral("--max-align: %1 is not 8, 16 or 32").arg(maxAlignV));
    if (sectors < 1)
        return usage(QStringLiteral("--max-sectors must be at least 1"));
    o.slotSize = slot;
    o.trailer.align = int(alignV);
    o.trailer.maxSectors = int(sectors);
    if (p.isSet(maxAlign))
        o.trailer.maxAlign = int(maxAlignV);
    if (o.pad && !p.isSet(slotSize))
        return usage(QStringLiteral("--pad needs --slot-size"));
    if (o.confirm && !o.pad)
        return usage(QStringLiteral("--confirm only applies with --pad"));
    if (o.aes256 && !p.isSet(encrypt))
        return usage(QStringLiteral("--aes256 needs --encrypt"));
    if (p.isSet(pkFormat) && !p.isSet(key))
        return usage(QStringLiteral("--public-key-format needs --key"));
    if (p.isSet(erased)) {
        const QString e = p.value(erased).toLower();
        if (e != QStringLiteral("0") && e != QStringLiteral("0xff"))
            return usage(QStringLiteral("--erased-val: '%1' is not 0 or 0xff").arg(p.value(erased)));
        o.erasedValue = e == QStringLiteral("0") ? '\0' : char(0xff);
    }

    if (p.isSet(key)) {
        auto k = signingKey(p.value(key));
        if (!k)
            return reportError(io, k.error().message, ExitUsage);
        o.signingKey = *k;
    }
    if (p.isSet(encrypt))
        if (auto ok = loadEncryptionKey(p.value(encrypt), o); !ok)
            return reportError(io, ok.error().message, ok.error().message.startsWith(QStringLiteral("cannot read")) ? ExitIo : ExitUsage);

    auto binary = readFile(p.value(in));
    if (!binary)
        return reportError(io, binary.error().message, ExitIo);
    auto image = mcuboot::createImage(*binary, o);
    if (!image)
        return reportError(io, image.error().toString(), ExitInvalid);
    if (auto w = writeFileAtomic(p.value(out), *image); !w)
        return reportError(io, w.error().message, ExitIo);
    io.out << summary(p.value(out), *image) << "\n";
    io.out.flush();
    return ExitOk;
}

int mcubootSignCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser p;
    const auto in = opt({QStringLiteral("i"), QStringLiteral("in")}, QStringLiteral("MCUboot image to sign."), QStringLiteral("file"));
    const auto out = opt({QStringLiteral("o"), QStringLiteral("out")}, QStringLiteral("Signed image to write (default: replace --in)."),
                         QStringLiteral("file"));
    const auto key = opt({QStringLiteral("k"), QStringLiteral("key")},
                         QStringLiteral("Signing private key PEM: ECDSA P-256, Ed25519, RSA-2048/3072 (imgtool -k)."), QStringLiteral("pem"));
    const auto pkFormat = opt({QStringLiteral("public-key-format")},
                              QStringLiteral("hash (KEYHASH TLV, default) or full (PUBKEY TLV) (imgtool --public-key-format)."), QStringLiteral("fmt"));
    for (const auto* o : {&in, &out, &key, &pkFormat})
        p.addOption(*o);
    // `image sign FILE ...` passes the file positionally; --in is the same.
    p.addPositionalArgument(QStringLiteral("file"), QStringLiteral("MCUboot image to sign (or --in)."), QStringLiteral("[file]"));
    if (auto stop = parseCommand(p, args, io,
                                 QStringLiteral("Add or replace the signature of an MCUboot image. Existing KEYHASH/PUBKEY/"
                                                "signature TLVs are replaced; the result equals imgtool sign -k on the same input.")))
        return *stop;
    const QStringList files = p.positionalArguments() + p.values(in);
    if (files.size() != 1)
        return reportError(io, files.isEmpty() ? QStringLiteral("name the image to sign (FILE or --in)")
                                               : QStringLiteral("expected one image to sign, got %1").arg(files.join(QStringLiteral(", "))),
                           ExitUsage);
    const QString input = files.first();
    if (!p.isSet(key))
        return reportError(io, QStringLiteral("--key is required"), ExitUsage);
    auto format = publicKeyFormat(p.value(pkFormat));
    if (!format)
        return reportError(io, format.error().message, ExitUsage);
    auto k = signingKey(p.value(key));
    if (!k)
        return reportError(io, k.error().message, ExitUsage);
    auto file = readFile(input);
    if (!file)
        return reportError(io, file.error().message, ExitIo);
    auto signedImage = mcuboot::signImage(*file, *k, *format);
    if (!signedImage)
        return reportError(io, signedImage.error().toString(), ExitInvalid);
    const QString target = p.isSet(out) ? p.value(out) : input;
    if (auto w = writeFileAtomic(target, *signedImage); !w)
        return reportError(io, w.error().message, ExitIo);
    io.out << summary(target, *signedImage) << "\n";
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
