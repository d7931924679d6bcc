// SPDX-License-Identifier: Apache-2.0
// ZigbeeFaults: what the scenario's faults and attacks do to a Zigbee fleet (issue 14).
#pragma once

#include "core/common/error.h"
#include "sim/fleet/fleet.h"
#include "sim/kernel/eventhandler.h"

#include <QString>

#include <cstddef>
#include <optional>
#include <vector>

namespace otalab::sim {

class OtaDevice;
class ZigbeeFleet;
class ZigbeeOutageLoss;

// Faults (each writes the fleet's FaultLog as it happens):
//  * powerLoss (atS / betweenS / atFlashWrite = the device's k-th image block stored, over
//    its life / atProgress): the device is off for forS — no polls, no frames (its node is
//    dark on the channel), sleep current only, RAM lost. Its download slot keeps the file's
//    identity and the offset reached, and at power-on it resumes the download from that
//    offset without a new query, as EmberZNet's ota-client does at init
//    (determineDownloadFileStatus: "Partial file download found, continuing from offset";
//    a complete file is verified again). A router that loses power also darkens the path
//    of its children.
//  * serverCrash (target empty or "0x0000"): the coordinator's OTA server process is down
//    forS: requests go unanswered, clients time out and retry (requestTimeoutMs, maxRetries,
//    then the next query); at the restart its sessions are gone, its image files kept.
//  * linkOutage (devices, or all): the devices' nodes are dark forS; each device keeps
//    running, times out, retries or fails that attempt as its client does.
//  * gatewayOutage (target: a router's short address, "0x1A2B"; empty: the first router):
//    the router is dark forS — its children lose their parent, routes through it break.
//  * badImage: the image the device gets is a validly signed but buggy build. The Gecko
//    bootloader verifies an upgrade image before it installs it, and installs it over the
//    running application (no second application slot, no revert): failsSelfTest → the
//    device runs the faulty version (Failed, not recovered); doesNotBoot → it reset-loops,
//    bricked until re-flashed (Failed, not recovered).
//  * clockJump: not supported — the client counts down upgradeTime − currentTime, both from
//    the server's Upgrade End Response; it keeps no wall clock that a jump could move.
// Attacks:
//  * tamperedImage: the device receives the image with one byte changed after it was built
//    (the middle byte, inverted): the client's end-of-download check (integrity code /
//    signature, core/zigbee ota_client_verifier) refuses it with INVALID_IMAGE; the device
//    keeps its running version. With images carrying neither, the device would take it: the
//    log then says accepted — a finding, not hidden.
//  * downgrade / replay: an attacker impersonating the server answers the device's next
//    Query Next Image with SUCCESS and an older FileVersion (downgrade) or the very version it
//    runs (replay). Silicon Labs' ota-client refuses the first with Upgrade End INVALID_IMAGE
//    when OTA downgrades are disabled and does not download the second ("same FileVersion as
//    currently installed") — client "disableDowngrades" / "ignoreSameVersionOffer". A client
//    without those checks starts downloading the offered version: logged as accepted (a
//    rogue server would go on to serve it).
//  * wrongKey: the device receives the fleet's image signed by the attacker's own key
//    (ZigbeeFleet::wrongKeyImage: crypto suite 1, a self-issued certificate, the size of the
//    served file, stored in place of the bytes received). A client that requires signatures
//    (client "requireSignature": it trusts the fleet's signer only) refuses it after the
//    download with INVALID_IMAGE and the core verifier's reason ("signature not verified
//    (invalid): signature does not match key …"); the device keeps its running version. A
//    client that checks no signature installs it: logged as accepted.
// Simulation thread only.
class ZigbeeFaults final : public EventHandler {
public:
    ZigbeeFaults(Simulator& sim, ZigbeeFleet& fleet, ZigbeeOutageLoss& loss);

    static Fleet::FaultSupport support();
    Result<void> arm(const faults::FaultOrder& order);
    Result<void> armAttack(const faults::AttackOrder& order);
    void inject(const faults::FaultOrder& order);
    void injectAttack(const faults::AttackOrder& order);

    // From ZigbeeFleet's device listener.
    void onFlashWrite(std::size_t device, OtaDevice& d, int writes);
    void onPowerOn(std::size_t device, const QString& what);
    void onDeviceChanged(std::size_t device, const OtaDevice& d);
    void onOfferRefused(std::size_t device, std::uint32_t fileVersion, const QString& why);

    void handleEvent(Simulator& sim, const Event& event) override;

private:
    struct Pending {   // a device fault waiting for its condition
        faults::FaultOrder order;
        bool done = false;
    };
    struct Watch {     // a fault that hit a device: its effect is written when the device ends
        int id = 0;
        std::size_t device = 0;
        bool closed = false;
        bool badImage = false;
    };
    struct AttackWatch {
        int id = 0;
        std::size_t device = 0;
        bool tried = false;
        faults::AttackKind kind = faults::AttackKind::TamperedImage;
        std::uint32_t offeredVersion = 0;   // downgrade / replay: the FileVersion the attacker offers
    };
    void stageOffer(const AttackWatch& a);

    void powerLoss(const faults::FaultOrder& order, const QString& when);
    std::optional<NodeId> routerNode(const QString& target, QString* name) const;
    QString outcome(const OtaDevice& d) const;
    double nowS() const;

    Simulator& m_sim;
    ZigbeeFleet& m_fleet;
    ZigbeeOutageLoss& m_loss;
    // Per device (index = device): a block written or a phase change looks at its own lists only.
    std::vector<std::vector<Pending>> m_pending;
    std::vector<faults::FaultOrder> m_atStart;
    std::vector<std::vector<Watch>> m_watches;
    std::vector<std::vector<AttackWatch>> m_attacks;
};

} // namespace otalab::sim
