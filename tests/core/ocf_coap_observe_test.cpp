// SPDX-License-Identifier: Apache-2.0
// RFC 7641: the client's freshness rule (§3.4) and the server's observer list (§4.1, §3.6).
#include "core/ocf/coap_observe.h"

#include <gtest/gtest.h>

using namespace otalab::core::ocf;

namespace {
constexpr std::uint32_t k2pow23 = 1u << 23;

CoapMessage observeGet(QByteArray token, std::optional<std::uint32_t> observe, std::uint8_t method = coap_code::Get)
{
    CoapMessage m = makeRequest(CoapType::Confirmable, method, 1, std::move(token), u"oc/swu");
    if (observe)
        m.setObserve(*observe);
    return m;
}
} // namespace

TEST(CoapObserveFreshness, NumbersWithinTheWindow)
{
    EXPECT_TRUE(isFresher(5, 0, 6, 0));
    EXPECT_FALSE(isFresher(6, 0, 5, 0));
    EXPECT_FALSE(isFresher(7, 0, 7, 0));
    EXPECT_TRUE(isFresher(0, 0, k2pow23 - 1, 0));
    EXPECT_FALSE(isFresher(0, 0, k2pow23, 0));   // exactly 2^23 apart: neither is fresher
    EXPECT_FALSE(isFresher(k2pow23, 0, 0, 0));
}

TEST(CoapObserveFreshness, WrapsAround24Bits)
{
    EXPECT_TRUE(isFresher(0xffffff, 0, 0, 0));
    EXPECT_TRUE(isFresher(0xfffff0, 0, 5, 0));
    EXPECT_FALSE(isFresher(5, 0, 0xfffff0, 0));
    EXPECT_TRUE(isFresher(k2pow23 + 1, 0, 0, 0));
    EXPECT_TRUE(isFresher(0x1000005, 0, 0x000006, 0));   // bits above 24 are ignored
}

TEST(CoapObserveFreshness, MoreThan128SecondsLaterIsAlwaysFresher)
{
    EXPECT_FALSE(isFresher(10, 1000, 3, 1000 + 128'000));
    EXPECT_TRUE(isFresher(10, 1000, 3, 1000 + 128'001));
    EXPECT_TRUE(isFresher(10, 1000, 10, 1000 + 200'000));
}

TEST(CoapObserverList, RegistersRefreshesAndDeregisters)
{
    ObserverList list;
    EXPECT_EQ(list.onRequest(u"a", observeGet("t1", 0)), ObserverList::Change::Registered);
    EXPECT_EQ(list.onRequest(u"a", observeGet("t2", 0)), ObserverList::Change::Registered);
    EXPECT_EQ(list.onRequest(u"b", observeGet("t1", 0)), ObserverList::Change::Registered);
    ASSERT_TRUE(list.recordNotification(u"a", "t1", 40));
    EXPECT_EQ(list.onRequest(u"a", observeGet("t1", 0)), ObserverList::Change::Refreshed);
    EXPECT_EQ(list.size(), 3u);
    EXPECT_EQ(list.find(u"a", "t1")->notifications, 1u);   // kept on refresh
    EXPECT_EQ(list.onRequest(u"a", observeGet("t1", std::nullopt)), ObserverList::Change::None);
    EXPECT_EQ(list.onRequest(u"a", observeGet("t1", 0, coap_code::Post)), ObserverList::Change::None);
    EXPECT_EQ(list.onRequest(u"a", observeGet("t1", 5)), ObserverList::Change::None);
    EXPECT_EQ(list.onRequest(u"c", observeGet("t1", 1)), ObserverList::Change::None);
    EXPECT_EQ(list.onRequest(u"a", observeGet("t1", 1)), ObserverList::Change::Deregistered);
    EXPECT_EQ(list.size(), 2u);
    EXPECT_EQ(list.observers().front().token, QByteArray("t2"));
    list.removePeer(u"a");
    EXPECT_EQ(list.size(), 1u);
    EXPECT_EQ(list.observers().front().peer, QStringLiteral("b"));
}

TEST(CoapObserverList, ResetOrAFailedConfirmableRemovesTheObserver)
{
    ObserverList list;
    list.add(QStringLiteral("a"), "t");
    list.add(QStringLiteral("b"), "t");
    EXPECT_FALSE(list.recordNotification(u"x", "t", 1));
    ASSERT_TRUE(list.recordNotification(u"a", "t", 10));
    ASSERT_TRUE(list.recordNotification(u"b", "t", 11));
    EXPECT_FALSE(list.onReset(u"a", 11));   // another peer's message id
    EXPECT_TRUE(list.onReset(u"a", 10));
    EXPECT_EQ(list.find(u"a", "t"), nullptr);
    EXPECT_FALSE(list.onConfirmableFailed(u"b", 10));
    EXPECT_TRUE(list.onConfirmableFailed(u"b", 11));
    EXPECT_TRUE(list.isEmpty());
}

TEST(CoapObserverList, SequenceNumbersAre24BitsAndWrap)
{
    ObserverList list(0xfffffe);
    EXPECT_EQ(list.nextSequence(), 0xfffffeu);
    EXPECT_EQ(list.nextSequence(), 0xffffffu);
    EXPECT_EQ(list.nextSequence(), 0u);
    EXPECT_EQ(list.peekSequence(), 1u);
    EXPECT_EQ(ObserverList().nextSequence(), 2u);
}
