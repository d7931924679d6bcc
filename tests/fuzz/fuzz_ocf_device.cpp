// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: a SwUpdateDevice with a fake platform driven by the fuzz bytes — each
// step is a datagram from a client (raw bytes, or a well-formed GET/POST to /oc/swu,
// /oic/sec/pstat, /oic/res with fuzzed payloads and options), a response from the image
// server to the outstanding block request (fuzzed payload / code / Block2), a timer firing,
// a clock jump, a power cut (write refused) followed by boot() with what was persisted.
// Properties: nothing crashes or hangs; the platform's apply() is called only after its
// validate() accepted the image stored; writes stay inside the slot.
#include "core/ocf/swupdate_device.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

namespace {

using namespace otalab::core::ocf;
using otalab::Result;

class FuzzPlatform final : public SwUpdatePlatform {
public:
    QString runningVersion() const override { return QStringLiteral("1.0.0"); }
    std::uint64_t slotCapacity() const override { return 8192; }
    Result<SwUpdateImageInfo> readHeader(QByteArrayView first) const override
    {
        if (first.size() < 2 || first[0] != 'V')
            return std::unexpected(otalab::Error::plain(QStringLiteral("no header")));
        return SwUpdateImageInfo{QStringLiteral("%1.0.0").arg(int(std::uint8_t(first[1]) % 4)), 0, 0};
    }
    void eraseSlot() override { m_stored = 0; m_validated = false; }
    bool writeSlot(std::uint64_t offset, QByteArrayView data) override
    {
        if (offset + std::uint64_t(data.size()) > slotCapacity())
            std::abort();   // the device must check the capacity first
        if (m_powerCut)
            return false;
        m_stored = offset + std::uint64_t(data.size());
        return true;
    }
    std::uint64_t storedBytes() const override { return m_stored; }
    Result<SwUpdateImageInfo> validate(std::uint64_t imageBytes) override
    {
        m_validated = imageBytes == m_stored && imageBytes % 3 == 0;
        if (!m_validated)
            return std::unexpected(otalab::Error::plain(QStringLiteral("bad image")));
        return SwUpdateImageInfo{QStringLiteral("2.0.0"), 1, imageBytes};
    }
    void apply() override
    {
        if (!m_validated)
            std::abort();   // never apply what was not validated
    }
    void persist(const SwUpdatePersisted& record) override { m_record = record; }

    bool m_powerCut = false;
    bool m_validated = false;
    std::uint64_t m_stored = 0;
    std::optional<SwUpdatePersisted> m_record;
};

struct Reader {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t pos = 0;
    bool done() const { return pos >= size; }
    std::uint8_t byte() { return pos < size ? data[pos++] : 0; }
    QByteArray bytes(std::size_t n)
    {
        n = std::min(n, size - std::min(size, pos));
        QByteArray b(reinterpret_cast<const char*>(data + pos), qsizetype(n));
        pos += n;
        return b;
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    Reader in{data, size};
    FuzzPlatform platform;
    SwUpdateDeviceConfig config;
    config.deviceId = QStringLiteral("fuzz");
    config.authorisedClients = {QStringLiteral("op")};
    auto device = std::make_unique<SwUpdateDevice>(config, platform);
    qint64 now = 1'796'083'200'000;
    const CoapPeer client{QStringLiteral("client"), 5683, QStringLiteral("op")};
    std::optional<CoapMessage> outstanding;   // the device's last request to the server
    CoapPeer server;
    DeviceActions out;
    device->boot(now, std::nullopt, out);
    auto collect = [&] {
        for (auto& a : out)
            if (auto* s = std::get_if<DeviceSend>(&a); s && s->message.isRequest()) {
                outstanding = s->message;
                server = s->to;
            }
        out.clear();
    };
    collect();
    for (int steps = 0; steps < 200 && !in.done(); ++steps) {
        now += in.byte() * 100;
        switch (in.byte() % 9) {
        case 0:
            device->onDatagram(now, client, in.bytes(in.byte()), out);
            break;
        case 1: {
            static const char16_t* paths[] = {u"oc/swu", u"oic/sec/pstat", u"oic/res", u"oic/d", u"x"};
            const std::uint8_t method = in.byte() % 5;
            CoapMessage m = makeRequest(in.byte() & 1 ? CoapType::Confirmable : CoapType::NonConfirmable, method,
                                        std::uint16_t(in.byte()), in.bytes(in.byte() % 9), QStringView(paths[in.byte() % 5]));
            if (in.byte() & 1)
                m.setObserve(in.byte() % 2);
            m.payload = in.bytes(in.byte());
            device->onMessage(now, CoapPeer{client.host, client.port, in.byte() & 1 ? client.identity : QString()}, m, out);
            break;
        }
        case 2: {   // a well-formed POST to /oc/swu
            CoapMessage m = makeRequest(CoapType::Confirmable, coap_code::Post, std::uint16_t(in.byte() << 8 | in.byte()),
                                        QByteArrayLiteral("p"), u"oc/swu");
            SwUpdateRequest r;
            r.purl = in.byte() & 1 ? QStringLiteral("coap://fw/img") : QString::fromLatin1(in.bytes(in.byte() % 40));
            r.action = SwUpdateAction(in.byte() % 4);
            r.updateTime = in.byte() & 1 ? UpdateTime{UpdateTime::Kind::Now, 0}
                                         : UpdateTime{UpdateTime::Kind::At, now + in.byte() * 1000};
            m.payload = QCborValue(toCbor(r)).toCbor();
            device->onMessage(now, client, m, out);
            break;
        }
        case 3:
        case 4: {   // the server answers the outstanding request
            if (!outstanding)
                break;
            CoapMessage r = makeResponse(*outstanding, in.byte() & 7 ? coap_code::Content : in.byte(), outstanding->messageId);
            const auto asked = outstanding->block2();
            BlockOption b = asked && *asked ? **asked : BlockOption{};
            b.more = in.byte() % 4 != 0;
            if (in.byte() % 8 == 0)
                b.num = in.byte();
            r.setBlock2(b);
            if (b.num == 0 && in.byte() & 1)
                r.setUintOption(coap_option::Size2, in.byte() * 64);
            QByteArray payload = in.bytes(b.more ? b.size() : in.byte());
            if (b.more && payload.size() < qsizetype(b.size()))
                payload.append(qsizetype(b.size()) - payload.size(), 'V');
            r.payload = payload;
            device->onMessage(now, server, r, out);
            break;
        }
        case 5:
            device->onTimer(now, in.byte() & 1 ? SwUpdateTimer::Request : SwUpdateTimer::Apply, out);
            break;
        case 6:
            now += qint64(in.byte()) * 60'000 - 7'000'000;
            device->onClockSet(now, out);
            break;
        case 7:
            platform.m_powerCut = true;
            break;
        case 8:   // power returns: a fresh machine boots with what was persisted
            platform.m_powerCut = false;
            device = std::make_unique<SwUpdateDevice>(config, platform);
            outstanding.reset();
            device->boot(now, platform.m_record, out);
            break;
        }
        collect();
    }
    return 0;
}
