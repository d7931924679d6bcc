// SPDX-License-Identifier: Apache-2.0
// A loop harness for the OCF software update tests: one SwUpdateDevice on a simulated
// MCUboot board (McubootSwUpdatePlatform), a block server (serveBlock2) holding the image
// at coap://fw.example/fw/image.bin, and a SwUpdateClient — all joined by an in-memory
// datagram queue (every message goes through encode()/decode()). Virtual time: the queue
// is drained first, then the earliest timer fires. No clock, no sleeps.
#pragma once

#include "core/mcuboot/boot_loader.h"
#include "core/mcuboot/image_creator.h"
#include "core/ocf/coap_blockwise.h"
#include "core/ocf/mcuboot_swupdate_platform.h"
#include "core/ocf/swupdate_client.h"
#include "core/ocf/swupdate_device.h"
#include "mcuboot_fixtures.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>

namespace otalab::test::ocf {

using namespace otalab::core::ocf;
namespace mcuboot = otalab::core::mcuboot;

inline constexpr qint64 kEpoch2026 = 1'796'083'200'000;   // 2026-12-01T00:00:00Z

inline mcuboot::FlashGeometry ocfFlash()
{
    mcuboot::FlashGeometry g;
    g.primarySize = g.secondarySize = 32 * 1024;
    g.sectorSize = 1024;
    g.writeAlign = 4;
    g.maxImageSectors = 32;
    return g;
}

inline core::crypto::PKey signerKey() { return test::mcuboot::testKey(QStringLiteral("ed25519.pem")); }
inline core::crypto::PKey trustedKey() { return test::mcuboot::testKey(QStringLiteral("ed25519.pub.pem")); }
inline core::crypto::PKey otherKey() { return test::mcuboot::testKey(QStringLiteral("ecdsa-p256-other.pem")); }

// A signed image of `bodySize` bytes (about 12 blocks of 1 KiB by default).
inline QByteArray makeOcfImage(const char* version, std::optional<std::uint32_t> securityCounter = std::nullopt,
                               std::optional<core::crypto::PKey> key = signerKey(), int bodySize = 12000)
{
    mcuboot::ImageCreateOptions o;
    o.padHeader = true;
    o.version = *mcuboot::ImageVersion::parse(QString::fromLatin1(version));
    o.signingKey = std::move(key);
    o.securityCounter = securityCounter;
    QByteArray body(bodySize, '\0');
    for (int i = 0; i < bodySize; ++i)
        body[i] = char((i * 7 + version[0] * 13) & 0xff);
    auto image = mcuboot::createImage(body, o);
    EXPECT_TRUE(image) << image.error().toString().toStdString();
    return image.value_or(QByteArray());
}

struct Datagram {
    CoapPeer from;
    CoapPeer to;
    QByteArray bytes;
};

class OcfBench {
public:
    CoapPeer deviceAddr{QStringLiteral("device-1"), 5683, {}};
    CoapPeer clientAddr{QStringLiteral("client"), 5683, QStringLiteral("operator")};
    CoapPeer serverAddr{QStringLiteral("fw.example"), 5683, {}};
    QString purl = QStringLiteral("coap://fw.example/fw/image.bin");

    mcuboot::BootLoader loader;
    McubootSwUpdatePlatform platform;
    std::unique_ptr<SwUpdateDevice> device;
    SwUpdateClient client;
    SwUpdateDeviceConfig deviceConfig;

    QByteArray image;                 // served at fw/image.bin
    QByteArray etag = QByteArrayLiteral("v2");
    bool serverSilent = false;
    std::vector<std::uint32_t> blocksServed;   // Block2 NUM of every GET the server answered
    qint64 now = kEpoch2026;          // the device's clock (UTC ms) = the bench's virtual time
    std::map<SwUpdateTimer, qint64> deviceTimers;
    std::deque<Datagram> queue;
    std::vector<DeviceStateChanged> states;
    std::vector<DeviceRefused> refused;
    std::vector<ClientEvent> events;
    int reboots = 0;
    bool rebootPending = false;

    explicit OcfBench(const QByteArray& running = makeOcfImage("1.0.0", 1), QStringList authorised = {QStringLiteral("operator")})
        : loader(ocfFlash(), bootConfig()), platform(loader, McubootSwUpdatePlatform::Config{{trustedKey()}, true})
    {
        EXPECT_TRUE(loader.flash().program(mcuboot::kPrimarySlot, running));
        EXPECT_TRUE(loader.reboot().booted);
        platform.setUserData(QByteArrayLiteral("pairings: living-room; brew strength 7"));
        deviceConfig.deviceId = QStringLiteral("5d1e2b1c-0000-4000-8000-000000000001");
        deviceConfig.name = QStringLiteral("coffee machine");
        deviceConfig.authorisedClients = std::move(authorised);
        device = std::make_unique<SwUpdateDevice>(deviceConfig, platform);
        DeviceActions out;
        device->boot(now, std::nullopt, out);
        handle(out);
    }

    static mcuboot::BootConfig bootConfig()
    {
        mcuboot::BootConfig c;
        c.keys = {trustedKey()};
        return c;
    }

    // --- inputs
    void clientDo(const std::function<void(ClientOutputs&)>& call)
    {
        ClientOutputs out;
        call(out);
        handleClient(out);
    }
    void post(SwUpdateAction action, const QString& updateTime = QStringLiteral("now"), std::optional<QString> url = {})
    {
        SwUpdateRequest r;
        r.purl = url.value_or(purl);
        r.action = action;
        r.updateTime = *UpdateTime::parse(updateTime);
        clientDo([&](ClientOutputs& out) { client.post(now, deviceAddr, r, out); });
    }
    void sendRaw(const CoapPeer& from, const CoapMessage& message)
    {
        queue.push_back(Datagram{from, deviceAddr, *encode(message)});
    }

    // Drains the queue, then fires timers in time order until nothing is left, a reboot is
    // pending, or `untilMs` is reached. Bounded.
    void run(qint64 untilMs = std::numeric_limits<qint64>::max())
    {
        for (int guard = 0; guard < 100000; ++guard) {
            if (!queue.empty()) {
                deliver();
                continue;
            }
            if (rebootPending)
                return;
            std::optional<std::pair<qint64, int>> next;   // (time, 0 device Request / 1 Apply / 2 client)
            for (const auto& [timer, at] : deviceTimers)
                if (!next || at < next->first)
                    next = std::make_pair(at, timer == SwUpdateTimer::Request ? 0 : 1);
            if (const auto c = client.nextTimeoutMs(); c && (!next || *c < next->first))
                next = std::make_pair(*c, 2);
            if (!next || next->first > untilMs)
                return;
            now = std::max(now, next->first);
            if (next->second == 2) {
                ClientOutputs out;
                client.onTimeout(now, out);
                handleClient(out);
            } else {
                const SwUpdateTimer t = next->second == 0 ? SwUpdateTimer::Request : SwUpdateTimer::Apply;
                deviceTimers.erase(t);
                DeviceActions out;
                device->onTimer(now, t, out);
                handle(out);
            }
        }
        ADD_FAILURE() << "the bench did not settle";
    }

    // The host's restart after DeviceReboot or a power cut: MCUboot runs, then boot().
    mcuboot::BootResult restart(bool newMachine = true)
    {
        rebootPending = false;
        deviceTimers.clear();
        queue.clear();
        loader.flash().powerOn();
        mcuboot::BootResult r = platform.reboot();
        for (int i = 0; i < 10 && r.powerLost; ++i)
            r = platform.reboot();
        ++reboots;
        if (newMachine)
            device = std::make_unique<SwUpdateDevice>(deviceConfig, platform);
        DeviceActions out;
        device->boot(now, platform.persistedRecord(), out);
        handle(out);
        return r;
    }

    std::vector<SwUpdateState> stateSequence() const
    {
        std::vector<SwUpdateState> s;
        for (const auto& c : states)
            s.push_back(c.to);
        return s;
    }
    template <typename T> std::vector<T> eventsOf() const
    {
        std::vector<T> v;
        for (const auto& e : events)
            if (const T* t = std::get_if<T>(&e))
                v.push_back(*t);
        return v;
    }

    void handle(DeviceActions& out)
    {
        for (auto& a : out) {
            if (auto* s = std::get_if<DeviceSend>(&a)) {
                auto bytes = encode(s->message);
                EXPECT_TRUE(bytes) << bytes.error().toString().toStdString();
                queue.push_back(Datagram{deviceAddr, s->to, bytes.value_or(QByteArray())});
            } else if (auto* t = std::get_if<DeviceArmTimer>(&a)) {
                deviceTimers[t->timer] = now + qint64(t->delayMs);
            } else if (auto* c = std::get_if<DeviceCancelTimer>(&a)) {
                deviceTimers.erase(c->timer);
            } else if (auto* sc = std::get_if<DeviceStateChanged>(&a)) {
                states.push_back(*sc);
            } else if (auto* r = std::get_if<DeviceRefused>(&a)) {
                refused.push_back(*r);
            } else if (std::holds_alternative<DeviceReboot>(a)) {
                rebootPending = true;
            }
        }
        out.clear();
    }

private:
    void handleClient(ClientOutputs& out)
    {
        for (auto& o : out) {
            if (auto* s = std::get_if<ClientSend>(&o))
                queue.push_back(Datagram{clientAddr, s->to, *encode(s->message)});
            else
                events.push_back(std::get<ClientEvent>(o));
        }
    }

    void deliver()
    {
        Datagram d = queue.front();
        queue.pop_front();
        if (d.to.host == deviceAddr.host) {
            if (rebootPending)
                return;   // the device is restarting: the datagram is lost
            DeviceActions out;
            device->onDatagram(now, d.from, d.bytes, out);
            handle(out);
        } else if (d.to.host == clientAddr.host) {
            ClientOutputs out;
            client.onDatagram(now, d.from, d.bytes, out);
            handleClient(out);
        } else if (d.to.host == serverAddr.host) {
            serve(d);
        }
    }

    void serve(const Datagram& d)
    {
        if (serverSilent)
            return;
        auto request = decode(d.bytes);
        ASSERT_TRUE(request) << request.error().toString().toStdString();
        if (request->type != CoapType::Confirmable || request->code != coap_code::Get)
            return;
        CoapMessage response = makeResponse(*request, coap_code::Content, request->messageId);
        if (request->uriPath() != QLatin1String("fw/image.bin")) {
            response.code = coap_code::NotFound;
        } else {
            serveBlock2(*request, image, response, 6, etag);
            if (auto b = request->block2(); b && *b)
                blocksServed.push_back((**b).num);
        }
        queue.push_back(Datagram{serverAddr, d.from, *encode(response)});
    }
};

} // namespace otalab::test::ocf
