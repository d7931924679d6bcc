// SPDX-License-Identifier: Apache-2.0
// Scenario section "network" (NwkModelConfig, sim/zigbee/nwkmodelconfig.h): which parts of a
// real Zigbee PRO stack the network model runs, and its coherence with
// "device.nwkSecurityOverheadBytes" (the octets charged by security mode "modelled").
#include "sim/scenario/jsonfieldreader.h"
#include "sim/scenario/sectionreaders.h"
#include "sim/zigbee/framebudget.h"

namespace otalab::sim {

namespace {

// APS duplicate rejection entries a node may keep: far above EmberZNet's defaults, keeps
// a 10 000-node fleet's tables bounded.
constexpr std::int64_t kMaxDuplicateTableSize = 1024;
// NWK auxiliary header (14) + MIC-32 (4), Zigbee R22 4.5.1 / 4.3.1.1 at security level 5.
constexpr std::uint8_t kRealNwkSecurityOctets = std::uint8_t(FrameBudget::kRealisticNwkSecurityBytes);

int hexDigit(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

} // namespace

std::optional<std::array<std::uint8_t, 16>> parseAesKey(const QString& text, QString* why)
{
    auto refuse = [why](const QString& reason) -> std::optional<std::array<std::uint8_t, 16>> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    // 32 digits, or 16 two-digit octets with one separator between each pair (47 characters).
    QChar separator;
    if (text.size() == 47) {
        separator = text.at(2);
        if (separator != u':' && separator != u' ')
            return refuse(QStringLiteral("octets separated by '%1'; expected ':' or ' '").arg(separator));
        for (qsizetype i = 2; i < text.size(); i += 3)
            if (text.at(i) != separator)
                return refuse(QStringLiteral("character %1 is '%2'; expected the separator '%3' between every two digits")
                                  .arg(i + 1).arg(text.at(i)).arg(separator));
    } else if (text.size() != 32) {
        qsizetype digits = 0;
        for (QChar c : text)
            digits += hexDigit(c) >= 0;
        return refuse(QStringLiteral("%1 characters (%2 hex digits)").arg(text.size()).arg(digits));
    }
    std::array<std::uint8_t, 16> key{};
    const qsizetype stride = separator.isNull() ? 2 : 3;
    for (std::size_t octet = 0; octet < key.size(); ++octet) {
        const qsizetype at = qsizetype(octet) * stride;
        const int hi = hexDigit(text.at(at)), lo = hexDigit(text.at(at + 1));
        if (hi < 0 || lo < 0)
            return refuse(QStringLiteral("character %1 is '%2', not a hex digit").arg(at + (hi < 0 ? 1 : 2)).arg(text.at(hi < 0 ? at : at + 1)));
        key[octet] = std::uint8_t(hi << 4 | lo);
    }
    return key;
}

QString aesKeyText(const std::array<std::uint8_t, 16>& key)
{
    QString out;
    out.reserve(32);
    for (std::uint8_t b : key)
        out += QString::number(b, 16).toUpper().rightJustified(2, QLatin1Char('0'));
    return out;
}

namespace {

void readKey(JsonFieldReader& r, const char* name, std::array<std::uint8_t, 16>& out)
{
    if (!r.contains(name))
        return;
    QString text;
    r.text(name, text, true);
    if (r.failed())
        return;
    QString why;
    if (const auto key = parseAesKey(text, &why))
        out = *key;
    else
        r.fail(r.pathOf(QLatin1String(name)),
               QStringLiteral("expected a 128-bit key as 32 hex digits (\"01030507090B0D0F00020406080A0C0D\"), optionally one ':' or ' ' "
                              "between every two digits (\"01:03:05:...\"); got \"%1\": %2").arg(text.left(60), why));
}

} // namespace

void readNetwork(const QJsonObject& json, NwkModelConfig& out, std::optional<Error>& sink)
{
    JsonFieldReader r(json, QStringLiteral("$.network"), sink);
    r.section("aps", [&](JsonFieldReader& a) {
        ApsReliabilityConfig& aps = out.aps;
        a.boolean("ack", aps.ack);
        a.integer("maxRetries", aps.maxRetries, 0, 255);
        a.integer("ackWaitMs", aps.ackWaitMs, 0, kMaxDurationMs);
        a.integer("sleepyAckWaitExtraMs", aps.sleepyAckWaitExtraMs, 0, kMaxDurationMs);
        a.integer("duplicateTableSize", aps.duplicateTableSize, 0, kMaxDuplicateTableSize);
        a.integer("duplicateTimeoutMs", aps.duplicateTimeoutMs, 0, kMaxDurationMs);
        a.finish();
    });
    r.section("security", [&](JsonFieldReader& s) {
        NwkSecuritySettings& security = out.security;
        s.choice("mode", security.mode, {{"none", NwkSecuritySettings::Mode::None},
                                         {"modelled", NwkSecuritySettings::Mode::Modelled},
                                         {"real", NwkSecuritySettings::Mode::Real}});
        readKey(s, "networkKey", security.networkKey);
        s.integer("keySequence", security.keySequence, 0, 255);
        s.boolean("apsEncryption", security.apsEncryption);
        readKey(s, "linkKey", security.linkKey);
        s.finish();
        if (!s.failed() && security.apsEncryption && security.mode != NwkSecuritySettings::Mode::Real)
            s.fail(s.pathOf(QStringLiteral("apsEncryption")),
                   QStringLiteral("APS encryption puts link-key ciphertext on the air; expected \"mode\": \"real\" with it "
                                  "(with \"modelled\", charge APS security octets with device.apsSecurityOverheadBytes)"));
    });
    r.section("routing", [&](JsonFieldReader& g) {
        MeshRoutingSettings& routing = out.routing;
        g.choice("mode", routing.mode, {{"tree", MeshRoutingSettings::Mode::Tree}, {"mesh", MeshRoutingSettings::Mode::Mesh}});
        g.boolean("manyToOne", routing.manyToOne);
        g.integer("concentratorIntervalS", routing.concentratorIntervalS, 1, std::int64_t(kMaxDurationS));
        g.integer("routeDiscoveryTimeoutMs", routing.routeDiscoveryTimeoutMs, 0, kMaxDurationMs);
        g.finish();
        if (!g.failed() && routing.manyToOne && routing.mode != MeshRoutingSettings::Mode::Mesh)
            g.fail(g.pathOf(QStringLiteral("manyToOne")),
                   QStringLiteral("many-to-one routing (route records, source routes) needs route discovery; expected \"mode\": \"mesh\" with it"));
    });
    r.section("rejoin", [&](JsonFieldReader& j) {
        j.boolean("enabled", out.rejoin.enabled);
        j.integer("pollFailures", out.rejoin.pollFailuresBeforeRejoin, 0, 255);
        j.integer("attemptsMax", out.rejoin.attemptsMax, 0, 255);
        j.integer("retryDelayMs", out.rejoin.retryDelayMs, 0, kMaxDurationMs);
        j.finish();
    });
    r.boolean("addressFiltering", out.addressFiltering);
    r.choice("idlePolls", out.idlePolls, {{"onAir", NwkModelConfig::IdlePolls::OnAir},
                                          {"closedForm", NwkModelConfig::IdlePolls::ClosedForm}});
    r.finish();
}

void checkNetworkSecurity(const NwkModelConfig& network, bool overheadGiven, const QString& objectPath, DeviceConfig& device,
                          std::optional<Error>& sink)
{
    if (sink)
        return;
    const QString overheadPath = objectPath + QStringLiteral(".device.nwkSecurityOverheadBytes");
    const QString modePath = QStringLiteral("$.network.security.mode");  // "$." is re-rooted under a fleet by the caller
    using Mode = NwkSecuritySettings::Mode;
    switch (network.security.mode) {
    case Mode::Modelled:
        return;  // the octets charged are device.nwkSecurityOverheadBytes (0 or 18)
    case Mode::None:
        if (!overheadGiven)
            device.nwkSecurityOverheadBytes = 0;
        else if (device.nwkSecurityOverheadBytes != 0)
            recordScenarioError(sink, modePath,
                                QStringLiteral("\"none\" puts no NWK security on the air, but %1 is %2; expected 0 there "
                                               "(or leave it out), or \"modelled\" here to charge %2 octets")
                                    .arg(overheadPath).arg(device.nwkSecurityOverheadBytes));
        return;
    case Mode::Real:
        if (overheadGiven && device.nwkSecurityOverheadBytes != kRealNwkSecurityOctets)
            recordScenarioError(sink, modePath,
                                QStringLiteral("\"real\" puts the %1 octets of the auxiliary header and MIC on the air, but %2 is %3; "
                                               "expected %1 there (or leave it out), or \"none\" here for unsecured frames")
                                    .arg(kRealNwkSecurityOctets).arg(overheadPath).arg(device.nwkSecurityOverheadBytes));
        else
            device.nwkSecurityOverheadBytes = kRealNwkSecurityOctets;
        return;
    }
}

} // namespace otalab::sim
