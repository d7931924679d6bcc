// SPDX-License-Identifier: Apache-2.0
// SwUpdateClient against several SwUpdateDevices: multicast discovery → endpoints, one
// POST to every device with its own message id and token, per-device results; CON
// retransmission of a lost request with the same message id; give-up → RequestFailed
// timedOut; error answers carry the device's diagnostic.
#include "core/ocf/swupdate_client.h"
#include "core/ocf/swupdate_device.h"

#include <gtest/gtest.h>

#include <deque>
#include <set>

namespace otalab::core::ocf {
namespace {

// A platform that stores nothing and accepts every image (the client tests care about CoAP).
class NullPlatform final : public SwUpdatePlatform {
public:
    QString runningVersion() const override { return QStringLiteral("1.0.0"); }
    std::uint64_t slotCapacity() const override { return 1 << 20; }
    Result<SwUpdateImageInfo> readHeader(QByteArrayView) const override { return SwUpdateImageInfo{QStringLiteral("2.0.0"), 0, 0}; }
    void eraseSlot() override { m_stored = 0; }
    bool writeSlot(std::uint64_t offset, QByteArrayView data) override { m_stored = offset + data.size(); return true; }
    std::uint64_t storedBytes() const override { return m_stored; }
    Result<SwUpdateImageInfo> validate(std::uint64_t) override { return SwUpdateImageInfo{QStringLiteral("2.0.0"), 0, 0}; }
    void apply() override {}
    void persist(const SwUpdatePersisted&) override {}
private:
    std::uint64_t m_stored = 0;
};

struct Fleet {
    static constexpr int kDevices = 5;
    std::vector<std::unique_ptr<NullPlatform>> platforms;
    std::vector<std::unique_ptr<SwUpdateDevice>> devices;
    SwUpdateClient client;
    CoapPeer clientAddr{QStringLiteral("client"), 5683, QStringLiteral("operator")};
    CoapPeer group{QStringLiteral("ff02::158"), 5683, {}};
    std::deque<std::tuple<CoapPeer, CoapPeer, QByteArray>> queue;   // from, to, bytes
    std::vector<ClientEvent> events;
    std::set<QString> dropOnce;   // host: the next datagram to it is lost
    std::vector<CoapMessage> sentTo0;
    qint64 now = 1'796'083'200'000;

    Fleet()
    {
        for (int i = 0; i < kDevices; ++i) {
            platforms.push_back(std::make_unique<NullPlatform>());
            SwUpdateDeviceConfig c;
            c.deviceId = QStringLiteral("dev-%1").arg(i);
            devices.push_back(std::make_unique<SwUpdateDevice>(c, *platforms.back()));
            DeviceActions out;
            devices.back()->boot(now, std::nullopt, out);
        }
    }
    static CoapPeer addr(int i) { return CoapPeer{QStringLiteral("fd00::%1").arg(i + 1), 5683, {}}; }

    void take(ClientOutputs& out)
    {
        for (auto& o : out) {
            if (auto* s = std::get_if<ClientSend>(&o)) {
                if (s->to.host == addr(0).host)
                    sentTo0.push_back(s->message);
                queue.emplace_back(clientAddr, s->to, *encode(s->message));
            } else {
                events.push_back(std::get<ClientEvent>(o));
            }
        }
        out.clear();
    }
    void run()
    {
        for (int guard = 0; guard < 10000; ++guard) {
            if (queue.empty()) {
                const auto next = client.nextTimeoutMs();
                if (!next)
                    return;
                now = std::max(now, *next);
                ClientOutputs out;
                client.onTimeout(now, out);
                take(out);
                continue;
            }
            auto [from, to, bytes] = queue.front();
            queue.pop_front();
            if (dropOnce.erase(to.host))
                continue;
            if (to.host == clientAddr.host) {
                ClientOutputs out;
                client.onDatagram(now, from, bytes, out);
                take(out);
                continue;
            }
            for (int i = 0; i < kDevices; ++i) {
                if (to.host != group.host && to.host != addr(i).host)
                    continue;
                DeviceActions out;
                devices[i]->onDatagram(now, CoapPeer{from.host, from.port, from.identity}, bytes, out);
                for (auto& a : out)
                    if (auto* s = std::get_if<DeviceSend>(&a))
                        queue.emplace_back(addr(i), s->to, *encode(s->message));
            }
        }
        ADD_FAILURE() << "did not settle";
    }
    template <typename T> std::vector<T> eventsOf() const
    {
        std::vector<T> v;
        for (const auto& e : events)
            if (const T* t = std::get_if<T>(&e))
                v.push_back(*t);
        return v;
    }
};

TEST(OcfSwUpdateClient, DiscoversEveryDeviceAndUpdatesThemAll)
{
    Fleet f;
    ClientOutputs out;
    f.client.discover(f.now, f.group, out);
    f.take(out);
    ASSERT_EQ(f.queue.size(), 1u);
    const CoapMessage probe = *decode(std::get<2>(f.queue.front()));
    EXPECT_EQ(probe.type, CoapType::NonConfirmable);
    EXPECT_EQ(probe.uriPath(), QStringLiteral("oic/res"));
    EXPECT_EQ(probe.uriQueries(), QStringList{QStringLiteral("rt=oic.r.softwareupdate")});
    f.run();
    const auto found = f.eventsOf<DeviceFound>();
    ASSERT_EQ(found.size(), std::size_t(Fleet::kDevices));
    std::vector<CoapPeer> peers;
    std::set<QString> ids;
    for (const auto& d : found) {
        peers.push_back(d.peer);
        ids.insert(d.deviceId);
        EXPECT_EQ(d.href, QStringLiteral("/oc/swu"));
    }
    EXPECT_EQ(ids.size(), std::size_t(Fleet::kDevices));

    SwUpdateRequest r{QStringLiteral("coap://[fd00::99]/fw.bin"), SwUpdateAction::Upgrade,
                      *UpdateTime::parse(u"2026-12-08T02:00:00Z")};
    const auto requestIds = f.client.postToAll(f.now, peers, r, out);
    std::set<std::uint16_t> mids;
    std::set<QByteArray> tokens;
    for (const auto& o : out) {
        const auto& m = std::get<ClientSend>(o).message;
        mids.insert(m.messageId);
        tokens.insert(m.token);
    }
    EXPECT_EQ(mids.size(), std::size_t(Fleet::kDevices));
    EXPECT_EQ(tokens.size(), std::size_t(Fleet::kDevices));
    f.take(out);
    f.run();
    const auto accepted = f.eventsOf<PostAccepted>();
    ASSERT_EQ(accepted.size(), std::size_t(Fleet::kDevices));
    for (const auto& a : accepted) {
        ASSERT_TRUE(a.resource);
        EXPECT_EQ(a.resource->action, SwUpdateAction::Upgrade);
        EXPECT_EQ(a.resource->updateTime.toString(), QStringLiteral("2026-12-08T02:00:00Z"));
    }
    EXPECT_EQ(requestIds.size(), std::size_t(Fleet::kDevices));
    for (int i = 0; i < Fleet::kDevices; ++i) {
        const auto* s = f.client.device(Fleet::addr(i));
        ASSERT_NE(s, nullptr);
        EXPECT_EQ(s->deviceId, QStringLiteral("dev-%1").arg(i));
        EXPECT_EQ(s->resource->action, SwUpdateAction::Upgrade);
        EXPECT_TRUE(s->lastError.isEmpty());
    }
}

TEST(OcfSwUpdateClient, LostRequestIsRetransmittedWithTheSameMessageId)
{
    Fleet f;
    ClientOutputs out;
    f.client.getStatus(f.now, Fleet::addr(0), out);
    f.take(out);
    f.dropOnce.insert(Fleet::addr(0).host);
    const qint64 start = f.now;
    f.run();
    ASSERT_EQ(f.sentTo0.size(), 2u);
    EXPECT_EQ(f.sentTo0[0].messageId, f.sentTo0[1].messageId);
    EXPECT_GE(f.now - start, 2000);
    EXPECT_LT(f.now - start, 3000);
    EXPECT_EQ(f.eventsOf<StatusRead>().size(), 1u);
}

TEST(OcfSwUpdateClient, SilentDeviceFailsAfterTheRetransmissions)
{
    Fleet f;
    ClientOutputs out;
    const CoapPeer nobody{QStringLiteral("fd00::77"), 5683, {}};
    f.client.getStatus(f.now, nobody, out);
    f.take(out);
    f.run();
    const auto failures = f.eventsOf<RequestFailed>();
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_TRUE(failures[0].timedOut);
    EXPECT_EQ(f.client.device(nobody)->lastError, QStringLiteral("no answer after 4 retransmissions"));
    EXPECT_EQ(f.client.outstanding(), 0u);
}

TEST(OcfSwUpdateClient, ErrorAnswersCarryTheDiagnostic)
{
    Fleet f;
    ClientOutputs out;
    SwUpdateRequest r{QStringLiteral("coap://fw/x"), SwUpdateAction::Isvv, std::nullopt};   // no updatetime
    f.client.post(f.now, Fleet::addr(1), r, out);
    f.take(out);
    f.run();
    const auto failures = f.eventsOf<RequestFailed>();
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0].code, coap_code::NotAcceptable);
    EXPECT_TRUE(failures[0].reason.startsWith(QLatin1String("4.06")));
    EXPECT_TRUE(failures[0].reason.contains(QLatin1String("updatetime")));
}

} // namespace
} // namespace otalab::core::ocf
