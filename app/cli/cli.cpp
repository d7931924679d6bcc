// SPDX-License-Identifier: Apache-2.0
#include "app/cli/cli.h"

#include <QFile>
#include <QSaveFile>

namespace otalab::cli {

std::optional<int> parseCommand(QCommandLineParser& parser, const QStringList& args, CliIo& io,
                                const QString& description)
{
    parser.setApplicationDescription(description);
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    parser.addOption(help);
    if (!parser.parse(args)) {
        io.err << "error: " << parser.errorText() << "\n"
               << "Run '" << args.value(0) << " --help' for usage.\n";
        io.err.flush();
        return ExitUsage;
    }
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        // QCommandLineParser prints the binary name; show the full command instead.
        const qsizetype firstSpace = text.indexOf(QLatin1Char(' '), 7);
        if (text.startsWith(QStringLiteral("Usage: ")) && firstSpace > 0)
            text = QStringLiteral("Usage: ") + args.value(0) + text.mid(firstSpace);
        io.out << text;
        io.out.flush();
        return ExitOk;
    }
    return std::nullopt;
}

Result<QByteArray> readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    return f.readAll();
}

Result<void> writeFileAtomic(const QString& path, const QByteArray& data)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

Result<quint64> parseUnsigned(const QString& text, const QString& optionName, quint64 max)
{
    bool ok = false;
    const QString t = text.trimmed();
    const quint64 v = t.startsWith(QStringLiteral("0x"), Qt::CaseInsensitive) ? t.mid(2).toULongLong(&ok, 16)
                                                                              : t.toULongLong(&ok, 10);
    if (!ok)
        return fail(QStringLiteral("--%1: '%2' is not a number (use decimal or 0x-prefixed hex)").arg(optionName, text));
    if (v > max)
        return fail(QStringLiteral("--%1: %2 is larger than the maximum %3").arg(optionName, text).arg(max));
    return v;
}

int reportError(CliIo& io, const QString& message, int code)
{
    io.err << "error: " << message << "\n";
    io.err.flush();
    return code;
}

} // namespace otalab::cli
