// SPDX-License-Identifier: Apache-2.0
#include "core/ocf/ocf_purl.h"

#include <QRegularExpression>

namespace otalab::core::ocf {

namespace {

std::unexpected<Error> urlError(qsizetype offset, const QString& what)
{
    return fail(Error::at(offset, QStringLiteral("purl"), what));
}

bool isSchemeChar(QChar c, bool first)
{
    const char16_t u = c.unicode();
    const bool alpha = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
    if (first)
        return alpha;
    return alpha || (u >= '0' && u <= '9') || u == '+' || u == '-' || u == '.';
}

bool isHostChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' || u == '.'
        || u == '_' || u == '~' || u == '%';
}

} // namespace

QString PackageUrl::toString() const
{
    const QString h = host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(host) : host;
    QString url = QStringLiteral("%1://%2:%3/%4").arg(scheme, h).arg(port).arg(path);
    if (!queries.isEmpty())
        url += QLatin1Char('?') + queries.join(QLatin1Char('&'));
    return url;
}

Result<PackageUrl> parsePackageUrl(QStringView url)
{
    if (url.isEmpty())
        return urlError(0, QStringLiteral("empty: expected coap://host[:port]/path"));
    if (url.size() > 1024)
        return urlError(1024, QStringLiteral("longer than 1024 characters"));
    PackageUrl out;
    qsizetype i = 0;
    while (i < url.size() && isSchemeChar(url[i], i == 0))
        ++i;
    if (i == 0 || url.sliced(i).left(3) != u"://")
        return urlError(i, QStringLiteral("expected a scheme followed by \"://\" (coap://host[:port]/path)"));
    out.scheme = url.left(i).toString().toLower();
    i += 3;
    if (i < url.size() && url[i] == u'[') {
        const qsizetype close = url.indexOf(u']', i);
        if (close < 0)
            return urlError(i, QStringLiteral("IPv6 literal without a closing ']'"));
        const QStringView literal = url.sliced(i + 1, close - i - 1);
        static const QRegularExpression ipv6(QStringLiteral("^[0-9A-Fa-f:.]+(%[A-Za-z0-9._~-]+)?$"));
        if (literal.isEmpty() || !literal.contains(u':') || !ipv6.match(literal).hasMatch())
            return urlError(i + 1, QStringLiteral("\"%1\" is not an IPv6 address").arg(literal.toString()));
        out.host = literal.toString();
        i = close + 1;
    } else {
        const qsizetype start = i;
        while (i < url.size() && isHostChar(url[i]))
            ++i;
        if (i == start)
            return urlError(i, QStringLiteral("expected a host (name, IPv4 address or [IPv6])"));
        out.host = url.sliced(start, i - start).toString();
    }
    if (i < url.size() && url[i] == u':') {
        const qsizetype start = ++i;
        while (i < url.size() && url[i].unicode() >= '0' && url[i].unicode() <= '9')
            ++i;
        bool ok = false;
        const uint port = url.sliced(start, i - start).toUInt(&ok);
        if (i == start || !ok || port == 0 || port > 65535)
            return urlError(start, QStringLiteral("expected a port 1..65535"));
        out.port = std::uint16_t(port);
    } else if (out.scheme == QLatin1String("coaps")) {
        out.port = 5684;
    }
    if (i < url.size() && url[i] != u'/' && url[i] != u'?')
        return urlError(i, QStringLiteral("unexpected '%1' after the authority: expected '/', '?' or the end")
                               .arg(url[i]));
    const qsizetype queryAt = url.indexOf(u'?', i);
    const QStringView path = queryAt < 0 ? url.sliced(i) : url.sliced(i, queryAt - i);
    for (qsizetype k = 0; k < path.size(); ++k)
        if (path[k].isSpace() || path[k].unicode() < 0x21 || path[k] == u'#')
            return urlError(i + k, QStringLiteral("character not allowed in a path"));
    out.path = path.startsWith(u'/') ? path.sliced(1).toString() : path.toString();
    if (queryAt >= 0) {
        const QString q = url.sliced(queryAt + 1).toString();
        if (!q.isEmpty())
            out.queries = q.split(QLatin1Char('&'), Qt::SkipEmptyParts);
    }
    return out;
}

int compareSoftwareVersions(QStringView a, QStringView b)
{
    static const QRegularExpression sep(QStringLiteral("[.+-]"));
    const QStringList fa = a.toString().split(sep);
    const QStringList fb = b.toString().split(sep);
    for (qsizetype i = 0; i < std::max(fa.size(), fb.size()); ++i) {
        const QString x = i < fa.size() ? fa[i] : QStringLiteral("0");
        const QString y = i < fb.size() ? fb[i] : QStringLiteral("0");
        bool okX = false, okY = false;
        const qulonglong nx = x.toULongLong(&okX);
        const qulonglong ny = y.toULongLong(&okY);
        if (okX && okY) {
            if (nx != ny)
                return nx < ny ? -1 : 1;
            continue;
        }
        const int c = x.compare(y);
        if (c != 0)
            return c < 0 ? -1 : 1;
    }
    return 0;
}

} // namespace otalab::core::ocf
