// SPDX-License-Identifier: Apache-2.0
// The scenario's "faults" and "attacks" sections: what goes wrong in the field, for any
// family (issue 14). Neutral: a fault names a kind, a fleet, devices or a node, and a moment;
// the family (Fleet::faultSupport / armFault / injectFault) decides what the fault does to
// its devices and what survives, and writes that to the FaultLog (faultlog.h).
// JSON keys are named beside each field (sim/scenario/faultsreader.h reads them; schema
// $defs.fault / $defs.attack).
#pragma once

#include <QString>
#include <QStringView>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace otalab::sim::faults {

enum class FaultKind : std::uint8_t {
    PowerLoss,       // "powerLoss": devices lose power for forS, then boot (flash keeps what was written)
    ServerCrash,     // "serverCrash": the fleet's server / broker / host / network server crashes and
                     //   restarts after forS: its volatile state is lost, its persistent state kept
    LinkOutage,      // "linkOutage": the devices' links carry nothing for forS (all devices by default)
    GatewayOutage,   // "gatewayOutage": a gateway / router / parent (target) is dark for forS
    ClockJump,       // "clockJump": the devices' wall clocks jump by jumpS (negative: back)
    BadImage,        // "badImage": the devices receive an image variant that fails (variant)
};
inline constexpr int kFaultKindCount = 6;
QString faultKindName(FaultKind kind);                       // "powerLoss", ...
std::optional<FaultKind> parseFaultKind(QStringView name);

enum class BadImageVariant : std::uint8_t {
    FailsSelfTest,   // "failsSelfTest": boots, fails its self-test / health check: rolled back
    DoesNotBoot,     // "doesNotBoot": crashes at boot: the bootloader reverts (or the device is bricked)
};
QString badImageVariantName(BadImageVariant variant);

enum class AttackKind : std::uint8_t {
    TamperedImage,       // "tamperedImage": image bytes changed after signing
    WrongKey,            // "wrongKey": a well-formed image signed with a key the device does not trust
    Downgrade,           // "downgrade": a validly signed image of an older version / lower security counter
    Replay,              // "replay": an old but valid image (the one the device runs or ran) offered again
    ForgedFragment,      // "forgedFragment": LoRaWAN data fragment with a valid multicast MIC, forged content
    ForgedStreamBlock,   // "forgedStreamBlock": an MQTT stream data block injected by another client
    UnauthorisedClient,  // "unauthorisedClient": an update request from a client the device does not authorise
};
inline constexpr int kAttackKindCount = 7;
QString attackKindName(AttackKind kind);                     // "tamperedImage", ...
std::optional<AttackKind> parseAttackKind(QStringView name);

// Which devices of the fleet (campaign device indices 0..n-1). Exactly one form; none = all.
struct DeviceSelection {
    std::vector<int> devices;   // "devices": [3, 17]
    int count = 0;              // "count": that many, drawn without replacement (seeded)
    double share = 0;           // "share": 0 < share ≤ 1 of the fleet, drawn (seeded)
    bool all() const { return devices.empty() && count == 0 && share == 0; }
    friend bool operator==(const DeviceSelection&, const DeviceSelection&) = default;
};

// When. At most one of the four; none: at the start (badImage: the image the devices get).
struct FaultWhen {
    std::optional<double> atS;                           // "atS": virtual seconds
    std::optional<std::pair<double, double>> betweenS;   // "betweenS": [a, b]: per device, uniform (seeded)
    std::optional<int> atFlashWrite;                     // "atFlashWrite": k ≥ 1: the device's k-th image
                                                         //   write to flash (a block / chunk / fragment stored)
    std::optional<double> atProgress;                    // "atProgress": 0 < p < 1: once that share of the
                                                         //   image is stored
    bool any() const { return atS || betweenS || atFlashWrite || atProgress; }
    friend bool operator==(const FaultWhen&, const FaultWhen&) = default;
};

struct FaultSpec {
    QString id;                      // "id": name in the report (default "faults[i]")
    FaultKind kind = FaultKind::PowerLoss;   // "kind"
    QString fleet;                   // "fleet": fleet name (default: the scenario's only fleet)
    DeviceSelection select;          // "devices" / "count" / "share": device faults and link outages
    QString target;                  // "target": node name for serverCrash / gatewayOutage ("gw-2",
                                     //   "0x1A2B"); empty: the family's server / first gateway
    FaultWhen when;                  // "atS" / "betweenS" / "atFlashWrite" / "atProgress"
    double forS = 0;                 // "forS": off / down for (0: the kind's default — power 10 s, crash 30 s,
                                     //   outages 600 s)
    double jumpS = 0;                // "jumpS": clockJump only, ≠ 0
    BadImageVariant variant = BadImageVariant::FailsSelfTest;   // "variant": badImage only
    bool permanent = false;          // "permanent": gatewayOutage only: the node fails for good at its
                                     //   moment and never comes back ("forS" then not allowed)
    friend bool operator==(const FaultSpec&, const FaultSpec&) = default;
};

struct AttackSpec {
    QString id;                      // "id" (default "attacks[i]")
    AttackKind kind = AttackKind::TamperedImage;   // "attack"
    QString fleet;                   // "fleet"
    DeviceSelection select;          // "devices" / "count" / "share" (default: all)
    FaultWhen when;                  // "atS" / "betweenS" only (default: when the campaign offers the image)
    friend bool operator==(const AttackSpec&, const AttackSpec&) = default;
};

struct FaultsConfig {
    std::vector<FaultSpec> faults;   // "faults": [...]
    std::vector<AttackSpec> attacks; // "attacks": [...]
    bool empty() const { return faults.empty() && attacks.empty(); }
    friend bool operator==(const FaultsConfig&, const FaultsConfig&) = default;
};

} // namespace otalab::sim::faults
