// SPDX-License-Identifier: Apache-2.0
#include "core/ocf/ocf_discovery.h"

#include "core/ocf/ocf_cbor.h"

#include <QCborMap>

namespace otalab::core::ocf {

namespace {

QCborArray textArray(const QStringList& list)
{
    QCborArray a;
    for (const QString& s : list)
        a.append(s);
    return a;
}

Result<QStringList> textList(const QCborValue& v, const QString& field)
{
    if (!v.isArray())
        return fail(Error::at(-1, field, QStringLiteral("expected an array of text strings, got %1").arg(cborTypeName(v))));
    QStringList out;
    for (const QCborValue item : v.toArray()) {
        if (!item.isString())
            return fail(Error::at(-1, field, QStringLiteral("expected text strings, got %1").arg(cborTypeName(item))));
        out.append(item.toString());
    }
    return out;
}

} // namespace

QString OcfLink::deviceId() const
{
    return anchor.startsWith(QLatin1String("ocf://")) ? anchor.mid(6) : QString();
}

QCborArray toCbor(const std::vector<OcfLink>& links)
{
    QCborArray out;
    for (const OcfLink& link : links) {
        QCborMap m;
        m.insert(QStringLiteral("anchor"), link.anchor);
        m.insert(QStringLiteral("href"), link.href);
        m.insert(QStringLiteral("rt"), textArray(link.resourceTypes));
        m.insert(QStringLiteral("if"), textArray(link.interfaces));
        QCborMap p;
        p.insert(QStringLiteral("bm"), link.bitmap);
        m.insert(QStringLiteral("p"), p);
        out.append(m);
    }
    return out;
}

Result<std::vector<OcfLink>> linksFromCbor(const QCborValue& value)
{
    if (!value.isArray())
        return fail(Error::at(-1, QStringLiteral("oic/res"), QStringLiteral("expected an array of links, got %1").arg(cborTypeName(value))));
    std::vector<OcfLink> out;
    const QCborArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString at = QStringLiteral("links[%1]").arg(i);
        if (!array[i].isMap())
            return fail(Error::at(-1, at, QStringLiteral("expected a map, got %1").arg(cborTypeName(array[i]))));
        const QCborMap m = array[i].toMap();
        OcfLink link;
        const QCborValue href = m.value(QStringLiteral("href"));
        if (!href.isString())
            return fail(Error::at(-1, at + QStringLiteral(".href"), QStringLiteral("expected a text string, got %1").arg(cborTypeName(href))));
        link.href = href.toString();
        const QCborValue anchor = m.value(QStringLiteral("anchor"));
        if (!anchor.isUndefined()) {
            if (!anchor.isString())
                return fail(Error::at(-1, at + QStringLiteral(".anchor"), QStringLiteral("expected a text string, got %1").arg(cborTypeName(anchor))));
            link.anchor = anchor.toString();
        }
        auto rt = textList(m.value(QStringLiteral("rt")), at + QStringLiteral(".rt"));
        if (!rt)
            return fail(rt.error());
        link.resourceTypes = *rt;
        if (m.contains(QStringLiteral("if"))) {
            auto ifs = textList(m.value(QStringLiteral("if")), at + QStringLiteral(".if"));
            if (!ifs)
                return fail(ifs.error());
            link.interfaces = *ifs;
        }
        const QCborValue p = m.value(QStringLiteral("p"));
        if (p.isMap() && p.toMap().value(QStringLiteral("bm")).isInteger())
            link.bitmap = int(p.toMap().value(QStringLiteral("bm")).toInteger());
        out.push_back(std::move(link));
    }
    return out;
}

std::vector<OcfLink> filterLinks(const std::vector<OcfLink>& links, const QStringList& uriQueries)
{
    std::vector<OcfLink> out;
    for (const OcfLink& link : links) {
        bool keep = true;
        for (const QString& q : uriQueries)
            if (q.startsWith(QLatin1String("rt=")) && !link.resourceTypes.contains(q.mid(3)))
                keep = false;
        if (keep)
            out.push_back(link);
    }
    return out;
}

} // namespace otalab::core::ocf
