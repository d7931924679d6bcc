// SPDX-License-Identifier: Apache-2.0
// `image inspect` and `image verify`: parse, check, print; exit 0 only when valid.
#include "app/cli/commands.h"
#include "app/cli/inspection_printer.h"
#include "core/image/decryption_key.h"

#include <QJsonDocument>
#include <variant>

namespace otalab::cli {
namespace {

using core::image::CheckState;
using core::image::Inspection;
using core::image::VerifyOptions;

struct KeyOptions {
    QCommandLineOption key{QStringList{QStringLiteral("k"), QStringLiteral("key")},
                           QStringLiteral("Public (or private) key PEM to check signatures against. Repeatable."),
                           QStringLiteral("pem")};
    QCommandLineOption decryptKey{QStringLiteral("decrypt-key"),
                                  QStringLiteral("Private key PEM (or raw AES-KW key file) that unwraps an "
                                                 "encrypted image's content key."),
                                  QStringLiteral("pem")};
    QCommandLineOption json{QStringLiteral("json"), QStringLiteral("Print stable JSON instead of text.")};
};

// Loads keys named on the command line into VerifyOptions.
Result<VerifyOptions> loadKeys(const QCommandLineParser& parser, const KeyOptions& opts)
{
    VerifyOptions options;
    for (const QString& path : parser.values(opts.key)) {
        auto key = core::crypto::PKey::fromFile(path);
        if (!key)
            return fail(key.error());
        options.verificationKeys.push_back(*key);
    }
    if (parser.isSet(opts.decryptKey)) {
        if (auto loaded = core::image::loadDecryptionKeyFile(parser.value(opts.decryptKey), options); !loaded)
            return fail(loaded.error());
    }
    return options;
}

// Shared body: returns the inspection or an exit code for usage/I/O problems.
std::variant<int, std::pair<QString, Inspection>> inspectFromArgs(const QStringList& args, CliIo& io,
                                                                   const QString& description, bool keyRequired,
                                                                   bool& jsonOut)
{
    QCommandLineParser parser;
    KeyOptions opts;
    parser.addOptions({opts.key, opts.decryptKey, opts.json});
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Zigbee OTA file (.ota/.zigbee) or MCUboot image."));
    if (auto stop = parseCommand(parser, args, io, description))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected exactly one image file (see --help)"), ExitUsage);
    if (keyRequired && !parser.isSet(opts.key))
        return reportError(io, QStringLiteral("verify needs --key PEM (the signer's public key)"), ExitUsage);
    jsonOut = parser.isSet(opts.json);
    const QString path = parser.positionalArguments().first();
    auto options = loadKeys(parser, opts);
    if (!options)
        return reportError(io, options.error().toString(), ExitIo);
    auto data = readFile(path);
    if (!data)
        return reportError(io, data.error().toString(), ExitIo);
    return std::pair{path, core::image::inspect(*data, *options)};
}

int emit(CliIo& io, const QString& path, const Inspection& inspection, bool json, bool showTree, bool valid)
{
    if (json) {
        QJsonObject o = inspection.toJson();
        o.insert(QStringLiteral("file"), path);
        o.insert(QStringLiteral("valid"), valid);
        io.out << QJsonDocument(o).toJson(QJsonDocument::Indented);
        io.out.flush();
    } else {
        printInspection(io.out, path, inspection, showTree);
    }
    return valid ? ExitOk : ExitInvalid;
}

} // namespace

int imageInspectCommand(const QStringList& args, CliIo& io)
{
    bool json = false;
    auto r = inspectFromArgs(args, io,
                             QStringLiteral("Show every header field, element/TLV (with offsets and sizes) and the "
                                            "integrity, signature and encryption checks of an image.\n"
                                            "Exit code 0 when the image is valid, 1 when not."),
                             false, json);
    if (auto* code = std::get_if<int>(&r))
        return *code;
    auto& [path, inspection] = std::get<1>(r);
    return emit(io, path, inspection, json, true, inspection.isValid());
}

int imageVerifyCommand(const QStringList& args, CliIo& io)
{
    bool json = false;
    auto r = inspectFromArgs(args, io,
                             QStringLiteral("Verify an image: structure, integrity and a signature made by one of the "
                                            "given keys. Exit code 0 only when all of them hold."),
                             true, json);
    if (auto* code = std::get_if<int>(&r))
        return *code;
    auto& [path, inspection] = std::get<1>(r);
    // verify is stricter than inspect: a signature must be present and valid.
    const bool signed_ = inspection.signature.state == CheckState::Valid;
    if (!signed_ && inspection.signature.state == CheckState::Absent)
        inspection.error(QStringLiteral("signature"), -1, QStringLiteral("the image is not signed"));
    return emit(io, path, inspection, json, false, inspection.isValid() && signed_);
}

} // namespace otalab::cli
