// SPDX-License-Identifier: Apache-2.0
// Names, codecs and the RFC 3339 time of the software update resource. Property names,
// the read-only set and the updatetime special values follow IoTivity-Lite
// api/oc_swupdate.c (swupdate_decode_string_property, swupdate_decode_update_time,
// oc_swupdate_encode_with_resource); pstat's shape follows security/oc_pstat.c
// (oc_sec_encode_pstat).
#include "core/ocf/swupdate_resource.h"

#include "core/ocf/ocf_cbor.h"

#include <QCborArray>
#include <QCborStreamReader>

#include <array>

namespace otalab::core::ocf {

namespace {

constexpr std::array<const char*, 4> kActionNames{"idle", "isac", "isvv", "upgrade"};
constexpr std::array<const char*, 5> kStateNames{"idle", "nsa", "svv", "sva", "upgrading"};
constexpr std::array<const char*, 9> kResultTexts{"idle",          "success",       "less RAM",
                                                  "less flash",    "connection fail", "SVV fail",
                                                  "invalid URL",   "unsupported protocol", "upgrade fail"};

Result<QString> textProperty(const QCborMap& map, const char* key)
{
    const QCborValue value = map.value(QLatin1String(key));
    if (!value.isString())
        return fail(Error::at(-1, QLatin1String(key),
                              QStringLiteral("expected a text string, got %1").arg(cborTypeName(value))));
    return value.toString();
}

} // namespace

QString swUpdateActionName(SwUpdateAction action)
{
    const auto i = std::size_t(action);
    return i < kActionNames.size() ? QLatin1String(kActionNames[i]) : QStringLiteral("?");
}

QString swUpdateStateName(SwUpdateState state)
{
    const auto i = std::size_t(state);
    return i < kStateNames.size() ? QLatin1String(kStateNames[i]) : QStringLiteral("?");
}

QString swUpdateResultText(SwUpdateResult result)
{
    const auto i = std::size_t(result);
    const QString text = i < kResultTexts.size() ? QLatin1String(kResultTexts[i]) : QStringLiteral("unknown");
    return QStringLiteral("%1 (%2)").arg(i).arg(text);
}

std::optional<SwUpdateAction> parseSwUpdateAction(QStringView text)
{
    for (std::size_t i = 0; i < kActionNames.size(); ++i)
        if (text == QLatin1String(kActionNames[i]))
            return SwUpdateAction(i);
    return std::nullopt;
}

std::optional<SwUpdateState> parseSwUpdateState(QStringView text)
{
    for (std::size_t i = 0; i < kStateNames.size(); ++i)
        if (text == QLatin1String(kStateNames[i]))
            return SwUpdateState(i);
    return std::nullopt;
}

// --- resource ----------------------------------------------------------------------

QCborMap toCbor(const SwUpdateResource& resource)
{
    QCborMap map = toCborRw(resource);
    map.insert(QStringLiteral("rt"), QCborArray{QString::fromLatin1(kSwUpdateResourceType)});
    map.insert(QStringLiteral("if"), QCborArray{QStringLiteral("oic.if.rw"), QStringLiteral("oic.if.baseline")});
    return map;
}

QCborMap toCborRw(const SwUpdateResource& resource)
{
    // oc_swupdate_encode_with_resource: purl, nv, signed, swupdateaction, swupdatestate,
    // swupdateresult, lastupdate (only when there was one), updatetime.
    QCborMap map;
    map.insert(QStringLiteral("purl"), resource.purl);
    map.insert(QStringLiteral("nv"), resource.nv);
    map.insert(QStringLiteral("signed"), resource.signage);
    map.insert(QStringLiteral("swupdateaction"), swUpdateActionName(resource.action));
    map.insert(QStringLiteral("swupdatestate"), swUpdateStateName(resource.state));
    map.insert(QStringLiteral("swupdateresult"), qint64(resource.result));
    if (!resource.lastUpdate.isEmpty())
        map.insert(QStringLiteral("lastupdate"), resource.lastUpdate);
    map.insert(QStringLiteral("updatetime"), resource.updateTime.toString());
    return map;
}

Result<SwUpdateResource> swUpdateFromCbor(const QCborValue& value)
{
    if (!value.isMap())
        return fail(Error::at(-1, QStringLiteral("oic.r.softwareupdate"),
                              QStringLiteral("expected a map, got %1").arg(cborTypeName(value))));
    const QCborMap map = value.toMap();
    SwUpdateResource out;
    for (const auto key : {"purl", "nv", "signed", "lastupdate"}) {
        if (!map.contains(QLatin1String(key)))
            continue;
        auto text = textProperty(map, key);
        if (!text)
            return fail(text.error());
        if (QLatin1String(key) == QLatin1String("purl"))
            out.purl = *text;
        else if (QLatin1String(key) == QLatin1String("nv"))
            out.nv = *text;
        else if (QLatin1String(key) == QLatin1String("signed"))
            out.signage = *text;
        else
            out.lastUpdate = *text;
    }
    if (map.contains(QStringLiteral("swupdateaction"))) {
        auto text = textProperty(map, "swupdateaction");
        if (!text)
            return fail(text.error());
        const auto action = parseSwUpdateAction(*text);
        if (!action)
            return fail(Error::at(-1, QStringLiteral("swupdateaction"),
                                  QStringLiteral("expected idle, isac, isvv or upgrade, got \"%1\"").arg(*text)));
        out.action = *action;
    }
    auto stateText = textProperty(map, "swupdatestate");
    if (!stateText)
        return fail(stateText.error());
    const auto state = parseSwUpdateState(*stateText);
    if (!state)
        return fail(Error::at(-1, QStringLiteral("swupdatestate"),
                              QStringLiteral("expected idle, nsa, svv, sva or upgrading, got \"%1\"").arg(*stateText)));
    out.state = *state;
    const QCborValue result = map.value(QStringLiteral("swupdateresult"));
    if (!result.isInteger() || result.toInteger() < 0 || result.toInteger() > 8)
        return fail(Error::at(-1, QStringLiteral("swupdateresult"),
                              QStringLiteral("expected an integer 0..8, got %1").arg(cborTypeName(result))));
    out.result = SwUpdateResult(result.toInteger());
    if (map.contains(QStringLiteral("updatetime"))) {
        auto text = textProperty(map, "updatetime");
        if (!text)
            return fail(text.error());
        auto time = UpdateTime::parse(*text);
        if (!time)
            return fail(Error::at(-1, QStringLiteral("updatetime"), time.error().toString()));
        out.updateTime = *time;
    }
    return out;
}

// --- POST body -----------------------------------------------------------------------

QCborMap toCbor(const SwUpdateRequest& request)
{
    QCborMap map;
    if (request.purl)
        map.insert(QStringLiteral("purl"), *request.purl);
    if (request.action)
        map.insert(QStringLiteral("swupdateaction"), swUpdateActionName(*request.action));
    if (request.updateTime)
        map.insert(QStringLiteral("updatetime"), request.updateTime->toString());
    return map;
}

Result<SwUpdateRequest> swUpdateRequestFromCbor(const QCborValue& value)
{
    if (!value.isMap())
        return fail(Error::at(-1, QStringLiteral("oic.r.softwareupdate"),
                              QStringLiteral("expected a map, got %1").arg(cborTypeName(value))));
    SwUpdateRequest out;
    const QCborMap map = value.toMap();
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        if (!it.key().isString())
            return fail(Error::at(-1, QStringLiteral("oic.r.softwareupdate"),
                                  QStringLiteral("expected text keys, got %1").arg(cborTypeName(it.key()))));
        const QString key = it.key().toString();
        const QCborValue v = it.value();
        // IoTivity-Lite swupdate_decode_*_property: these are read-only for a client.
        if (key == u"nv" || key == u"signed" || key == u"swupdatestate" || key == u"swupdateresult"
            || key == u"lastupdate")
            return fail(Error::at(-1, key, QStringLiteral("read-only property: a client may write purl, "
                                                          "swupdateaction and updatetime")));
        if (key != u"purl" && key != u"swupdateaction" && key != u"updatetime")
            return fail(Error::at(-1, key, QStringLiteral("unknown property: expected purl, swupdateaction "
                                                          "or updatetime")));
        if (!v.isString())
            return fail(Error::at(-1, key, QStringLiteral("expected a text string, got %1").arg(cborTypeName(v))));
        const QString text = v.toString();
        if (key == u"purl") {
            out.purl = text;
        } else if (key == u"swupdateaction") {
            const auto action = parseSwUpdateAction(text);
            if (!action)
                return fail(Error::at(-1, key, QStringLiteral("expected idle, isac, isvv or upgrade, got \"%1\"")
                                                   .arg(text.left(64))));
            out.action = *action;
        } else {
            auto time = UpdateTime::parse(text);
            if (!time)
                return fail(Error::at(time.error().offset, key, time.error().message));
            out.updateTime = *time;
        }
    }
    return out;
}

// --- pstat ---------------------------------------------------------------------------

QCborMap toCbor(const Pstat& pstat)
{
    QCborMap dos;
    dos.insert(QStringLiteral("p"), false);
    dos.insert(QStringLiteral("s"), pstat.dosState);
    QCborMap map;
    map.insert(QStringLiteral("dos"), dos);
    map.insert(QStringLiteral("cm"), qint64(pstat.cm));
    map.insert(QStringLiteral("tm"), qint64(pstat.tm));
    map.insert(QStringLiteral("om"), pstat.om);
    map.insert(QStringLiteral("sm"), pstat.sm);
    map.insert(QStringLiteral("isop"), pstat.isOperational);
    return map;
}

namespace {

Result<qint64> intProperty(const QCborMap& map, QStringView field, QLatin1String key, qint64 max)
{
    const QCborValue v = map.value(key);
    if (!v.isInteger())
        return fail(Error::at(-1, field.toString(),
                              QStringLiteral("expected an integer, got %1").arg(cborTypeName(v))));
    if (v.toInteger() < 0 || v.toInteger() > max)
        return fail(Error::at(-1, field.toString(), QStringLiteral("expected 0..%1, got %2").arg(max).arg(v.toInteger())));
    return v.toInteger();
}

} // namespace

Result<Pstat> pstatFromCbor(const QCborValue& value)
{
    if (!value.isMap())
        return fail(Error::at(-1, QStringLiteral("pstat"), QStringLiteral("expected a map, got %1").arg(cborTypeName(value))));
    const QCborMap map = value.toMap();
    Pstat out;
    const QCborValue dos = map.value(QStringLiteral("dos"));
    if (!dos.isMap())
        return fail(Error::at(-1, QStringLiteral("dos"), QStringLiteral("expected a map, got %1").arg(cborTypeName(dos))));
    auto s = intProperty(dos.toMap(), u"dos.s", QLatin1String("s"), 4);
    if (!s)
        return fail(s.error());
    out.dosState = int(*s);
    const QCborValue isop = map.value(QStringLiteral("isop"));
    if (!isop.isBool())
        return fail(Error::at(-1, QStringLiteral("isop"), QStringLiteral("expected a boolean, got %1").arg(cborTypeName(isop))));
    out.isOperational = isop.toBool();
    auto cm = intProperty(map, u"cm", QLatin1String("cm"), 0xffffffff);
    auto tm = intProperty(map, u"tm", QLatin1String("tm"), 0xffffffff);
    auto om = intProperty(map, u"om", QLatin1String("om"), 0xff);
    auto sm = intProperty(map, u"sm", QLatin1String("sm"), 0xff);
    for (const auto* r : {&cm, &tm, &om, &sm})
        if (!*r)
            return fail(r->error());
    out.cm = std::uint32_t(*cm);
    out.tm = std::uint32_t(*tm);
    out.om = int(*om);
    out.sm = int(*sm);
    return out;
}

Result<std::uint32_t> pstatTmFromCbor(const QCborValue& value)
{
    if (!value.isMap())
        return fail(Error::at(-1, QStringLiteral("pstat"), QStringLiteral("expected a map, got %1").arg(cborTypeName(value))));
    const QCborMap map = value.toMap();
    if (!map.contains(QStringLiteral("tm")))
        return fail(Error::at(-1, QStringLiteral("tm"), QStringLiteral("missing: a POST to pstat must carry tm")));
    auto tm = intProperty(map, u"tm", QLatin1String("tm"), 0xffffffff);
    if (!tm)
        return fail(tm.error());
    return std::uint32_t(*tm);
}

// --- payload ----------------------------------------------------------------------------

Result<QCborValue> decodeCborPayload(const QByteArray& payload)
{
    if (payload.isEmpty())
        return fail(Error::at(0, QStringLiteral("payload"), QStringLiteral("empty: expected one CBOR item")));
    QCborStreamReader reader(payload);
    const QCborValue value = QCborValue::fromCbor(reader);
    const QCborError error = reader.lastError();
    if (error.c != QCborError::NoError)
        return fail(Error::at(reader.currentOffset(), QStringLiteral("payload"),
                              QStringLiteral("malformed CBOR: %1").arg(error.toString())));
    if (reader.currentOffset() != payload.size())
        return fail(Error::at(reader.currentOffset(), QStringLiteral("payload"),
                              QStringLiteral("%1 trailing byte(s) after the CBOR item: expected exactly one item")
                                  .arg(payload.size() - reader.currentOffset())));
    return value;
}

} // namespace otalab::core::ocf
