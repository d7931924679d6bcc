// SPDX-License-Identifier: Apache-2.0
// ConnectionSpec text form: "scheme:target,key=value,...".
#include "core/transport/transport.h"

#include <QStringList>

namespace otalab::core::transport {

namespace {

const QStringList& knownSchemes()
{
    // "sim" is the built-in simulated board (app/hw), the others are plugins.
    static const QStringList schemes{QStringLiteral("serial"), QStringLiteral("udp"), QStringLiteral("ble"),
                                     QStringLiteral("sim")};
    return schemes;
}

QString examples()
{
    return QStringLiteral("serial:/dev/ttyACM0,baud=115200, udp:192.168.1.5:1337, ble:NAME-or-ADDRESS or sim:serial");
}

} // namespace

Result<UdpTarget> parseUdpTarget(const QString& target)
{
    const QString text = target.trimmed();
    if (text.isEmpty())
        return fail(QStringLiteral("udp: no host given; write udp:HOST[:PORT], e.g. udp:192.168.1.5:1337 or udp:[::1]"));
    UdpTarget out;
    QString portText;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(QStringLiteral("udp: '%1' lacks the closing ']' of the IPv6 address").arg(text));
        out.host = text.mid(1, close - 1);
        const QString rest = text.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':')))
                return fail(QStringLiteral("udp: unexpected '%1' after the IPv6 address; write [ADDRESS]:PORT").arg(rest));
            portText = rest.mid(1);
            if (portText.isEmpty())
                return fail(QStringLiteral("udp: empty port after '%1'; write [ADDRESS]:PORT").arg(text.left(close + 1)));
        }
    } else if (text.count(QLatin1Char(':')) > 1) {
        out.host = text;   // a bare IPv6 address: no port (write [v6]:port for one)
    } else {
        const qsizetype colon = text.indexOf(QLatin1Char(':'));
        out.host = colon < 0 ? text : text.left(colon);
        if (colon >= 0) {
            portText = text.mid(colon + 1);
            if (portText.isEmpty())
                return fail(QStringLiteral("udp: empty port in '%1'; write HOST:PORT or just HOST for port %2")
                                .arg(text).arg(kSmpUdpDefaultPort));
        }
    }
    if (out.host.isEmpty())
        return fail(QStringLiteral("udp: no host in '%1'; write udp:HOST[:PORT]").arg(text));
    if (!portText.isEmpty()) {
        bool ok = false;
        const uint port = portText.toUInt(&ok, 10);
        if (!ok || port > 65535)
            return fail(QStringLiteral("udp: port '%1' is not a number from 0 to 65535").arg(portText));
        out.port = quint16(port);
    }
    return out;
}

Result<ConnectionSpec> ConnectionSpec::parse(const QString& text)
{
    const QString trimmed = text.trimmed();
    const qsizetype colon = trimmed.indexOf(QLatin1Char(':'));
    if (trimmed.isEmpty())
        return fail(QStringLiteral("empty connection; write %1").arg(examples()));
    if (colon <= 0)
        return fail(QStringLiteral("connection '%1' has no scheme; write %2").arg(trimmed, examples()));
    ConnectionSpec spec;
    spec.scheme = trimmed.left(colon).trimmed().toLower();
    if (!knownSchemes().contains(spec.scheme))
        return fail(QStringLiteral("unknown connection scheme '%1'; known schemes: %2 (e.g. %3)")
                        .arg(spec.scheme, knownSchemes().join(QStringLiteral(", ")), examples()));

    // Target: everything after the first ':' up to the first ',' (BLE addresses and
    // IPv6 literals contain ':' themselves).
    const QString rest = trimmed.mid(colon + 1);
    const qsizetype comma = rest.indexOf(QLatin1Char(','));
    spec.target = (comma < 0 ? rest : rest.left(comma)).trimmed();
    if (spec.target.isEmpty())
        return fail(QStringLiteral("connection '%1' has no target after '%2:'; e.g. %3")
                        .arg(trimmed, spec.scheme, examples()));

    if (comma >= 0) {
        const QStringList items = rest.mid(comma + 1).split(QLatin1Char(','));
        for (const QString& raw : items) {
            const QString item = raw.trimmed();
            if (item.isEmpty())
                return fail(QStringLiteral("connection '%1' has an empty option (two commas or a trailing comma)")
                                .arg(trimmed));
            const qsizetype eq = item.indexOf(QLatin1Char('='));
            if (eq < 0)
                return fail(QStringLiteral("option '%1' in '%2' needs a value: write key=value, e.g. baud=115200")
                                .arg(item, trimmed));
            const QString key = item.left(eq).trimmed().toLower();
            const QString value = item.mid(eq + 1).trimmed();
            if (key.isEmpty())
                return fail(QStringLiteral("option '%1' in '%2' has no name before '='").arg(item, trimmed));
            if (value.isEmpty())
                return fail(QStringLiteral("option '%1' in '%2' has no value after '='").arg(key, trimmed));
            if (spec.options.contains(key))
                return fail(QStringLiteral("option '%1' is given twice in '%2'").arg(key, trimmed));
            spec.options.insert(key, value);
        }
    }

    if (spec.scheme == QLatin1String("udp")) {
        auto udp = parseUdpTarget(spec.target);
        if (!udp)
            return fail(udp.error());
        const bool v6 = udp->host.contains(QLatin1Char(':'));
        spec.target = (v6 ? QLatin1Char('[') + udp->host + QLatin1Char(']') : udp->host)
                    + QLatin1Char(':') + QString::number(udp->port);
    }
    return spec;
}

QString ConnectionSpec::toString() const
{
    QString out = scheme + QLatin1Char(':') + target;
    for (auto it = options.cbegin(); it != options.cend(); ++it)   // QVariantMap: sorted by key
        out += QLatin1Char(',') + it.key() + QLatin1Char('=') + it.value().toString();
    return out;
}

} // namespace otalab::core::transport
