// SPDX-License-Identifier: Apache-2.0
// `image sign FILE ...`: looks at FILE's format and hands over to that format's signer.
#include "app/cli/commands.h"
#include "core/image/inspection.h"

namespace otalab::cli {

int imageSignCommand(const QStringList& args, CliIo& io)
{
    // The first argument that is not an option (and not an option's value) is the file.
    // Format-specific signers parse the rest; we only need to find and sniff the file.
    QString file;
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString& a = args[i];
        if (a.startsWith(QLatin1Char('-'))) {
            if (!a.contains(QLatin1Char('=')) && a != QStringLiteral("--help") && a != QStringLiteral("-h")
                && a != QStringLiteral("--json") && a != QStringLiteral("--force"))
                ++i;  // skip the option's value
            continue;
        }
        file = a;
        break;
    }
    if (file.isEmpty()) {
        const bool help = args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"));
        QTextStream& s = help ? io.out : io.err;
        s << "Usage: " << args.value(0) << " FILE --key PEM --out SIGNED [format options]\n\n"
          << "Signs an existing image. The format is detected from FILE:\n"
          << "  Zigbee OTA file  ECDSA crypto suite 1 (sect163k1) or 2 (sect283k1) signature + certificate elements;\n"
          << "                   run '" << args.value(0) << " file.ota --help' for its options.\n"
          << "  MCUboot image    ECDSA P-256, Ed25519 or RSA-PSS signature TLV (replaces an existing one);\n"
          << "                   run '" << args.value(0) << " app.bin --help' for its options.\n";
        s.flush();
        return help ? ExitOk : ExitUsage;
    }
    auto data = readFile(file);
    if (!data)
        return reportError(io, data.error().message, ExitIo);
    switch (core::image::detectFormat(*data)) {
    case core::image::Format::ZigbeeOta: return zigbeeSignCommand(args, io);
    case core::image::Format::Mcuboot: return mcubootSignCommand(args, io);
    case core::image::Format::Unknown: break;
    }
    return reportError(io, QStringLiteral("%1 is neither a Zigbee OTA file nor an MCUboot image").arg(file), ExitInvalid);
}

} // namespace otalab::cli
