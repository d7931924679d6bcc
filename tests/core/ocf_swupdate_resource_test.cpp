// SPDX-License-Identifier: Apache-2.0
// The software update resource codecs: names, RFC 3339 updatetime (Z, offsets, fractions,
// now/none, precise errors), CBOR both ways with errors naming the property, pstat,
// decodeCborPayload (malformed, trailing bytes), purl parsing, version order, discovery links.
#include "core/ocf/ocf_discovery.h"
#include "core/ocf/ocf_purl.h"
#include "core/ocf/swupdate_resource.h"

#include <QCborArray>

#include <gtest/gtest.h>

namespace otalab::core::ocf {
namespace {

TEST(OcfSwUpdateResource, NamesRoundTripAndResultTexts)
{
    for (auto a : {SwUpdateAction::Idle, SwUpdateAction::Isac, SwUpdateAction::Isvv, SwUpdateAction::Upgrade})
        EXPECT_EQ(parseSwUpdateAction(swUpdateActionName(a)), a);
    for (auto s : {SwUpdateState::Idle, SwUpdateState::Nsa, SwUpdateState::Svv, SwUpdateState::Sva, SwUpdateState::Upgrading})
        EXPECT_EQ(parseSwUpdateState(swUpdateStateName(s)), s);
    EXPECT_EQ(swUpdateStateName(SwUpdateState::Upgrading), QStringLiteral("upgrading"));
    EXPECT_EQ(swUpdateResultText(SwUpdateResult::SvvFail), QStringLiteral("5 (SVV fail)"));
    EXPECT_EQ(swUpdateResultText(SwUpdateResult::UnsupportedProtocol), QStringLiteral("7 (unsupported protocol)"));
    EXPECT_FALSE(parseSwUpdateAction(u"Upgrade"));
}

TEST(OcfSwUpdateResource, UpdateTimeParsesRfc3339)
{
    EXPECT_EQ(UpdateTime::parse(u"now")->kind, UpdateTime::Kind::Now);
    EXPECT_EQ(UpdateTime::parse(u"none")->kind, UpdateTime::Kind::None);
    const auto z = UpdateTime::parse(u"2026-12-08T02:00:00Z");
    ASSERT_TRUE(z);
    EXPECT_EQ(z->atMsUtc, 1796695200000);
    EXPECT_EQ(z->toString(), QStringLiteral("2026-12-08T02:00:00Z"));
    EXPECT_EQ(UpdateTime::parse(u"2026-12-08T03:30:00+01:30")->atMsUtc, z->atMsUtc);
    EXPECT_EQ(UpdateTime::parse(u"2026-12-07T21:00:00-05:00")->atMsUtc, z->atMsUtc);
    EXPECT_EQ(UpdateTime::parse(u"2026-12-08t02:00:00.25z")->atMsUtc, z->atMsUtc + 250);
    EXPECT_EQ(UpdateTime::parse(u"2026-12-08T02:00:00.123456Z")->atMsUtc, z->atMsUtc + 123);
    EXPECT_EQ(rfc3339(z->atMsUtc + 123), QStringLiteral("2026-12-08T02:00:00.123Z"));
    EXPECT_EQ(UpdateTime::parse(u"2024-02-29T00:00:00Z")->toString(), QStringLiteral("2024-02-29T00:00:00Z"));
    EXPECT_EQ(rfc3339(0), QStringLiteral("1970-01-01T00:00:00Z"));
}

TEST(OcfSwUpdateResource, UpdateTimeErrorsArePrecise)
{
    struct Case { const char16_t* text; qint64 offset; const char* fragment; };
    const Case cases[] = {
        {u"", 0, "4 digit(s) for the year"},
        {u"tomorrow", 0, "year"},
        {u"2026-13-01T00:00:00Z", 5, "month 13 out of range"},
        {u"2025-02-29T00:00:00Z", 8, "does not exist"},
        {u"2026-12-08 02:00:00Z", 10, "'T'"},
        {u"2026-12-08T24:00:00Z", 11, "hour 24"},
        {u"2026-12-08T02:00:00", 19, "'Z' or an offset"},
        {u"2026-12-08T02:00:00.Z", 20, "digit after '.'"},
        {u"2026-12-08T02:00:00+1:00", 21, "offset hour"},
        {u"2026-12-08T02:00:00Zjunk", 20, "trailing"},
    };
    for (const Case& c : cases) {
        const auto r = UpdateTime::parse(QStringView(c.text));
        ASSERT_FALSE(r) << QString::fromUtf16(c.text).toStdString();
        EXPECT_EQ(r.error().offset, c.offset) << r.error().toString().toStdString();
        EXPECT_EQ(r.error().field, QStringLiteral("updatetime"));
        EXPECT_TRUE(r.error().message.contains(QLatin1String(c.fragment))) << r.error().toString().toStdString();
    }
}

TEST(OcfSwUpdateResource, ResourceCborRoundTripAndBaseline)
{
    SwUpdateResource r;
    r.purl = QStringLiteral("coap://[fd00::1]:5683/fw/2.0.0");
    r.nv = QStringLiteral("2.0.0");
    r.action = SwUpdateAction::Upgrade;
    r.state = SwUpdateState::Sva;
    r.result = SwUpdateResult::Idle;
    r.updateTime = *UpdateTime::parse(u"2026-12-08T02:00:00Z");
    r.lastUpdate = QStringLiteral("2026-11-01T10:00:00Z");
    const QCborMap baseline = toCbor(r);
    EXPECT_EQ(baseline.value(QStringLiteral("rt")).toArray().at(0).toString(), QStringLiteral("oic.r.softwareupdate"));
    EXPECT_FALSE(toCborRw(r).contains(QStringLiteral("rt")));
    EXPECT_EQ(toCborRw(r).value(QStringLiteral("swupdateresult")).toInteger(), 0);
    EXPECT_EQ(toCborRw(r).value(QStringLiteral("signed")).toString(), QStringLiteral("vendor"));
    const auto back = swUpdateFromCbor(*decodeCborPayload(QCborValue(baseline).toCbor()));
    ASSERT_TRUE(back) << back.error().toString().toStdString();
    EXPECT_EQ(*back, r);
    r.lastUpdate.clear();
    EXPECT_FALSE(toCborRw(r).contains(QStringLiteral("lastupdate")));   // only when there was one
}

TEST(OcfSwUpdateResource, ResourceErrorsNameTheProperty)
{
    QCborMap m = toCborRw(SwUpdateResource{});
    m.insert(QStringLiteral("swupdateresult"), QStringLiteral("five"));
    auto r = swUpdateFromCbor(m);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("swupdateresult"));
    m = toCborRw(SwUpdateResource{});
    m.insert(QStringLiteral("swupdatestate"), QStringLiteral("busy"));
    EXPECT_EQ(swUpdateFromCbor(m).error().field, QStringLiteral("swupdatestate"));
    m = toCborRw(SwUpdateResource{});
    m.insert(QStringLiteral("purl"), 7);
    r = swUpdateFromCbor(m);
    EXPECT_EQ(r.error().field, QStringLiteral("purl"));
    EXPECT_TRUE(r.error().message.contains(QLatin1String("expected a text string, got an integer")));
    EXPECT_FALSE(swUpdateFromCbor(QCborArray{}));
}

TEST(OcfSwUpdateResource, RequestAcceptsWritablePropertiesOnly)
{
    SwUpdateRequest req{QStringLiteral("coap://fw/x"), SwUpdateAction::Isvv, *UpdateTime::parse(u"now")};
    const auto back = swUpdateRequestFromCbor(toCbor(req));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, req);
    for (const char* readOnly : {"nv", "signed", "swupdatestate", "swupdateresult", "lastupdate"}) {
        QCborMap m = toCbor(req);
        m.insert(QLatin1String(readOnly), QStringLiteral("x"));
        const auto r = swUpdateRequestFromCbor(m);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().field, QLatin1String(readOnly));
        EXPECT_TRUE(r.error().message.contains(QLatin1String("read-only")));
    }
    QCborMap m = toCbor(req);
    m.insert(QStringLiteral("colour"), QStringLiteral("red"));
    EXPECT_TRUE(swUpdateRequestFromCbor(m).error().message.contains(QLatin1String("unknown property")));
    m = toCbor(req);
    m.insert(QStringLiteral("swupdateaction"), QStringLiteral("reboot"));
    EXPECT_EQ(swUpdateRequestFromCbor(m).error().field, QStringLiteral("swupdateaction"));
    m = toCbor(req);
    m.insert(QStringLiteral("updatetime"), QStringLiteral("soon"));
    EXPECT_EQ(swUpdateRequestFromCbor(m).error().field, QStringLiteral("updatetime"));
}

TEST(OcfSwUpdateResource, PstatCodecs)
{
    Pstat p;
    p.cm = pstat_bits::Nsa | pstat_bits::Svv;
    p.tm = pstat_bits::Update;
    const auto back = pstatFromCbor(toCbor(p));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, p);
    QCborMap tm;
    tm.insert(QStringLiteral("tm"), 256);
    EXPECT_EQ(pstatTmFromCbor(tm), 256u);
    EXPECT_EQ(pstatTmFromCbor(QCborMap{}).error().field, QStringLiteral("tm"));
    tm.insert(QStringLiteral("tm"), -1);
    EXPECT_FALSE(pstatTmFromCbor(tm));
    QCborMap bad = toCbor(p);
    bad.insert(QStringLiteral("dos"), 3);
    EXPECT_EQ(pstatFromCbor(bad).error().field, QStringLiteral("dos"));
}

TEST(OcfSwUpdateResource, DecodeCborPayloadRejectsMalformedAndTrailingBytes)
{
    EXPECT_TRUE(decodeCborPayload(QByteArray::fromHex("a0")));
    EXPECT_EQ(decodeCborPayload({}).error().offset, 0);
    const auto trailing = decodeCborPayload(QByteArray::fromHex("a000"));
    ASSERT_FALSE(trailing);
    EXPECT_EQ(trailing.error().offset, 1);
    EXPECT_TRUE(trailing.error().message.contains(QLatin1String("trailing")));
    const auto truncated = decodeCborPayload(QByteArray::fromHex("a16470"));   // map, text of 4 with 1 byte
    ASSERT_FALSE(truncated);
    EXPECT_TRUE(truncated.error().message.contains(QLatin1String("malformed CBOR")));
}

TEST(OcfSwUpdateResource, PackageUrls)
{
    auto u = parsePackageUrl(u"coap://[fd00::1]:5684/fw/2.0.0?v=2");
    ASSERT_TRUE(u) << u.error().toString().toStdString();
    EXPECT_EQ(u->host, QStringLiteral("fd00::1"));
    EXPECT_EQ(u->port, 5684);
    EXPECT_EQ(u->path, QStringLiteral("fw/2.0.0"));
    EXPECT_EQ(u->queries, QStringList{QStringLiteral("v=2")});
    EXPECT_EQ(parsePackageUrl(u"coap://192.0.2.1/fw")->port, 5683);
    EXPECT_TRUE(isSupportedPackageScheme(*parsePackageUrl(u"COAP://fw.example/x")));
    EXPECT_FALSE(isSupportedPackageScheme(*parsePackageUrl(u"https://fw.example/x")));
    EXPECT_FALSE(parsePackageUrl(u"fw.example/x"));
    EXPECT_FALSE(parsePackageUrl(u"coap://[fd00::1/x"));
    EXPECT_FALSE(parsePackageUrl(u"coap://[zz]/x"));
    EXPECT_EQ(parsePackageUrl(u"coap://fw:99999/x").error().offset, 10);
    EXPECT_FALSE(parsePackageUrl(u"coap:///x"));
}

TEST(OcfSwUpdateResource, SoftwareVersionOrder)
{
    EXPECT_EQ(compareSoftwareVersions(u"2.0.0", u"1.9.9"), 1);
    EXPECT_EQ(compareSoftwareVersions(u"1.10.0", u"1.9.0"), 1);
    EXPECT_EQ(compareSoftwareVersions(u"1.0", u"1.0.0"), 0);
    EXPECT_EQ(compareSoftwareVersions(u"1.0.0+1", u"1.0.0+2"), -1);
}

TEST(OcfSwUpdateResource, DiscoveryLinks)
{
    const std::vector<OcfLink> links{
        {QStringLiteral("ocf://d1"), QStringLiteral("/oic/d"), {QStringLiteral("oic.wk.d")}, {QStringLiteral("oic.if.r")}, 1},
        {QStringLiteral("ocf://d1"), QStringLiteral("/oc/swu"), {QStringLiteral("oic.r.softwareupdate")}, {QStringLiteral("oic.if.rw")}, 3},
    };
    const auto back = linksFromCbor(toCbor(links));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, links);
    const auto filtered = filterLinks(links, {QStringLiteral("rt=oic.r.softwareupdate")});
    ASSERT_EQ(filtered.size(), 1u);
    EXPECT_EQ(filtered[0].deviceId(), QStringLiteral("d1"));
    QCborArray bad = toCbor(links);
    QCborMap m = bad[1].toMap();
    m.insert(QStringLiteral("href"), 5);
    bad[1] = m;
    EXPECT_EQ(linksFromCbor(bad).error().field, QStringLiteral("links[1].href"));
}

} // namespace
} // namespace otalab::core::ocf
