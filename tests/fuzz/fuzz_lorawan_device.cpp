// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary sequences of downlink frames into a FuotaDevice — genuine
// frames of one campaign (built with the test keys, in any order, repeated), the same
// mutated or truncated, arbitrary payloads under a valid unicast MIC, arbitrary payloads
// under a valid multicast MIC (an attacker holding McKey), raw bytes, clock jumps and
// uplinks read back by a server. Checks: no crash, no hang, and the device never reaches
// "committed" with bytes other than the server's image; its running image never changes.
#include "core/lorawan/fuotadevice.h"
#include "core/lorawan/fuotadeviceintegrity.h"
#include "core/lorawan/fuotaserverframes.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace otalab::core::lorawan;

constexpr std::int64_t kNowS = 1'400'000'000;
constexpr std::uint32_t kDevAddr = 0x26011bda;
constexpr std::uint32_t kMcAddr = 0x26ffff01;

AesKey keyOf(std::uint8_t seed)
{
    AesKey k{};
    for (int i = 0; i < 16; ++i)
        k[size_t(i)] = std::uint8_t(seed * 17 + i * 29);
    return k;
}

struct Campaign {
    QByteArray image;
    QByteArray running;
    fragmentation::Version version;
    std::optional<FuotaServerFrames> pristine;  // copied per input (uplinks change it)
    std::vector<QByteArray> frames;             // genuine downlinks, in campaign order
};

Campaign makeCampaign(fragmentation::Version version)
{
    Campaign c;
    c.version = version;
    c.running = QByteArray(400, 'r');
    for (int i = 0; i < 300; ++i)
        c.image.append(char(i * 7 + 3));
    FuotaCampaignFramesConfig config;
    config.dataBlock = c.image;
    config.version = version;
    config.fragmentSize = 20;
    config.parityFrames = 10;
    config.sessionCnt = 2;
    config.mcAddr = kMcAddr;
    config.mcKey = keyOf(9);
    config.minMcFCnt = 100;
    config.sessionTimeGps = std::uint32_t(kNowS + 100);
    config.sessionTimeOut = 9;
    auto server = FuotaServerFrames::create(config, {{kDevAddr, {keyOf(1), keyOf(2)}, keyOf(3), 0}});
    if (!server)
        std::abort();
    FuotaServerFrames s = *server;
    c.frames.push_back(*s.mcGroupSetupReq(0));
    c.frames.push_back(*s.fragSessionSetupReq(0));
    c.frames.push_back(*s.mcSessionReq(0));
    for (std::uint32_t n = 1; n <= s.frameCount(); ++n)
        c.frames.push_back(*s.dataFragmentFrame(n));
    c.frames.push_back(*s.fragDataBlockReceivedAns(0));
    c.frames.push_back(*s.fragSessionStatusReq(0));
    c.frames.push_back(*s.multicastStatusReq(true));
    c.frames.push_back(*s.unicast(0, clocksync::kPort, {clocksync::Command{clocksync::AppTimeAns{0, 0}}}));
    c.frames.push_back(*s.fragDataBlockReceivedAns(0));
    c.frames.push_back(*s.mcGroupDeleteReq(0));
    c.frames.push_back(*s.fragSessionDeleteReq(0));
    c.pristine.emplace(std::move(s));  // its counters are past every genuine frame
    return c;
}

QByteArray frameWith(std::uint32_t devAddr, std::uint32_t fCnt, std::uint8_t port, QByteArray payload, const SessionKeys& keys)
{
    DataFrame f;
    f.mtype = MType::UnconfirmedDataDown;
    f.devAddr = devAddr;
    f.fCnt = fCnt;
    f.fPort = port;
    f.frmPayload = std::move(payload);
    auto bytes = encodeDataFrame(f, keys);
    return bytes ? *bytes : QByteArray();
}

class Reader {
public:
    Reader(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}
    bool atEnd() const { return m_pos >= m_size; }
    std::uint8_t u8() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    std::uint16_t u16() { return std::uint16_t(u8() | (u8() << 8)); }
    QByteArray bytes(std::size_t n)
    {
        n = std::min(n, m_size - std::min(m_pos, m_size));
        QByteArray b(reinterpret_cast<const char*>(m_data + m_pos), qsizetype(n));
        m_pos += n;
        return b;
    }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const Campaign campaigns[2] = {makeCampaign(fragmentation::Version::V1), makeCampaign(fragmentation::Version::V2)};
    static const SessionKeys unicastKeys{keyOf(1), keyOf(2)};
    static const SessionKeys multicastKeys = multicastsetup::multicastSessionKeys(keyOf(9), kMcAddr);
    Reader in(data, size);
    const Campaign& c = campaigns[in.u8() & 1];

    FuotaDeviceConfig config;
    config.devAddr = kDevAddr;
    config.session = unicastKeys;
    config.genAppKey = keyOf(3);
    config.fragVersion = c.version;
    config.flashCapacity = 4096;
    config.runningImage = c.running;
    config.syncClockAtStart = (size & 2) != 0;
    auto created = FuotaDevice::create(config);
    if (!created)
        std::abort();
    FuotaDevice device = std::move(*created);
    FuotaServerFrames server = *c.pristine;
    qint64 now = kNowS * 1000;

    for (int op = 0; op < 512 && !in.atEnd(); ++op) {
        const std::uint8_t kind = in.u8() % 9;
        const QByteArray& genuine = c.frames[in.u8() % c.frames.size()];
        switch (kind) {
        case 0:
        case 1:  // a genuine frame (the common case, so sessions get far)
            (void)device.onDownlink(genuine, now);
            break;
        case 2: {  // a genuine frame with one byte changed
            QByteArray m = genuine;
            const int at = in.u8() % m.size();
            m[at] = char(m[at] ^ (in.u8() | 1));
            (void)device.onDownlink(m, now);
            break;
        }
        case 3:  // a genuine frame cut short
            (void)device.onDownlink(QByteArrayView(genuine).first(in.u8() % genuine.size()), now);
            break;
        case 4: {  // any payload under a valid unicast MIC
            const std::uint8_t port = std::uint8_t(200 + in.u8() % 3);
            const std::uint32_t fCnt = in.u16();
            (void)device.onDownlink(frameWith(kDevAddr, fCnt, port, in.bytes(in.u8() % 64), unicastKeys), now);
            break;
        }
        case 5: {  // any payload under a valid multicast MIC (the attacker holds McKey)
            const std::uint8_t port = std::uint8_t(200 + in.u8() % 3);
            const std::uint32_t fCnt = 100 + in.u16();
            (void)device.onDownlink(frameWith(kMcAddr, fCnt, port, in.bytes(in.u8() % 64), multicastKeys), now);
            break;
        }
        case 6:  // the clock moves (up to ~43 min)
            now += qint64(in.u16() % 2600) * 1000;
            device.advanceTo(now);
            break;
        case 7: {  // the device uplinks; the server reads it and may answer
            const QByteArray up = device.nextUplink(now);
            if (parseDataFrame(up).has_value() == false)
                std::abort();  // the device always builds a well-formed frame
            if (auto read = server.onUplink(up, now / 1000); !read)
                std::abort();  // and one its server opens
            if (auto answer = server.nextDownlink(0))
                (void)device.onDownlink(*answer, now);
            break;
        }
        default:  // raw bytes
            (void)device.onDownlink(in.bytes(in.u8() % 80), now);
            break;
        }
        if (device.state() == FuotaDevice::State::Committed && device.committedImage() != c.image)
            std::abort();
        if (!device.committedImage().isEmpty() && device.committedImage() != c.image)
            std::abort();
        if (device.runningImage() != c.running)
            std::abort();
    }
    (void)device.nextTimerMs();
    return 0;
}
