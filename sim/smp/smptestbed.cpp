// SPDX-License-Identifier: Apache-2.0
// SmpTestbed: spec parsing ("serial,baud=115200") and the simulator + link + board bundle.
#include "sim/smp/smptestbed.h"

#include <QSet>
#include <QStringList>

#include <cmath>

namespace otalab::sim {

namespace {

// Reads typed option values, remembering which keys were used.
class OptionReader {
public:
    explicit OptionReader(const QVariantMap& options) : m_options(options) {}

    bool has(const QString& key)
    {
        m_used.insert(key);
        return m_options.contains(key);
    }
    QString text(const QString& key) { return m_options.value(key).toString().trimmed().toLower(); }

    Result<void> integer(const QString& key, std::int64_t lo, std::int64_t hi, std::int64_t& out)
    {
        if (!has(key))
            return {};
        bool ok = false;
        const qlonglong v = m_options.value(key).toString().trimmed().toLongLong(&ok);
        if (!ok || v < lo || v > hi)
            return fail(QStringLiteral("sim: %1=%2 must be a whole number from %3 to %4")
                            .arg(key, m_options.value(key).toString()).arg(lo).arg(hi));
        out = v;
        return {};
    }
    template <typename T>
    Result<void> number(const QString& key, std::int64_t lo, std::int64_t hi, T& out)
    {
        std::int64_t v = std::int64_t(out);
        auto r = integer(key, lo, hi, v);
        if (r)
            out = T(v);
        return r;
    }
    Result<void> real(const QString& key, double lo, double hi, double& out)
    {
        if (!has(key))
            return {};
        bool ok = false;
        const double v = m_options.value(key).toString().trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < lo || v > hi)
            return fail(QStringLiteral("sim: %1=%2 must be a number from %3 to %4")
                            .arg(key, m_options.value(key).toString()).arg(lo).arg(hi));
        out = v;
        return {};
    }
    Result<void> flag(const QString& key, bool& out)
    {
        if (!has(key))
            return {};
        const QString v = text(key);
        if (v == QLatin1String("on") || v == QLatin1String("true") || v == QLatin1String("yes") || v == QLatin1String("1"))
            out = true;
        else if (v == QLatin1String("off") || v == QLatin1String("false") || v == QLatin1String("no") || v == QLatin1String("0"))
            out = false;
        else
            return fail(QStringLiteral("sim: %1=%2 must be on or off").arg(key, m_options.value(key).toString()));
        return {};
    }
    Result<void> microseconds(const QString& key, std::int64_t hi, SimTime& out)
    {
        std::int64_t v = out.nanos() / 1000;
        auto r = integer(key, 0, hi, v);
        if (r)
            out = SimTime::fromMicros(v);
        return r;
    }
    Result<void> milliseconds(const QString& key, double lo, double hi, SimTime& out)
    {
        double v = out.toMillis();
        auto r = real(key, lo, hi, v);
        if (r)
            out = SimTime::fromSeconds(v / 1000.0);
        return r;
    }
    QStringList unused() const
    {
        QStringList keys;
        for (auto it = m_options.cbegin(); it != m_options.cend(); ++it)
            if (!m_used.contains(it.key()))
                keys << it.key();
        return keys;
    }

private:
    const QVariantMap& m_options;
    QSet<QString> m_used;
};

#define OTALAB_TRY(expr)                   \
    do {                                   \
        if (auto r_ = (expr); !r_)         \
            return fail(r_.error());       \
    } while (false)

Result<void> readCommon(OptionReader& in, SmpTestbedConfig& c)
{
    std::int64_t seed = std::int64_t(c.seed);
    OTALAB_TRY(in.integer(QStringLiteral("seed"), 0, std::numeric_limits<std::int64_t>::max(), seed));
    c.seed = std::uint64_t(seed);
    double noise = 0;
    OTALAB_TRY(in.real(QStringLiteral("noise"), 0.0, 0.5, noise));
    c.serial.byteErrorRate = c.ble.byteErrorRate = c.udp.byteErrorRate = noise;
    OTALAB_TRY(in.number(QStringLiteral("buf_size"), 64, 65535 + 8, c.device.server.bufSize));
    OTALAB_TRY(in.number(QStringLiteral("buf_count"), 1, 64, c.device.server.bufCount));
    if (in.has(QStringLiteral("strategy"))) {
        const QString s = in.text(QStringLiteral("strategy"));
        using core::mcuboot::BootStrategy;
        if (s == QLatin1String("swap-move"))
            c.device.boot.strategy = BootStrategy::SwapMove;
        else if (s == QLatin1String("overwrite-only"))
            c.device.boot.strategy = BootStrategy::OverwriteOnly;
        else if (s == QLatin1String("direct-xip"))
            c.device.boot.strategy = BootStrategy::DirectXip;
        else if (s == QLatin1String("direct-xip-revert"))
            c.device.boot.strategy = BootStrategy::DirectXipWithRevert;
        else
            return fail(QStringLiteral("sim: strategy=%1 is not one of swap-move, overwrite-only, direct-xip, "
                                       "direct-xip-revert").arg(s));
    }
    std::int64_t slotKb = c.device.geometry.primarySize / 1024;
    OTALAB_TRY(in.integer(QStringLiteral("slot_kb"), 16, 16 * 1024, slotKb));
    const qint64 sector = c.device.geometry.sectorSize;
    const qint64 slot = (slotKb * 1024 + sector - 1) / sector * sector;
    const qint64 shift = c.device.geometry.secondaryAddress - c.device.geometry.primaryAddress;
    c.device.geometry.primarySize = c.device.geometry.secondarySize = slot;
    c.device.geometry.maxImageSectors = std::max(c.device.geometry.maxImageSectors, int(slot / sector));   // BOOT_MAX_IMG_SECTORS
    if (slot > shift)
        c.device.geometry.secondaryAddress = std::uint32_t(c.device.geometry.primaryAddress + slot);
    OTALAB_TRY(in.microseconds(QStringLiteral("write_us"), 100'000, c.device.timing.flashWordWrite));
    OTALAB_TRY(in.milliseconds(QStringLiteral("erase_ms"), 0, 10'000, c.device.timing.flashPageErase));
    OTALAB_TRY(in.microseconds(QStringLiteral("proc_us"), 10'000'000, c.device.timing.requestProcessing));
    return {};
}

} // namespace

QString smpLinkKindName(SmpLinkKind kind)
{
    switch (kind) {
    case SmpLinkKind::Serial: return QStringLiteral("serial");
    case SmpLinkKind::Ble: return QStringLiteral("ble");
    case SmpLinkKind::Udp: return QStringLiteral("udp");
    }
    return {};
}

QString smpSimSpecHelp()
{
    return QStringLiteral(
        "sim:serial[,baud=115200,pace_us=0,line=127,usb=on|off,rx_bufs=2,rx_buf_size=128] | "
        "sim:ble[,interval_ms=30,mtu=247,dle=251,pdus=4,phy=1m|2m,encrypted=off] | "
        "sim:udp[,latency_ms=1,rate_kbps=10000,mtu=1472]; any of them also takes seed, noise (byte error rate), "
        "buf_size, buf_count, strategy, slot_kb, write_us, erase_ms, proc_us");
}

Result<SmpTestbedConfig> parseSmpSimSpec(const QString& target, const QVariantMap& options)
{
    SmpTestbedConfig c;
    const QString kind = target.trimmed().toLower();
    OptionReader in(options);
    if (kind == QLatin1String("serial")) {
        c.kind = SmpLinkKind::Serial;
        OTALAB_TRY(in.number(QStringLiteral("baud"), 300, 12'000'000, c.serial.baud));
        OTALAB_TRY(in.microseconds(QStringLiteral("pace_us"), 1'000'000, c.serial.hostLineGap));
        OTALAB_TRY(in.number(QStringLiteral("line"), 8, 4096, c.serial.lineLength));
        OTALAB_TRY(in.flag(QStringLiteral("usb"), c.serial.usbCdc));
        OTALAB_TRY(in.number(QStringLiteral("rx_bufs"), 1, 64, c.serial.rxBufCount));
        OTALAB_TRY(in.number(QStringLiteral("rx_buf_size"), 8, 4096, c.serial.rxBufSize));
        c.device.server.bufSize = 384;    // CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE default
    } else if (kind == QLatin1String("ble")) {
        c.kind = SmpLinkKind::Ble;
        OTALAB_TRY(in.milliseconds(QStringLiteral("interval_ms"), 7.5, 4000, c.ble.connectionInterval));
        OTALAB_TRY(in.number(QStringLiteral("mtu"), 23, 517, c.ble.attMtu));
        OTALAB_TRY(in.number(QStringLiteral("dle"), 27, 251, c.ble.llPayload));
        OTALAB_TRY(in.number(QStringLiteral("pdus"), 1, 64, c.ble.maxPdusPerEvent));
        OTALAB_TRY(in.flag(QStringLiteral("encrypted"), c.ble.encrypted));
        if (in.has(QStringLiteral("phy"))) {
            const QString phy = in.text(QStringLiteral("phy"));
            if (phy == QLatin1String("1m"))
                c.ble.phyBitRate = 1'000'000;
            else if (phy == QLatin1String("2m"))
                c.ble.phyBitRate = 2'000'000;
            else
                return fail(QStringLiteral("sim: phy=%1 must be 1m or 2m").arg(phy));
        }
        c.device.server.bufSize = 2475;   // smp_svr's Bluetooth overlay
    } else if (kind == QLatin1String("udp")) {
        c.kind = SmpLinkKind::Udp;
        OTALAB_TRY(in.milliseconds(QStringLiteral("latency_ms"), 0, 10'000, c.udp.latency));
        double kbps = c.udp.bitRate / 1000.0;
        OTALAB_TRY(in.real(QStringLiteral("rate_kbps"), 1, 10'000'000, kbps));
        c.udp.bitRate = kbps * 1000.0;
        OTALAB_TRY(in.number(QStringLiteral("mtu"), 64, 65507, c.udp.maxDatagram));
        c.device.server.bufSize = 1500;   // one Ethernet MTU
    } else {
        return fail(QStringLiteral("sim: unknown link '%1'; write %2").arg(target, smpSimSpecHelp()));
    }
    OTALAB_TRY(readCommon(in, c));
    const QStringList unknown = in.unused();
    if (!unknown.isEmpty())
        return fail(QStringLiteral("sim:%1 does not know the option(s) %2; write %3")
                        .arg(kind, unknown.join(QStringLiteral(", ")), smpSimSpecHelp()));
    return c;
}

#undef OTALAB_TRY

SmpTestbed::SmpTestbed(SmpTestbedConfig config) : m_config(std::move(config)), m_sim(std::make_unique<Simulator>())
{
    m_sim->setSeed(m_config.seed);
    switch (m_config.kind) {
    case SmpLinkKind::Serial: m_link = std::make_unique<SmpSerialLink>(*m_sim, 0, m_config.serial); break;
    case SmpLinkKind::Ble: m_link = std::make_unique<SmpBleLink>(*m_sim, 0, m_config.ble); break;
    case SmpLinkKind::Udp: m_link = std::make_unique<SmpUdpLink>(*m_sim, 0, m_config.udp); break;
    }
    m_device = std::make_unique<SmpSimDevice>(*m_sim, *m_link, m_config.device, 0);
}

SmpTestbed::~SmpTestbed()
{
    m_sim.reset();   // first: pending events point at the link, the board and the hosts
}

SmpOperationHost& SmpTestbed::run(core::smp::Operation& operation, SimTime limit, SmpHostOptions options)
{
    m_hosts.push_back(std::make_unique<SmpOperationHost>(*m_sim, *m_link, operation, options, 0));
    SmpOperationHost& host = *m_hosts.back();
    host.runUntilFinished(m_sim->now() + limit);
    host.abandon();
    return host;
}

} // namespace otalab::sim
