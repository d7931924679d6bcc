// SPDX-License-Identifier: Apache-2.0
// MqttLinkOptions text form: "mqtt[s]://host[:port]" then ",key=value" options.
#include "core/transport/mqtt_link.h"

#include <QStringList>

namespace otalab::core::transport {

namespace {

constexpr quint16 kPlainPort = 1883;
constexpr quint16 kTlsPort = 8883;

QString example()
{
    return QStringLiteral("mqtt://127.0.0.1:1883,clientId=thing-1 or "
                          "mqtts://broker:8883,cafile=ca.pem,certfile=thing.crt,keyfile=thing.key");
}

QString knownKeys()
{
    return QStringLiteral("clientId, username, password, cafile, certfile, keyfile, insecure, keepalive, cleanSession");
}

Result<bool> parseFlag(const QString& key, const QString& value)
{
    const QString v = value.toLower();
    if (v == QLatin1String("1") || v == QLatin1String("true") || v == QLatin1String("yes") || v == QLatin1String("on"))
        return true;
    if (v == QLatin1String("0") || v == QLatin1String("false") || v == QLatin1String("no") || v == QLatin1String("off"))
        return false;
    return fail(Error::at(-1, key, QStringLiteral("mqtt option %1=%2 is not valid: expected true or false")
                                       .arg(key, value)));
}

// "host", "host:port", "[v6]", "[v6]:port" → host and port (port stays as given when absent).
Result<void> parseAuthority(const QString& authority, const QString& scheme, MqttLinkOptions& out)
{
    QString portText;
    bool hasPort = false;
    if (authority.startsWith(QLatin1Char('['))) {
        const qsizetype close = authority.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(Error::at(-1, QStringLiteral("host"),
                                  QStringLiteral("mqtt: '%1' lacks the closing ']' of the IPv6 address").arg(authority)));
        out.host = authority.mid(1, close - 1);
        const QString rest = authority.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':')))
                return fail(Error::at(-1, QStringLiteral("host"),
                                      QStringLiteral("mqtt: unexpected '%1' after the IPv6 address; write %2://[ADDRESS]:PORT")
                                          .arg(rest, scheme)));
            portText = rest.mid(1);
            hasPort = true;
        }
    } else {
        if (authority.count(QLatin1Char(':')) > 1)
            return fail(Error::at(-1, QStringLiteral("host"),
                                  QStringLiteral("mqtt: '%1' looks like an IPv6 address; write it in brackets: %2://[%1]:PORT")
                                      .arg(authority, scheme)));
        const qsizetype colon = authority.indexOf(QLatin1Char(':'));
        out.host = colon < 0 ? authority : authority.left(colon);
        if (colon >= 0) {
            portText = authority.mid(colon + 1);
            hasPort = true;
        }
    }
    if (out.host.isEmpty())
        return fail(Error::at(-1, QStringLiteral("host"),
                              QStringLiteral("mqtt: no broker host in '%1://%2'; e.g. %3").arg(scheme, authority, example())));
    const bool v6 = authority.startsWith(QLatin1Char('['));
    for (const QChar c : out.host) {
        const bool allowed = (c.unicode() < 0x80 && c.isLetterOrNumber()) || c == QLatin1Char('.') || c == QLatin1Char('-')
                          || c == QLatin1Char('_') || (v6 && (c == QLatin1Char(':') || c == QLatin1Char('%')));
        if (!allowed)
            return fail(Error::at(-1, QStringLiteral("host"),
                                  QStringLiteral("mqtt: host '%1' has '%2', which no host name or address has")
                                      .arg(out.host, c.isPrint() ? QString(c) : QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0')))));
    }
    if (v6 && !out.host.contains(QLatin1Char(':')))
        return fail(Error::at(-1, QStringLiteral("host"),
                              QStringLiteral("mqtt: '[%1]' is not an IPv6 address; write names and IPv4 addresses "
                                             "without brackets").arg(out.host)));
    if (hasPort) {
        bool ok = false;
        const uint port = portText.toUInt(&ok, 10);
        if (portText.isEmpty() || !ok || port == 0 || port > 65535)
            return fail(Error::at(-1, QStringLiteral("port"),
                                  QStringLiteral("mqtt: port '%1' is not a number from 1 to 65535").arg(portText)));
        out.port = quint16(port);
    }
    return {};
}

Result<void> applyOption(const QString& key, const QString& value, MqttLinkOptions& out)
{
    const QString k = key.toLower();
    if (k == QLatin1String("clientid")) {
        if (value.toUtf8().size() > 65535)
            return fail(Error::at(-1, key, QStringLiteral("mqtt option clientId is longer than 65535 bytes")));
        out.clientId = value;
    } else if (k == QLatin1String("username")) {
        out.username = value;
    } else if (k == QLatin1String("password")) {
        out.password = value;
    } else if (k == QLatin1String("cafile")) {
        out.caFile = value;
    } else if (k == QLatin1String("certfile")) {
        out.certFile = value;
    } else if (k == QLatin1String("keyfile")) {
        out.keyFile = value;
    } else if (k == QLatin1String("insecure")) {
        auto flag = parseFlag(key, value);
        if (!flag)
            return fail(flag.error());
        out.insecure = *flag;
    } else if (k == QLatin1String("cleansession")) {
        auto flag = parseFlag(key, value);
        if (!flag)
            return fail(flag.error());
        out.cleanSession = *flag;
    } else if (k == QLatin1String("keepalive")) {
        bool ok = false;
        const int seconds = value.toInt(&ok, 10);
        // libmosquitto refuses 1–4 s; 0 turns keepalive off (MQTT 3.1.1 §3.1.2.10).
        if (!ok || seconds < 0 || seconds > 65535 || (seconds > 0 && seconds < 5))
            return fail(Error::at(-1, key, QStringLiteral("mqtt option keepalive=%1 is not valid: expected seconds, "
                                                          "0 (off) or 5 to 65535").arg(value)));
        out.keepAliveS = seconds;
    } else {
        return fail(Error::at(-1, key, QStringLiteral("unknown mqtt option '%1'; known: %2").arg(key, knownKeys())));
    }
    return {};
}

} // namespace

Result<MqttLinkOptions> MqttLinkOptions::parse(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(Error::at(-1, QStringLiteral("scheme"), QStringLiteral("empty broker address; write %1").arg(example())));
    const qsizetype sep = trimmed.indexOf(QLatin1String("://"));
    if (sep <= 0)
        return fail(Error::at(-1, QStringLiteral("scheme"),
                              QStringLiteral("broker address '%1' does not start with mqtt:// or mqtts://; e.g. %2")
                                  .arg(trimmed, example())));
    const QString scheme = trimmed.left(sep).toLower();
    MqttLinkOptions out;
    if (scheme == QLatin1String("mqtt")) {
        out.tls = false;
        out.port = kPlainPort;
    } else if (scheme == QLatin1String("mqtts")) {
        out.tls = true;
        out.port = kTlsPort;
    } else {
        return fail(Error::at(-1, QStringLiteral("scheme"),
                              QStringLiteral("unknown broker scheme '%1'; write mqtt:// (plain, port 1883) or mqtts:// "
                                             "(TLS, port 8883)").arg(trimmed.left(sep))));
    }

    const QString rest = trimmed.mid(sep + 3);
    const qsizetype comma = rest.indexOf(QLatin1Char(','));
    QString authority = (comma < 0 ? rest : rest.left(comma)).trimmed();
    if (authority.endsWith(QLatin1Char('/')))
        authority.chop(1);   // "mqtt://host:1883/" as URLs are often written
    if (authority.contains(QLatin1Char('/')) || authority.contains(QLatin1Char('@')))
        return fail(Error::at(-1, QStringLiteral("host"),
                              QStringLiteral("mqtt: '%1' is not HOST[:PORT]; give user and password as options "
                                             "(,username=…,password=…) and no path").arg(authority)));
    if (auto ok = parseAuthority(authority, scheme, out); !ok)
        return fail(ok.error());

    if (comma >= 0) {
        QStringList seen;
        for (const QString& raw : rest.mid(comma + 1).split(QLatin1Char(','))) {
            const QString item = raw.trimmed();
            if (item.isEmpty())
                return fail(Error::at(-1, QStringLiteral("options"),
                                      QStringLiteral("broker address '%1' has an empty option (two commas or a trailing "
                                                     "comma)").arg(trimmed)));
            const qsizetype eq = item.indexOf(QLatin1Char('='));
            if (eq <= 0)
                return fail(Error::at(-1, item,
                                      QStringLiteral("mqtt option '%1' needs a name and a value: write key=value, e.g. "
                                                     "clientId=thing-1").arg(item)));
            const QString key = item.left(eq).trimmed();
            const QString value = item.mid(eq + 1).trimmed();
            if (value.isEmpty())
                return fail(Error::at(-1, key, QStringLiteral("mqtt option '%1' has no value after '='").arg(key)));
            if (seen.contains(key.toLower()))
                return fail(Error::at(-1, key, QStringLiteral("mqtt option '%1' is given twice").arg(key)));
            seen << key.toLower();
            if (auto ok = applyOption(key, value, out); !ok)
                return fail(ok.error());
        }
    }

    if (!out.tls) {
        const char* tlsOnly = !out.caFile.isEmpty() ? "cafile"
                            : !out.certFile.isEmpty() ? "certfile"
                            : !out.keyFile.isEmpty() ? "keyfile"
                            : out.insecure ? "insecure" : nullptr;
        if (tlsOnly != nullptr)
            return fail(Error::at(-1, QLatin1String(tlsOnly),
                                  QStringLiteral("mqtt option %1 needs TLS: write mqtts://%2 instead of mqtt://")
                                      .arg(QLatin1String(tlsOnly), authority)));
    }
    if (out.certFile.isEmpty() != out.keyFile.isEmpty())
        return fail(Error::at(-1, out.certFile.isEmpty() ? QStringLiteral("certfile") : QStringLiteral("keyfile"),
                              QStringLiteral("a client certificate needs both certfile and keyfile (%1 is missing)")
                                  .arg(out.certFile.isEmpty() ? QStringLiteral("certfile") : QStringLiteral("keyfile"))));
    if (!out.password.isEmpty() && out.username.isEmpty())
        return fail(Error::at(-1, QStringLiteral("password"), QStringLiteral("mqtt option password needs a username too")));
    return out;
}

QString MqttLinkOptions::toString() const
{
    const bool v6 = host.contains(QLatin1Char(':'));
    QString text = (tls ? QStringLiteral("mqtts://") : QStringLiteral("mqtt://"))
                 + (v6 ? QStringLiteral("[%1]").arg(host) : host) + QStringLiteral(":%1").arg(port);
    const auto add = [&](const char* key, const QString& value) {
        if (!value.isEmpty())
            text += QStringLiteral(",%1=%2").arg(QLatin1String(key), value);
    };
    add("clientId", clientId);
    add("username", username);
    add("cafile", caFile);
    add("certfile", certFile);
    add("keyfile", keyFile);
    if (insecure)
        add("insecure", QStringLiteral("true"));
    if (keepAliveS != 60)
        add("keepalive", QString::number(keepAliveS));
    if (!cleanSession)
        add("cleanSession", QStringLiteral("false"));
    return text;
}

} // namespace otalab::core::transport
