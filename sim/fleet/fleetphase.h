// SPDX-License-Identifier: Apache-2.0
// FleetPhase: the campaign phase of one device, one set shared by every OTA family.
#pragma once

#include <QString>

#include <cstdint>

namespace otalab::sim {

// Where a device is in the campaign, whatever its protocol. Families map their own
// states onto these (Zigbee: ImageUpgradeStatus + rollout progress; SMP: the host's
// push steps; LoRaWAN FUOTA: fragmentation session + reboot). One palette and one
// set of counters for the whole lab.
enum class FleetPhase : std::uint8_t {
    Idle,            // takes no part in the campaign (coordinator, gateway, router without a client)
    Waiting,         // in the campaign, not moving bytes: queued, told to wait, polling for an image
    Downloading,     // image bytes are moving to the device
    Verifying,       // the whole image is there; integrity/signature being checked
    WaitingToApply,  // verified; waiting for the upgrade time, a countdown or the host's reset
    Applying,        // rebooting / swapping into the new image, not yet confirmed
    Upgraded,        // runs the new image (confirmed where the family confirms)
    Failed,          // gave up; still on the old image
    Refused,         // the server or the device refused the image (policy, signature, version)
    RolledBack,      // booted the new image, did not come back healthy, back on the old one
};
inline constexpr int kFleetPhaseCount = 10;

// Words for people ("waiting to apply") and a stable key for files ("waiting-to-apply").
QString fleetPhaseName(FleetPhase phase);
QString fleetPhaseKey(FleetPhase phase);
// Upgraded, Failed, Refused and RolledBack: the campaign is over for the device.
constexpr bool isFinalPhase(FleetPhase phase)
{
    return phase == FleetPhase::Upgraded || phase == FleetPhase::Failed || phase == FleetPhase::Refused ||
           phase == FleetPhase::RolledBack;
}
// Downloading, Verifying, WaitingToApply, Applying: the device holds part of the campaign's work.
constexpr bool isActivePhase(FleetPhase phase)
{
    return phase == FleetPhase::Downloading || phase == FleetPhase::Verifying || phase == FleetPhase::WaitingToApply ||
           phase == FleetPhase::Applying;
}

} // namespace otalab::sim
