// SPDX-License-Identifier: Apache-2.0
// SmpFleetBoard: one board of an SMP fleet — its plan, its push record and, while it is
// pushed, its simulated link and MCUboot board.
#pragma once

#include "sim/fleet/devicestatus.h"
#include "sim/smp/smpdevice.h"
#include "sim/smp/smpfleetconfig.h"
#include "sim/smp/smpfleetimages.h"
#include "sim/smp/smpfleetmachine.h"
#include "sim/smp/smpfleetpush.h"
#include "sim/smp/smphost.h"
#include "sim/smp/smplink.h"

#include <memory>
#include <optional>
#include <vector>

namespace otalab::sim {

// What the scenario holds for one board, drawn from its own random streams at build time.
struct SmpFleetBoardPlan {
    bool unhealthy = false;                  // the new image faults at start (MCUboot reverts)
    std::optional<qint64> powerCutAtBytes;   // the power fails when the upload reaches this offset
    // Faults and attacks (sim/smp/smpfleetfaults.h), set before the run:
    std::optional<SimTime> faultAfter;       // unhealthy: fault this long after start (default boards.faultAfterMs)
    const QByteArray* image = nullptr;       // the file pushed to this board instead of the fleet's (an attack)
    std::vector<std::pair<SimTime, SimTime>> linkOutages;   // [from, to): the board's link carries nothing
};

// A board exists as simulation objects (link + SmpSimDevice with its flash) only from the
// moment the host takes it up: until then it runs the first image untouched, which needs
// no events. After its push the objects stay (events may still name them) but the flash
// is released (retire()): its slot table is kept as text. So memory grows with the
// boards being pushed, not with the fleet.
// Record fields are written by SmpFleetHost; simulation thread only.
class SmpFleetBoard {
public:
    SmpFleetBoard(std::size_t index, NodeId node, QString name, SmpFleetBoardPlan plan);
    SmpFleetBoard(SmpFleetBoard&&) noexcept;
    SmpFleetBoard& operator=(SmpFleetBoard&&) noexcept;
    ~SmpFleetBoard();

    // Builds the link and the board, programs the running image and boots it (no events).
    Result<void> materialize(Simulator& sim, const SmpFleetConfig& config, const SmpFleetImages& images,
                             const core::mcuboot::FlashGeometry& geometry);
    // Keeps the slot table as text and releases the flash. The objects stay alive.
    void retire(const SmpFleetImages& images);
    bool isMaterialized() const { return m_device != nullptr; }
    bool isRetired() const { return m_retired; }
    SmpLink* link() const { return m_link.get(); }
    SmpSimDevice* device() const { return m_device.get(); }

    // "Slot 0" / "Slot 1" rows: version and flags as `mcumgr image list` shows them.
    std::vector<NamedValue> slotRows(const SmpFleetImages& images) const;
    // The version the board runs now ("1.0.0"; "off" while it has no power, "restarting").
    QString runningVersion(const SmpFleetImages& images) const;

    std::size_t index = 0;
    NodeId node = kNoNode;
    QString name;
    SmpFleetBoardPlan plan;

    // The push in progress (an attempt), destroyed when the attempt ends.
    std::unique_ptr<SmpFleetPush> push;
    std::unique_ptr<SmpOperationHost> driver;

    SmpPushState state = SmpPushState::Queued;
    SimTime stateSince;
    std::uint64_t token = 0;                 // bumps when a pending host event becomes void
    int attempts = 0;
    std::uint64_t chunks = 0;                // upload chunks sent (all attempts)
    std::uint64_t resentChunks = 0;          // of those, for bytes sent before
    qint64 highestSent = 0;                  // end of the furthest chunk sent
    qint64 acknowledged = 0;                 // bytes the board reported holding (last answer)
    std::optional<SimTime> admittedAt;       // the host took it up (connect / first request)
    std::optional<SimTime> uploadStartAt;    // first chunk of the attempt that completed the upload
    std::optional<SimTime> uploadEndAt;      // the board acknowledged the last byte
    std::optional<SimTime> resetAt;          // reset answered (WaitingForBoot entered), last attempt
    std::optional<SimTime> answeredAt;       // the board answered after that reset
    std::optional<SimTime> finishedAt;       // final state entered
    std::optional<SimTime> powerCutAt;
    std::optional<SimTime> attemptSince;     // the running attempt started (talk time)
    SimTime talkTime;                        // sum of attempt durations (link in use)
    SimTime connectWait;                     // BLE: time spent connecting (all attempts)
    QString failureReason;                   // final reason (Failed / Refused / RolledBack)
    QString lastAttemptFailure;              // the latest failed attempt, while retrying

private:
    std::unique_ptr<SmpLink> m_link;
    std::unique_ptr<SmpSimDevice> m_device;
    bool m_retired = false;
    std::vector<NamedValue> m_retiredSlots;
    QString m_retiredVersion;
};

} // namespace otalab::sim
