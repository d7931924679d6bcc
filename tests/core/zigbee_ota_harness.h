// SPDX-License-Identifier: Apache-2.0
// A tiny deterministic virtual-time loop that moves frames between one OtaServer and some
// OtaClients and fires their timers. Test-only; the real kernel lives in sim/.
#pragma once

#include "core/zigbee/ota_builder.h"
#include "core/zigbee/ota_client.h"
#include "core/zigbee/ota_server.h"
#include "core/zigbee/zcl_frame.h"

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace otalab::core::zigbee::test {

inline constexpr NwkAddress kServer = 0x0000;

// An OTA file for tests: manufacturer 0x1234, image type 0x0001, `size` firmware bytes and an
// AES-MMO image integrity code.
inline QByteArray otaImage(std::uint32_t version, int size = 1000, std::optional<HardwareVersionRange> hw = {},
                           std::uint16_t imageType = 0x0001, std::optional<std::uint64_t> destination = {})
{
    OtaBuildSpec spec;
    spec.header.manufacturerCode = 0x1234;
    spec.header.imageType = imageType;
    spec.header.fileVersion = version;
    spec.header.headerString = "OTA Lab cluster test";
    spec.header.hardwareVersions = hw;
    spec.header.upgradeFileDestination = destination;
    QByteArray fw(size, '\0');
    for (int i = 0; i < size; ++i)
        fw[i] = char((i * 31 + version) & 0xff);
    spec.firmware = fw;
    spec.integrityCode = IntegrityConvention::BeforeElement;
    auto bytes = buildOtaFile(spec);
    return bytes ? *bytes : QByteArray();
}

inline std::shared_ptr<const QByteArray> shared(QByteArray b) { return std::make_shared<const QByteArray>(std::move(b)); }

inline OtaClientConfig clientConfig(std::uint32_t version = 0x01000000)
{
    OtaClientConfig c;
    c.manufacturerCode = 0x1234;
    c.imageType = 0x0001;
    c.currentFileVersion = version;
    c.queryPeriodMs = 0;  // tests query explicitly unless they test the period
    return c;
}

struct SentFrame {
    std::int64_t at;
    NwkAddress from;
    NwkAddress to;
    std::uint8_t commandId;
    QByteArray frame;
};

class Loop {
public:
    explicit Loop(OtaServer& server, std::int64_t latencyMs = 10) : m_server(server), m_latency(latencyMs) {}

    struct Node {
        NwkAddress address;
        std::unique_ptr<MemoryOtaFlash> flash;
        std::unique_ptr<OtaClient> client;
        std::vector<StateChanged> states;
        std::vector<Reboot> reboots;
        std::vector<OtaEvent> events;
    };

    Node& addClient(NwkAddress address, OtaClientConfig config, OtaClient::RandomSource random = {})
    {
        auto node = std::make_unique<Node>();
        node->address = address;
        node->flash = std::make_unique<MemoryOtaFlash>();
        node->client = std::make_unique<OtaClient>(std::move(config), *node->flash, std::move(random));
        m_nodes.push_back(std::move(node));
        return *m_nodes.back();
    }
    Node& node(NwkAddress a)
    {
        for (auto& n : m_nodes)
            if (n->address == a)
                return *n;
        throw std::logic_error("no such node");  // test code only
    }

    // Runs `f(out)` as node `a` (kServer for the server) at the current time and applies its actions.
    void act(NwkAddress a, const std::function<void(OtaActions&)>& f)
    {
        OtaActions out;
        f(out);
        apply(a, out);
    }

    // Drop filter: return true to lose the frame.
    std::function<bool(const SentFrame&)> drop;

    // Processes events in (time, sequence) order until none is left or `until` is passed.
    void runUntil(std::int64_t until)
    {
        while (!m_queue.empty()) {
            auto it = m_queue.begin();
            if (std::get<0>(it->first) > until)
                break;
            Pending p = std::move(it->second);
            m_now = std::get<0>(it->first);
            m_queue.erase(it);
            OtaActions out;
            if (p.isTimer) {
                if (m_generation[{p.to, p.timer}] != p.generation)
                    continue;
                if (p.to == kServer)
                    m_server.onTimer(m_now, p.timer, out);
                else
                    node(p.to).client->onTimer(m_now, p.timer, out);
            } else if (p.to == kServer) {
                m_server.handle(m_now, p.from, p.frame, out);
            } else {
                node(p.to).client->handle(m_now, p.from, p.frame, out);
            }
            apply(p.to, out);
        }
        m_now = std::max(m_now, until);
    }

    std::int64_t now() const { return m_now; }
    const std::vector<SentFrame>& frames() const { return m_frames; }
    const std::vector<OtaEvent>& serverEvents() const { return m_serverEvents; }
    int count(NwkAddress from, std::uint8_t commandId) const
    {
        int n = 0;
        for (const auto& f : m_frames)
            n += f.from == from && f.commandId == commandId;
        return n;
    }

private:
    struct Pending {
        bool isTimer = false;
        NwkAddress from = 0;
        NwkAddress to = 0;
        OtaTimerId timer = 0;
        std::uint64_t generation = 0;
        QByteArray frame;
    };

    void push(std::int64_t at, Pending p) { m_queue.emplace(std::make_tuple(at, m_seq++), std::move(p)); }

    void apply(NwkAddress self, const OtaActions& out)
    {
        for (const auto& a : out) {
            if (const auto* s = std::get_if<SendFrame>(&a)) {
                const std::int64_t at = std::max(s->at, m_now);
                SentFrame f{at, self, s->destination, s->commandId, s->frame};
                m_frames.push_back(f);
                if (drop && drop(f))
                    continue;
                if (isBroadcast(s->destination)) {
                    for (auto& n : m_nodes)
                        push(at + m_latency, Pending{false, self, n->address, 0, 0, s->frame});
                } else {
                    push(at + m_latency, Pending{false, self, s->destination, 0, 0, s->frame});
                }
            } else if (const auto* t = std::get_if<ArmTimer>(&a)) {
                const auto gen = ++m_generation[{self, t->id}];
                push(std::max(t->at, m_now), Pending{true, self, self, t->id, gen, {}});
            } else if (const auto* c = std::get_if<CancelTimer>(&a)) {
                ++m_generation[{self, c->id}];
            } else if (const auto* st = std::get_if<StateChanged>(&a)) {
                node(self).states.push_back(*st);
            } else if (const auto* r = std::get_if<Reboot>(&a)) {
                node(self).reboots.push_back(*r);
            } else if (const auto* e = std::get_if<OtaEvent>(&a)) {
                if (self == kServer)
                    m_serverEvents.push_back(*e);
                else
                    node(self).events.push_back(*e);
            }
        }
    }

    OtaServer& m_server;
    std::int64_t m_latency;
    std::int64_t m_now = 0;
    std::uint64_t m_seq = 0;
    std::map<std::tuple<std::int64_t, std::uint64_t>, Pending> m_queue;
    std::map<std::pair<NwkAddress, OtaTimerId>, std::uint64_t> m_generation;
    std::vector<std::unique_ptr<Node>> m_nodes;
    std::vector<SentFrame> m_frames;
    std::vector<OtaEvent> m_serverEvents;
};

inline bool hasEvent(const std::vector<OtaEvent>& events, OtaEventKind kind, ZclStatus status)
{
    for (const auto& e : events)
        if (e.kind == kind && e.status == status)
            return true;
    return false;
}

} // namespace otalab::core::zigbee::test
