// SPDX-License-Identifier: Apache-2.0
// SwUpdateDevice step by step through the loop harness (device + block server + client):
// isac → nsa with nv; isvv → svv → sva; upgrade now and at a time (Apply timer, clock
// jump); reboot → idle / success / lastupdate; pstat tm bits drive the same steps; the
// resources (GET, Observe with rising sequence, discovery, /oic/d, 4.04/4.05/4.06/4.00,
// unauthorised 4.01 with nothing changed, CON dedup, RST for a malformed CON).
#include "ocf_swupdate_support.h"

#include "core/ocf/swupdate_resource.h"

namespace otalab::test::ocf {
namespace {

using S = SwUpdateState;

SwUpdateResource stateOf(OcfBench& b)
{
    return b.device->resource();
}

TEST(OcfSwUpdateDevice, GetAnswersTheResource)
{
    OcfBench b;
    b.clientDo([&](ClientOutputs& out) { b.client.getStatus(b.now, b.deviceAddr, out); });
    b.run();
    const auto reads = b.eventsOf<StatusRead>();
    ASSERT_EQ(reads.size(), 1u);
    EXPECT_EQ(reads[0].resource.state, S::Idle);
    EXPECT_EQ(reads[0].resource.signage, QStringLiteral("vendor"));
    EXPECT_EQ(b.client.device(b.deviceAddr)->resource->state, S::Idle);
}

TEST(OcfSwUpdateDevice, AvailabilityCheckFindsTheNewVersion)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    b.post(SwUpdateAction::Isac);
    b.run();
    EXPECT_EQ(b.stateSequence(), (std::vector<S>{S::Nsa, S::Nsa}));
    EXPECT_EQ(stateOf(b).state, S::Nsa);
    EXPECT_EQ(stateOf(b).nv, QStringLiteral("2.0.0"));
    EXPECT_EQ(stateOf(b).action, SwUpdateAction::Idle);
    EXPECT_EQ(b.device->pstat().cm, pstat_bits::Nsa);
    EXPECT_EQ(b.blocksServed, (std::vector<std::uint32_t>{0}));   // the header only
    EXPECT_EQ(b.eventsOf<PostAccepted>().size(), 1u);
}

TEST(OcfSwUpdateDevice, AvailabilityCheckWithNothingNewerGoesIdle)
{
    OcfBench b;
    b.image = makeOcfImage("1.0.0", 1);
    b.post(SwUpdateAction::Isac);
    b.run();
    EXPECT_EQ(stateOf(b).state, S::Idle);
    EXPECT_EQ(stateOf(b).result, SwUpdateResult::Idle);
    EXPECT_TRUE(stateOf(b).nv.isEmpty());
}

TEST(OcfSwUpdateDevice, ValidationDownloadsAndReachesSva)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    b.post(SwUpdateAction::Isvv);
    b.run();
    EXPECT_EQ(b.stateSequence(), (std::vector<S>{S::Svv, S::Sva}));
    EXPECT_EQ(stateOf(b).nv, QStringLiteral("2.0.0"));
    EXPECT_EQ(b.device->pstat().cm, pstat_bits::Nsa | pstat_bits::Svv);
    EXPECT_EQ(b.platform.storedBytes(), std::uint64_t(b.image.size()));
    EXPECT_EQ(b.blocksServed.size(), std::size_t((b.image.size() + 1023) / 1024));
    EXPECT_FALSE(b.rebootPending);
}

TEST(OcfSwUpdateDevice, UpgradeNowRebootsIntoTheNewVersion)
{
    OcfBench b;
    const QString userData = b.platform.userDataChecksum();
    b.image = makeOcfImage("2.0.0", 2);
    b.post(SwUpdateAction::Upgrade);
    b.run();
    ASSERT_TRUE(b.rebootPending);
    EXPECT_EQ(b.stateSequence(), (std::vector<S>{S::Svv, S::Sva, S::Upgrading}));
    EXPECT_EQ(b.device->pstat().cm, pstat_bits::Nsa | pstat_bits::Svv | pstat_bits::Update);
    b.now += 5000;
    const auto boot = b.restart();
    EXPECT_TRUE(boot.booted);
    EXPECT_EQ(boot.swapType, mcuboot::SwapType::Test);
    EXPECT_EQ(b.platform.runningVersion(), QStringLiteral("2.0.0"));
    EXPECT_EQ(stateOf(b).state, S::Idle);
    EXPECT_EQ(stateOf(b).result, SwUpdateResult::Success);
    EXPECT_EQ(stateOf(b).lastUpdate, rfc3339(b.now));
    EXPECT_TRUE(stateOf(b).nv.isEmpty());
    EXPECT_EQ(b.device->pstat().cm, 0u);
    EXPECT_EQ(b.platform.userDataChecksum(), userData);   // user data survives the update
    // Confirmed: another reset keeps 2.0.0 (no revert).
    b.restart();
    EXPECT_EQ(b.platform.runningVersion(), QStringLiteral("2.0.0"));
}

TEST(OcfSwUpdateDevice, UpgradeAtATimeWaitsForTheApplyTimer)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    const qint64 at = b.now + 3'600'000;
    b.post(SwUpdateAction::Upgrade, rfc3339(at));
    b.run(b.now + 1000);
    EXPECT_TRUE(b.states.empty());
    EXPECT_EQ(stateOf(b).action, SwUpdateAction::Upgrade);
    EXPECT_EQ(stateOf(b).updateTime.atMsUtc, at);
    ASSERT_TRUE(b.deviceTimers.contains(SwUpdateTimer::Apply));
    EXPECT_EQ(b.deviceTimers[SwUpdateTimer::Apply], at);
    b.run();
    ASSERT_TRUE(b.rebootPending);
    EXPECT_GE(b.now, at);
    b.restart();
    EXPECT_EQ(stateOf(b).result, SwUpdateResult::Success);
}

TEST(OcfSwUpdateDevice, ValidateNowThenUpgradeAtATimeAppliesWithoutDownloadingAgain)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    b.post(SwUpdateAction::Isvv);
    b.run();
    ASSERT_EQ(b.device->resource().state, S::Sva);
    const std::size_t served = b.blocksServed.size();
    const qint64 at = b.now + 7'200'000;
    b.post(SwUpdateAction::Upgrade, rfc3339(at), QString());   // empty purl: keep the stored one
    b.run();
    ASSERT_TRUE(b.rebootPending);
    EXPECT_EQ(b.now, at);
    EXPECT_EQ(b.blocksServed.size(), served);
    EXPECT_EQ(b.device->resource().purl, b.purl);
    b.restart();
    EXPECT_EQ(b.device->resource().result, SwUpdateResult::Success);
    EXPECT_EQ(b.device->resource().lastUpdate, rfc3339(at));
}

TEST(OcfSwUpdateDevice, ClockJumpRearmsTheScheduledAction)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    const qint64 at = b.now + 3'600'000;
    b.post(SwUpdateAction::Isvv, rfc3339(at));
    b.run(b.now + 1000);
    b.now = at - 60'000;   // the device's clock is set one hour forward (NTP)
    DeviceActions out;
    b.device->onClockSet(b.now, out);
    b.handle(out);
    EXPECT_EQ(b.deviceTimers[SwUpdateTimer::Apply], at);
    b.run();
    EXPECT_EQ(stateOf(b).state, S::Sva);
}

TEST(OcfSwUpdateDevice, PastUpdateTimeAndMissingPropertiesAreNotAcceptable)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    b.post(SwUpdateAction::Upgrade, rfc3339(b.now - 1000));
    SwUpdateRequest noTime;
    noTime.purl = b.purl;
    noTime.action = SwUpdateAction::Isvv;
    b.clientDo([&](ClientOutputs& out) { b.client.post(b.now, b.deviceAddr, noTime, out); });
    b.run();
    const auto failures = b.eventsOf<RequestFailed>();
    ASSERT_EQ(failures.size(), 2u);
    for (const auto& f : failures)
        EXPECT_EQ(f.code, coap_code::NotAcceptable);
    EXPECT_TRUE(failures[0].reason.contains(QLatin1String("in the past")));
    EXPECT_TRUE(failures[1].reason.contains(QLatin1String("updatetime: not set")));
    EXPECT_TRUE(b.states.empty());
    EXPECT_EQ(b.refused.size(), 2u);
}

TEST(OcfSwUpdateDevice, PstatTargetModeBitsDriveTheSameSteps)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    // purl comes from a POST with updatetime "none" (stored, nothing runs).
    b.post(SwUpdateAction::Idle, QStringLiteral("none"));
    b.run();
    EXPECT_TRUE(b.states.empty());
    b.clientDo([&](ClientOutputs& out) { b.client.postPstatTm(b.now, b.deviceAddr, pstat_bits::Nsa, out); });
    b.run();
    EXPECT_EQ(stateOf(b).state, S::Nsa);
    EXPECT_EQ(stateOf(b).nv, QStringLiteral("2.0.0"));
    EXPECT_EQ(b.device->pstat().tm, 0u);   // cleared as the step starts
    b.clientDo([&](ClientOutputs& out) { b.client.postPstatTm(b.now, b.deviceAddr, pstat_bits::Svv, out); });
    b.run();
    EXPECT_EQ(stateOf(b).state, S::Sva);
    b.clientDo([&](ClientOutputs& out) { b.client.postPstatTm(b.now, b.deviceAddr, pstat_bits::Update, out); });
    b.run();
    ASSERT_TRUE(b.rebootPending);
    b.restart();
    EXPECT_EQ(stateOf(b).result, SwUpdateResult::Success);
    b.clientDo([&](ClientOutputs& out) { b.client.getPstat(b.now, b.deviceAddr, out); });
    b.run();
    ASSERT_FALSE(b.eventsOf<PstatRead>().empty());
    EXPECT_EQ(b.eventsOf<PstatRead>().back().pstat.cm, 0u);
    b.clientDo([&](ClientOutputs& out) { b.client.postPstatTm(b.now, b.deviceAddr, 2, out); });
    b.run();
    EXPECT_EQ(b.eventsOf<RequestFailed>().back().code, coap_code::BadRequest);
}

TEST(OcfSwUpdateDevice, UnauthorisedPostIsRefusedAndChangesNothing)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    const SwUpdatePersisted before = b.device->persisted();
    CoapPeer mallory{QStringLiteral("mallory"), 5683, QStringLiteral("mallory")};
    CoapMessage post = makeRequest(CoapType::Confirmable, coap_code::Post, 0x77, QByteArrayLiteral("m1"), u"/oc/swu");
    post.payload = QCborValue(toCbor(SwUpdateRequest{QStringLiteral("coap://evil/fw"), SwUpdateAction::Upgrade,
                                                     *UpdateTime::parse(u"now")}))
                       .toCbor();
    DeviceActions out;
    b.device->onMessage(b.now, mallory, post, out);
    CoapMessage pstat = makeRequest(CoapType::Confirmable, coap_code::Post, 0x78, QByteArrayLiteral("m2"), u"/oic/sec/pstat");
    pstat.payload = QByteArray::fromHex("a162746d190100");   // {"tm": 256}
    b.device->onMessage(b.now, mallory, pstat, out);
    std::vector<CoapMessage> answers;
    std::vector<QString> reasons;
    for (auto& a : out) {
        if (auto* s = std::get_if<DeviceSend>(&a))
            answers.push_back(s->message);
        if (auto* r = std::get_if<DeviceRefused>(&a))
            reasons.push_back(r->reason);
    }
    ASSERT_EQ(answers.size(), 2u);
    EXPECT_EQ(answers[0].code, coap_code::Unauthorized);
    EXPECT_EQ(answers[1].code, coap_code::Unauthorized);
    ASSERT_EQ(reasons.size(), 2u);
    EXPECT_TRUE(reasons[0].contains(QLatin1String("unauthorised")));
    EXPECT_EQ(b.device->persisted(), before);
    EXPECT_EQ(b.device->pstat().tm, 0u);
}

TEST(OcfSwUpdateDevice, ObserversGetEveryStateChangeWithRisingSequence)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    b.clientDo([&](ClientOutputs& out) { b.client.observe(b.now, b.deviceAddr, out); });
    b.run();
    EXPECT_EQ(b.device->observerCount(), 1);
    b.post(SwUpdateAction::Upgrade);
    b.run();
    const auto notes = b.eventsOf<Notified>();
    ASSERT_EQ(notes.size(), 3u);   // svv, sva, upgrading
    EXPECT_EQ(notes[0].resource.state, S::Svv);
    EXPECT_EQ(notes[1].resource.state, S::Sva);
    EXPECT_EQ(notes[2].resource.state, S::Upgrading);
    const std::uint32_t last = *b.client.device(b.deviceAddr)->lastSequence;
    EXPECT_EQ(last, notes[2].sequence);
    for (std::size_t i = 1; i < notes.size(); ++i)
        EXPECT_GT(notes[i].sequence, notes[i - 1].sequence);
    b.restart();
    EXPECT_EQ(b.device->observerCount(), 0);   // observers are volatile: lost in the reset
}

TEST(OcfSwUpdateDevice, ObserveOneDeregisters)
{
    OcfBench b;
    CoapMessage reg = makeRequest(CoapType::Confirmable, coap_code::Get, 0x10, QByteArrayLiteral("ob"), u"oc/swu");
    reg.setObserve(0);
    DeviceActions out;
    b.device->onMessage(b.now, b.clientAddr, reg, out);
    ASSERT_EQ(b.device->observerCount(), 1);
    EXPECT_TRUE(std::get<DeviceSend>(out[0]).message.observe().has_value());
    CoapMessage dereg = reg;
    dereg.messageId = 0x11;
    dereg.setObserve(1);
    b.device->onMessage(b.now, b.clientAddr, dereg, out);
    EXPECT_EQ(b.device->observerCount(), 0);
}

TEST(OcfSwUpdateDevice, ObserverThatNeverAcknowledgesIsDropped)
{
    OcfBench b;
    b.deviceConfig.observeConfirmableEvery = 1;   // every notification is CON
    b.restart();
    b.image = makeOcfImage("2.0.0", 2);
    b.clientDo([&](ClientOutputs& out) { b.client.observe(b.now, b.deviceAddr, out); });   // acknowledges
    CoapMessage reg = makeRequest(CoapType::Confirmable, coap_code::Get, 0x10, QByteArrayLiteral("gh"), u"oc/swu");
    reg.setObserve(0);
    b.sendRaw(CoapPeer{QStringLiteral("ghost"), 5683, {}}, reg);   // its datagrams go nowhere
    b.run();
    ASSERT_EQ(b.device->observerCount(), 2);
    b.post(SwUpdateAction::Isac);   // nsa, nsa: two CON notifications each
    b.run();
    EXPECT_EQ(b.device->observerCount(), 2);   // the ghost's first CON is still young
    b.now += 100'000;                          // > MAX_TRANSMIT_WAIT (93 s)
    b.post(SwUpdateAction::Isac);
    b.run();
    EXPECT_EQ(b.device->observerCount(), 1);   // the ghost is gone, the client stays
    EXPECT_EQ(b.eventsOf<Notified>().size(), 4u);
}

TEST(OcfSwUpdateDevice, ResourcesAnswerWithTheRightCodes)
{
    OcfBench b;
    const CoapPeer peer = b.clientAddr;
    auto ask = [&](std::uint8_t method, const char16_t* path, QByteArray payload = {}, QStringList queries = {},
                   CoapType type = CoapType::Confirmable) -> std::optional<CoapMessage> {
        static std::uint16_t mid = 0x500;
        CoapMessage m = makeRequest(type, method, mid++, QByteArrayLiteral("t"), QStringView(path));
        for (const QString& q : queries)
            m.addUriQuery(q);
        m.payload = payload;
        DeviceActions out;
        b.device->onMessage(b.now, peer, m, out);
        for (auto& a : out)
            if (auto* s = std::get_if<DeviceSend>(&a))
                return s->message;
        return std::nullopt;
    };
    EXPECT_EQ(ask(coap_code::Get, u"nope")->code, coap_code::NotFound);
    EXPECT_EQ(ask(coap_code::Delete, u"oc/swu")->code, coap_code::MethodNotAllowed);
    EXPECT_EQ(ask(coap_code::Post, u"oc/swu", QByteArray::fromHex("ff"))->code, coap_code::BadRequest);
    EXPECT_FALSE(ask(coap_code::Post, u"oc/swu", QByteArray::fromHex("ff"))->payload.isEmpty());   // diagnostic
    EXPECT_EQ(ask(coap_code::Get, u"oc/swu", {}, {QStringLiteral("if=oic.if.ll")})->code, coap_code::BadRequest);
    const auto baseline = ask(coap_code::Get, u"oc/swu", {}, {QStringLiteral("if=oic.if.baseline")});
    EXPECT_TRUE(decodeCborPayload(baseline->payload)->toMap().contains(QStringLiteral("rt")));
    EXPECT_EQ(baseline->contentFormat(), content_format::VndOcfCbor);
    // Discovery: all links, an rt filter, and silence for a multicast query that matches nothing.
    const auto res = ask(coap_code::Get, u"oic/res");
    EXPECT_EQ(linksFromCbor(*decodeCborPayload(res->payload))->size(), 4u);
    const auto swu = ask(coap_code::Get, u"oic/res", {}, {QStringLiteral("rt=oic.r.softwareupdate")});
    const auto links = linksFromCbor(*decodeCborPayload(swu->payload));
    ASSERT_EQ(links->size(), 1u);
    EXPECT_EQ(links->front().href, QStringLiteral("/oc/swu"));
    EXPECT_EQ(links->front().deviceId(), b.deviceConfig.deviceId);
    EXPECT_FALSE(ask(coap_code::Get, u"oic/res", {}, {QStringLiteral("rt=oic.r.light")}, CoapType::NonConfirmable));
    const auto d = decodeCborPayload(ask(coap_code::Get, u"oic/d")->payload)->toMap();
    EXPECT_EQ(d.value(QStringLiteral("di")).toString(), b.deviceConfig.deviceId);
    EXPECT_EQ(d.value(QStringLiteral("n")).toString(), QStringLiteral("coffee machine"));
}

TEST(OcfSwUpdateDevice, DuplicateConfirmableGetsTheSameResponseAndRunsOnce)
{
    OcfBench b;
    b.image = makeOcfImage("2.0.0", 2);
    CoapMessage post = makeRequest(CoapType::Confirmable, coap_code::Post, 0x1234, QByteArrayLiteral("d1"), u"oc/swu");
    post.payload = QCborValue(toCbor(SwUpdateRequest{b.purl, SwUpdateAction::Isvv, *UpdateTime::parse(u"now")})).toCbor();
    DeviceActions first, second;
    b.device->onMessage(b.now, b.clientAddr, post, first);
    b.device->onMessage(b.now, b.clientAddr, post, second);
    ASSERT_EQ(second.size(), 1u);   // only the replayed answer: no second download
    EXPECT_EQ(std::get<DeviceSend>(second[0]).message, std::get<DeviceSend>(first[0]).message);
}

TEST(OcfSwUpdateDevice, MalformedConfirmableGetsReset)
{
    OcfBench b;
    DeviceActions out;
    b.device->onDatagram(b.now, b.clientAddr, QByteArray::fromHex("4f01abcd"), out);   // TKL 15
    ASSERT_EQ(out.size(), 2u);
    const CoapMessage rst = std::get<DeviceSend>(out[0]).message;
    EXPECT_EQ(rst.type, CoapType::Reset);
    EXPECT_EQ(rst.messageId, 0xabcd);
    out.clear();
    b.device->onDatagram(b.now, b.clientAddr, QByteArray::fromHex("5f01abcd"), out);   // a NON: ignored
    EXPECT_TRUE(out.empty());
}

} // namespace
} // namespace otalab::test::ocf
